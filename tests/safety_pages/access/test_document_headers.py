"""Documents are served for the reader's browser only, and with an ETag that names the file's content."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4\n% bilaga utan hash\n"


@pytest.fixture
def document(demo):
    # Created in code, as an import would: Wagtail computes the hash only in its upload form, so there is none.
    document = Document.objects.create(title="Bilaga utan hash", file=ContentFile(CONTENT, name="utan-hash.pdf"))
    assert document.file_hash == ""
    return document


def test_a_document_is_private_to_the_readers_browser_and_asked_for_again(document, client_for):
    response = client_for("redaktor").get(document.url)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= directives and "public" not in directives


def test_a_document_without_a_stored_hash_gets_the_hash_of_its_content_as_etag(document, client_for):
    client = client_for("redaktor")
    response = client.get(document.url)
    assert response["ETag"] == f'"{hashlib.sha1(CONTENT).hexdigest()}"'
    document.refresh_from_db()
    assert document.file_hash == hashlib.sha1(CONTENT).hexdigest()
    # The empty ETag every hashless document shared no longer stands for this one.
    assert client.get(document.url, HTTP_IF_NONE_MATCH='""').status_code == 200
    revalidated = client.get(document.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert revalidated.status_code == 304 and "private" in revalidated["Cache-Control"]


def test_a_document_the_reader_may_not_see_is_still_404(document, client_for):
    assert client_for("medarbetare").get(document.url).status_code == 404
    document.refresh_from_db()
    assert document.file_hash == ""  # nothing is read for someone the document is closed to
