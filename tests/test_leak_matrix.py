"""The leak matrix: every user × every content state × every channel that shows content.

Over 450 lines because it is one table read as a whole: the users, the states and the channels, and how each
channel is asked, side by side (tests/test_url_coverage.py holds every URL pattern to an entry here).

Each cell asserts one thing a user would notice: the item's marker is shown to
those who may read it and absent for everyone else (no title, no text, no
count, no file). The content is built once per module inside a transaction
that is rolled back at the end; each cell runs in its own savepoint.

Users: anonymous, employee, forum member (also a justerare of the utskott, so
with admin login), other forum's member, justerare (an employee among the
Utsedda justerare: admin login and nothing else), editor, reviewer, superuser.
States: draft, in review, published, unjusterat record (its attached document a
real PDF with the marker in its text), group-restricted page, unpublished after
publishing, moved into a restricted section (an instruction and a record moved
into the crisis council, which only its readers may read; a forum moved into a
municipality section closed to them), and a draft change of a live page (a
published page whose newer, unpublished revision carries the marker: shown to no
one on the front end, and in the admin only to editors, reviewers and the
superuser; its files are those of the live version, so it has no file cells),
and a sekretess paragraph in a published, justerat record (only its text, case
and attachment carry the marker: the record itself is open to every employee).

Each state holds up to three kinds of content, each probed through the channels
that show that kind: an instruction page (tagged, with a document link and an
image), a meeting record (a paragraph with a document in its beslutsunderlag,
an image in its agenda) and a forum (the organisation page and diagram). The
unjusterat state exists only for records, so it has only the record's cells.
The search channels run on the embedded engine and on the Elasticsearch engine
(osmem-server, the fixture of tests/search/conftest.py). The calendars are
fetched both with the session and by each user's personal subscription address.
"""

import datetime
import io
import json
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from pypdf import PdfReader
from taggit.models import Tag
from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, Site

from intranet.demo.pages import upsert_child
from safety_pages.access import roles
from safety_pages.editing.workflows import ensure_workflows
from safety_pages.following import digests
from safety_pages.meetings import corrections, notices
from safety_pages.models import (
    Case,
    Follow,
    FollowDelivery,
    ForumIndexPage,
    ForumPage,
    Membership,
    Person,
    SectionMenuItem,
    SectionPage,
)
from safety_pages.organisation.local_roles import local_roles_for, sync_forum_readers
from search import engines
from search.index import attachments
from tests import builders
from tests.safety_pages.meetings.importer.command import SEED_004 as MINUTES_FILE
from tests.search.conftest import _drop_indexes, osmem  # noqa: F401 (osmem: the session's server, reused)

USERS = ["anonymous", "employee", "forum_member", "other_member", "justerare", "editor", "reviewer", "superuser"]
USERNAMES = {
    "employee": "medarbetare",
    "forum_member": "ledamot",  # also in the utskott's justerargrupp: admin login to justera
    "other_member": "radsledamot",
    "justerare": "lackjusterare",  # an employee among the Utsedda justerare: admin login only
    "editor": "redaktor",
    "reviewer": "granskare",
    "superuser": "admin",
}
STATES = [
    "draft",
    "in_review",
    "published",
    "unjusterat",
    "group_restricted",
    "unpublished",
    "moved_restricted",
    "draft_change",
    "sekretess",
]
KINDS = {"page": "XP", "record": "XR", "forum": "XF", "secret": "XS", "person": "XM"}
KINDS_OF = {state: ["page", "record", "forum", "person"] for state in STATES} | {
    "unjusterat": ["record", "person"],
    "sekretess": ["secret"],
    # A person's hits and page carry their name, never a draft's text: no cells for a draft change.
    "draft_change": ["page", "record", "forum"],
}

# Who may read each state on the intranet (superusers read everything that is live).
READERS = {
    "draft": set(),
    "in_review": set(),
    "published": {"employee", "forum_member", "other_member", "justerare", "editor", "reviewer", "superuser"},
    # Until justering: the committee's members and local roles, and the site-wide editors and reviewers.
    "unjusterat": {"forum_member", "editor", "reviewer", "superuser"},
    # Restricted to the Granskare group.
    "group_restricted": {"reviewer", "superuser"},
    "unpublished": set(),
    # Moved under the crisis council (or into a section) restricted to that council's reader group.
    "moved_restricted": {"other_member", "superuser"},
    # The marker is only in a newer draft of a live page: no one reads it on the front end.
    "draft_change": set(),
    # A sekretess paragraph's text: the forum's members and the editors (reviewers are editors' peers and read
    # the minutes before justering too); not the justerare outside the forum (access/secrecy.py).
    "sekretess": {"forum_member", "editor", "reviewer", "superuser"},
}

TAG = "lackmatris"
PARAGRAPH_NUMBERS = {state: number for number, state in enumerate(STATES, start=1)}


def _marker(state, kind):
    return f"LECKA{state.upper().replace('_', '')}{KINDS[kind]}"


