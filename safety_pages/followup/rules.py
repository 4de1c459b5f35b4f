"""The editors' follow-up: what is overdue or coming up, rule by rule.

One service feeds both the panel on the Wagtail admin home and the full
follow-up view, so both always agree. Every rule starts from `visible()`, so an
editor is shown only pages they may read; each line links to the page's edit
view when the editor may change it, otherwise to the page itself.

Rules:
- steering documents in force (or under revision) whose review date has passed
  or falls within REVIEW_HORIZON_DAYS;
- citizen-dialogue actions still open after their due date;
- active forums that this year have fewer meetings held or planned than their
  instruction (or, lacking one, the forum page) requires;
- meeting records not justerade two weeks after the meeting, published or still in the workflow (a record in
  Granskning or Justering is listed for those who may edit it);
- justerade records without an anslag date;
- decisions not expedierade to every recipient a week after justering.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.models import Page, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from safety_pages.access.visibility import visible
from safety_pages.models import (
    CitizenDialogueReportPage,
    DialogueAction,
    ForumPage,
    ForumStatus,
    InstructionPage,
    InstructionStatus,
    MeetingRecordPage,
    Paragraph,
    SteeringDocumentPage,
    schedule,
)
from safety_pages.models.choices import MeetingStatus
from safety_pages.models.dialogues import OPEN_ACTION_STATUSES
from safety_pages.models.dispatch import undispatched_recipients
from safety_pages.models.steering import ACTIVE_STATUSES

# A record should be justerat within this many days of the meeting.
ADJUSTMENT_DAYS = 14
# Its decisions should be expedierade within this many days of the justering.
DISPATCH_DAYS = 7
# The expediering view (safety_pages/meetings/dispatch.py), by its URL name: the feature packages stay apart.
DISPATCH_URL = "safety_pages_dispatch"


@dataclass
class Item:
    page_id: int
    title: str
    detail: str
    state: str  # "overdue" (past its date) or "due" (coming up)
    date: datetime.date | None = None
    url: str = ""
    editable: bool = False
    # Where the line leads those who may edit the page (the admin URL name, given the page id).
    edit_url_name: str = "wagtailadmin_pages:edit"


@dataclass
class Rule:
    key: str
    heading: str
    empty_text: str
    items: list = field(default_factory=list)


def _fmt(day):
    return date_format(day, "Y-m-d") if day else ""


def steering_reviews(request, today):
    horizon = today + datetime.timedelta(days=schedule.REVIEW_HORIZON_DAYS)
    documents = visible(
        SteeringDocumentPage.objects.filter(status__in=ACTIVE_STATUSES, next_review_on__lte=horizon),
        request,
    ).order_by("next_review_on", "title")
    items = []
    for document in documents.only("id", "title", "next_review_on", "status"):
        overdue = document.next_review_on < today
        detail = (_("Skulle ha reviderats %(date)s") if overdue else _("Ska revideras senast %(date)s")) % {
            "date": _fmt(document.next_review_on)
        }
        if document.status != "gallande":
            detail = f"{detail} ({document.get_status_display()})"
        items.append(
            Item(document.pk, document.title, detail, "overdue" if overdue else "due", document.next_review_on)
        )
    return items


def overdue_actions(request, today):
    reports = visible(CitizenDialogueReportPage.objects.all(), request).values("pk")
    actions = (
        DialogueAction.objects.filter(page__in=reports, status__in=OPEN_ACTION_STATUSES, due_on__lt=today)
        .select_related("page", "responsible_forum", "responsible_organisation")
        .order_by("due_on", "page__title", "sort_order")
    )
    items = []
    for action in actions:
        responsible = action.responsible
        detail = _("%(report)s – skulle vara klar %(date)s (%(status)s)") % {
            "report": action.page.title,
            "date": _fmt(action.due_on),
            "status": action.get_status_display(),
        }
        if responsible:
            detail = _("%(detail)s, ansvar: %(responsible)s") % {"detail": detail, "responsible": responsible}
        items.append(Item(action.page_id, action.title, detail, "overdue", action.due_on))
    return items


def required_meetings(forums, today):
    """{forum id: minimum meetings per year}, from the instruction in force, else from the forum page."""
    required = {f.pk: f.meetings_per_year_min for f in forums if f.meetings_per_year_min}
    by_path = {f.path: f.pk for f in forums}
    instructions = InstructionPage.objects.live().filter(
        status=InstructionStatus.ADOPTED, meetings_per_year_min__isnull=False
    )
    for instruction in instructions.only("path", "meetings_per_year_min", "valid_from", "valid_to", "status"):
        forum_id = by_path.get(instruction.path[: -Page.steplen])
        if forum_id is not None and instruction.is_in_force(today):
            required[forum_id] = instruction.meetings_per_year_min
    return required


def forums_short_of_meetings(request, today):
    forums = list(
        visible(ForumPage.objects.filter(status=ForumStatus.ACTIVE), request)
        .only("id", "title", "path", "meetings_per_year_min")
        .order_by("path")
    )
    required = required_meetings(forums, today)
    if not required:
        return []
    # A meeting is a fact about the forum: closed minutes and records still in the workflow count too, so count
    # every record, published or not.
    counts = {}
    # (A planned meeting counts once its page is published: a draft is not yet a plan.)
    records = MeetingRecordPage.objects.filter(meeting_date__year=today.year).filter(
        models.Q(status=MeetingStatus.HELD)
        | models.Q(live=True, status__in=[MeetingStatus.PLANNED, MeetingStatus.NOTICE_SENT])
    )
    for path in records.values_list("path", flat=True):
        counts[path[: -Page.steplen]] = counts.get(path[: -Page.steplen], 0) + 1
    items = []
    for forum in forums:
        needed, held = required.get(forum.pk), counts.get(forum.path, 0)
        if needed and held < needed:
            detail = ngettext(
                "%(count)s sammanträde hållet eller planerat %(year)s, uppdraget kräver minst %(needed)s",
                "%(count)s sammanträden hållna eller planerade %(year)s, uppdraget kräver minst %(needed)s",
                held,
            ) % {"count": held, "year": today.year, "needed": needed}
            items.append(Item(forum.pk, forum.title, detail, "overdue"))
    return items


def _records_for(request, records):
    """`records` this user may read (live ones) or edit (those not yet published, e.g. in Granskning)."""
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(request.user, ["change"])
    readable = visible(records, request).values("pk")
    return records.filter(models.Q(pk__in=readable) | models.Q(pk__in=editable.values("pk")))


def records_not_adjusted(request, today):
    cutoff = today - datetime.timedelta(days=ADJUSTMENT_DAYS)
    records = _records_for(
        request,
        MeetingRecordPage.objects.filter(status=MeetingStatus.HELD, adjusted_on__isnull=True, meeting_date__lte=cutoff),
    )
    # A record not yet published may carry a justering date its signatures never gave (issue 20, defect 1): those
    # in the workflow are listed too.
    in_workflow = MeetingRecordPage.objects.filter(
        status=MeetingStatus.HELD,
        meeting_date__lte=cutoff,
        live=False,
        pk__in=_records_in_workflow(),
    )
    records = (records | _records_for(request, in_workflow)).distinct().order_by("meeting_date", "title")
    items = []
    for record in records.only("id", "title", "meeting_date"):
        detail = _("Sammanträdet hölls %(date)s; protokollet är inte justerat") % {"date": _fmt(record.meeting_date)}
        items.append(Item(record.pk, record.title, detail, "overdue", record.meeting_date))
    return items


def _records_in_workflow():
    """Ids (as the workflow stores them, text) of pages in a workflow not finished: in progress or sent back."""
    states = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
    )
    return [int(object_id) for object_id in states.values_list("object_id", flat=True)]


def records_without_anslag(request, today):
    records = visible(
        MeetingRecordPage.objects.filter(status=MeetingStatus.HELD, adjusted_on__isnull=False, posted_on__isnull=True),
        request,
    ).order_by("adjusted_on", "title")
    items = []
    for record in records.only("id", "title", "adjusted_on"):
        detail = _("Justerat %(date)s; anslaget ska sättas upp senast andra dagen efter justeringen") % {
            "date": _fmt(record.adjusted_on)
        }
        items.append(Item(record.pk, record.title, detail, "overdue", record.adjusted_on))
    return items


def decisions_not_dispatched(request, today):
    cutoff = today - datetime.timedelta(days=DISPATCH_DAYS)
    records = visible(MeetingRecordPage.objects.filter(status=MeetingStatus.HELD, adjusted_on__lte=cutoff), request)
    paragraphs = (
        Paragraph.objects.filter(record__in=records.values("pk"))
        .exclude(sent_to="")
        .select_related("record")
        .prefetch_related("dispatches")
        .order_by("record__adjusted_on", "record__title", "record_id", "sort_order", "number")
    )
    waiting = {}  # record: [(number, recipients not yet noted)]
    for paragraph in paragraphs:
        left = undispatched_recipients(paragraph, {d.recipient for d in paragraph.dispatches.all()})
        if left:
            waiting.setdefault(paragraph.record, []).append((paragraph.number, len(left)))
    items = []
    for record, numbers in waiting.items():
        count = sum(left for _number, left in numbers)
        detail = ngettext(
            "Justerat %(date)s; %(paragraphs)s: %(count)s mottagare väntar på expediering",
            "Justerat %(date)s; %(paragraphs)s: %(count)s mottagare väntar på expediering",
            count,
        ) % {
            "date": _fmt(record.adjusted_on),
            "paragraphs": ", ".join(f"§ {number}" for number, _left in numbers),
            "count": count,
        }
        items.append(Item(record.pk, record.title, detail, "overdue", record.adjusted_on, edit_url_name=DISPATCH_URL))
    return items


RULES = [
    (
        "reviews",
        gettext_lazy("Styrdokument att revidera"),
        gettext_lazy("Inga styrdokument behöver revideras inom 90 dagar."),
        steering_reviews,
    ),
    (
        "actions",
        gettext_lazy("Försenade åtgärder från medborgardialoger"),
        gettext_lazy("Inga åtgärder är försenade."),
        overdue_actions,
    ),
    (
        "meetings",
        gettext_lazy("Forum med för få sammanträden i år"),
        gettext_lazy("Alla forum har så många sammanträden i år som deras uppdrag kräver."),
        forums_short_of_meetings,
    ),
    (
        "records",
        gettext_lazy("Protokoll som inte justerats inom två veckor"),
        gettext_lazy("Alla protokoll är justerade i tid."),
        records_not_adjusted,
    ),
    (
        "anslag",
        gettext_lazy("Justerade protokoll utan anslag"),
        gettext_lazy("Alla justerade protokoll har ett anslag."),
        records_without_anslag,
    ),
    (
        "dispatch",
        gettext_lazy("Beslut som inte expedierats en vecka efter justering"),
        gettext_lazy("Alla beslut är expedierade."),
        decisions_not_dispatched,
    ),
]


def _link(items, request):
    """Point every line at the edit view when the user may change the page, else at the page itself."""
    ids = {item.page_id for item in items}
    if not ids:
        return
    editable = set(
        PagePermissionPolicy()
        .instances_user_has_any_permission_for(request.user, ["change"])
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    front_urls = {}
    missing = ids - editable
    if missing:
        for page in Page.objects.filter(pk__in=missing).only("id", "url_path"):
            front_urls[page.pk] = page.get_url(request) or ""
    for item in items:
        item.editable = item.page_id in editable
        item.url = reverse(item.edit_url_name, args=[item.page_id]) if item.editable else front_urls.get(item.page_id)


def collect(request, today=None):
    """All rules with their items for this user, in dashboard order."""
    today = today or timezone.localdate()
    rules = []
    for key, heading, empty_text, function in RULES:
        rule = Rule(key=str(key), heading=str(heading), empty_text=str(empty_text), items=function(request, today))
        rules.append(rule)
    _link([item for rule in rules for item in rule.items], request)
    return rules


def count(rules):
    return sum(len(rule.items) for rule in rules)
