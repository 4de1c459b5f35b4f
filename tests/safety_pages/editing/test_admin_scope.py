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
