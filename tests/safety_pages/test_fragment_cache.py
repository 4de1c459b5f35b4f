"""Fragments cached for speed (members of a forum, the body of a paragraph) show every edit at once."""

import datetime

import pytest

from safety_pages.models import MeetingRecordPage, Membership, Person

from .conftest import make_forum
from .meetings_support import add_record, new_forum, paragraph

pytestmark = pytest.mark.django_db


def test_a_renamed_person_shows_on_the_forum_page_without_republishing_it(org, employee_client):
    forum = make_forum(org, "radet", title="Rådet")
    person = Person.objects.create(name="Anna Andersson")
    forum.memberships = [Membership(person=person, role="ordforande")]
    forum.save_revision().publish()
    assert "Anna Andersson" in employee_client.get(forum.url).content.decode()
    person.name = "Anna Berg"
    person.save()  # a register edit in the admin: the forum page itself is not published again
    html = employee_client.get(forum.url).content.decode()
    assert "Anna Berg" in html and "Anna Andersson" not in html


def test_a_corrected_paragraph_shows_in_the_record_and_its_extract_at_once(demo, client_for):
    forum = new_forum("mjolby", "forum-rattelse")
    record = add_record(forum, "m", date=datetime.date(2030, 2, 1), adjusted_on=datetime.date(2030, 2, 5),
                        paragraphs=[paragraph(7, decision="<p>Rådet beslutar att avslå.</p>")])
    client = client_for("medarbetare")
    assert "att avslå" in client.get(record.url).content.decode()
    assert "att avslå" in client.get(record.url + "paragraf/7/").content.decode()

    record = MeetingRecordPage.objects.get(pk=record.pk)
    corrected = record.paragraphs.first()
    corrected.decision = "<p>Rådet beslutar att bifalla.</p>"
    record.paragraphs = [corrected]
    record.save_revision().publish()
    for url in (record.url, record.url + "paragraf/7/"):
        html = client.get(url).content.decode()
        assert "att bifalla" in html and "att avslå" not in html
