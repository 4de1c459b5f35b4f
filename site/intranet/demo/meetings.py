"""Meeting records of the demo: Mjölby's utskott with § 35 and § 36, the KS decision of 2016-12-07,
a record not yet justerat (members only), an upcoming and a cancelled meeting.

Runs after the forum step. When that step has not created a forum (or the
demo member) yet, this step creates the minimum it needs, the same way the
forum step would, so the two agree whichever lands first.
"""

import datetime
import json

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from intranet.demo.pages import upsert_child
from safety_pages.models import (
    Attendance,
    Case,
    Dispatch,
    DispatchMethod,
    ForumIndexPage,
    ForumPage,
    MeetingRecordPage,
    Membership,
    Paragraph,
    Person,
)


def _time(value):
    return datetime.time.fromisoformat(value) if value else None


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _existing_or_new(parent, model, slug, **fields):
    """A page the forum step owns: use it when it is there, else create a minimal one."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page, _created = upsert_child(parent, model, slug, **fields)
    return page


def _forum(context, section_slug, slug, row=None):
    known = context.registry.get("forums", {}).get((section_slug, slug))
    if known is not None:
        return known
    section = context.sections[section_slug]
    index = _existing_or_new(section, ForumIndexPage, "organisation", title="Organisation för trygghet och säkerhet")
    if row is None:
        page = index.get_children().filter(slug=slug).first()
        return page.specific if page else None
    return _existing_or_new(index, ForumPage, slug, title=row["title"], kind=row["kind"], level=row["level"])


def _persons(context, rows):
    persons = {}
    for row in rows:
        person, _created = Person.objects.get_or_create(
            name=row["name"], defaults={"title": row.get("title", ""), "party": row.get("party", "")}
        )
        persons[row["name"]] = person
        user = context.users.get(row.get("user"))
        if user is not None and person.user_id is None and not Person.objects.filter(user=user).exists():
            person.user = user
            person.save(update_fields=["user"])
    return persons


def _ensure_membership(context, person, section_slug, forum_slug):
    """The demo member holds an active seat, so the closed record opens to them (idempotent)."""
    forum = _forum(context, section_slug, forum_slug)
    if forum is None or forum.memberships.filter(person=person).exists():
        return
    page = forum.get_latest_revision_as_object()
    page.memberships.add(Membership(person=person, role="ledamot", note="Fiktiv ledamot för demonstrationen"))
    page.save_revision().publish()


def _documents(rows):
    Document = get_document_model()
    documents = {}
    for row in rows:
        document = Document.objects.filter(title=row["title"]).first()
        if document is None:
            document = Document(title=row["title"])
            document.file.save(row["filename"], ContentFile(row["text"].encode("utf-8")), save=False)
            document.save()
        documents[row["key"]] = document
    return documents


def _case(municipality, row):
    if not row or not row.get("number"):
        return None
    case = Case.lookup(municipality, row["number"])
    if case is None:
        case = Case(municipality=municipality, number=row["number"], title=row["title"])
        case.save()
    return case


def _paragraph_values(row, municipality, documents):
    case = _case(municipality, row.get("case"))
    return {
        "number": row["number"],
        "title": row["title"],
        "case_id": case.pk if case else None,
        "background": row.get("background", ""),
        "summary": row.get("summary", ""),
        "basis": [
            {
                "type": "document",
                "value": {
                    "label": item["label"],
                    "document": documents[item["document"]].pk if item.get("document") else None,
                },
            }
            for item in row.get("basis", [])
        ],
        "motions": [{"type": "motion", "value": motion} for motion in row.get("motions", [])],
        "proposal_heading": row.get("proposal_heading", ""),
        "proposal": row.get("proposal", ""),
        "decision_heading": row.get("decision_heading", ""),
        "decision": row.get("decision", ""),
        "sent_to": "\n".join(row.get("sent_to", [])),
    }


def _attendance_values(row, persons):
    person = persons.get(row.get("person"))
    return {
        "person_id": person.pk if person else None,
        "name": "" if person else row.get("name", ""),
        "kind": row["kind"],
        "function": row.get("function", ""),
        "description": row.get("description", ""),
    }


def _current(record):
    paragraphs = [
        {
            "number": p.number,
            "title": p.title,
            "case_id": p.case_id,
            "background": p.background,
            "summary": p.summary,
            "basis": [{"type": b["type"], "value": b["value"]} for b in p.basis.raw_data],
            "motions": [{"type": b["type"], "value": b["value"]} for b in p.motions.raw_data],
            "proposal_heading": p.proposal_heading,
            "proposal": p.proposal,
            "decision_heading": p.decision_heading,
            "decision": p.decision,
            "sent_to": p.sent_to,
        }
        for p in record.paragraphs.all()
    ]
    attendances = [
        {"person_id": a.person_id, "name": a.name, "kind": a.kind, "function": a.function, "description": a.description}
        for a in record.attendances.all()
    ]
    return paragraphs, attendances


def load(context):
    data = json.loads((context.fixtures_dir / "meetings.json").read_text(encoding="utf-8"))
    for row in data["forums"]:
        _forum(context, row["section"], row["slug"], row)
    persons = _persons(context, data["persons"])
    for row in data["persons"]:
        if row.get("member_of"):
            _ensure_membership(context, persons[row["name"]], *row["member_of"])
    documents = _documents(data["documents"])

    records = {}
    for row in data["records"]:
        forum = _forum(context, row["section"], row["forum"])
        municipality = context.sections[row["section"]]
        fields = dict(row["fields"])
        for name in ("meeting_date", "adjusted_on", "posted_on", "taken_down_on"):
            if name in fields:
                fields[name] = _date(fields[name])
        for name in ("starts_at", "ends_at"):
            if name in fields:
                fields[name] = _time(fields[name])
        wanted_paragraphs = [_paragraph_values(p, municipality, documents) for p in row["paragraphs"]]
        wanted_attendances = [_attendance_values(a, persons) for a in row["attendances"]]
        if not forum.get_children().filter(slug=row["slug"]).exists():
            # A new record is created with its paragraphs and attendance: one revision, one publish.
            fields["paragraphs"] = [Paragraph(**values) for values in wanted_paragraphs]
            fields["attendances"] = [Attendance(**values) for values in wanted_attendances]
        record, created = upsert_child(forum, MeetingRecordPage, row["slug"], **fields)
        if not created and _current(record) != (wanted_paragraphs, wanted_attendances):
            record.paragraphs = [Paragraph(**values) for values in wanted_paragraphs]
            record.attendances = [Attendance(**values) for values in wanted_attendances]
            record.save_revision().publish()
        records[(row["forum"], row["slug"])] = record
        _note_past_dispatches(record)
    context.registry["meeting_records"] = records


def _note_past_dispatches(record):
    """The seeds' minutes were expedierade long before this portal: noted as such, so that the follow-up lists only
    what is new (the date is the justering's; how the decisions were sent is not known)."""
    if not record.adjusted_on:
        return
    for paragraph in record.paragraphs.all():
        for recipient in paragraph.recipients:
            Dispatch.objects.get_or_create(
                paragraph=paragraph,
                recipient=recipient,
                defaults={
                    "dispatched_on": record.adjusted_on,
                    "method": DispatchMethod.OTHER,
                    "note": "Expedierat före portalen; sättet är inte känt",
                },
            )
