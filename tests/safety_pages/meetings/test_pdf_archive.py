"""PDF/A for the archive (issue 20, item 6): the justerat protokoll and each protokollsutdrag as PDF/A, drawn from
the page's own partials, with the signatures and the anslagsbevis, for exactly the page's readers.

Each PDF is read back with pypdf: its XMP metadata identifies it as PDF/A and carries the title, and the words of
its text are the words of the page's main content as a reader sees it (less the running header and page numbers
the PDF adds on each page, and what the page keeps off paper: the paragraph navigation and links to other
channels)."""

import datetime
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from safety_pages.models import MeetingRecordPage
from safety_pages.organisation.local_roles import local_roles_for, sync_forum_readers
from tests import builders

pytestmark = pytest.mark.django_db

RECORD = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/2026-10-28/"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
FORUM = "Kommunstyrelsens trygghets- och säkerhetsutskott"


def _words(text):
    return re.findall(r"\w+|§", text)


def _page_words(html, selector):
    """The words of the page's main content as a reader sees it: without what is not printed (the paragraph
    navigation, links to other channels) and what only screen readers hear."""
    article = BeautifulSoup(html, "html.parser").select_one(selector)
    for hidden in article.select(".no-print, .visually-hidden, nav"):
        hidden.decompose()
    return _words(article.get_text(" "))


def _pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _pdf_text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def _pdf_words(reader, running_header):
    """The words of the PDF's text, less each page's running header and its "Sida n av m"."""
    text = _pdf_text(reader)
    pages = len(reader.pages)
    assert text.count(running_header) == pages
    assert re.findall(r"Sida (\d+) av (\d+)", text) == [(str(n), str(pages)) for n in range(1, pages + 1)]
    text = re.sub(r"Sida \d+ av \d+", " ", text.replace(running_header, " "))
    return _words(text)


def _pdfa_identification(reader):
    """(part, conformance) of the XMP metadata's PDF/A identification, written as attributes or as elements."""
    xmp = reader.xmp_metadata
    assert xmp is not None, "no XMP metadata: not PDF/A"
    found = {}
    for name in ("part", "conformance"):
        for element in xmp.rdf_root.getElementsByTagNameNS(RDF, "Description"):
            if element.hasAttributeNS(PDFAID, name):
                found[name] = element.getAttributeNS(PDFAID, name)
            for child in element.getElementsByTagNameNS(PDFAID, name):
                found[name] = child.firstChild.data
    return found.get("part"), found.get("conformance")


def _fonts(reader):
    """The font descriptors of every font the pages use."""
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            yield font["/BaseFont"], font["/FontDescriptor"].get_object()


@pytest.fixture
def justerat(demo):
    """The demo's 2026-10-28 record, justerat by its chair and its justerare in the workflow, with its anslag."""
    record = MeetingRecordPage.objects.get(url_path=f"/trygghetsportalen{RECORD}")
    return builders.sign_justering(record, "ordforande", "ledamot")


def test_the_justerat_demo_record_as_pdfa_carries_identification_title_and_the_page_text(justerat, client_for):
    client = client_for("medarbetare")
    page_html = client.get(RECORD).content.decode()
    assert "Ladda ned som PDF/A" in page_html
    response = client.get(f"{RECORD}pdf/")
    reader = _pdf(response)

    assert _pdfa_identification(reader) == ("3", "B")
    # PDF/A: every font embedded, and the colour space declared (sRGB output intent).
    fonts = dict(_fonts(reader))
    assert fonts and all({"/FontFile", "/FontFile2", "/FontFile3"} & set(d) for d in fonts.values()), fonts
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert reader.xmp_metadata.dc_title == {"x-default": justerat.title}
    assert reader.metadata.title == justerat.title
    assert response["Content-Disposition"] == (
        'attachment; filename="protokoll-trygghets-och-sakerhetsutskottet-2026-10-28.pdf"'
    )
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]

    words = _pdf_words(reader, f"{FORUM} · Sammanträde 2026-10-28")
    assert words == _page_words(page_html, "article.meeting-record")
    # What the archive copy is for: the paragraphs and decisions, the signatures, the anslagsbevis.
    text = " ".join(words)
    for expected in (
        "§ 19 Belysning på gång och cykelvägar",
        "Utskottet föreslår att inventeringen tas med i handlingsplanen 2027",
        "Justeringens underskrifter Olga Ordförande",
        "Anslagsbevis",
        f"Datum för justering {' '.join(justerat.adjusted_on.isoformat().split('-'))}",
    ):
        assert expected in text
    for signature in justerat.signature_list():
        assert signature.digest in words
    assert len(justerat.signature_list()) == 2