def _png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def _document(marker, text=False):
    """A document titled with the marker; with `text`, a real PDF with the marker in its text (search extracts
    it, so a leak of the text would be found)."""
    content = builders.minutes_pdf([[f"Missivtext {marker}"]]) if text else b"%PDF-1.4\n"
    return Document.objects.create(title=f"Bilaga {marker}", file=ContentFile(content, name="b.pdf"))


def _files(marker):
    document = _document(marker)
    image = get_image_model().objects.create(
        title=f"Bild {marker}", file=ImageFile(io.BytesIO(_png()), name=f"{marker.lower()}.png")
    )
    rendition = image.get_rendition("width-800")  # the rendition a rich-text embed ("fullwidth") shows
    return document, image, rendition.url


def _embed(image):
    return f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="Bild"/>'


def _make_page(state, parent, publish, marker):
    document, image, rendition_url = _files(marker)
    page = builders.instruction(parent, f"{state.replace('_', '-')}-sida", title=f"Sida {marker}", publish=publish)
    page.sections = [
        {
            "type": "section",
            "value": {
                "heading": f"Avsnitt {marker}",
                "body": f'<p>Text {marker} med <a linktype="document" id="{document.pk}">bilaga</a>.</p>'
                + _embed(image),
            },
        }
    ]
    page.tags.add(TAG)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.save()  # a never-published page keeps its content on the page row (search, references)
    return {"page": page, "titles": [page.title], "document": document, "image": image, "rendition": rendition_url}


def _make_record(state, parent, publish, marker):
    document = _document(marker, text=state == "unjusterat")
    case = Case.objects.create(
        municipality=SectionPage.objects.ancestor_of(parent).get(),
        number=f"KS/2031:{PARAGRAPH_NUMBERS[state]}",
        title=f"Ärende {marker}",
    )
    today = timezone.localdate()
    number = PARAGRAPH_NUMBERS[state]
    record = builders.record(
        parent,
        f"{state.replace('_', '-')}-protokoll",
        date=today - datetime.timedelta(days=10),
        title=f"Protokoll {marker}",
        publish=publish,
        place="Stadshuset",
        agenda=f"<p>Dagordning {marker}.</p>",
        adjusted_on=None if state == "unjusterat" else today - datetime.timedelta(days=5),
        paragraphs=[
            builders.paragraph(
                number,
                f"Paragraf {marker}",
                case=case,
                decision=f"<p>Beslut {marker}.</p>",
                basis=[{"type": "document", "value": {"label": f"Missiv {marker}", "document": document.pk}}],
            )
        ],
    )
    return {
        "page": record,
        # The attachment is a search hit of its own, by its title.
        "titles": [record.title, f"§ {number} Paragraf {marker}", document.title],
        "number": number,
        "document": document,
        "case": case,
    }


def _make_forum(state, index, publish, marker):
    page = builders.forum(index, f"{state.replace('_', '-')}-forum", f"Forum {marker}", publish=publish)
    return {"page": page, "titles": [page.title]}


def _make_secret_record(state, parent, publish, marker):
    """A published, justerat record whose one paragraph is under sekretess: the marker is in its title (not
    allowed shown), its text, its case and its attachment, never in the record's own title or address."""
    document = _document(marker, text=True)
    number = PARAGRAPH_NUMBERS[state]
    case = Case.objects.create(
        municipality=SectionPage.objects.ancestor_of(parent).get(), number=f"KS/2031:{number}", title=f"Ärende {marker}"
    )
    today = timezone.localdate()
    record = builders.record(
        parent,
        "sekretess-protokoll",
        date=today - datetime.timedelta(days=10),
        title="Protokoll med sekretessparagraf",
        publish=publish,
        adjusted_on=today - datetime.timedelta(days=5),
        paragraphs=[
            builders.secret_paragraph(
                number,
                f"Paragraf {marker}",
                case=case,
                decision=f"<p>Beslut {marker}.</p>",
                basis=[{"type": "document", "value": {"label": f"Missiv {marker}", "document": document.pk}}],
            )
        ],
    )
    return {
        "page": record,
        "titles": [f"§ {number} Paragraf {marker}"],
        "number": number,
        "document": document,
        "case": case,
    }


def _make_person(state, parent, publish, marker):
    """A person named by the marker, listed only by a forum in this state (its members), or for the unjusterat
    state only by the attendance of a record not yet justerat: their page and their hits follow those readers."""
    person = builders.person(f"Person {marker}", title="Samordnare")
    slug = f"{state.replace('_', '-')}-person"
    if state == "unjusterat":
        today = timezone.localdate()
        page = builders.record(
            parent,
            slug,
            date=today - datetime.timedelta(days=9),
            title="Protokoll med närvarolista",
            attendances=[{"person": person, "kind": "ovrig", "description": "handläggare"}],
        )
    else:
        page = builders.forum(parent, slug, f"Forum {state}", publish=publish)
        Membership.objects.create(forum=page, person=person, role="ordforande")
    return {"page": page, "titles": [person.name], "person": person}


