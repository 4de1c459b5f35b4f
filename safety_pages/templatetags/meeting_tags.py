"""Template tags of the meeting records: a forum's meetings, as the reader may see them."""

from django import template
from django.utils import timezone

from .. import visibility
from ..models import MeetingRecordPage, SectionPage

register = template.Library()


@register.inclusion_tag("safety_pages/includes/forum_meetings.html", takes_context=True)
def forum_meetings(context, forum, limit=10):
    """Upcoming meetings and the latest records of `forum` (only those the reader may see)."""
    request = context["request"]
    records = visibility.visible(MeetingRecordPage.objects.child_of(forum), request).filter(meeting_date__isnull=False)
    today = timezone.localdate()
    upcoming = list(records.filter(meeting_date__gte=today).order_by("meeting_date", "starts_at")[:limit])
    earlier = list(records.filter(meeting_date__lt=today).order_by("-meeting_date")[:limit])
    section = SectionPage.objects.ancestor_of(forum).first()
    return {"forum": forum, "upcoming": upcoming, "earlier": earlier, "section": section, "request": request}
