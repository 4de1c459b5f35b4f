"""Browser tests: Debian's Chromium, driven by Playwright, against a live server on 127.0.0.1.

The demo is loaded once for the whole session (tests/conftest.py), and the
browser tests do not reload it per test: the server and the tests share one
database that no test transaction wraps, so what a journey saves in the admin is
what the next request reads, exactly as in production. Journeys remove what they
created when their module ends, so the demo is left as it was loaded.

Playwright's own browser builds are never downloaded (`playwright install` is not
used): the tests run the `chromium` package, which `.ci/run` installs when missing.
axe-core comes from the npm registry, pinned in package-lock.json (`make test`
runs `npm ci`). Screenshots are written to test-artifacts/screenshots/ (git-ignored).
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Headless and quiet: no first-run dialogs, no calls home, no GPU on CI machines.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 375)
# Swedish first: the browser asks for Swedish, as the municipality's browsers do.
LOCALE = "sv-SE"
TIMEOUT_MS = 15_000


def _missing(what):
    """A missing browser or axe-core fails CI and is skipped, with the reason, elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(what)
    pytest.skip(what)


class SequentialWSGIServer(WSGIServer):
    """Serves one request at a time, in the server thread.

    The SQLite test database lives in memory, as one connection that the server shares; Django's threaded live
    server would let two requests use it at once (Wagtail autosaves a draft while the editor submits it), which
    ends in server errors now and then. Browsers are told to close each connection, so none waits on another.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        # LiveServerThread.run() has already put the shared connections in place for this thread.
        super().__init__(*args, **kwargs)


@pytest.fixture(autouse=True)
def _live_server_helper():
    """Replaces pytest-django's helper of that name for this package: it would make every test that uses
    `live_server` transactional, emptying the database after each test and so reloading the demo each time."""
    yield


@pytest.fixture(scope="package")
def live_server(django_db_setup, django_db_blocker):
    """A live server with the demo, shared by the package; returns its base URL (http://127.0.0.1:PORT).

    Named like pytest-django's fixture on purpose: pytest-django creates the test database for a run
    when a test uses a fixture of this name (or `db`), also when the browser tests run alone.
    """
    from pytest_django.live_server_helper import LiveServer

    from safety_pages.models import HomePage
    from tests.conftest import _load_demo

    with django_db_blocker.unblock():
        # A transactional test that ran before may have emptied the database.
        if not HomePage.objects.exists():
            _load_demo()
        server = LiveServer("127.0.0.1", start=False)
        server.thread.server_class = SequentialWSGIServer
        server.start()
        try:
            yield server.url
        finally:
            server.stop()


@pytest.fixture(scope="package")
def chromium(live_server):
    if not CHROMIUM.exists():
        _missing(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("The playwright package is missing: pip install -e '.[dev]' (make venv does)")

    # Playwright's sync API keeps an event loop running in this thread; the tests also read the database
    # directly (as the server does in its own thread), which Django refuses in a running loop unless told.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Browsing:
    """Opens pages as a demo user; each user logs in once, through the login form, per package."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base_url = base_url
        self._states = {}
        self._contexts = []

    def context(self, username=None, width=1280):
        storage_state = self._login_state(username) if username else None
        context = self.browser.new_context(
            base_url=self.base_url,
            locale=LOCALE,
            viewport={"width": width, "height": 900},
            storage_state=storage_state,
        )
        context.set_default_timeout(TIMEOUT_MS)
        self._contexts.append(context)
        return context

    def page(self, username=None, width=1280):
        return self.context(username, width).new_page()

    def _login_state(self, username):
        if username not in self._states:
            context = self.browser.new_context(base_url=self.base_url, locale=LOCALE)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            log_in(page, username)
            self._states[username] = context.storage_state()
            context.close()
        return self._states[username]

    def close(self):
        for context in self._contexts:
            context.close()
        self._contexts.clear()


def log_in(page, username, path="/login/"):
    """Log in through a login form (the front end's or the admin's) as a person would: type, press Enter."""
    from intranet.demo.users import DEMO_PASSWORD

    page.goto(path)
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert "/login/" not in page.url, f"{username} could not log in"


@pytest.fixture(scope="package")
def browsing(chromium, live_server):
    sessions = Browsing(chromium, live_server)
    yield sessions
    sessions.close()


@pytest.fixture
def open_page(browsing):
    """`open_page(user, width)`: a new tab logged in as the demo user (None: not logged in)."""
    yield browsing.page
    browsing.close()


def axe_violations(page, include=None):
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page (or the part `include` selects).

    Returns [{"id", "impact", "help", "nodes": [{"target", "html"}]}]. The script is evaluated through
    the DevTools protocol, so the page's content security policy (no inline scripts) stays as it is.
    """
    if not AXE_SCRIPT.exists():
        _missing(f"{AXE_SCRIPT.relative_to(ROOT)} is missing: run `npm ci` (make test does)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    return page.evaluate(
        """async ([include, tags]) => {
            // Measure colours at rest: Wagtail's admin fades its messages in over half a second, and a colour
            // measured mid-fade is a contrast no reader sees. Wait for every finite animation or transition.
            await Promise.all(document.getAnimations()
                .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
                .map(a => a.finished.catch(() => null)));
            const result = await axe.run(include ? {include: [include]} : document,
                                         {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html})),
            }));
        }""",
        [include, WCAG_TAGS],
    )


def describe(violations):
    """Readable failure text: rule, help and the offending elements."""
    return json.dumps(violations, ensure_ascii=False, indent=1)


def screenshot(page, name, width):
    """Write a full-page screenshot to test-artifacts/screenshots/<name>-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path
