"""A user with admin login only (a justerare) sees in the admin no title of what they may not read.

Members of a justerargrupp and the Utsedda justerare log in to the admin to justera; the page chooser, its
search, the admin API and the bulk actions named every page, document and image to them.
"""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images import get_image_model

from safety_pages.access import roles
from tests import builders

pytestmark = pytest.mark.django_db

JUSTERARE = "ledamot"  # in the utskott's justerargrupp and the Utsedda justerare: admin login, no page rights


def _png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), (0, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


def _with_files(page, marker):
    document = Document.objects.create(title=f"Bilaga {marker}", file=ContentFile(b"%PDF-1.4\n", name="b.pdf"))
    image = get_image_model().objects.create(
        title=f"Bild {marker}", file=ImageFile(io.BytesIO(_png()), name=f"{marker.lower()}.png")
    )
    page.sections = [
        {
            "type": "section",
            "value": {
                "heading": "Avsnitt",
                "body": f'<p><a linktype="document" id="{document.pk}">bilaga</a></p>'
                f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="Bild"/>',
            },
        }
    ]
    page.save_revision().publish()
    return document, image


@pytest.fixture
def content(demo):
    mjolby = demo.get_children().get(slug="mjolby").specific
    committee = builders.forum(mjolby, "trygghets-och-sakerhetsutskottet")
    hidden = {
        "draft": builders.instruction(committee, "utkast-xq", title="Sida DOLDUTKASTXQ", publish=False),
        "unpublished": builders.instruction(committee, "avpublicerad-xq", title="Sida DOLDAVPUBXQ"),
        "restricted": builders.instruction(committee, "begransad-xq", title="Sida DOLDBEGRXQ"),
    }
    hidden["unpublished"].unpublish()
    builders.restrict_to_groups(hidden["restricted"], Group.objects.get(name=roles.REVIEWERS))
    files = _with_files(hidden["restricted"], "DOLDFILXQ")
    readable = builders.instruction(committee, "oppen-xq", title="Sida SYNLIGXQ")
    open_files = _with_files(readable, "SYNLIGFILXQ")
    return {"committee": committee, "hidden": hidden, "readable": readable, "files": files, "open_files": open_files}


def _text(response):
    """The body as a reader sees it: modal and API answers are JSON, with the HTML and titles inside."""
    body = response.content.decode()
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        return body


def test_the_page_chooser_lists_only_pages_the_justerare_may_read(content, client_for):
    client = client_for(JUSTERARE)
    listing = _text(client.get(f"/admin/choose-page/{content['committee'].pk}/"))
    found = _text(client.get("/admin/choose-page/search/", {"q": "Sida"}))
    for text in (listing, found):
        assert "SYNLIGXQ" in text
        assert "DOLD" not in text
    for page in content["hidden"].values():
        response = client.get(f"/admin/choose-page/{page.pk}/")
        assert response.status_code == 404 and "DOLD" not in _text(response)


def test_an_editor_still_chooses_drafts_and_restricted_pages_to_link_to(content, client_for):
    text = _text(client_for("redaktor").get(f"/admin/choose-page/{content['committee'].pk}/"))
    assert "DOLDUTKASTXQ" in text and "DOLDBEGRXQ" in text
    assert client_for("redaktor").get(f"/admin/choose-page/{content['hidden']['draft'].pk}/").status_code == 200


def test_bulk_actions_name_no_page_or_file_the_justerare_may_not_see(content, client_for):
    client = client_for(JUSTERARE)
    document, image = content["files"]
    urls = [f"/admin/bulk/wagtailcore/page/{action}/" for action in ("delete", "move", "publish", "unpublish")]
    urls += [f"/admin/bulk/wagtaildocs/document/{a}/" for a in ("delete", "add_tags", "add_to_collection")]
    urls += [f"/admin/bulk/wagtailimages/image/{a}/" for a in ("delete", "add_tags", "add_to_collection")]
    for url in urls:
        ids = {"page": [page.pk for page in content["hidden"].values()], "document": [document.pk]}.get(
            url.split("/")[4], [image.pk]
        )
        response = client.get(url, {"id": ids})
        assert response.status_code == 404, url
        assert "DOLD" not in _text(response), url


def test_the_admin_api_and_file_choosers_list_only_files_the_justerare_may_read(content, client_for):
    client = client_for(JUSTERARE)
    document, image = content["files"]
    for url in ("/admin/api/main/documents/", "/admin/api/main/images/"):
        text = _text(client.get(url))
        assert "SYNLIGFILXQ" in text, url
        assert "DOLDFILXQ" not in text, url
    # The file choosers list what the user may choose (Wagtail's collection rights) and may read.
    for url in ("/admin/documents/chooser/", "/admin/images/chooser/"):
        assert "DOLDFILXQ" not in _text(client.get(url, {"q": "Bilaga"})) + _text(client.get(url))
    assert client.get(f"/admin/api/main/documents/{document.pk}/").status_code == 404
    assert client.get(f"/admin/api/main/images/{image.pk}/").status_code == 404
    # A reader of the restricted page (and a file manager) still finds its files.
    for who in ("granskare", "redaktor"):
        assert "DOLDFILXQ" in _text(client_for(who).get("/admin/api/main/documents/"))


@pytest.fixture
def draft_change(content):
    """A page the justerare may read whose newer, unpublished revision has a new title."""
    page = content["readable"]
    page.title = "Sida NYUTKASTXQ"
    page.save_revision()
    return page


def test_chosen_multiple_names_only_pages_the_justerare_may_read_and_their_live_titles(
    content, draft_change, client_for
):
    ids = [page.pk for page in content["hidden"].values()] + [draft_change.pk, "x", "99999999999999999999999"]
    response = client_for(JUSTERARE).get("/admin/choose-page/chosen-multiple/", {"id": ids})
    assert response.status_code == 200
    result = json.loads(response.content)["result"]
    assert [page["id"] for page in result] == [draft_change.pk]
    assert result[0]["adminTitle"] == "Sida SYNLIGXQ"
    # An editor still gets every page asked for, with its draft title.
    editor = _text(client_for("redaktor").get("/admin/choose-page/chosen-multiple/", {"id": ids[:4]}))
    assert "DOLDUTKASTXQ" in editor and "NYUTKASTXQ" in editor


def test_the_page_chooser_shows_the_justerare_live_titles_and_no_hidden_parent(content, draft_change, client_for):
    client = client_for(JUSTERARE)
    listing = _text(client.get(f"/admin/choose-page/{content['committee'].pk}/"))
    found = _text(client.get("/admin/choose-page/search/", {"q": "Sida"}))
    opened = _text(client.get(f"/admin/choose-page/{draft_change.pk}/"))  # the page itself, in the breadcrumbs
    for text in (listing, found, opened):
        assert "SYNLIGXQ" in text and "NYUTKASTXQ" not in text
    # A live page under a draft: the search lists the page, but not its parent's title (the Parent column).
    hidden_parent = builders.forum(content["committee"], "dold-forald-xq", "Forum DOLDFORALDERXQ", publish=False)
    child = builders.instruction(hidden_parent, "barn-xq", title="Sida BARNUNDERXQ")
    found = _text(client.get("/admin/choose-page/search/", {"q": "BARNUNDERXQ"}))
    assert "BARNUNDERXQ" in found and "DOLDFORALDERXQ" not in found
    # Nor in the breadcrumbs of the chooser opened at the page.
    assert "DOLDFORALDERXQ" not in _text(client.get(f"/admin/choose-page/{child.pk}/"))
    editor = _text(client_for("redaktor").get(f"/admin/choose-page/{content['committee'].pk}/"))
    assert "NYUTKASTXQ" in editor


def test_the_page_chooser_by_page_type_opens_at_no_hidden_ancestor(content, client_for):
    """Without a parent, the chooser for a page type opens at the first common ancestor of that type's pages;
    when those pages lie under a page the user may not read, that ancestor's title is not shown."""
    from safety_pages.models import CitizenDialogueIndexPage

    CitizenDialogueIndexPage.objects.all().delete()
    hidden_forum = content["hidden"]["restricted"].get_parent()
    hidden_forum = builders.forum(hidden_forum, "dold-typ-xq", "Forum DOLDTYPXQ")
    builders.restrict_to_groups(hidden_forum, Group.objects.get(name=roles.REVIEWERS))
    builders.dialogue_index(hidden_forum, "dialog-xq")
    # Also when the only such page the user may read lies under a draft: the chooser opens above the draft.
    draft = builders.forum(content["committee"], "utkast-typ-xq", "Forum DOLDUTKASTTYPXQ", publish=False)
    builders.dialogue_index(draft, "dialog-under-utkast-xq")
    params = {"page_type": "safety_pages.citizendialogueindexpage"}
    response = client_for(JUSTERARE).get("/admin/choose-page/", params)
    assert response.status_code == 200
    assert "DOLDTYPXQ" not in _text(response) and "DOLDUTKASTTYPXQ" not in _text(response)
    assert response.json()["parent_page_id"] not in (hidden_forum.pk, draft.pk)
    assert "DOLDTYPXQ" in _text(client_for("redaktor").get("/admin/choose-page/", params))


def test_the_move_confirmation_names_no_page_the_justerare_may_not_edit(content, client_for):
    client = client_for(JUSTERARE)
    hidden, readable = content["hidden"]["restricted"], content["readable"]
    pairs = ((hidden, content["committee"]), (readable, hidden), (hidden, readable), (readable, 10**20))
    for moved, destination in pairs:
        destination = getattr(destination, "pk", destination)
        response = client.get(f"/admin/pages/{moved.pk}/move/{destination}/confirm/")
        assert response.status_code == 404
        assert "DOLD" not in _text(response) and "SYNLIGXQ" not in _text(response)
    response = client_for("redaktor").get(f"/admin/pages/{hidden.pk}/move/{content['committee'].pk}/confirm/")
    assert response.status_code == 200 and "DOLDBEGRXQ" in _text(response)


def test_the_workflow_cancellation_names_no_page_the_justerare_may_not_edit(content, client_for, django_user_model):
    from safety_pages.editing.workflows import ensure_workflows

    ensure_workflows(content["committee"].get_site().root_page)
    page = content["hidden"]["draft"]
    page.get_workflow().start(page, django_user_model.objects.get(username="redaktor"))
    response = client_for(JUSTERARE).get(f"/admin/pages/workflow/confirm_cancellation/{page.pk}/")
    assert response.status_code == 404 and "DOLD" not in _text(response)


def test_tag_autocomplete_offers_only_tags_of_pages_the_justerare_may_read(content, client_for):
    content["hidden"]["restricted"].tags.add("doldetikettxq")
    content["hidden"]["restricted"].save_revision().publish()
    content["readable"].tags.add("synligetikettxq")
    content["readable"].save_revision().publish()
    client = client_for(JUSTERARE)
    for url in ("/admin/tag-autocomplete/", "/admin/tag-autocomplete/taggit/tag/"):
        offered = client.get(url, {"term": "dold"}).json() + client.get(url, {"term": "synlig"}).json()
        assert offered == ["synligetikettxq"], url
    assert client_for("redaktor").get("/admin/tag-autocomplete/", {"term": "dold"}).json() == ["doldetikettxq"]


def test_the_site_history_names_no_page_the_justerare_may_not_read(content, client_for):
    client = client_for(JUSTERARE)
    for url in ("/admin/reports/site-history/", "/admin/reports/site-history/results/"):
        response = client.get(url)
        assert "DOLD" not in _text(response), url
    assert "DOLDBEGRXQ" in _text(client_for("admin").get("/admin/reports/site-history/results/"))
