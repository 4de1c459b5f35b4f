"""Calendars (iCalendar) of meetings and an Atom feed of justerade records.

Both list only what the requesting user may read (`visibility.visible`), so
minutes closed to an employee never reach their calendar or feed reader.
"""

import datetime
import html
import re

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from safety_pages.access import secrecy, visibility
from safety_pages.models import ForumPage, MeetingRecordPage, MeetingStatus
from safety_pages.models.lookups import forum_or_404, section_or_404

# Where a block of the agenda ends: each item on its own line in the calendar, not "Val av justerareHandlingsplan".
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|div|blockquote)\s*>|<br\s*/?>", re.IGNORECASE)


def plain_lines(rich_text):
    """Rich text as plain lines for a calendar: one line per paragraph or list item, entities decoded."""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", rich_text)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def meeting_event(record, request, forum_title):
    """One VEVENT: linked back to the record's page; a cancelled meeting says so."""
    event = Event()
    event.add("uid", f"meeting-record-{record.pk}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", record.last_published_at or timezone.now())
    starts, ends = record.starts(), record.ends()
    if starts is not None:
        event.add("dtstart", starts)
        event.add("dtend", ends if ends is not None and ends > starts else starts + datetime.timedelta(hours=2))
    else:
        event.add("dtstart", record.meeting_date)
        event.add("dtend", record.meeting_date + datetime.timedelta(days=1))
    summary = _("Sammanträde: %(forum)s") % {"forum": forum_title}
    url = request.build_absolute_uri(record.url)
    description = [url]
    if record.is_cancelled:
        summary = _("INSTÄLLT: %(summary)s") % {"summary": summary}
        description.insert(0, record.cancellation_note or _("Sammanträdet är inställt."))
        event.add("status", "CANCELLED")
    else:
        event.add("status", "TENTATIVE" if record.status == MeetingStatus.PLANNED else "CONFIRMED")
        if record.agenda:
            description.insert(0, plain_lines(record.agenda))
    event.add("summary", summary)
    if record.place:
        event.add("location", record.place)
    event.add("url", url)
    event.add("description", "\n\n".join(description))
    return event


def _calendar_response(request, title, records, forum_titles):
    calendar = Calendar()
    calendar.add("prodid", "-//Trygghetsportalen//Sammanträden//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    for record in records:
        calendar.add_component(meeting_event(record, request, forum_titles.get(record.path[: -record.steplen], "")))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sammantraden.ics"'
    return response


def _meetings(request, parent):
    return (
        visibility.visible(MeetingRecordPage.objects.descendant_of(parent), request)
        .filter(meeting_date__isnull=False)
        .order_by("meeting_date", "starts_at")
    )


def forum_calendar(request, section, forum):
    forum = forum_or_404(request, section, forum)
    records = list(_meetings(request, forum))
    title = _("Sammanträden: %(forum)s") % {"forum": forum.title}
    return _calendar_response(request, title, records, {forum.path: forum.title})


def section_calendar(request, section):
    section = section_or_404(request, section)
    records = list(_meetings(request, section))
    forums = visibility.visible(ForumPage.objects.descendant_of(section), request)
    titles = dict(forums.values_list("path", "title"))
    # A meeting of a forum the user may not see is not theirs to see either.
    records = [r for r in records if r.path[: -r.steplen] in titles]
    title = _("Sammanträden: %(section)s") % {"section": section.title}
    return _calendar_response(request, title, records, titles)


class AdjustedRecordsFeed(Feed):
    """Newly justerade records of one forum, newest first. One instance per request (it keeps the request)."""

    feed_type = Atom1Feed

    def __init__(self, request):
        super().__init__()
        self.request = request

    def get_object(self, request, section, forum):
        return forum_or_404(request, section, forum)

    def title(self, forum):
        return _("Justerade protokoll: %(forum)s") % {"forum": forum.title}

    def subtitle(self, forum):
        return _("Protokoll från %(forum)s när de har justerats.") % {"forum": forum.title}

    def link(self, forum):
        return forum.url

    def items(self, forum):
        return list(
            visibility.visible(MeetingRecordPage.objects.child_of(forum), self.request)
            .filter(adjusted_on__isnull=False)
            .order_by("-adjusted_on", "-meeting_date")
            .prefetch_related("paragraphs")[:20]
        )

    def item_title(self, record):
        return record.title

    def item_description(self, record):
        # Atom sends the summary as type="html", which feed readers render: the titles are text, so escaped.
        parts = [_("Justerat %(date)s.") % {"date": date_format(record.adjusted_on, "Y-m-d")}]
        # A sekretess paragraph's title only when its editor allows it or the reader may read its text.
        paragraphs = list(record.paragraphs.all())
        sealed = any(p.secret for p in paragraphs) and not secrecy.may_read_secret(self.request, record)
        parts += [f"§ {p.number} {p.public_title if sealed else p.title}" for p in paragraphs]
        return "\n".join(escape(part) for part in parts)

    def item_link(self, record):
        return record.url

    def item_pubdate(self, record):
        return timezone.make_aware(datetime.datetime.combine(record.adjusted_on, datetime.time(12)))

    def item_updateddate(self, record):
        return record.last_published_at or self.item_pubdate(record)


def adjusted_records_feed(request, section, forum):
    return AdjustedRecordsFeed(request)(request, section=section, forum=forum)


class SectionAdjustedRecordsFeed(AdjustedRecordsFeed):
    """Newly justerade records of every forum of a section the reader may see."""

    def get_object(self, request, section):
        return section_or_404(request, section)

    def title(self, section):
        return _("Justerade protokoll: %(section)s") % {"section": section.title}

    def subtitle(self, section):
        return _("Protokoll från forumen i %(section)s när de har justerats.") % {"section": section.title}

    def items(self, section):
        forums = visibility.visible(ForumPage.objects.descendant_of(section), self.request)
        forum_paths = set(forums.values_list("path", flat=True))
        records = (
            visibility.visible(MeetingRecordPage.objects.descendant_of(section), self.request)
            .filter(adjusted_on__isnull=False)
            .order_by("-adjusted_on", "-meeting_date")
            .prefetch_related("paragraphs")[:50]
        )
        # A record of a forum the reader may not see is not theirs to see either (as in the section calendar).
        return [r for r in records if r.path[: -r.steplen] in forum_paths][:20]


def section_records_feed(request, section):
    return SectionAdjustedRecordsFeed(request)(request, section=section)
