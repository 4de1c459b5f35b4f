"""Template tags of the meeting records: a forum's meetings, as the reader may see them."""

from django import template
from django.utils import timezone

from safety_pages.access import visibility
from safety_pages.meetings.kallelse import absence_link_for
from safety_pages.models import MeetingRecordPage, SectionPage
from safety_pages.models.choices import UPCOMING_STATUSES
from safety_pages.models.generation import Lazy
from safety_pages.models.notices import expected_attendance

register = template.Library()


@register.inclusion_tag("safety_pages/includes/forum_meetings.html", takes_context=True)
def forum_meetings(context, forum, limit=10):
    """Upcoming meetings and the latest records of `forum` (only those the reader may see).

    Drawn inside the forum page's cached body, whose key names the records this reader may see
    (ForumPage.reader_key); the lists are loaded only when drawn.
    """
    request = context["request"]
    records = visibility.visible(MeetingRecordPage.objects.child_of(forum), request).filter(meeting_date__isnull=False)
    today = timezone.localdate()
    section = context.get("section")
    return {
        "forum": forum,
        "upcoming": Lazy(
            lambda: list(records.filter(meeting_date__gte=today).order_by("meeting_date", "starts_at")[:limit])
        ),
        "earlier": Lazy(lambda: list(records.filter(meeting_date__lt=today).order_by("-meeting_date")[:limit])),
        "section": section if section is not None else Lazy(lambda: SectionPage.objects.ancestor_of(forum).first()),
        "request": request,
    }


@register.inclusion_tag("safety_pages/includes/meeting_notice_panel.html", takes_context=True)
def meeting_notice_panel(context, record):
    """Outside the record's cached body, per reader, for a meeting still to be held: a called member's förhinder
    button, and for the secretary (who may edit the meeting) the expected attendance."""
    request = context["request"]
    if getattr(request, "is_preview", False) or record.status not in UPCOMING_STATUSES:
        return {}
    may_edit = request.user.is_authenticated and record.permissions_for_user(request.user).can_edit()
    return {
        "absence_url": absence_link_for(request.user, record),
        "attendance": expected_attendance(record) if may_edit else None,
    }
