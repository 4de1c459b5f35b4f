"""`manage.py import_minutes`: the seeds, the formats municipalities write, and files it must refuse."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safety_pages.meetings.importer import parse_file
from safety_pages.models import Case, MeetingRecordPage
from tests.safety_pages.meetings_support import add_record, new_forum, paragraph
from tests.safety_pages.minutes_documents import make_docx, make_pdf

FILES = Path(__file__).parent / "minutes_files"
SEED_002 = FILES / "seed_002_ks_2017_152.txt"  # copies of shared/seeds/002 and 004
SEED_004 = FILES / "seed_004_ks_2017_215.txt"


def run(*args):
    out = io.StringIO()
    call_command("import_minutes", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.fixture
def forum(demo):
    return new_forum("mjolby", "importforum", title="Importforum")


def _dry_json(path, forum):
    return json.loads(run(path, "--forum", forum.pk, "--dry-run", "--json"))


@pytest.mark.django_db
def test_seed_002_yields_paragraph_36_with_case_decision_and_recipients(forum):
    result = _dry_json(SEED_002, forum)
    assert set(result) == {"meeting_date", "body", "paragraphs"}
    assert result["meeting_date"] is None  # the extract does not say when the utskott met
    assert result["body"] == "Kommunstyrelsens trygghets- och säkerhetsutskott"
    [item] = result["paragraphs"]
    assert set(item) == {"number", "title", "case_number", "background", "decision", "sent_to"}
    assert item["number"] == 36
    assert item["title"] == "Medborgardialog inom området trygghet och säkerhet"
    assert item["case_number"] == "KS/2017:152"
    assert item["background"].startswith("Kommunstyrelsen fattade 2016-12-07 beslut")
    assert item["background"].endswith("den upplevda tryggheten och säkerheten i kommunen.")
    assert item["decision"] == "Kommunstyrelsen antar förslag till medborgardialog inom området trygghet och säkerhet."
    assert item["sent_to"] == ["Kommunstyrelsen", "Akten"]
    # The missive after the extract (its own Bakgrund, förslag and letterhead) stays out of the paragraph.
    assert "Missiv" not in json.dumps(result, ensure_ascii=False).replace("Missiv om", "")
    assert MeetingRecordPage.objects.filter(title__startswith="Importerat").count() == 0  # dry run


@pytest.mark.django_db
def test_seed_004_yields_paragraph_35_with_case_decision_and_recipients(forum):
    [item] = _dry_json(SEED_004, forum)["paragraphs"]
    assert (item["number"], item["case_number"]) == (35, "KS/2017:215")
    assert item["title"] == "Framtida samverkansformer med Polismyndigheten"
    assert item["decision"] == "Kommunstyrelsen antar förslag för samverkan mellan Polismyndigheten och Mjölby kommun."
    assert item["sent_to"] == ["Kommunstyrelsen", "Akten"]
    assert "fortsättning" not in json.dumps(item, ensure_ascii=False)


def test_seed_002_keeps_summary_across_the_page_break_and_reads_the_motion():
    parsed = parse_file(SEED_002)
    [item] = parsed.paragraphs
    summary = item.text("summary")
    assert (
        "Ärendena i synpunktshanteringssystemet begränsas i första hand" in summary
    )  # joined over "fortsättning § 36"
    assert "fortsättning" not in summary
    assert item.motions() == [{"who": "Cecilia V Burenby", "party": "S", "motion": "Bifall"}]
    assert item.text("basis") == "Missiv om medborgardialog inom området trygghet och säkerhet."


@pytest.mark.django_db
def test_import_creates_an_unpublished_draft_with_cases_and_reports_it(forum):
    output = run(SEED_002, "--forum", forum.pk)
    record = MeetingRecordPage.objects.child_of(forum).get()
    assert not record.live and record.has_unpublished_changes
    assert f"id {record.pk}" in output and "inte publicerat" in output
    paragraph_36 = record.paragraphs.get()
    assert paragraph_36.number == 36
    assert paragraph_36.case.number == "KS/2017:152"
    assert paragraph_36.recipients == ["Kommunstyrelsen", "Akten"]
    assert paragraph_36.motion_items() == [{"who": "Cecilia V Burenby", "party": "S", "motion": "Bifall"}]
    assert record.get_latest_revision() is not None


@pytest.mark.django_db
def test_forum_by_section_and_slug(demo):
    output = run(SEED_004, "--forum", "mjolby/trygghets-och-sakerhetsutskottet", "--dry-run")
    assert "§ 35 Framtida samverkansformer med Polismyndigheten (Dnr KS/2017:215)" in output
    assert "inget sparades" in output


TEXT_VARIANTS = """Kommunstyrelsen
Sammanträdesdatum 2021-03-15

KS § 345 Dnr KS 2021/331 Trygghetsvandringar i centrum

