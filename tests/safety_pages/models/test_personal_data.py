"""The personal-data and sekretess scanner on a corpus of texts as minutes write them (issue 20, item 4).

Each row: a text, and what must be found in it as (kind, value as written). Everything else found is a false
positive. The figures (found / expected, false positives) are printed by `test_corpus_figures` for the note.
"""

import pytest

from safety_pages.models import MeetingRecordPage, Paragraph, personal_data
from safety_pages.models.personal_data import (
    COORDINATION_NUMBER,
    EMAIL,
    PERSONAL_IDENTITY_NUMBER,
    PHONE,
    SECRECY,
    scan_text,
)

PNR, SNR = PERSONAL_IDENTITY_NUMBER, COORDINATION_NUMBER
PNR_VALUE = "811218-9876"
KNOWN = frozenset({"leo.ledamot@mjolby.se"})

CORPUS = [
    # personnummer in every form (valid check digit)
    ("Anmälan gäller 811218-9876 som bor i området.", [(PNR, "811218-9876")]),
    ("Personnummer 19811218-9876 ska inte publiceras.", [(PNR, "19811218-9876")]),
    ("Sökande: 8112189876, bosatt i Mjölby.", [(PNR, "8112189876")]),
    ("Äldre sökande, 121212+1212, har hörts.", [(PNR, "121212+1212")]),
    ("Den enskilde (198112189876) kontaktades.", [(PNR, "198112189876")]),
    ("Uppgiften om 640823-3234 ströks.", [(PNR, "640823-3234")]),
    ("Eleven 751122-3344 och vårdnadshavaren.", [(PNR, "751122-3344")]),
    # samordningsnummer: day + 60
    ("Samordningsnummer 850769-1239 angavs.", [(SNR, "850769-1239")]),
    ("Personen med 440261-2347 saknar personnummer.", [(SNR, "440261-2347")]),
    ("Samordningsnummer 19850769-1239 i ansökan.", [(SNR, "19850769-1239")]),
    # wrong check digit or impossible date: not a personnummer
    ("Felskrivet: 811218-9875.", []),
    ("Felskrivet: 640823-3235 i bilagan.", []),
    ("Dag 99 finns inte: 900399-4564.", []),
    ("Månad 13 finns inte: 811318-9876.", []),
    # phone numbers
    ("Ring 070-123 45 67 för frågor.", [(PHONE, "070-123 45 67")]),
    ("Växeln nås på 08-123 456 78.", [(PHONE, "08-123 456 78")]),
    ("Mobil +46 70 123 45 67 dygnet runt.", [(PHONE, "+46 70 123 45 67")]),
    ("Kommunens nummer 013-20 60 00 gäller.", [(PHONE, "013-20 60 00")]),
    ("Anmälaren nås på 0701234567.", [(PHONE, "0701234567")]),
    ("Kontakt: 0142-850 00 (växel).", [(PHONE, "0142-850 00")]),
    # e-mail addresses
    ("Synpunkter från anna.andersson@example.com togs upp.", [(EMAIL, "anna.andersson@example.com")]),
    ("Leo Ledamot (leo.ledamot@mjolby.se) föredrog ärendet.", []),
    ("Handlingar skickas till registrator@mjolby.se.", []),
    # sekretess markers
    ("Uppgifterna omfattas av sekretess enligt 26 kap. 1 § OSL.", [(SECRECY, "sekretess enligt"), (SECRECY, "OSL")]),
    ("Bilagan är sekretessbelagd.", [(SECRECY, "sekretessbelagd")]),
    (
        "Sekretess gäller enligt 21 kap. 7 § offentlighets- och sekretesslagen.",
        [
            (SECRECY, "21 kap."),
            (SECRECY, "offentlighets- och sekretesslagen"),
        ],
    ),
    ("Handlingen är Sekretessbelagd enligt beslut.", [(SECRECY, "Sekretessbelagd")]),
    # never flagged: case numbers, dates, § numbers, amounts, postcodes, other laws' chapters
    ("Dnr KS/2017:152 och KS2007/0459-10 behandlades.", []),
    ("Ärendet Dnr 2026/123 samt KS 2016/37.", []),
    ("Sammanträdet 2026-12-03 kl. 13.00, justerat 20261203.", []),
    ("Se § 152 och §§ 12–14 i protokollet 2025-01-15.", []),
    ("Budgeten är 1 250 000 kr, varav 450 000 kr för 2026.", []),
    ("Besöksadress Burensköldsvägen 11, 595 80 Mjölby.", []),
    ("Överklagas enligt 13 kap. kommunallagen inom tre veckor.", []),
    ("Beslut 2016-12-07 § 174, Dnr KS/2016:37, ändrat 2019-03-27.", []),
    ("Organisationsnummer 212000-0506 för kommunen.", []),
    ("Ärende KS/2024:1234-56 och referens 2024-001234.", []),
]


def _found(text):
    return [(finding.kind, finding.value) for finding in scan_text(text, "field:test", "Test", KNOWN)]


@pytest.mark.parametrize(("text", "expected"), CORPUS, ids=[text[:40] for text, _expected in CORPUS])
def test_corpus(text, expected):
    assert _found(text) == expected


def test_corpus_figures(capsys):
    """The figures for the note: every expected finding found, no false positive, over ≥ 30 texts."""
    expected = found = false_positives = 0
    for text, wanted in CORPUS:
        got = _found(text)
        expected += len(wanted)
        found += sum(1 for item in wanted if item in got)
        false_positives += sum(1 for item in got if item not in wanted)
    with capsys.disabled():
        print(f"\ncorpus: {len(CORPUS)} texts, found {found}/{expected}, false positives {false_positives}")
    assert len(CORPUS) >= 30
    assert (found, false_positives) == (expected, 0)


def test_a_finding_says_where_it_is_and_shows_its_context():
    finding = scan_text("Bakgrund: sökanden 811218-9876 bor här.", "paragraphs:5:background", "§ 5 – bakgrund")[0]
    assert finding.place_label == "§ 5 – bakgrund"
    assert "811218-9876" in finding.snippet and "sökanden" in finding.snippet
    # The fingerprint is the same however the number is written, and differs by place.
    same = scan_text("19811218-9876", "paragraphs:5:background", "")[0]
    elsewhere = scan_text("811218-9876", "paragraphs:6:background", "")[0]
    assert finding.fingerprint == same.fingerprint != elsewhere.fingerprint
    assert "9876" not in finding.masked


def test_rich_text_paragraphs_do_not_join_into_one_number():
    text = personal_data._as_text(personal_data.RichTextField(), "<p>811218</p><p>9876 kr</p>")
    assert scan_text(text) == []


@pytest.mark.django_db
def test_a_paragraph_marked_sekretess_names_its_ground_without_a_finding_but_its_numbers_count():
    """A paragraph marked sekretess (issue 20, item 5) names its OSL ground on purpose: markers there are expected."""
    record = MeetingRecordPage(title="Protokoll")
    secret = Paragraph(
        number=3,
        title="Ärende om enskild",
        background=f"<p>Sekretess enligt 26 kap. OSL, {PNR_VALUE}.</p>",
        secret=True,
        secrecy_reference="26 kap. 1 § OSL",
    )
    record.paragraphs = [secret, Paragraph(number=4, title="Öppet", background="<p>Uppgiften är sekretessbelagd.</p>")]
    found = [(f.kind, f.place_label) for f in personal_data.scan_page(record, known_emails=frozenset())]
    assert found == [(PNR, "§ 3 – bakgrund"), (SECRECY, "§ 4 – bakgrund")]
