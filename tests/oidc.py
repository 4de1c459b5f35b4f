"""A real OpenID provider for the single sign-on tests (tests/site/test_oidc.py, the browser journey).

`provider(...)` starts tests/site/oidc_provider.js (the certified npm package `oidc-provider`, pinned in
package-lock.json) on a free port of 127.0.0.1 and returns once its discovery document answers. Without node or
the package the tests are skipped with the reason, and fail in CI (CI=true), as the browser tests do.
"""

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "site" / "oidc_provider.js"
CLIENT_ID = "trygghetsportalen"
CLIENT_SECRET = "test-only-client-secret-0123456789"
# Another service of the municipality, registered with the same provider: its tokens are not for us.
OTHER_CLIENT_ID = "bygglovstjansten"
OTHER_CLIENT_SECRET = "test-only-other-secret-0123456789"
OTHER_REDIRECT = "http://bygglov.example/retur"
CALLBACK = "/login/kommunen/retur/"
PASSWORD = "kommunens-losenord"


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen

    def discovery(self):
        return requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=10).json()


def _missing(what):
    if os.environ.get("CI") == "true":
        pytest.fail(what)
    pytest.skip(what)


def user(claims):
    return {"password": PASSWORD, "claims": claims}


@contextlib.contextmanager
def provider(users, redirect_bases, clock_offset_seconds=0):
    """The provider, its client `trygghetsportalen` returning to `CALLBACK` on each of `redirect_bases`."""
    node = shutil.which("node")
    if node is None:
        _missing("node is not installed: apt-get install nodejs npm")
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        _missing("node_modules/oidc-provider is missing: run `npm ci` (make test does)")
    config = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [base + CALLBACK for base in redirect_bases],
                "post_logout_redirect_uris": [base + "/login/" for base in redirect_bases],
            },
            {"client_id": OTHER_CLIENT_ID, "client_secret": OTHER_CLIENT_SECRET, "redirect_uris": [OTHER_REDIRECT]},
        ],
        "users": users,
        "clock_offset_seconds": clock_offset_seconds,
    }
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [node, str(SCRIPT)],
        cwd=ROOT,
        env={**os.environ, "OIDC_TEST_PROVIDER": json.dumps(config)},
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        # The script prints its issuer once it listens; a crash closes stdout instead.
        line = process.stdout.readline()
        if not line:
            log.seek(0)
            pytest.fail(f"The OpenID provider did not start: {log.read()}")
        started = Provider(json.loads(line)["issuer"], process)
        assert started.discovery()["issuer"] == started.issuer
        yield started
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def settings_for(started, **overrides):
    """The settings of a site using the provider (as settings/base.py makes them from the environment)."""
    return override_settings(
        OIDC_ISSUER=started.issuer,
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_RP_SCOPES="openid email profile groups",
        AUTHENTICATION_BACKENDS=[
            "axes.backends.AxesStandaloneBackend",
            "intranet.oidc.DirectoryBackend",
            "django.contrib.auth.backends.ModelBackend",
        ],
        **overrides,
    )


def form_of(html):
    """(action, {name: value}) of the first form of a page, its hidden fields filled in."""
    action = unescape(re.search(r'<form[^>]*action="([^"]*)"', html).group(1))
    fields = {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"', html)
    }
    return action, fields


def follow(session, url, until):
    """Follow the provider's redirects with `session` (the browser's cookies there) until one leads to `until`:
    returns that address, or the provider's page where the redirects stop."""
    response = session.get(url, allow_redirects=False, timeout=10)
    while response.is_redirect:
        url = urljoin(response.url, response.headers["Location"])
        if url.startswith(until):
            return url
        response = session.get(url, allow_redirects=False, timeout=10)
    return response


def sign_in(session, authorization_url, username, until, password=PASSWORD):
    """At the provider: open the login form the authorization request leads to, and sign in. Returns the address
    the provider sends the browser back to (the callback, with code and state), or the page it stops at."""
    page = follow(session, authorization_url, until)
    if isinstance(page, str):
        return page  # Still signed in at the provider: straight back.
    action, _hidden = form_of(page.text)
    response = session.post(
        urljoin(page.url, action), data={"username": username, "password": password}, allow_redirects=False, timeout=10
    )
    if not response.is_redirect:
        return response
    location = urljoin(response.url, response.headers["Location"])
    return location if location.startswith(until) else follow(session, location, until)
