"""What the start page lists for its reader (issue 23, item 2): the same three lists for everyone, the member's
own forums, and the tasks of an editor or a justerare.

Every list starts from `visible()`, so the start page names nothing its reader could not open. The lists for
everyone depend only on the groups the reader holds (`shared_reader_key`), so the home page caches them per
group set; a member of a forum also reads that forum's closed records, so a member's lists are never shared.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Task, TaskState
from wagtail.permission_policies.pages import PagePermissionPolicy

from safety_pages.access import visibility
from safety_pages.models import ForumPage, JusteringTask, MeetingRecordPage, SectionPage, SteeringDocumentPage
from safety_pages.models.choices import MeetingStatus
from safety_pages.models.readers import active_membership_q, member_forum_paths
from safety_pages.models.workflow_tasks import justering_url, outstanding_signers

# How many lines each list for everyone shows.
LIST_LENGTH = 5
UPCOMING = [MeetingStatus.PLANNED, MeetingStatus.NOTICE_SENT]


@dataclass
class Meeting:
    record: MeetingRecordPage
    forum: Page | None
    section: Page | None = None


@dataclass
class ToDo:
    title: str
    detail: str
    url: str
    action: str
    date: datetime.date | None = None


def shared_reader_key(request):
    """A key naming everyone who sees the same lists as this reader, or None when the lists are theirs alone.

    Visibility is decided by principals; a user's own principal only matters through a forum's closed records
    (readers.py), so a reader without a seat or local role sees what every holder of the same groups sees."""
    user = request.user
    if visibility.is_unrestricted(user):
        return "unrestricted"
    principals = visibility.user_principals(request)
    if principals and member_forum_paths(request):
        return None
    return sorted(p for p in principals if not p.startswith("user:"))


def _forums_of(records, request):
    """{forum path: forum} for the parents of these records that the reader may see, in one query."""
    paths = {record.path[: -Page.steplen] for record in records}
    if not paths:
        return {}
    forums = visibility.visible(ForumPage.objects.filter(path__in=paths), request).only("id", "title", "path")
    return {forum.path: forum for forum in forums}


def _sections_of(records, request):
    """{section path: section} for the municipality sections above these records, in one query: forums of the
    same name sit in several municipalities ("Trygghetsrådet")."""
    prefixes = {record.path[:end] for record in records for end in range(Page.steplen, len(record.path), Page.steplen)}
    if not prefixes:
        return {}
    sections = visibility.visible(SectionPage.objects.filter(path__in=prefixes), request).only("id", "title", "path")
    return {section.path: section for section in sections}


def _section_above(record, sections):
    return next((section for path, section in sections.items() if record.path.startswith(path)), None)


def _with_forums(records, request, *, sections=False):
    forums = _forums_of(records, request)
    above = _sections_of(records, request) if sections else {}
    return [
        Meeting(record, forums.get(record.path[: -Page.steplen]), _section_above(record, above)) for record in records
    ]


def upcoming_meetings(request, today=None, limit=LIST_LENGTH):
    """The next meetings the reader may read, across municipalities, soonest first."""
    today = today or timezone.localdate()
    records = list(
        visibility.visible(
            MeetingRecordPage.objects.filter(meeting_date__gte=today, status__in=UPCOMING), request
        ).order_by("meeting_date", "starts_at", "title")[:limit]
    )
    return _with_forums(records, request, sections=True)


def latest_records(request, limit=LIST_LENGTH):
    """The most recently justerade records the reader may read."""
    records = list(
        visibility.visible(
            MeetingRecordPage.objects.filter(status=MeetingStatus.HELD, adjusted_on__isnull=False), request
        ).order_by("-adjusted_on", "-meeting_date", "title")[:limit]
    )
    return _with_forums(records, request)


def latest_documents(request, limit=LIST_LENGTH):
    """The steering documents the reader may read, the most recently published first."""
    return list(
        visibility.visible(SteeringDocumentPage.objects.all(), request).order_by("-last_published_at", "title")[:limit]
    )


def my_forums(request, today=None):
    """The forums where the reader holds an active seat, each with its next meeting the reader may read."""
    user = request.user
    # The forums of her seats are among these paths, read once per request for the visibility rules anyway.
    if not user.is_authenticated or not member_forum_paths(request):
        return []
    today = today or timezone.localdate()
    forums = list(
        visibility.visible(
            ForumPage.objects.filter(active_membership_q("memberships__", today), memberships__person__user=user),
            request,
        )
        .distinct()
        .order_by("title")
    )
    if not forums:
        return []
    upcoming = visibility.visible(
        MeetingRecordPage.objects.filter(meeting_date__gte=today, status__in=UPCOMING), request
    ).order_by("meeting_date", "starts_at")
    next_meeting = {}
    for forum in forums:
        # One query per forum, and a member sits in few: a window over all forums would read every record.
        next_meeting[forum.pk] = upcoming.filter(path__startswith=forum.path, depth=forum.depth + 1).first()
    return [Meeting(next_meeting[forum.pk], forum) for forum in forums]


def may_have_tasks(user):
    """Only those who reach the admin (editors, reviewers, named justerare) act on workflow tasks."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin"))


def may_edit_pages(user):
    """Whether the user may change some page: the follow-up is theirs to act on (Wagtail caches the rights)."""
    return may_have_tasks(user) and PagePermissionPolicy().user_has_any_permission(user, {"change"})


def _signatures_waiting(task, user):
    """The Justering states where this user's own signature is missing: a justerargrupp member who signs for
    nobody sees the record in the admin but has nothing to do, so `may_see` is not asked (it reads the forum)."""
    states = task.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("workflow_state")
    tasks = []
    for state in states:
        page = state.workflow_state.content_object
        if page is not None and user.pk in outstanding_signers(page.specific):
            tasks.append(ToDo(page.title, task.name, justering_url(page), "justera", _started(state)))
    return tasks


def _started(state):
    return timezone.localdate(state.started_at) if state.started_at else None


def workflow_tasks(request):
    """(records waiting for the reader's signature, other reviews waiting for them), each with its action link."""
    user = request.user
    if not may_have_tasks(user):
        return [], []
    to_sign, to_review = [], []
    for task in Task.objects.filter(active=True).specific():
        if isinstance(task, JusteringTask):
            to_sign += _signatures_waiting(task, user)
            continue
        states = task.get_task_states_user_can_moderate(user=user).select_related("workflow_state")
        for state in states:
            page = state.workflow_state.content_object
            if page is not None:
                edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
                to_review.append(ToDo(page.title, task.name, edit_url, "granska", _started(state)))
    return sorted(to_sign, key=_by_date), sorted(to_review, key=_by_date)


def _by_date(task):
    return (task.date or datetime.date.min, task.title)