def test_each_protokollsutdrag_as_pdfa_has_only_its_paragraph(justerat, client_for):
    client = client_for("medarbetare")
    extract = f"{RECORD}paragraf/20/"
    page_html = client.get(extract).content.decode()
    assert f'href="{extract}pdf/"' in page_html
    response = client.get(f"{extract}pdf/")
    reader = _pdf(response)

    assert _pdfa_identification(reader) == ("3", "B")
    assert reader.metadata.title == f"Protokollsutdrag § 20 Information om krisberedskapsveckan – {justerat.title}"
    assert (
        'filename="protokollsutdrag-trygghets-och-sakerhetsutskottet-2026-10-28-paragraf-20.pdf"'
        in (response["Content-Disposition"])
    )
    words = _pdf_words(reader, f"{FORUM} · Sammanträde 2026-10-28 · Protokollsutdrag § 20")
    assert words == _page_words(page_html, "article.extract")
    text = " ".join(words)
    assert "§ 20 Information om krisberedskapsveckan" in text
    assert "Belysning" not in text and "§ 19" not in text  # (a signature's time may hold 19)
    assert "Justeringens underskrifter" in text and "Anslagsbevis" in text


def test_before_justering_there_is_no_archive_copy(demo, client_for):
    """A published record not yet justerat: its readers (the forum's members) get no link, and the routes 404."""
    forum = builders.forum("mjolby", "trygghets-och-sakerhetsutskottet")
    record = builders.record(
        forum, date=timezone.localdate() - datetime.timedelta(days=3), paragraphs=[builders.paragraph(31, "Utkast")]
    )
    client = client_for("ledamot")
    html = client.get(record.url).content.decode()
    assert "Protokollet är inte justerat" in html
    assert "PDF/A" not in html
    assert "PDF/A" not in client.get(f"{record.url}paragraf/31/").content.decode()
    assert client.get(f"{record.url}pdf/").status_code == 404
    assert client.get(f"{record.url}paragraf/31/pdf/").status_code == 404


@pytest.fixture
def closed_record(demo):
    """A justerat record, made fresh, of a forum only its members may read (a view restriction to its readers)."""
    forum = builders.forum("mjolby", "pdfradet", "Pdfrådet")
    builders.member(forum, builders.user("pdfledamot", "Medarbetare"))
    sync_forum_readers(forum)
    builders.restrict_to_groups(forum, local_roles_for(forum).reader_group)
    return builders.record(
        forum,
        date=datetime.date(2026, 11, 2),
        adjusted_on=datetime.date(2026, 11, 4),
        posted_on=datetime.date(2026, 11, 5),
        paragraphs=[builders.paragraph(7, "Rubrik PDFHEMLIG", decision="<p>Beslut PDFHEMLIG.</p>")],
    )


@pytest.mark.parametrize(
    "who,reads", [("anonymous", False), ("medarbetare", False), ("pdfledamot", True), ("admin", True)]
)
def test_the_archive_copy_answers_like_the_page(closed_record, django_user_model, who, reads):
    client = Client()
    if who != "anonymous":
        client.force_login(django_user_model.objects.get(username=who))
    for page_url, pdf_url in (
        (closed_record.url, f"{closed_record.url}pdf/"),
        (f"{closed_record.url}paragraf/7/", f"{closed_record.url}paragraf/7/pdf/"),
    ):
        page = client.get(page_url)
        pdf = client.get(pdf_url)
        assert pdf.status_code == page.status_code
        assert pdf.status_code == (200 if reads else 302 if who == "anonymous" else 404)
        if reads:
            assert "PDFHEMLIG" in _pdf_text(_pdf(pdf))
        else:
            assert b"PDFHEMLIG" not in pdf.content


def test_a_paragraph_the_record_has_not_is_404(justerat, client_for):
    assert client_for("medarbetare").get(f"{RECORD}paragraf/99/pdf/").status_code == 404
