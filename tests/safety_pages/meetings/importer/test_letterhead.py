"""The letterhead as each format carries it: in the text, in Word's header and footer, on every PDF page."""

import datetime

import pytest

from safety_pages.meetings.importer.letterhead import LETTERHEAD_DNR, join_pages, strip_letterhead
from safety_pages.meetings.importer.parse import parse_file
from tests import builders
from tests.safety_pages.meetings.importer.command import TEXT_VARIANTS, dry_json


def test_running_header_stays_on_the_first_page_and_running_footer_goes_from_all():
    pages = [
        ["Mjölby kommun", "Protokoll", "§ 1", "Text", "Sida 1 (2)"],
        ["Mjölby kommun", "Protokoll", "Mer text", "Sida 2 (2)"],
    ]
    assert join_pages(pages) == ["Mjölby kommun", "Protokoll", "§ 1", "Text", "", "Mer text", ""]


def test_letterhead_blocks_go_the_meeting_date_is_kept_and_the_case_number_set_aside():
    lines = [
        "Missiv",
        "Datum",
        "2017-05-03",
        "Diarienummer",
        "KS/2017:152",
        "Sammanträdesdatum",
        "",
        "3 maj 2017",
        "Postadress",
        "Mjölby kommun",
        "Kommunledningskontoret",
        "595 80 Mjölby",
        "Telefon 0142-850 00",
        "Sida 1 av 2",
        "Text som stannar.",
    ]
    assert strip_letterhead(lines) == (
        [LETTERHEAD_DNR + "KS/2017:152", "Text som stannar."],
        [datetime.date(2017, 5, 3)],
    )


def test_text_variants_headers_footers_and_continuations(tmp_path):
    path = tmp_path / "protokoll.txt"
    path.write_text(TEXT_VARIANTS, encoding="cp1252")  # many municipal systems still export Windows-1252
    parsed = parse_file(path)
    assert parsed.meeting_date.isoformat() == "2021-03-15"
    assert parsed.body == "Kommunstyrelsen"
    first, second = parsed.paragraphs
    assert (first.number, first.case_number, first.title) == (345, "KS 2021/331", "Trygghetsvandringar i centrum")
    background = first.text("background")
    assert background.startswith("Polisen och kommunen föreslår trygghetsvandringar.")
    assert "Vandringarna genomförs under våren." in background
    for letterhead in ("Postadress", "EXEMPELSTAD", "Storgatan", "010-123", "Sida 2", "fortsättning"):
        assert letterhead not in background
    assert first.text("decision") == "Kommunstyrelsen beslutar att genomföra trygghetsvandringar."
    assert first.sent_to == ["Polisen", "Akten"]
    assert (second.number, second.case_number, second.title) == (346, "KS2009/126-00", "Ny ordning för synpunkter")
    assert second.text("background") == "Texten fortsätter efter sidhuvudet."
    assert second.sent_to == ["Kommunledningskontoret"]


@pytest.mark.django_db
def test_docx_with_bold_headings_and_letterhead_in_header_and_footer(forum, tmp_path):
    path = builders.minutes_docx(
        tmp_path / "protokoll.docx",
        [
            ("Trygghets- och säkerhetsutskottet", True),
            ("Sammanträdesdatum: 2026-02-04", False),
            ("§ 3", True),
            ("Dnr KS/2026:12", False),
            ("Lägesbild inför handlingsplanen", True),
            ("Bakgrund", True),
            ("Enheten har tagit fram en lägesbild.", False),
            ("Beslutsunderlag", True),
            ("Tjänsteskrivelse 2026-01-20", False),
            ("Yrkanden", True),
            ("Anna Andersson (M): Bifall", False),
            ("Utskottets beslut", True),
            ("Utskottet lägger lägesbilden till handlingarna.", False),
            ("Beslutet skickas till:", False),
            ("Strategiskt nätverk", False),
            ("Akten", False),
        ],
        header_lines=["Mjölby kommun", "Sammanträdesprotokoll", "Datum 2026-02-04"],
        footer_lines=["Postadress Mjölby kommun, 595 80 Mjölby", "Justerandes signatur"],
    )
    result = dry_json(path, forum)
    assert result["meeting_date"] == "2026-02-04"
    assert result["body"] == "Trygghets- och säkerhetsutskottet"
    [item] = result["paragraphs"]
    assert item == {
        "number": 3,
        "title": "Lägesbild inför handlingsplanen",
        "case_number": "KS/2026:12",
        "background": "Enheten har tagit fram en lägesbild.",
        "decision": "Utskottet lägger lägesbilden till handlingarna.",
        "sent_to": ["Strategiskt nätverk", "Akten"],
    }


@pytest.mark.django_db
def test_pdf_over_pages_with_running_header_and_footer(forum, tmp_path):
    header = ["MJÖLBY KOMMUN", "Sammanträdesprotokoll", "Sammanträdesdatum 2026-02-04"]
    pages = [
        header
        + [
            "§ 7",
            "Dnr KS/2026:20",
            "Informationssäkerhet",
            "Bakgrund",
            "Kommunen ska klassa sina",
            "informationstillgångar.",
            "Justerandes sign",
            "Sida 1 (2)",
        ],
        header
        + [
            "fortsättning § 7",
            "Beslut",
            "Utskottet godkänner klassningen.",
            "Beslutet skickas till:",
            "Kommunstyrelsen",
            "Akten",
            "Justerandes sign",
            "Sida 2 (2)",
        ],
    ]
    path = tmp_path / "protokoll.pdf"
    path.write_bytes(builders.minutes_pdf(pages))
    result = dry_json(path, forum)
    assert result["meeting_date"] == "2026-02-04"
    [item] = result["paragraphs"]
    assert (item["number"], item["case_number"], item["title"]) == (7, "KS/2026:20", "Informationssäkerhet")
    assert item["background"] == "Kommunen ska klassa sina informationstillgångar."
    assert item["decision"] == "Utskottet godkänner klassningen."
    assert item["sent_to"] == ["Kommunstyrelsen", "Akten"]
