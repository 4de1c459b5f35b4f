"""Documents attached to pages are found by their text, as "Bilaga till <page>", only by the page's readers."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from search import engines
from search.index import attachments, writer
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


def odt_document(title, *blocks, table_rows=()):
    return make_document(title, "bilaga.odt", builders.text_odt(blocks, table_rows))


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
def test_text_of_an_attached_odt_is_found_on_the_embedded_engine(site, reader):
    # Marker words made up for this test, so only the file's own text can match them.
    document = odt_document(
        "Trygghetsvandring Hulje",
        ("h", "Kvällsvandring i Hulje"),
        ("p", "Belysningen vid zorblikstigen behöver förstärkas."),
        table_rows=[["Åtgärd", "Ansvar"], ["Beskära häckarna vid kvarnplumsgatan", "Tekniska förvaltningen"]],
    )
    attach(site["radet"], document)

    data = search(reader, "zorblikstigen")
    assert data["engine"] == "database"
    assert [r["title"] for r in data["results"]] == ["Trygghetsvandring Hulje"]
    assert data["results"][0]["type"] == "attachment" and data["results"][0]["url"] == document.url
    assert "<mark>zorblikstigen</mark>" in data["results"][0]["excerpt"]
    assert titles(reader, "kvarnplumsgatan")[:1] == ["Trygghetsvandring Hulje"]  # a table cell's text
    assert titles(reader, "kvällsvandring hulje")[:1] == ["Trygghetsvandring Hulje"]  # a heading's text
    assert DocumentText.objects.get(document=document).reason == ""


@pytest.mark.django_db
def test_odt_text_is_bounded_like_pdf_and_docx(site, reader, monkeypatch):
    filler = "Protokollstext om samverkan. " * 200
    long_text = [("p", "Inledning om vreskonbron.")] + [("p", filler)] * 20 + [("p", "Slutord om glimmerplanen.")]
    monkeypatch.setattr(attachments, "MAX_TEXT_CHARS", 50_000)  # what the 100 000 would be on a bigger file
    long_document = odt_document("Lång minnesanteckning", *long_text)
    attach(site["radet"], long_document)
    assert titles(reader, "vreskonbron") == ["Lång minnesanteckning"]
    assert titles(reader, "glimmerplanen") == []  # past the bound: not kept
    assert len(DocumentText.objects.get(document=long_document).text) == 50_000

    # A file that unpacks to far more than it weighs is not unpacked: found by its title, the reason kept.
    monkeypatch.setattr(attachments, "MAX_ODT_XML_BYTES", 12_000)
    packed = odt_document("Packad bilaga Väderstad", ("p", "Brandskydd i " + "tätorten " * 2_000 + "snorvelgränd."))
    attach(site["kdlg"], packed)
    assert titles(reader, "snorvelgränd") == []
    assert titles(reader, "packad bilaga väderstad")[:1] == ["Packad bilaga Väderstad"]
    assert "unpacks" in DocumentText.objects.get(document=packed).reason


@pytest.mark.django_db
def test_an_odt_indexed_before_odfpy_was_installed_gets_its_text_at_the_next_reindex(site, reader):
    document = odt_document("Minnesanteckning Mantorp", ("p", "Samtal om trafiken vid plommdrevsgatan."))
    attach(site["radet"], document)
    # What the cache held for every ODT before the reader existed: no text, and why.
    DocumentText.objects.filter(document=document).update(
        text="", reason="no OpenDocument text library is installed (ODT files are indexed by title only)"
    )
    writer.rebuild()
    assert titles(reader, "plommdrevsgatan") == ["Minnesanteckning Mantorp"]
    assert DocumentText.objects.get(document=document).reason == ""


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
    odt = make_document("Mötesanteckningar Ryd", "anteckningar.odt", b"PK\x03\x04 not a zip after all")
    with caplog.at_level(logging.WARNING, logger="search.index.attachments"):
        attach(site["radet"], damaged)
        attach(site["kdlg"], odt)
    assert site["radet"].live and site["kdlg"].live
    assert titles(reader, "trasig lägesrapport")[:1] == ["Trasig lägesrapport"]
    assert titles(reader, "mötesanteckningar ryd")[:1] == ["Mötesanteckningar Ryd"]
    assert "trasig.pdf" in caplog.text and "anteckningar" in caplog.text
    assert "ODT file could not be parsed" in DocumentText.objects.get(document=odt).reason


@pytest.mark.django_db
def test_a_decision_basis_document_chosen_in_the_demo_minutes_is_found(demo, client_for):
    # Chosen with a DocumentChooserBlock in a paragraph's StreamField, inside the record's inline paragraphs.
    results = search(client_for("medarbetare"), "chattforum")["results"]
    found = [r for r in results if r["type"] == "attachment"]
    assert [r["title"] for r in found] == ["Missiv om medborgardialog inom området trygghet och säkerhet (KS/2017:152)"]
    assert found[0]["url"].startswith("/documents/") and "<mark>chattforum</mark>" in found[0]["excerpt"]