Ärendebeskrivning
Polisen och kommunen föreslår trygghetsvandringar.

Postadress
Exempels kommun
123 45 EXEMPELSTAD
Besöksadress Storgatan 1
Telefon 010-123 45 67
Sida 2 (3)

fortsättning KS § 345

Vandringarna genomförs under våren.

Beslut
Kommunstyrelsen beslutar att genomföra trygghetsvandringar.

Beslutet skickas till: Polisen, Akten

§346
Dnr KS2009/126-00
Ny ordning för synpunkter
Bakgrund
Datum
2021-03-01
Diarienummer
KS 2021/400
Texten fortsätter efter sidhuvudet.
Beslut
Kommunstyrelsen godkänner ordningen.
Expedieras till:
Kommunledningskontoret
"""


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
    path = make_docx(
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
    result = _dry_json(path, forum)
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
    path.write_bytes(make_pdf(pages))
    result = _dry_json(path, forum)
    assert result["meeting_date"] == "2026-02-04"
    [item] = result["paragraphs"]
    assert (item["number"], item["case_number"], item["title"]) == (7, "KS/2026:20", "Informationssäkerhet")
    assert item["background"] == "Kommunen ska klassa sina informationstillgångar."
    assert item["decision"] == "Utskottet godkänner klassningen."
    assert item["sent_to"] == ["Kommunstyrelsen", "Akten"]


def _refused(path, forum, reason):
    with pytest.raises(CommandError) as error:
        run(path, "--forum", forum.pk)
    message = str(error.value)
    assert str(path) in message and reason in message
    assert not MeetingRecordPage.objects.child_of(forum).exists()
    return message


@pytest.mark.django_db
def test_broken_input_is_refused_naming_the_file_and_reason(forum, tmp_path):
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    _refused(empty, forum, "filen är tom")
    blank = tmp_path / "blank.txt"
    blank.write_text("   \n\n  \n", encoding="utf-8")
    _refused(blank, forum, "filen innehåller ingen text")
    garbage = tmp_path / "skrap.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    _refused(garbage, forum, "binär")
    no_paragraph = tmp_path / "brev.txt"
    no_paragraph.write_text("Hej!\nHär kommer ett brev utan paragrafer.\n", encoding="utf-8")
    _refused(no_paragraph, forum, "hittade ingen paragraf")
    image_only = tmp_path / "skannad.pdf"
    image_only.write_bytes(make_pdf([[]]))
    _refused(image_only, forum, "PDF-filen innehåller ingen text")
    not_pdf = tmp_path / "trasig.pdf"
    not_pdf.write_bytes(b"%PDF-1.4 detta ar ingen pdf")
    _refused(not_pdf, forum, "kan inte läsas som PDF")
    not_docx = tmp_path / "trasig.docx"
    not_docx.write_bytes(b"PK\x03\x04 inte ett zip-arkiv")
    _refused(not_docx, forum, "kan inte läsas som Word-dokument")
    _refused(tmp_path / "saknas.txt", forum, "filen finns inte")
    odt = tmp_path / "protokoll.odt"
    odt.write_text("§ 1", encoding="utf-8")
    _refused(odt, forum, "filtypen .odt stöds inte")


def test_command_exits_with_status_1_on_broken_input(tmp_path):
    import subprocess
    import sys

    garbage = tmp_path / "skrap.txt"
    garbage.write_bytes(b"\x00\x01\x02" * 50)
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [sys.executable, "manage.py", "import_minutes", str(garbage), "--forum", "1", "--dry-run"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert str(garbage) in completed.stderr and "binär" in completed.stderr


@pytest.mark.django_db
def test_a_number_already_used_that_year_leaves_nothing_behind(forum, tmp_path):
    add_record(
        forum,
        "befintligt",
        date=__import__("datetime").date(2021, 2, 1),
        title="Februarimötet",
        paragraphs=[paragraph(346)],
    )
    path = tmp_path / "protokoll.txt"
    path.write_text(TEXT_VARIANTS, encoding="utf-8")
    cases_before = Case.objects.count()
    with pytest.raises(CommandError) as error:
        run(path, "--forum", forum.pk)
    assert "§ 346 är redan använd 2021" in str(error.value)
    assert MeetingRecordPage.objects.child_of(forum).count() == 1
    assert Case.objects.count() == cases_before


@pytest.mark.django_db
def test_unknown_or_ambiguous_forum_is_refused(demo):
    with pytest.raises(CommandError, match="inget forum"):
        run(SEED_002, "--forum", "finns-inte", "--dry-run")
    with pytest.raises(CommandError, match="flera kommuner"):
        new_forum("haninge", "importforum")
        new_forum("mjolby", "importforum")
        run(SEED_002, "--forum", "importforum", "--dry-run")