MAKERS = {
    "page": _make_page,
    "record": _make_record,
    "forum": _make_forum,
    "secret": _make_secret_record,
    "person": _make_person,
}
TITLE_PREFIXES = {"page": "Sida", "record": "Protokoll", "forum": "Forum"}


def _change_in_a_draft(item, kind, marker):
    """A newer, unpublished revision of the live page, with the marker in its title and text."""
    page, title = item["page"], f"{TITLE_PREFIXES[kind]} {marker}"
    editor = get_user_model().objects.get(username="redaktor")
    item["titles"] = [title]
    if kind == "record":
        # A justerat record's text changes only through a rättelse (record_lock.py): one not yet published.
        def change(draft):
            draft.title, draft.agenda = title, f"<p>Dagordning {marker}.</p>"

        corrections.correct(page, description="Rubriken", reason="Skrivfel", change=change, user=editor, publish=False)
        return
    page.title = title
    if kind == "page":
        page.sections = [{"type": "section", "value": {"heading": f"Avsnitt {marker}", "body": f"<p>{marker}</p>"}}]
    page.save_revision(user=editor, log_action=True)


def _build(home):
    call_command("setup_roles", stdout=io.StringIO())
    ensure_workflows(home)
    users = get_user_model().objects
    other = users.create_user("radsledamot", password="x")
    other.groups.add(Group.objects.get(name=roles.EMPLOYEES))
    justerare = users.create_user("lackjusterare", password="x")
    justerare.groups.add(Group.objects.get(name=roles.EMPLOYEES))
    roles.grant_justering_login([justerare])
    mjolby = home.get_children().get(slug="mjolby").specific
    committee = builders.forum(mjolby, "trygghets-och-sakerhetsutskottet")
    council = builders.forum(mjolby, "krishanteringsradet")
    builders.member(committee, users.get(username="ledamot"))
    builders.member(council, other)
    sync_forum_readers(committee)
    sync_forum_readers(council)
    council_readers = local_roles_for(council).reader_group
    builders.restrict_to_groups(council, council_readers)
    organisation = builders.organisation(mjolby)
    # A municipality section only the council's readers may read: where the moved forum ends up.
    closed_section, _created = upsert_child(home, SectionPage, "sluten-kommun", title="Sluten kommun", municipality="S")
    builders.restrict_to_groups(closed_section, council_readers)
    closed_organisation = builders.organisation(closed_section)
    parents = {
        "page": committee,
        "record": committee,
        "forum": organisation,
        "secret": committee,
        "person": organisation,
    }
    destinations = {"page": council, "record": council, "forum": closed_organisation, "person": closed_organisation}

    items = {}
    editor = users.get(username="redaktor")
    for state in STATES:
        for kind in KINDS_OF[state]:
            # The draft change is made live without the marker; only its newer draft carries it.
            marker = _marker("live_version" if state == "draft_change" else state, kind)
            parent = committee if (kind, state) == ("person", "unjusterat") else parents[kind]
            item = MAKERS[kind](state, parent, state not in ("draft", "in_review"), marker)
            page = item["page"]
            if state == "in_review":
                page.get_workflow().start(page, editor)
            elif state == "group_restricted":
                builders.restrict_to_groups(page, Group.objects.get(name=roles.REVIEWERS))
            elif state == "unpublished":
                page.unpublish()
            elif state == "moved_restricted":
                page.move(destinations[kind], pos="last-child")
            item["marker"] = _marker(state, kind)
            item["draft_change"] = state == "draft_change"
            if state == "draft_change":
                _change_in_a_draft(item, kind, item["marker"])
            else:  # an entry naming the page in the admin's site history, as an editor's edit leaves
                log(instance=Page.objects.get(pk=page.pk).specific, action="wagtail.edit", user=editor)
            items[(state, kind)] = item
    for item in items.values():
        page = item["page"] = item["page"].specific_class.objects.get(pk=item["page"].pk)
        item["url"] = page.url
        parent = page.get_parent().specific
        item["forum"] = parent if isinstance(parent, ForumPage) else None
        item["section"] = SectionPage.objects.ancestor_of(page).get()
        item["organisation"] = parent if isinstance(parent, ForumIndexPage) else None
    return items


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # Built before the per-test cache clearing runs: Wagtail's cached site root paths (and bodies cached under a
    # content generation) left by an earlier module's rolled-back site would give this module's pages wrong URLs.
    cache.clear()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0, stdout=io.StringIO())
            yield _build(Site.objects.get(is_default_site=True).root_page.specific)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def es_settings(world, osmem, django_db_blocker):  # noqa: F811 (osmem is the imported fixture)
    """The module's content in an Elasticsearch index on osmem-server, built once; its settings for the cells."""
    values = {
        "ELASTICSEARCH_URL": osmem.url,
        "ELASTICSEARCH_PLAIN_JSON": True,
        "SEARCH_INDEX_PREFIX": f"test-leak-{uuid.uuid4().hex[:10]}",
    }
    with override_settings(**values), django_db_blocker.unblock():
        engines.ELASTICSEARCH.rebuild()
    yield values  # each Elasticsearch cell applies these; the others keep the embedded engine
    with override_settings(**values):
        _drop_indexes()


