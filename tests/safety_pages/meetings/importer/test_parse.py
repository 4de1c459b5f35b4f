"""The paragraphs read from the seeds: number, Dnr, title, sections, motions and distribution list."""

import json

import pytest

from safety_pages.meetings.importer.parse import parse_file
from safety_pages.models import MeetingRecordPage
from tests.safety_pages.meetings.importer.command import SEED_002, SEED_004, dry_json


@pytest.mark.django_db
def test_seed_002_yields_paragraph_36_with_case_decision_and_recipients(forum):
    result = dry_json(SEED_002, forum)
    assert set(result) == {
        "meeting_date",
        "body",
        "place",
        "starts_at",
        "ends_at",
        "attendance",
        "adjusters",
        "adjusted_place",
        "adjusted_on",
        "posted_on",
        "taken_down_on",
        "kept_at",
        "paragraphs",
    }
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
    [item] = dry_json(SEED_004, forum)["paragraphs"]
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
