"""Files under /media/: images follow the pages that use them, documents only go through their serve view."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from tests import builders

pytestmark = pytest.mark.django_db


def test_an_image_no_page_uses_is_served_to_those_who_manage_images_only(demo, client_for):
    image = builders.image()
    rendition = image.get_rendition("width-800")
    response = client_for("redaktor").get(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client_for("redaktor").get(rendition.url).status_code == 200
    # An unused image may belong to a draft of a closed page: an employee gets nothing for its address.
    assert client_for("medarbetare").get(image.file.url).status_code == 404
    assert client_for("medarbetare").get(rendition.url).status_code == 404


def test_an_image_on_an_open_page_is_served_to_employees(demo, client_for):
    from safety_pages.models import InstructionPage

    image = builders.image()
    page = InstructionPage.objects.live().filter(view_restrictions__isnull=True).first()
    page.sections = [
        {
            "type": "section",
            "value": {
                "heading": "Bild",
                "body": (f'<p>Bild:</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt="Bild"/>'),
            },
        }
    ]
    page.save_revision().publish()
    assert client_for("medarbetare").get(image.file.url).status_code == 200


def test_a_document_attached_only_to_a_draft_is_not_served_to_employees(demo, client_for):
    document = Document.objects.create(title="Utkastbilaga", file=ContentFile(b"%PDF-1.4\n", name="utkast.pdf"))
    assert client_for("medarbetare").get(document.url).status_code == 404
    assert client_for("redaktor").get(document.url).status_code == 200


def test_anonymous_visitors_get_no_media(demo, client):
    image = builders.image()
    response = client.get(image.file.url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_document_files_are_never_served_from_the_media_folder(demo, client_for):
    document = Document.objects.create(title="Bilaga", file=ContentFile(b"%PDF-1.4\n", name="bilaga.pdf"))
    client = client_for("admin")
    assert client.get(document.file.url).status_code == 404
    assert client.get(document.url).status_code == 200  # the serve view, which checks the pages using it


@pytest.mark.parametrize("path", ["/media/../manage.py", "/media/original_images/../../manage.py", "/media/okänd.png"])
def test_unknown_and_escaping_paths_are_404(demo, client_for, path):
    assert client_for("admin").get(path).status_code == 404
