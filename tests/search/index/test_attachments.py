"""Documents attached to pages are found by their text, as "Bilaga till <page>", only by the page's readers."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from search import engines
from search.index import writer
from search.models import DocumentText
from tests import builders


def make_document(title, filename, content):
    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile(content), save=False)
    document._set_document_file_metadata()  # as Wagtail's upload form does: size and hash
    document.save()
    return document


def pdf_document(title, *lines):
    return make_document(title, "bilaga.pdf", builders.minutes_pdf([list(lines)]))


def docx_document(tmp_path, title, *paragraphs):
    path = builders.minutes_docx(tmp_path / "bilaga.docx", [(text, False) for text in paragraphs])
    return make_document(title, "bilaga.docx", path.read_bytes())


def attach(page, document, publish=True):
    """Link the document from the page's rich text, as an editor does with the document chooser."""
    page.purpose = f'<p>Se <a linktype="document" id="{document.pk}">{document.title}</a>.</p>'
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def search(client, query, **params):
    response = client.get("/api/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.json()


def titles(client, query, **params):
    return [r["title"] for r in search(client, query, **params)["results"]]


def rebuild_elasticsearch(engine):
    # Test transactions never commit, so the on-commit push to the cluster is replaced by a rebuild.
    if engine != "database":
        engines.ELASTICSEARCH.rebuild()


@pytest.fixture
def reader(site, client_for):
    return client_for("medarbetare")


@pytest.mark.django_db
def test_text_of_an_attached_pdf_is_found_as_an_attachment_of_the_page(site, reader):
    document = pdf_document("Lägesbild våren 2024", "Lägesbild", "Nattvandringar vid resecentrum i Mjölby.")
    attach(site["radet"], document)

    data = search(reader, "nattvandringar resecentrum")
    assert data["results"][0]["title"] == "Lägesbild våren 2024"
    assert data["results"][0]["url"] == document.url
    assert data["results"][0]["type"] == "attachment"
    assert "<mark>Nattvandringar</mark>" in data["results"][0]["excerpt"]
    assert {"value": "attachment", "label": "Bilaga", "count": 1} in data["facets"]["type"]
    page = reader.get("/sok/", {"q": "nattvandringar resecentrum"}).content.decode()
    assert "Bilaga till Trygghets- och säkerhetsrådet" in page
    assert f'href="{document.url}"' in page


@pytest.mark.django_db
def test_text_of_an_attached_docx_is_found(site, reader, tmp_path):
    document = docx_document(tmp_path, "Handlingsplan klotter", "Sanering av klotter inom 24 timmar.")
    attach(site["radet"], document)
    assert titles(reader, "saneringen timmar")[:1] == ["Handlingsplan klotter"]  # an inflection of the text


@pytest.mark.django_db
def test_document_on_a_group_restricted_page_is_found_only_by_members(engine, site, client_for, tmp_path):
    document = docx_document(tmp_path, "Skyddsobjekt 2025", "Förteckning över skyddsobjekt och bevakning.")
    attach(site["closed"], document)
    rebuild_elasticsearch(engine)

    outsider = client_for("medarbetare")
    data = search(outsider, "bevakning skyddsobjekt")
    assert data["total"] == 0 and data["results"] == []
    listing = search(outsider, "", type="attachment")
    assert "Skyddsobjekt 2025" not in [r["title"] for r in listing["results"]]
    assert "Skyddsobjekt 2025" not in outsider.get("/sok/", {"q": "bevakning"}).content.decode()
    assert outsider.get(document.url).status_code in (403, 404)  # the same rule as the download

    get_user_model().objects.get(username="medarbetare").groups.add(site["insiders"])
    member = client_for("medarbetare")
    data = search(member, "bevakning skyddsobjekt")
    assert [r["title"] for r in data["results"]][:1] == ["Skyddsobjekt 2025"]
    assert data["engine"] == ("database" if engine == "database" else "elasticsearch")
    assert search(member, "", type="attachment")["total"] == listing["total"] + 1
    assert member.get(document.url).status_code == 200


@pytest.mark.django_db
def test_document_on_an_unpublished_page_is_not_found(site, reader):
    document = pdf_document("Utkast till trygghetsenkät", "Frågor om belysning i gångtunnlar.")
    attach(site["radet"], document, publish=False)  # only a draft uses it
    assert titles(reader, "gångtunnlar") == []

    site["radet"].get_latest_revision().publish()
    assert titles(reader, "gångtunnlar") == ["Utkast till trygghetsenkät"]

    site["radet"].refresh_from_db()
    site["radet"].unpublish()
    assert titles(reader, "gångtunnlar") == []


@pytest.mark.django_db
def test_a_replaced_file_is_indexed_anew_and_a_deleted_document_disappears(site, reader):
    document = pdf_document("Trygghetsmätning", "Resultat för Skänninge centrum.")
    attach(site["radet"], document)
    assert titles(reader, "resultat skänninge") == ["Trygghetsmätning"]

    document.file.save("ny.pdf", ContentFile(builders.minutes_pdf([["Enkätsvar från Mantorp."]])), save=False)
    document._set_document_file_metadata()
    document.save()
    assert titles(reader, "enkätsvar mantorp") == ["Trygghetsmätning"]
    assert titles(reader, "resultat skänninge") == []
    assert DocumentText.objects.filter(document=document).count() == 1  # the old version's text is dropped

    document.delete()
    assert titles(reader, "enkätsvar mantorp") == []


@pytest.mark.django_db
def test_reindexing_reads_the_text_once_per_file_version(site, reader):
    document = pdf_document("Protokollsbilaga", "Överenskommelse med fastighetsägarna.")
    attach(site["radet"], document)
    # Spoil the stored file behind Wagtail's back: a rebuild that parsed it again would lose the text.
    with open(document.file.path, "wb") as handle:
        handle.write(b"not a pdf any more")
    writer.rebuild()
    assert titles(reader, "överenskommelse fastighetsägarna") == ["Protokollsbilaga"]


@pytest.mark.django_db
def test_an_unreadable_file_never_stops_publishing_and_is_found_by_its_title(site, reader, caplog):
    damaged = make_document("Trasig lägesrapport", "trasig.pdf", b"%PDF-1.4\n garbage without objects")
    odt = make_document("Mötesanteckningar Ryd", "anteckningar.odt", b"PK\x03\x04 not parsed")
    with caplog.at_level(logging.WARNING, logger="search.index.attachments"):
        attach(site["radet"], damaged)
        attach(site["kdlg"], odt)
    assert site["radet"].live and site["kdlg"].live
    assert titles(reader, "trasig lägesrapport")[:1] == ["Trasig lägesrapport"]
    assert titles(reader, "mötesanteckningar ryd")[:1] == ["Mötesanteckningar Ryd"]
    assert "trasig.pdf" in caplog.text and "anteckningar" in caplog.text
    assert "OpenDocument" in DocumentText.objects.get(document=odt).reason


@pytest.mark.django_db
def test_a_decision_basis_document_chosen_in_the_demo_minutes_is_found(demo, client_for):
    # Chosen with a DocumentChooserBlock in a paragraph's StreamField, inside the record's inline paragraphs.
    results = search(client_for("medarbetare"), "chattforum")["results"]
    found = [r for r in results if r["type"] == "attachment"]
    assert [r["title"] for r in found] == ["Missiv om medborgardialog inom området trygghet och säkerhet (KS/2017:152)"]
    assert found[0]["url"].startswith("/documents/") and "<mark>chattforum</mark>" in found[0]["excerpt"]
