"""Run inside the host project made by `wagtail start` (tests/install/test_install.py), with the wheel installed.

`python manage.py shell -c "from tests.install import in_host; in_host.main()"` builds a small intranet in the
host's own tree (a news page of the host's page type, open and closed to a group; a municipality section with a
forum and a record under the host's home page), asks for it through the test client as an employee would, and
prints what it saw as JSON for the test to judge. The apps come from the installed wheel, the builders from the
checkout (tests/builders.py).
"""

import datetime
import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from wagtail.models import Site

import safety_pages
import search
from safety_pages.models import ForumIndexPage, SectionPage
from tests import builders


def _add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _found(client, query):
    """What the search API answers `query`: its status, the hits' titles and types, the type facet's labels."""
    response = client.get("/api/search/", {"q": query})
    answer = response.json()
    return {
        "status": response.status_code,
        "hits": [[hit["title"], hit["type"]] for hit in answer.get("results", [])],
        "types": [item["label"] for item in answer.get("facets", {}).get("type", [])],
    }


def main():
    # The test client records the templates a response rendered only in Django's test environment.
    setup_test_environment()
    # docs/install.md, 6: the roles and the review workflow on the host's own start page.
    call_command("setup_roles", verbosity=0)
    news_page = apps.get_model("home", "NewsPage")
    home = Site.objects.get(is_default_site=True).root_page.specific
    _add(home, news_page(title="Nyhet om vinterväghållning", slug="vinter", body="Plogbilar snöslask"))
    closed = _add(home, news_page(title="Lönesamtal för chefer", slug="lon", body="Lönekriterier hemligheter"))
    builders.restrict_to_groups(closed, builders.group("Chefer"))
    section = _add(home, SectionPage(title="Värdkommunen", slug="vardkommun", municipality="Värdkommunen"))
    index = _add(section, ForumIndexPage(title=builders.ORGANISATION_TITLE, slug="organisation"))
    forum = builders.forum(index, "trygghetsradet", "Trygghetsrådet i värdkommunen")
    record = builders.record(
        forum,
        date=datetime.date(2026, 3, 12),
        # Justerat: open to every employee, as records are once justerade.
        adjusted_on=datetime.date(2026, 3, 16),
        paragraphs=[
            builders.paragraph(1, "Gatubelysning Lyktstolpeby", decision="<p>Rådet beslutar om lyktstolpar.</p>")
        ],
    )
    call_command("search_reindex", "--database-only", verbosity=0)

    employee = get_user_model().objects.create_user("anstalld", password="x")
    chief = get_user_model().objects.create_user("chefen", password="x")
    chief.groups.add(builders.group("Chefer"))
    client = Client()
    client.force_login(employee)
    pages = {name: client.get(page.url) for name, page in (("section", section), ("forum", forum), ("record", record))}
    search_page = client.get("/sok/", {"q": "snöslask"})
    chief_client = Client()
    chief_client.force_login(chief)
    print(
        json.dumps(
            {
                "safety_pages": safety_pages.__file__,
                "search": search.__file__,
                "section_parent": section.get_parent().specific_class.__name__,
                "section_depth": section.depth,
                "pages": {
                    name: {
                        "status": r.status_code,
                        "templates": {t.name: t.origin.name for t in r.templates if t.name},
                        "html": r.content.decode(),
                    }
                    for name, r in pages.items()
                },
                "news": _found(client, "snöslask"),
                "record": _found(client, "lyktstolpar"),
                "closed_employee": _found(client, "lönekriterier"),
                "closed_chief": _found(chief_client, "lönekriterier"),
                "search_page": {
                    "status": search_page.status_code,
                    "templates": {t.name: t.origin.name for t in search_page.templates if t.name},
                    "html": search_page.content.decode(),
                },
            }
        )
    )
