"""A Wagtail intranet installs the apps from the wheel and publishes its safety governance in its own tree (issue 24).

Once per session the wheel is built. Per database engine, a fresh project is made with `wagtail start` in a
temporary folder, the wheel is installed into a folder of its own (`pip install --no-deps --target`: the
dependencies are the ones this environment already has), and the project is edited as docs/install.md says, with
the very blocks of the guide. The project migrates, gets a page type of its own with search fields, and
tests/install/in_host.py builds and visits a section, a forum and a record under the host's home page. Everything
runs in subprocesses whose path starts with the installed copy, and the test checks that copy is what ran: a
template or migration missing from the wheel fails here, though the checkout has it.
"""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "install.md"
BIN = Path(sys.executable).parent
TIMEOUT = 300

# The host's own page type: news with a body its search fields index, as a host intranet would have.
HOST_MODELS = """

from wagtail.fields import RichTextField
from wagtail.search import index


class NewsPage(Page):
    body = RichTextField(blank=True)

    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = "nyhetsartikel"
"""

# The host's database for a run on PostgreSQL (local.py is read last by the dev settings `wagtail start` writes).
LOCAL_SETTINGS = """
import dj_database_url

DATABASES = {"default": dj_database_url.parse(%r)}
"""


def _run(command, cwd, env=None, timeout=TIMEOUT):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    )
    return result.stdout


def _guide_block(name):
    """The code block of docs/install.md marked `<!-- install-test: name -->`."""
    found = re.search(rf"<!-- install-test: {name} -->\s*```python\n(.*?)```", GUIDE.read_text(), re.S)
    assert found, f"docs/install.md has no block marked {name}"
    return found.group(1)


def _can_build_offline():
    """Whether setuptools here makes wheels: with its own bdist_wheel (setuptools 70.1 and later) or the wheel
    package's. Otherwise `build` makes an isolated environment, fetching setuptools and wheel from the index."""
    return bool(importlib.util.find_spec("wheel") or importlib.util.find_spec("setuptools.command.bdist_wheel"))


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """The wheel, built once per session from the checkout as a municipality would: `python -m build` makes the
    source distribution and the wheel from it, so a file MANIFEST.in leaves out is missing here too, and nothing
    stale in the checkout's build/ folder gets in. Without an isolated environment where setuptools here can make
    wheels: no network and a few seconds less."""
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, "-m", "build", "--outdir", str(out)]
    if _can_build_offline():
        command.append("--no-isolation")
    _run([*command, str(ROOT)], cwd=ROOT)
    (built,) = out.glob("*.whl")
    return built


def _postgres_url():
    """A database of its own on the PostgreSQL server the suite uses, made empty."""
    psycopg = pytest.importorskip("psycopg")
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        server = os.environ.get("PG_TEST_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    server = server.rsplit("/", 1)[0]
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as connection:
            connection.execute("DROP DATABASE IF EXISTS trygghet_install WITH (FORCE)")
            connection.execute("CREATE DATABASE trygghet_install")
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not reachable at {server}: {error}")
        pytest.skip(f"PostgreSQL is not reachable at {server}")
    return f"{server}/trygghet_install"


def _host_project(tmp_path, wheel, database_url):
    """A `wagtail start` project with the wheel installed and the guide followed; returns (folder, environment)."""
    packages = tmp_path / "packages"
    _run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(packages), str(wheel)],
        tmp_path,
    )
    project = tmp_path / "project"
    project.mkdir()
    _run([str(BIN / "wagtail"), "start", "hostsite", str(project)], tmp_path)

    # docs/install.md, 2: our search app replaces the project's.
    shutil.rmtree(project / "search")
    urls = project / "hostsite" / "urls.py"
    text = urls.read_text()
    for line in (
        "from search import views as search_views\n",
        '    path("search/", search_views.search, name="search"),\n',
    ):
        assert line in text, f"wagtail start's urls.py changed: {line!r} is gone; update docs/install.md"
        text = text.replace(line, "")
    # docs/install.md, 3 and 4: the settings and the URLs, as the guide gives them.
    urls.write_text(text + "\n" + _guide_block("urls"))
    settings = project / "hostsite" / "settings" / "base.py"
    settings.write_text(settings.read_text() + "\n" + _guide_block("settings"))
    if database_url:
        (project / "hostsite" / "settings" / "local.py").write_text(LOCAL_SETTINGS % database_url)
    # The host's own page type with its search fields.
    models = project / "home" / "models.py"
    models.write_text(models.read_text() + HOST_MODELS)

    # The installed copy first; then the checkout, for tests.builders (and its `intranet.demo` helpers) only.
    path = [str(packages), str(ROOT), str(ROOT / "site")]
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}}
    env.update({"PYTHONPATH": os.pathsep.join(path), "DJANGO_SETTINGS_MODULE": "hostsite.settings.dev"})
    manage = [sys.executable, "manage.py"]
    _run([*manage, "makemigrations", "home"], project, env)
    _run([*manage, "migrate", "--no-input"], project, env)
    return project, env, packages


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_wagtail_intranet_installs_the_wheel_and_publishes_in_its_own_tree(engine, wheel, tmp_path):
    database_url = _postgres_url() if engine == "postgres" else None
    project, env, packages = _host_project(tmp_path, wheel, database_url)
    command = [sys.executable, "manage.py", "shell", "-c", "from tests.install import in_host; in_host.main()"]
    seen = json.loads(_run(command, project, env).strip().splitlines()[-1])

    # The installed wheel ran, not the checkout.
    assert Path(seen["safety_pages"]).is_relative_to(packages), seen["safety_pages"]
    assert Path(seen["search"]).is_relative_to(packages), seen["search"]

    # A section under the host's own home page, and our pages render there with the wheel's templates inside the
    # host's base template.
    assert seen["section_parent"] == "HomePage" and seen["section_depth"] == 3
    for name, template in (
        ("section", "safety_pages/section_page.html"),
        ("forum", "safety_pages/forum_page.html"),
        ("record", "safety_pages/meeting_record_page.html"),
    ):
        page = seen["pages"][name]
        assert page["status"] == 200, name
        assert Path(page["templates"].get(template, "")).is_relative_to(packages), (name, page["templates"])
        assert "css/hostsite.css" in page["html"], f"{name} is not framed by the host's base.html"
    assert "Trygghetsrådet i värdkommunen" in seen["pages"]["section"]["html"] or seen["pages"]["forum"]["html"]
    assert "Lyktstolpeby" in seen["pages"]["record"]["html"]

    # The search finds the host's own page, labelled with its type, and our record.
    assert seen["news"]["status"] == 200
    assert [title for title, _type in seen["news"]["hits"]] == ["Nyhet om vinterväghållning"]
    assert "Nyhetsartikel" in seen["news"]["types"], seen["news"]
    assert any("Lyktstolpeby" in title or "Trygghetsrådet" in title for title, _type in seen["record"]["hits"]), seen[
        "record"
    ]
    # Our search page, in place of the host's, shows the host's page with its type's label.
    search_page = seen["search_page"]
    assert search_page["status"] == 200
    assert Path(search_page["templates"].get("search/search.html", "")).is_relative_to(packages)
    assert re.search(r'<span class="badge">\s*nyhetsartikel\s*</span>', search_page["html"], re.I), "no type label"
    assert "Nyhet om vinterväghållning" in search_page["html"]

    # The host page closed to a group is found by the group, not by an employee outside it.
    assert seen["closed_employee"]["hits"] == []
    assert [title for title, _type in seen["closed_chief"]["hits"]] == ["Lönesamtal för chefer"]