def _client(who):
    client = Client()
    client.account = None
    if who != "anonymous":
        client.account = get_user_model().objects.get(username=USERNAMES[who])
        client.force_login(client.account)
    return client


def _login_page_or_ok(response):
    """The anonymous visitor is sent to the login page; nothing else but 200 is acceptable for a listing."""
    if response.status_code != 200:
        assert response.status_code == 302 and "/login/" in response["Location"]
        return False
    return True


def _shows_a_title(html, item):
    return any(title in html for title in item["titles"])


# --- Channels: each returns whether the item is visible to the client. ----------------------------------


def page_url(client, item):
    if item["url"] is None:  # never given a URL on the front end
        return False
    response = client.get(item["url"])
    html = response.content.decode()
    shown = response.status_code == 200 and item["marker"] in html
    assert shown or item["marker"] not in html
    return shown


def extract_url(client, item):
    url = f"{item['url']}paragraf/{item['number']}/" if item["url"] else None
    if url is None:
        return False
    response = client.get(url)
    html = response.content.decode()
    shown = response.status_code == 200 and f"Beslut {item['marker']}" in html
    assert shown or item["marker"] not in html
    return shown


def _pdf_shows(client, url, item, marker):
    """The archive PDF (models/archive.py) at `url`: whether its text, read back with pypdf, shows `marker`."""
    response = client.get(url)
    if response.status_code != 200:
        assert response.status_code in (302, 404)
        assert item["marker"].encode() not in response.content
        return False
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    shown = marker in text
    assert shown or item["marker"] not in text
    return shown


def record_pdf(client, item):
    return item["url"] is not None and _pdf_shows(client, f"{item['url']}pdf/", item, item["marker"])


def extract_pdf(client, item):
    url = f"{item['url']}paragraf/{item['number']}/pdf/"
    return item["url"] is not None and _pdf_shows(client, url, item, f"Beslut {item['marker']}")


def search_page(client, item):
    response = client.get("/sok/", {"q": item["marker"]})
    if not _login_page_or_ok(response):
        return False
    # The query itself is echoed on the page; a hit shows the page's (or paragraph's) title.
    return _shows_a_title(response.content.decode(), item)


def search_api(client, item, engine="database"):
    """Results, the total count and the facet counts must agree: a leak in any of them fails the cell."""
    response = client.get("/api/search/", {"q": item["marker"]})
    if response.status_code == 401:
        return False
    assert response.status_code == 200
    data = response.json()
    assert data["engine"] == engine  # no silent fallback: the cell is about this engine
    in_results = _shows_a_title(json.dumps(data["results"], ensure_ascii=False), item)
    counted = sum(entry["count"] for entry in data["facets"]["type"])
    assert (data["total"] > 0) == in_results, f"total {data['total']} with results {in_results}"
    assert (counted > 0) == in_results, f"type facet counts {counted} with results {in_results}"
    return in_results


def autocomplete(client, item):
    response = client.get("/api/search/autocomplete/", {"q": item["marker"].lower()})
    if response.status_code == 401:
        return False
    assert response.status_code == 200
    return _shows_a_title(json.dumps(response.json(), ensure_ascii=False), item)


def _on_elasticsearch(channel):
    def probe(client, item):
        with override_settings(**_ES["settings"]):
            assert engines.ELASTICSEARCH.available()
            if channel is search_api:
                return search_api(client, item, engine="elasticsearch")
            return channel(client, item)

    probe.uses_elasticsearch = True
    return probe


_ES: dict = {}


def sitemap(client, item):
    response = client.get("/sitemap.xml")
    if response.status_code != 200:
        return False
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    return any(location.endswith(item["url"] or "\x00") for location in locations)


def _file(client, url):
    response = client.get(url)
    if response.status_code == 200:
        b"".join(response.streaming_content) if response.streaming else response.content
        return True
    assert response.status_code in (302, 404)
    return False


def document_url(client, item):
    return _file(client, item["document"].url)


def image_original(client, item):
    return _file(client, item["image"].file.url)


def image_rendition(client, item):
    return _file(client, item["rendition"])


def tag_listing(client, item):
    response = client.get(f"/etiketter/{TAG}/")
    if not _login_page_or_ok(response):
        return False
    return _shows_a_title(response.content.decode(), item)


def _unfolded(response):
    """iCalendar folds long lines; a marker split across a fold would otherwise go unseen."""
    return response.content.decode().replace("\r\n ", "")


