"""Editing records in the admin: paragraph numbering, lifecycle dates, the lock after justering, rättelse."""

import datetime

import pytest
from wagtail.models import Revision

from safety_pages.meetings import corrections
from safety_pages.models import MeetingRecordPage, meeting_rules
from safety_pages.models.meetings import next_free_number
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(demo):
    return builders.forum("mjolby", "numbering-forum", title="Numreringsforum")


def test_next_free_number_runs_per_forum_and_year(forum):
    builders.record(
        forum, "jan", date=datetime.date(2026, 1, 20), paragraphs=[builders.paragraph(1), builders.paragraph(2)]
    )
    builders.record(forum, "feb", date=datetime.date(2026, 2, 20), paragraphs=[builders.paragraph(3)])
    builders.record(forum, "old", date=datetime.date(2025, 12, 1), paragraphs=[builders.paragraph(40)])
    other = builders.forum("mjolby", "other-forum")
    builders.record(other, "x", date=datetime.date(2026, 3, 1), paragraphs=[builders.paragraph(9)])
    assert next_free_number(forum, 2026) == 4
    assert next_free_number(forum, 2025) == 41
    assert next_free_number(forum, 2027) == 1


def test_admin_proposes_the_next_free_number_for_a_blank_one(forum, client_for):
    builders.record(
        forum, "jan", date=datetime.date(2026, 1, 20), paragraphs=[builders.paragraph(1), builders.paragraph(2)]
    )
    record = builders.record(forum, "feb", date=datetime.date(2026, 2, 20))
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    builders.add_paragraph_row(data, title="Första nya")
    builders.add_paragraph_row(data, title="Andra nya")
    response = builders.publish(client, record, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    numbers = sorted(MeetingRecordPage.objects.get(pk=record.pk).paragraphs.values_list("number", "title"))
    assert numbers == [(3, "Första nya"), (4, "Andra nya")]


def test_admin_refuses_a_number_already_used_that_year_in_swedish(forum, client_for):
    builders.record(
        forum, "jan", date=datetime.date(2026, 1, 20), title="Januarimötet", paragraphs=[builders.paragraph(1)]
    )
    record = builders.record(forum, "feb", date=datetime.date(2026, 2, 20))
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    builders.add_paragraph_row(data, number="1", title="Krockar")
    response = builders.publish(client, record, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "§ 1 är redan använd 2026 i protokollet ”Januarimötet”" in html
    assert not MeetingRecordPage.objects.get(pk=record.pk).paragraphs.exists()


def test_admin_refuses_the_same_number_twice_in_one_record(forum, client_for):
    record = builders.record(forum, "feb", date=datetime.date(2026, 2, 20))
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    builders.add_paragraph_row(data, number="5", title="En")
    builders.add_paragraph_row(data, number="5", title="Två")
    response = builders.publish(client, record, data)
    assert response.status_code == 200
    assert "§ 5 finns två gånger i det här protokollet." in response.content.decode()


def test_lifecycle_dates_must_follow_meeting_justering_anslag(forum):
    record = MeetingRecordPage(
        title="T", slug="t", meeting_date=datetime.date(2026, 5, 10), posted_on=datetime.date(2026, 5, 12)
    )
    assert "posted_on" in meeting_rules.lifecycle_errors(record)
    record.adjusted_on = datetime.date(2026, 5, 9)
    assert "adjusted_on" in meeting_rules.lifecycle_errors(record)
    record.adjusted_on = datetime.date(2026, 5, 11)
    record.taken_down_on = datetime.date(2026, 5, 20)
    errors = meeting_rules.lifecycle_errors(record)
    assert errors == {"taken_down_on": "Anslaget får tas ned tidigast när överklagandetiden har gått ut, 2026-06-02."}


def _justerat(forum):
    return builders.record(
        forum,
        "justerat",
        date=datetime.date(2026, 3, 3),
        adjusted_on=datetime.date(2026, 3, 6),
        paragraphs=[builders.paragraph(7, title="Låst paragraf", decision="<p>Ursprungligt beslut.</p>")],
    )


def test_text_of_a_justerat_record_is_locked_without_a_correction(forum, client_for):
    record = _justerat(forum)
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    data["paragraphs-0-title"] = "Ändrad i smyg"
    response = builders.publish(client, record, data)
    assert response.status_code == 200
    assert "Protokollet är justerat och texten är låst." in response.content.decode()
    assert MeetingRecordPage.objects.get(pk=record.pk).paragraphs.get().title == "Låst paragraf"


def test_a_correction_with_reason_changes_the_text_and_shows_on_the_record_and_in_history(forum, client_for):
    record = _justerat(forum)
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    data["paragraphs-0-title"] = "Rättad rubrik"
    index = int(data["corrections-TOTAL_FORMS"])
    data["corrections-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"corrections-{index}-id": "",
            f"corrections-{index}-ORDER": str(index + 1),
            f"corrections-{index}-DELETE": "",
            f"corrections-{index}-made_on": "2026-03-10",
            f"corrections-{index}-paragraph_number": "7",
            f"corrections-{index}-description": "Rubriken i § 7 var felskriven.",
            f"corrections-{index}-reason": "Skrivfel upptäckt efter justeringen.",
        }
    )
    revisions_before = Revision.objects.filter(object_id=str(record.pk)).count()
    response = builders.publish(client, record, data)
    assert response.status_code == 302
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.paragraphs.get().title == "Rättad rubrik"
    correction = record.corrections.get()
    assert correction.made_by.username == "granskare"
    html = client_for("medarbetare").get(record.url).content.decode()
    assert "Rättelser" in html and "Skrivfel upptäckt efter justeringen." in html
    # Kept in the page history: the revision holds both the change and its reason.
    revisions = Revision.objects.filter(object_id=str(record.pk)).order_by("-created_at")
    assert revisions.count() == revisions_before + 1
    assert revisions.first().content["corrections"][0]["reason"] == "Skrivfel upptäckt efter justeringen."
    # A registered correction cannot be removed afterwards.
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    data["corrections-0-DELETE"] = "1"
    response = builders.publish(client, record, data)
    assert response.status_code == 200
    assert "En registrerad rättelse kan varken ändras eller tas bort." in response.content.decode()


def test_a_justerat_record_cannot_be_made_unjusterat(forum, client_for):
    record = _justerat(forum)
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    data["adjusted_on"] = ""  # not a field of the form: the signatures set it, and nothing removes it
    builders.publish(client, record, data)
    assert MeetingRecordPage.objects.get(pk=record.pk).adjusted_on == record.adjusted_on


def test_anslag_can_be_recorded_after_justering_without_a_correction(forum, client_for):
    record = _justerat(forum)
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    data["posted_on"] = "2026-03-07"
    assert builders.publish(client, record, data).status_code == 302
    assert MeetingRecordPage.objects.get(pk=record.pk).state == "anslaget"


def test_correct_service_records_the_reason_in_one_revision(forum, django_user_model):
    record = _justerat(forum)
    editor = django_user_model.objects.get(username="granskare")

    def change(page):
        paragraph_7 = page.paragraphs.all()[0]
        paragraph_7.decision = "<p>Rättat beslut.</p>"

    corrections.correct(
        record, description="Beslutstexten", reason="Fel i utskriften", change=change, user=editor, paragraph_number=7
    )
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.paragraphs.get().decision == "<p>Rättat beslut.</p>"
    assert record.corrections.get().reason == "Fel i utskriften"
    with pytest.raises(corrections.RecordLocked):
        corrections.correct(record, description="x", reason="  ", change=lambda page: None)


def test_quorum_warning_after_saving_a_record_that_was_not_quorate(demo, client_for):
    from safety_pages.models import InstructionPage

    forum = builders.forum("mjolby", "quorum-admin")
    instruction = InstructionPage(
        title="Uppdrag", slug="uppdrag", ordinary_seats=3, status="antagen", adopted_by=_decision()
    )
    forum.add_child(instance=instruction)
    instruction.save_revision().publish()
    record = builders.record(
        forum, "m", date=datetime.date(2026, 2, 1), attendances=[{"name": "Ensam", "kind": "beslutande"}]
    )
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    response = builders.publish(client, record, data)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Sammanträdet var inte beslutfört: 1 av 3 ledamöter närvarande, minst 2 krävs." in page


def test_the_utskott_accepts_meeting_records_as_children(demo):
    assert (
        MeetingRecordPage
        in builders.forum("mjolby", "trygghets-och-sakerhetsutskottet").specific_class.allowed_subpage_models()
    )


def test_the_edit_form_names_the_next_free_number(forum, client_for):
    builders.record(
        forum, "jan", date=datetime.date(2026, 1, 20), paragraphs=[builders.paragraph(1), builders.paragraph(2)]
    )
    record = builders.record(forum, "feb", date=datetime.date(2026, 2, 20), paragraphs=[builders.paragraph(3)])
    response, _data = builders.edit_form(client_for("redaktor"), record)
    assert "Nästa lediga paragrafnummer 2026: § 4." in response.content.decode()


def _decision():
    from safety_pages.models import Decision

    return Decision.objects.create(body="Kommunstyrelsen", date=datetime.date(2025, 12, 1), summary="Uppdraget antas")
