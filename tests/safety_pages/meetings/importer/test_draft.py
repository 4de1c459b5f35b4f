"""The draft record: unpublished, with its cases; the forum to import into; a number already used."""

import datetime
import io

import pytest
from django.core.management import CommandError
from django.db import transaction

from safety_pages.meetings.importer.draft import create_draft_record
from safety_pages.meetings.importer.parse import ParsedAttendee, ParsedMinutes, ParsedParagraph
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


@pytest.mark.django_db
def test_the_draft_carries_the_meeting_attendance_justerare_and_anslag(forum):
    """Built against the parser's dataclasses: what a parser fills in reaches the record's own fields."""
    anna = builders.person("Anna Andersson")
    builders.person("Bo Berg")
    builders.person("Bo Berg")  # two persons share the name: the row is not linked to either
    parsed = ParsedMinutes(
        meeting_date=datetime.date(2026, 5, 4),
        place="Stadshuset, sal 3",
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 30),
        attendance=[
            ParsedAttendee("Anna Andersson", function="ordforande", description="(S)"),
            ParsedAttendee("Bo Berg", description="(M)"),
            ParsedAttendee("Cilla Carlsson", kind="ovrig", function="sekreterare"),
        ],
        adjusters=["Bo  Berg", "Dan Dahl"],
        adjusted_place="Kommunhuset",
        adjusted_on=datetime.date(2026, 5, 8),
        posted_on=datetime.date(2026, 5, 9),
        taken_down_on=datetime.date(2026, 6, 1),
        kept_at="Kommunledningskontoret",
        paragraphs=[ParsedParagraph(number=12, title="Lägesbild", case_number="KS/2026:12")],
    )
    with transaction.atomic():
        record = create_draft_record(forum, parsed, "protokoll.txt", digest="ab" * 32)
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.title == "Importforum 2026-05-04"
    assert (record.place, record.starts_at, record.ends_at) == (
        "Stadshuset, sal 3",
        datetime.time(13, 0),
        datetime.time(15, 30),
    )
    assert (record.adjusted_place, record.adjusted_on, record.posted_on, record.taken_down_on, record.kept_at) == (
        "Kommunhuset",
        datetime.date(2026, 5, 8),
        datetime.date(2026, 5, 9),
        datetime.date(2026, 6, 1),
        "Kommunledningskontoret",
    )
    assert record.import_digest == "ab" * 32
    assert [(a.person_id, a.name, a.kind, a.function, a.description) for a in record.attendances.all()] == [
        (anna.pk, "", "beslutande", "ordforande", "(S)"),
        (None, "Bo Berg", "beslutande", "justerare", "(M)"),
        (None, "Cilla Carlsson", "ovrig", "sekreterare", ""),
        # A justerare the attendance does not list gets a row of their own: the name is not lost.
        (None, "Dan Dahl", "beslutande", "justerare", ""),
    ]
    assert not record.live


@pytest.mark.django_db
def test_the_command_refuses_a_second_import_unless_forced(forum, tmp_path):
    run(SEED_002, "--forum", forum.pk)
    copy = tmp_path / "samma.txt"
    copy.write_bytes(SEED_002.read_bytes())
    with pytest.raises(CommandError) as error:
        run(copy, "--forum", forum.pk)
    first = MeetingRecordPage.objects.child_of(forum).get()
    assert str(error.value).startswith(f"{copy}: samma.txt är redan importerad som ”{first.title}”")
    assert "--force" in str(error.value)
    warnings = io.StringIO()
    run(copy, "--forum", forum.pk, "--dry-run", stderr=warnings)
    assert "Varning: samma.txt är redan importerad" in warnings.getvalue()
    run(copy, "--forum", forum.pk, "--force")
    assert MeetingRecordPage.objects.child_of(forum).count() == 2


@pytest.mark.django_db
def test_the_command_refuses_a_second_record_of_the_same_day(forum, tmp_path):
    builders.record(forum, date=datetime.date(2021, 3, 15), title="Marsmötet")
    path = tmp_path / "protokoll.txt"
    path.write_text(TEXT_VARIANTS, encoding="utf-8")
    with pytest.raises(CommandError, match="forumet har redan protokollet ”Marsmötet” från samma sammanträdesdatum"):
        run(path, "--forum", forum.pk)