def _feed(client, url, item):
    response = client.get(url)
    if response.status_code == 404:
        return False
    if not _login_page_or_ok(response):
        return False
    text = _unfolded(response)
    # A feed names an item by its marker or its URL; a draft change shares its URL with the live version.
    by_url = item["url"] is not None and not item["draft_change"] and item["url"] in text
    return item["marker"] in text or by_url


def forum_calendar(client, item):
    forum_page = item["forum"]
    return _feed(client, f"/kalender/{item['section'].slug}/{forum_page.slug}.ics", item)


def section_calendar(client, item):
    return _feed(client, f"/kalender/{item['section'].slug}.ics", item)


def _subscribed(client, item, forum_page=None):
    """The user's personal calendar address, fetched as a calendar client does: without a session."""
    from safety_pages.calendars import subscriptions as calendar_subscriptions

    if client.account is None:  # the anonymous visitor has no address; a made-up one must show nothing
        path = f"/kalender/prenumeration/{'x' * calendar_subscriptions.TOKEN_CHARS}/{item['section'].slug}.ics"
    else:
        path = calendar_subscriptions.feed_path(client.account, item["section"], forum_page)
    return _feed(Client(), path, item)


def subscribed_forum_calendar(client, item):
    return _subscribed(client, item, item["forum"])


def subscribed_section_calendar(client, item):
    return _subscribed(client, item)


def forum_atom(client, item):
    return _feed(client, f"/protokoll/{item['section'].slug}/{item['forum'].slug}.atom", item)


def section_atom(client, item):
    return _feed(client, f"/protokoll/{item['section'].slug}.atom", item)


def main_menu(client, item):
    """The header's main menu of the item's section, with the item's page made an entry by the section's editors
    (under the page's own title), read on the section page; undone with the cell's savepoint."""
    SectionMenuItem.objects.create(section=item["section"], link_page_id=item["page"].pk, sort_order=0)
    response = client.get(item["section"].url)
    if response.status_code != 200:
        assert response.status_code in (302, 404)  # the login page, or a section closed to the reader
        return False
    nav = re.search(r'<nav class="main-menu".*?</nav>', response.content.decode(), re.S)
    return nav is not None and item["marker"] in nav.group(0)


def organisation_page(client, item):
    response = client.get(item["organisation"].url)
    if response.status_code == 404:
        return False
    if not _login_page_or_ok(response):
        return False
    return item["marker"] in response.content.decode()


def organisation_svg(client, item):
    response = client.get(f"{item['organisation'].url}organisationsbild/")
    if response.status_code == 404:
        return False
    if not _login_page_or_ok(response):
        return False
    assert response["Content-Type"] == "image/svg+xml"
    return item["marker"] in response.content.decode()


def instruction_compare(client, item):
    """The forum's comparison of two instruction versions, asked for the item against itself."""
    response = client.get(f"{item['forum'].url}jamfor/", {"a": item["page"].pk, "b": item["page"].pk})
    html = response.content.decode()
    if response.status_code != 200:
        assert response.status_code in (302, 404)
        assert item["marker"] not in html
        return False
    return item["marker"] in html


def _register_page_shows(client, item, key):
    """Whether the front-end page of a register entry (`item[key]`: a case, a person) names the marker; anything but
    the page itself must be the answer a missing entry gets, and name nothing."""
    response = client.get(item[key].get_absolute_url())
    html = response.content.decode()
    shown = response.status_code == 200 and item["marker"] in html
    assert shown or item["marker"] not in html
    assert response.status_code in (200, 302, 404)
    return shown


def case_page(client, item):
    """The case page names the case (its title is the marker) only to a reader of a paragraph that uses it."""
    return _register_page_shows(client, item, "case")


def absence_link(client, item):
    """The förhinder link (meetings/kallelse.py) for this record: signed for the client's own person (a member's
    link, correctly signed) and a forged one. Every record of the matrix is a meeting that was held, so each
    answers 400 with a Swedish message: never the meeting's title or text, whoever holds the link."""
    person = Person.objects.filter(user=client.account).first() if client.account else None
    person = person or Person.objects.create(name="Länkinnehavare", user=client.account)
    shown = False
    for token in (notices.absence_token(item["page"], person), "forfalskad-lank"):
        response = client.get(reverse("safety_pages:absence", args=[token]))
        assert response.status_code == 400
        html = response.content.decode()
        assert "Länken" in html
        shown = shown or item["marker"] in html or _shows_a_title(html, item)
    return shown


