"""Demo of the editorial workflow and local roles: a forum member with an account, a page in
review, a group-restricted page, the utskott's justerargrupp, and two meeting records in the
workflow (one in Granskning, one awaiting Justering by its chair and its justerare), so each demo user sees
what their role allows.

Runs last: it builds on the forums of the earlier steps (creating a forum with
minimal fields only when no earlier step has made it).
"""

import datetime
import json
import uuid

from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction, WorkflowState

from intranet.demo.pages import upsert_child
from safety_pages.editing.workflows import ensure_workflows
from safety_pages.models import (
    Attendance,
    ForumIndexPage,
    ForumPage,
    InstructionPage,
    MeetingRecordPage,
    Membership,
    Paragraph,
    Person,
)
from safety_pages.organisation.local_roles import local_roles_for, sync_all_forum_readers


def _forum(context, section_slug, spec):
    index, _ = upsert_child(
        context.sections[section_slug], ForumIndexPage, "organisation", title="Organisation för trygghet och säkerhet"
    )
    existing = index.get_children().filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing.specific
    page, _ = upsert_child(index, ForumPage, spec["slug"], title=spec["title"], kind=spec["kind"], level=spec["level"])
    return page


def _forum_member(context, data):
    """Link the demo user to a person with a membership, through a forum revision (as an editor would)."""
    user = context.users[data["username"]]
    person = Person.objects.filter(user=user).first()
    if person is None:
        person, _ = Person.objects.get_or_create(name=data["person"], defaults={"user": user})
        if person.user_id != user.pk:
            person.user = user
            person.save()
    forum = _forum(context, data["section"], data["forum"])
    if not Membership.objects.filter(forum=forum, person=person).exists():
        forum.memberships.add(Membership(person=person, role=data["role"]))
        forum.save_revision().publish()


def _chair(context, data):
    """The utskott's chair at the demo's meetings: a person with a login, who signs the justering with the
    justerare. No seat of the forum's own: the demo's seats and readers stay as the forum page describes them."""
    user = context.users[data["username"]]
    person, _ = Person.objects.get_or_create(name=data["person"], defaults={"user": user})
    if person.user_id != user.pk:
        person.user = user
        person.save()


def _sections(slug, items):
    # Stable block ids: the loader compares the stored blocks (which carry ids) to decide whether to save.
    return [
        {"type": "section", "value": item, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo/{slug}/{number}"))}
        for number, item in enumerate(items)
    ]


def _restricted_page(context, data):
    forum = _forum(context, data["section"], data["forum"])
    page, _ = upsert_child(
        forum, InstructionPage, data["slug"], title=data["title"], sections=_sections(data["slug"], data["sections"])
    )
    restriction = PageViewRestriction.objects.filter(page=page).first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(Group.objects.filter(name__in=data["groups"]))
    context.registry["restricted_page"] = page


def _in_review(context, data):
    forum = _forum(context, data["section"], data["forum"])
    page, created = upsert_child(
        forum,
        InstructionPage,
        data["slug"],
        publish=False,
        title=data["title"],
        sections=_sections(data["slug"], data["sections"]),
    )
    if not WorkflowState.objects.for_instance(page).exists():
        page.get_workflow().start(page, context.users[data["submitted_by"]])
    context.registry["in_review_page"] = page


def _existing_forum(context, section_slug, slug):
    """A forum an earlier step (or the forum member above) has made."""
    index = ForumIndexPage.objects.child_of(context.sections[section_slug]).get()
    return index.get_children().get(slug=slug).specific


def _justering_group(context, data):
    """The utskott's justerargrupp: its members justera the forum's records (and log in to the admin to do so)."""
    forum = _existing_forum(context, data["section"], data["forum"])
    group, _created = Group.objects.get_or_create(name=data["name"])
    group.user_set.add(*(context.users[name] for name in data["users"]))
    roles = local_roles_for(forum)
    if roles.reviewer_group_id != group.pk:
        roles.reviewer_group = group
        roles.save()


def _record_in_workflow(context, data):
    """A never-published record sent for Granskning; for stage "justering" also approved by the reviewer."""
    forum = _existing_forum(context, data["section"], data["forum"])
    if forum.get_children().filter(slug=data["slug"]).exists():
        return  # created on an earlier run, and wherever the workflow has got to since is kept
    justerare = Person.objects.filter(name=data["justerare"]).first()
    chair = Person.objects.filter(name=data.get("ordforande", "")).first()
    record = MeetingRecordPage(
        title=data["title"],
        slug=data["slug"],
        live=False,
        meeting_date=datetime.date.fromisoformat(data["meeting_date"]),
        starts_at=datetime.time.fromisoformat(data["starts_at"]),
        ends_at=datetime.time.fromisoformat(data["ends_at"]),
        place=data["place"],
        status="genomfort",
    )
    record.paragraphs = [Paragraph(**row) for row in data["paragraphs"]]
    # The chair and the justerare sign the justering, each for themselves.
    record.attendances = [
        Attendance(person=person, kind="beslutande", function=function)
        for person, function in ((chair, "ordforande"), (justerare, "justerare"))
        if person is not None
    ]
    forum.add_child(instance=record)
    submitter = context.users[data["submitted_by"]]
    record.save_revision(user=submitter)
    record.get_workflow().start(record, submitter)
    if data["stage"] == "justering":
        state = MeetingRecordPage.objects.get(pk=record.pk).current_workflow_task_state.specific
        state.task.specific.on_action(state, context.users[data["reviewed_by"]], "approve", comment="Granskat.")
    context.registry.setdefault("records_in_workflow", {})[data["stage"]] = record


def load(context):
    data = json.loads((context.fixtures_dir / "access.json").read_text(encoding="utf-8"))
    ensure_workflows(context.home)
    _forum_member(context, data["forum_member"])
    _chair(context, data["chair"])
    _restricted_page(context, data["restricted_page"])
    _in_review(context, data["in_review"])
    _justering_group(context, data["justering_group"])
    for row in data["records_in_workflow"]:
        _record_in_workflow(context, row)
    sync_all_forum_readers()
