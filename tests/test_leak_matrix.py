"""The leak matrix: every user × every content state × every channel that shows content.

Each cell asserts one thing a user would notice: the item's marker is shown to
those who may read it and absent for everyone else (no title, no text, no
count, no file). The content is built once per module inside a transaction
that is rolled back at the end; each cell runs in its own savepoint.

Users: anonymous, employee, forum member, other forum's member, editor,
reviewer, superuser. States: draft, in review, published, unjusterat record,
group-restricted page, unpublished after publishing, moved into a restricted
section. Channels: see CHANNELS; a channel is added here when it lands on main.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from wagtail.documents.models import Document
from wagtail.models import Site

from safety_pages import roles
from safety_pages.local_roles import local_roles_for, sync_forum_readers
from safety_pages.workflows import ensure_workflows
from tests.access_helpers import forum, instruction, member, restrict_to_groups

USERS = ["anonymous", "employee", "forum_member", "other_member", "editor", "reviewer", "superuser"]
USERNAMES = {
    "employee": "medarbetare",
    "forum_member": "ledamot",
    "other_member": "radsledamot",
    "editor": "redaktor",
    "reviewer": "granskare",
    "superuser": "admin",
}
STATES = ["draft", "in_review", "published", "unjusterat", "group_restricted", "unpublished", "moved_restricted"]

# Who may read each state on the intranet (superusers read everything that is live).
READERS = {
    "draft": set(),
    "in_review": set(),
    "published": {"employee", "forum_member", "other_member", "editor", "reviewer", "superuser"},
    # Until justering only the committee's readers (members, editors, justering group).
    "unjusterat": {"forum_member", "superuser"},
    # Restricted to the Granskare group.
    "group_restricted": {"reviewer", "superuser"},
    "unpublished": set(),
    # Moved under the crisis council, which is restricted to that council's reader group.
    "moved_restricted": {"other_member", "superuser"},
}


def _body(marker, document):
    return [
        {
            "type": "section",
            "value": {
                "heading": f"Avsnitt {marker}",
                "body": f'<p>Text {marker} med <a linktype="document" id="{document.pk}">bilaga</a>.</p>',
            },
        }
    ]


def _build(home):
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    ensure_workflows(home)
    users = get_user_model().objects
    other = users.create_user("radsledamot", password="x")
    other.groups.add(Group.objects.get(name=roles.EMPLOYEES))
    mjolby = home.get_children().get(slug="mjolby").specific
    committee = forum(mjolby, "trygghets-och-sakerhetsutskottet", "Trygghets- och säkerhetsutskottet")
    council = forum(mjolby, "krishanteringsradet", "Krishanteringsrådet")
    member(committee, users.get(username="ledamot"))
    member(council, other)
    sync_forum_readers(committee)
    sync_forum_readers(council)
    restrict_to_groups(council, local_roles_for(council).reader_group)

    items = {}

    def make(state, parent, publish=True):
        marker = f"LECKA{state.upper().replace('_', '')}"
        document = Document.objects.create(title=f"Bilaga {marker}", file=ContentFile(b"%PDF-1.4\n", name="b.pdf"))
        page = instruction(parent, state.replace("_", "-"), title=f"Sida {marker}", publish=publish)
        page.sections = _body(marker, document)
        page.tags.add(TAG)
        revision = page.save_revision()
        if publish:
            revision.publish()
        else:
            page.save()  # a never-published page keeps its content on the page row (search, references)
        page.refresh_from_db()
        items[state] = {"page": page, "marker": marker, "document": document}
        return page

    make("draft", committee, publish=False)
    in_review = make("in_review", committee, publish=False)
    in_review.get_workflow().start(in_review, users.get(username="redaktor"))
    make("published", committee)
    # Stand-in until MeetingRecordPage lands: a live page readable by the committee's readers only.
    unjusterat = make("unjusterat", committee)
    restrict_to_groups(unjusterat, *Group.objects.filter(pk__in=_reader_group_ids(committee)))
    restricted = make("group_restricted", committee)
    restrict_to_groups(restricted, Group.objects.get(name=roles.REVIEWERS))
    make("unpublished", committee).unpublish()
    moved = make("moved_restricted", committee)
    moved.move(council, pos="last-child")
    for item in items.values():
        item["page"].refresh_from_db()
        item["url"] = item["page"].url
    return items


TAG = "lackmatris"


def _reader_group_ids(forum_page):
    roles_row = local_roles_for(forum_page)
    return [pk for pk in (roles_row.reader_group_id, roles_row.editor_group_id, roles_row.reviewer_group_id) if pk]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))
            yield _build(Site.objects.get(is_default_site=True).root_page.specific)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _client(who):
    client = Client()
    if who != "anonymous":
        client.force_login(get_user_model().objects.get(username=USERNAMES[who]))
    return client


# --- Channels: each returns whether the item is visible to the client. ----------------------------------


def page_url(client, item):
    if item["url"] is None:  # never given a URL on the front end
        return False
    response = client.get(item["url"])
    shown = response.status_code == 200 and item["marker"] in response.content.decode()
    assert shown or item["marker"] not in response.content.decode()
    return shown


def search_page(client, item):
    response = client.get("/sok/", {"q": item["marker"]})
    if response.status_code != 200:
        assert response.status_code == 302  # anonymous: to the login page
        return False
    # The query itself is echoed on the page; a hit shows the page's title.
    return item["page"].title in response.content.decode()


def sitemap(client, item):
    response = client.get("/sitemap.xml")
    if response.status_code != 200:
        return False
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    return any(location.endswith(item["url"] or "\x00") for location in locations)


def document_url(client, item):
    response = client.get(item["document"].url)
    if response.status_code == 200:
        return True
    assert response.status_code in (302, 404)
    return False


def tag_listing(client, item):
    response = client.get(f"/etiketter/{TAG}/")
    if response.status_code != 200:
        assert response.status_code == 302  # anonymous: to the login page
        return False
    return item["page"].title in response.content.decode()


CHANNELS = {
    "page_url": page_url,
    "tag_listing": tag_listing,
    "search_page": search_page,
    "sitemap": sitemap,
    "document_url": document_url,
}

# Where a channel's rule differs from READERS.
OVERRIDES = {
    # The sitemap lists only what every employee may read.
    "sitemap": lambda who, state: who != "anonymous" and state == "published",
    # Superusers manage every document in the admin; everyone else follows the pages that use it.
    "document_url": lambda who, state: who == "superuser" or who in READERS[state],
}


def expected(channel, who, state):
    if channel in OVERRIDES:
        return OVERRIDES[channel](who, state)
    return who in READERS[state]


@pytest.mark.django_db
@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", USERS)
def test_cell(world, who, state, channel):
    shown = CHANNELS[channel](_client(who), world[state])
    assert shown == expected(channel, who, state), (
        f"{who} {'sees' if shown else 'does not see'} the {state} item through {channel}"
    )