def admin_create_record(client, item):
    """*Skapa protokoll* (meetings/record_from_meeting.py) pressed on the record: those who may edit it are sent back to
    its edit view, which names it (every record here has its paragraphs, so nothing is filled); anyone else gets the
    answer a missing page gets, or the login page, naming nothing."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[item["page"].pk])
    response = client.post(reverse("safety_pages_create_record", args=[item["page"].pk]))
    if response.status_code == 302 and response["Location"] == edit_url:
        page = client.get(edit_url).content.decode()
        assert "Protokollet har redan paragrafer" in page
        return item["marker"] in page
    assert response.status_code in (302, 403, 404)
    assert item["marker"] not in response.content.decode() and item["marker"] not in response.get("Location", "")
    return False


def admin_import_minutes(client, item):
    """*Importera protokoll* (meetings/minutes_import.py) on the forum: the upload form and, after a file is sent,
    the review name the forum to those who may add a record under it; anyone else gets the answer a missing page
    gets, or the login page, naming nothing."""
    upload_url = reverse("safety_pages_import_minutes", args=[item["page"].pk])
    review_url = reverse("safety_pages_import_minutes_review", args=[item["page"].pk])
    minutes = SimpleUploadedFile("protokoll.txt", MINUTES_FILE.read_bytes())
    responses = [client.get(upload_url), client.post(upload_url, {"file": minutes}), client.get(review_url)]
    if responses[1].status_code == 302 and responses[1]["Location"] == review_url:
        assert responses[0].status_code == responses[2].status_code == 200
        return all(item["marker"] in response.content.decode() for response in (responses[0], responses[2]))
    for response in responses:
        assert response.status_code in (302, 403, 404)
        assert item["marker"] not in response.content.decode() and item["marker"] not in response.get("Location", "")
    return False


def person_page(client, item):
    """The person page names the person (the marker) only to a reader of a page listing them; to anyone else it is
    404, as an id that does not exist."""
    return _register_page_shows(client, item, "person")


def _admin_text(response):
    """Admin modal and API answers are JSON, with the HTML and titles inside (non-ASCII escaped)."""
    body = response.content.decode()
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        return body


def _admin_shows(client, url, item, **params):
    response = client.get(url, params)
    text = _admin_text(response)
    if response.status_code != 200:
        assert response.status_code in (302, 403, 404)
        assert item["marker"] not in text
        return False
    return item["marker"] in text


def admin_page_chooser(client, item):
    """The page chooser opened at the item: it names the page it lists the children of."""
    return _admin_shows(client, f"/admin/choose-page/{item['page'].pk}/", item)


def admin_bulk_delete(client, item):
    """The bulk delete confirmation names the pages asked for, also those the user may not delete."""
    return _admin_shows(client, "/admin/bulk/wagtailcore/page/delete/", item, id=item["page"].pk)


def admin_site_history(client, item):
    """The site history report, filtered by name: its log entries name pages by their title when logged."""
    return _admin_shows(client, "/admin/reports/site-history/results/", item, label=item["marker"].lower())


def admin_case_chooser(client, item):
    """The paragraph form's case chooser, searched for the case's number: it names cases by their title."""
    return _admin_shows(client, "/admin/arenden/valj/results/", item, q=item["case"].number)


def admin_api_document(client, item):
    return _admin_shows(client, f"/admin/api/main/documents/{item['document'].pk}/", item)


def admin_api_image(client, item):
    return _admin_shows(client, f"/admin/api/main/images/{item['image'].pk}/", item)


# --- Bevakningar (safety_pages/following): what a follower is shown of what she follows. -------------------

EARLIER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _follow(client, **target):
    """A bevakning of the client's own account, as if made when the target was open to it (long before)."""
    follow = Follow.objects.create(user=client.account, **target)
    Follow.objects.filter(pk=follow.pk).update(created_at=EARLIER)
    return follow


def _digest_shows(client, item, **target):
    """The digest e-mail (subject and text, as the worker would send it now) of one bevakning of the client's."""
    if client.account is None:
        return False
    _follow(client, **target)
    delivery = FollowDelivery(user=client.account, address="bevakare@example.se", since=None, until=timezone.now())
    message = digests.build_message(delivery)
    if message is None:
        return False
    return item["marker"] in message.subject + message.body


def digest(client, item):
    """The daily digest of a bevakning of the item's forum."""
    return _digest_shows(client, item, page=item["page"].get_parent())


def digest_tag(client, item):
    """The daily digest of a bevakning of the tag the instructions carry."""
    return _digest_shows(client, item, tag=Tag.objects.get(name=TAG))


def my_follows(client, item):
    """Mina bevakningar with a bevakning of the forum: named only while its follower may read it."""
    url = reverse("safety_pages:follows")
    if client.account is not None:
        _follow(client, page=item["page"])
    response = client.get(url)
    return _login_page_or_ok(response) and item["marker"] in response.content.decode()


def follow_button(client, item):
    """Följ pressed with the forum's id (as a forged form could): a forum the user may not read answers 404, as a
    missing one; one she may read is followed, and Mina bevakningar names it."""
    response = client.post(reverse("safety_pages:follow"), {"page": item["page"].pk, "next": "/bevakningar/"})
    html = response.content.decode()
    if response.status_code == 404:
        assert item["marker"] not in html
        return False
    if response.status_code == 302 and "/login/" in response["Location"]:
        return False
    assert response.status_code == 302
    return item["marker"] in client.get(response["Location"]).content.decode()


