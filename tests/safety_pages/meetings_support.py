"""Builders shared by the meeting-record tests: forums, records with N paragraphs, the admin edit form."""

import datetime

from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from safety_pages.models import (
    Attendance,
    Case,
    ForumIndexPage,
    ForumPage,
    MeetingRecordPage,
    Paragraph,
    SectionPage,
)

UTSKOTT_PATH = "/trygghetsportalen/mjolby/organisation/trygghets-och-sakerhetsutskottet/"


def section(slug="mjolby"):
    return SectionPage.objects.get(slug=slug)


def forum_page(section_slug, slug):
    return ForumPage.objects.get(url_path=f"/trygghetsportalen/{section_slug}/organisation/{slug}/")


def new_forum(section_slug, slug, title=None):
    """A forum of our own, so a test controls its members and records."""
    index = ForumIndexPage.objects.child_of(section(section_slug)).first()
    if index is None:
        index = ForumIndexPage(title="Organisation för trygghet och säkerhet", slug="organisation")
        section(section_slug).add_child(instance=index)
        index.save_revision().publish()
    forum = ForumPage(title=title or slug, slug=slug, kind="utskott", level="politisk")
    index.add_child(instance=forum)
    forum.save_revision().publish()
    return ForumPage.objects.get(pk=forum.pk)


def case(number, title="Ett ärende", section_slug="mjolby"):
    existing = Case.lookup(section(section_slug), number)
    return existing or Case.objects.create(municipality=section(section_slug), number=number, title=title)


def add_record(
    forum,
    slug,
    *,
    date,
    paragraphs=(),
    adjusted_on=None,
    posted_on=None,
    status="genomfort",
    attendances=(),
    live=True,
    **fields,
):
    record = MeetingRecordPage(
        title=fields.pop("title", f"Sammanträde {date}"),
        slug=slug,
        meeting_date=date,
        status=status,
        adjusted_on=adjusted_on,
        posted_on=posted_on,
        live=live,  # live=False: a draft that was never published, as an editor's new record is
        **fields,
    )
    record.paragraphs = [Paragraph(**values) for values in paragraphs]
    record.attendances = [Attendance(**values) for values in attendances]
    forum.add_child(instance=record)
    revision = record.save_revision()
    if live:
        revision.publish()
    return MeetingRecordPage.objects.get(pk=record.pk)


def paragraph(number, title="Rubrik", **values):
    values.setdefault("decision", f"<p>Beslut i paragraf {number}.</p>")
    return {"number": number, "title": title, **values}


def today():
    return datetime.date(2026, 11, 22)


def edit_form(client, page: Page):
    """The page's admin edit form as an editor finds it: (response, mutable POST data)."""
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamFields are drawn by JavaScript, so their values are not in the HTML; the tests'
    # records have empty ones, which a browser sends as a count of zero.
    for index in range(int(data.get("paragraphs-TOTAL_FORMS", 0))):
        for stream in ("basis", "motions"):
            data.setdefault(f"paragraphs-{index}-{stream}-count", "0")
    return response, data


def add_inline(data, relation, values):
    """Append one row to an InlinePanel formset in POST data."""
    index = int(data[f"{relation}-TOTAL_FORMS"])
    data[f"{relation}-TOTAL_FORMS"] = str(index + 1)
    data[f"{relation}-{index}-ORDER"] = str(index + 1)
    data[f"{relation}-{index}-DELETE"] = ""
    data[f"{relation}-{index}-id"] = ""
    for name, value in values.items():
        data[f"{relation}-{index}-{name}"] = value
    return index


def add_paragraph_row(data, **values):
    from wagtail.test.utils.form_data import rich_text

    row = {
        "number": "",
        "title": "Ny paragraf",
        "case": "",
        "background": rich_text(""),
        "summary": rich_text(""),
        "basis-count": "0",
        "motions-count": "0",
        "proposal_heading": "",
        "proposal": rich_text(""),
        "decision_heading": "",
        "decision": rich_text("<p>Ett beslut.</p>"),
        "reservations": "",
        "disqualifications": "",
        "sent_to": "",
    }
    row.update(values)
    return add_inline(data, "paragraphs", row)


def publish(client, page, data):
    data["action-publish"] = "action-publish"
    return client.post(f"/admin/pages/{page.pk}/edit/", data)
