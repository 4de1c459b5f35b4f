"""The draft record: unpublished, with its cases; the forum to import into; a number already used."""

import datetime

import pytest
from django.core.management import CommandError

from safety_pages.models import Case, MeetingRecordPage
from tests import builders
from tests.safety_pages.meetings.importer.command import SEED_002, SEED_004, TEXT_VARIANTS, run


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


@pytest.mark.django_db
def test_a_number_already_used_that_year_leaves_nothing_behind(forum, tmp_path):
    builders.record(
        forum,
        "befintligt",
        date=datetime.date(2021, 2, 1),
        title="Februarimötet",
        paragraphs=[builders.paragraph(346)],
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
        builders.forum("haninge", "importforum")
        builders.forum("mjolby", "importforum")
        run(SEED_002, "--forum", "importforum", "--dry-run")