def unsubscribe_link(client, item):
    """The signed link of a bevakning of the forum, opened by whoever holds the e-mail (no login): it names the
    forum only while its follower may read it. A forged link names nothing."""
    forged = client.get(reverse("safety_pages:unsubscribe", args=["forfalskad-lank"]))
    assert forged.status_code == 400 and item["marker"] not in forged.content.decode()
    if client.account is None:
        return False
    token = digests.unsubscribe_token(client.account, _follow(client, page=item["page"]))
    response = Client().get(reverse("safety_pages:unsubscribe", args=[token]))
    assert response.status_code == 200
    return item["marker"] in response.content.decode()


SEARCH = {
    "search_page": search_page,
    "search_api": search_api,
    "search_page_es": _on_elasticsearch(search_page),
    "search_api_es": _on_elasticsearch(search_api),
    "autocomplete": autocomplete,
}
FILES = {
    "document_url": document_url,
    "image_original": image_original,
    "image_rendition": image_rendition,
}
ADMIN_PAGES = {
    "admin_page_chooser": admin_page_chooser,
    "admin_bulk_delete": admin_bulk_delete,
    "admin_site_history": admin_site_history,
}
CHANNELS = {
    "page": {
        "page_url": page_url,
        "instruction_compare": instruction_compare,
        "tag_listing": tag_listing,
        **SEARCH,
        "sitemap": sitemap,
        **FILES,
        **ADMIN_PAGES,
        "admin_api_document": admin_api_document,
        "admin_api_image": admin_api_image,
        "main_menu": main_menu,
        "digest": digest,
        "digest_tag": digest_tag,
    },
    "record": {
        "page_url": page_url,
        "extract_url": extract_url,
        "record_pdf": record_pdf,
        "extract_pdf": extract_pdf,
        **SEARCH,
        "sitemap": sitemap,
        # The minutes' rich text takes no images (its features), so a record's files are its documents.
        "document_url": document_url,
        "case_page": case_page,
        "absence_link": absence_link,
        "admin_create_record": admin_create_record,
        "admin_case_chooser": admin_case_chooser,
        **ADMIN_PAGES,
        "admin_api_document": admin_api_document,
        "forum_calendar": forum_calendar,
        "section_calendar": section_calendar,
        "subscribed_forum_calendar": subscribed_forum_calendar,
        "subscribed_section_calendar": subscribed_section_calendar,
        "forum_atom": forum_atom,
        "section_atom": section_atom,
        "main_menu": main_menu,
        "digest": digest,
    },
    "forum": {
        "page_url": page_url,
        "organisation_page": organisation_page,
        "organisation_svg": organisation_svg,
        "main_menu": main_menu,
        "my_follows": my_follows,
        "follow_button": follow_button,
        "unsubscribe_link": unsubscribe_link,
        "admin_import_minutes": admin_import_minutes,
    },
    # Autocomplete offers the pages' own titles, never a person's hit.
    "person": {"person_page": person_page, **{name: probe for name, probe in SEARCH.items() if name != "autocomplete"}},
}


def _by_marker(channel):
    """A feed probe that looks for the marker alone: the sekretess record's address is open to all, its text not."""

    def probe(client, item):
        return channel(client, {**item, "url": None})

    return probe


# The sekretess paragraph, through every channel that shows a record's paragraphs, files or feeds. The admin's page
# chooser and bulk action name pages only, and the record's own title is open.
CHANNELS["secret"] = {
    name: _by_marker(probe) if "calendar" in name or "atom" in name else probe
    for name, probe in CHANNELS["record"].items()
    if name not in ADMIN_PAGES
}


# Users who may edit every page (and manage every file) see them all in the admin; users with admin login only
# (the justerare, and the forum member in the justerargrupp) see what they may read; the others have no admin.
ADMIN_EDITORS = {"editor", "reviewer", "superuser"}
ADMIN_LOGIN_ONLY = {"forum_member", "justerare"}


def _admin_rule(who, state):
    return who in ADMIN_EDITORS or (who in ADMIN_LOGIN_ONLY and who in READERS[state])


def _files_rule(who, state):
    # Superusers manage every file in the admin; everyone else follows the pages that use it.
    return who == "superuser" or who in READERS[state]


