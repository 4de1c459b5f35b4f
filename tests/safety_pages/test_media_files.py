"""Files under /media/: images follow the pages that use them, documents only go through their serve view."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


def _image(title="Fri bild"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (0, 90, 160)).save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="fri.png"))


def test_an_image_no_page_uses_is_served_to_employees_with_a_private_cache(demo, client_for):
    image = _image()
    response = client_for("medarbetare").get(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    rendition = image.get_rendition("width-800")
    assert client_for("medarbetare").get(rendition.url).status_code == 200


def test_anonymous_visitors_get_no_media(demo, client):
    image = _image()
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