# Where a channel's rule differs from READERS.
OVERRIDES = {
    # A förhinder link names a meeting only while it is planned; every record here was held.
    "absence_link": lambda who, state: False,
    # The sitemap lists only what every employee may read.
    "sitemap": lambda who, state: who != "anonymous" and state == "published",
    "document_url": _files_rule,
    "admin_page_chooser": _admin_rule,
    # A bulk action names only pages the user may edit; the site history only log entries of pages they may
    # explore (edit rights).
    "admin_bulk_delete": lambda who, state: who in ADMIN_EDITORS,
    "admin_site_history": lambda who, state: who in ADMIN_EDITORS,
    "admin_api_document": _admin_rule,
    "admin_api_image": _admin_rule,
    # Editors keep the whole register of the municipalities they edit; admin-login-only users see the cases of
    # paragraphs they may read.
    "admin_case_chooser": _admin_rule,
    "image_original": _files_rule,
    "image_rendition": _files_rule,
    # The Atom feeds announce records once they are justerade, so the unjusterat record is in no one's feed.
    "forum_atom": lambda who, state: state != "unjusterat" and who in READERS[state],
    "section_atom": lambda who, state: state != "unjusterat" and who in READERS[state],
    # The archive PDFs exist once a record is justerat: before, they are 404 for everyone.
    "record_pdf": lambda who, state: state != "unjusterat" and who in READERS[state],
    "extract_pdf": lambda who, state: state != "unjusterat" and who in READERS[state],
}


# A draft change's files, case and URL are the live version's, readable by the live page's readers: those
# channels do not show its marker's content, so they have no cells for it (its marker is in no file title).
NOT_FOR_DRAFT_CHANGE = {
    "document_url",
    "image_original",
    "image_rendition",
    "admin_api_document",
    "admin_api_image",
    "admin_case_chooser",
    "sitemap",
}


def _secret_expected(channel, who):
    if channel == "absence_link":
        return False
    if "calendar" in channel or channel in ("autocomplete", "main_menu", "digest"):
        # A calendar carries the meeting, autocomplete, the main menu and the digest the pages' titles: never a
        # paragraph's text.
        return False
    if channel == "sitemap":
        return who != "anonymous"  # the record stays listed for every employee: its address, no text
    if channel in ("admin_api_document", "admin_case_chooser"):
        return _admin_rule(who, "sekretess")
    return who in READERS["sekretess"]


def expected(channel, who, state):
    if channel == "admin_import_minutes":
        # Those who may add a record under the forum, in every state: the editors' page permissions are the tree's.
        return who in ADMIN_EDITORS
    if channel == "admin_create_record":
        # Those who may edit the record, in every state: its edit view shows the latest version, sekretess and all.
        return who in ADMIN_EDITORS
    if state == "draft_change":
        # The draft's marker: in the admin to those who may edit the page, nowhere else.
        return channel in ADMIN_PAGES and who in ADMIN_EDITORS
    if state == "sekretess":
        return _secret_expected(channel, who)
    if channel in OVERRIDES:
        return OVERRIDES[channel](who, state)
    return who in READERS[state]


CELLS = [
    pytest.param(who, state, kind, channel, id=f"{who}-{state}-{kind}-{channel}")
    for state in STATES
    for kind in KINDS_OF[state]
    for channel in CHANNELS[kind]
    if not (state == "draft_change" and channel in NOT_FOR_DRAFT_CHANGE)
    for who in USERS
]


@pytest.mark.django_db
@pytest.mark.parametrize("who,state,kind,channel", CELLS)
def test_cell(request, world, who, state, kind, channel):
    probe = CHANNELS[kind][channel]
    if getattr(probe, "uses_elasticsearch", False):
        _ES["settings"] = request.getfixturevalue("es_settings")
    shown = probe(_client(who), world[(state, kind)])
    assert shown == expected(channel, who, state), (
        f"{who} {'sees' if shown else 'does not see'} the {state} {kind} through {channel}"
    )


def test_every_state_and_channel_has_cells():
    """No state and no channel is left out of the matrix by the kinds (a guard on the matrix itself)."""
    states = {cell.values[1] for cell in CELLS}
    channels = {cell.values[3] for cell in CELLS}
    assert states == set(STATES)
    assert {
        "page_url",
        "extract_url",
        "record_pdf",
        "extract_pdf",
        "search_page",
        "search_api",
        "search_page_es",
        "search_api_es",
        "autocomplete",
        "forum_calendar",
        "section_calendar",
        "subscribed_forum_calendar",
        "subscribed_section_calendar",
        "forum_atom",
        "section_atom",
        "sitemap",
        "document_url",
        "image_original",
        "image_rendition",
        "tag_listing",
        "organisation_page",
        "organisation_svg",
        "case_page",
        "person_page",
        "admin_page_chooser",
        "admin_bulk_delete",
        "admin_api_document",
        "admin_api_image",
        "admin_site_history",
        "instruction_compare",
        "absence_link",
        "admin_create_record",
        "admin_import_minutes",
        "main_menu",
        "digest",
        "digest_tag",
        "my_follows",
        "follow_button",
        "unsubscribe_link",
    } <= channels


@pytest.mark.django_db
def test_the_unjusterat_records_attachment_is_a_pdf_whose_text_search_reads(world):
    """The unjusterat record's document is a real PDF: the text search indexes holds the marker, so the search
    cells would find that text if it leaked (a guard on the matrix itself)."""
    item = world[("unjusterat", "record")]
    assert item["marker"] in attachments.extract(item["document"])
