"""The views of the kallelse: "Skicka kallelse" in the admin, and förhinder on the front end.

Skicka kallelse: the secretary (whoever may publish the meeting, or a redaktör of its area holding "Får skicka
kallelse", `roles.may_send_kallelse`) sees who will receive it (and who cannot be reached), and confirms; the meeting
is published as "kallelse utskickad" and one e-mail per recipient is queued (notices.py). Only a planned meeting's
kallelse is published this way: minutes still go through Granskning.

Förhinder: the link in the e-mail, signed for one meeting and one person (no password); GET shows what is being
confirmed, POST (CSRF-protected: the confirm button) records it. A member who is logged in reaches the same form
from the meeting page. A link that does not hold answers 400 with a Swedish message and no title.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from safety_pages.access import roles
from safety_pages.meetings import notices
from safety_pages.models import MeetingRecordPage, Person
from safety_pages.models.choices import UPCOMING_STATUSES


def _has_minutes(record):
    """Whether the meeting carries anything of its minutes: sending the kallelse publishes the page, and minutes are
    published only through Granskning (and Justering), whoever sends."""
    return bool(
        record.adjusted_on
        or record.posted_on
        or list(record.paragraphs.all())
        or list(record.attendances.all())
        or list(record.corrections.all())
    )


def kallelse_errors(record, live=None):
    """What stands in the way of sending the kallelse of this revision (Swedish messages). `live`: the page as
    published, which the sending replaces: a published record is not overwritten by a "kallelse"."""
    errors = []
    if record.status not in UPCOMING_STATUSES or (live is not None and live.status not in UPCOMING_STATUSES):
        errors.append(_("Kallelse skickas bara för ett planerat sammanträde."))
    if _has_minutes(record) or (live is not None and _has_minutes(live)):
        errors.append(
            _(
                "Sammanträdet har redan protokoll (paragrafer, närvaro eller justering). Kallelsen skickas före "
                "sammanträdet; protokollet publiceras genom granskning."
            )
        )
    if record.meeting_date is None:
        errors.append(_("Ange sammanträdesdatum innan kallelsen skickas."))
    elif record.meeting_date < timezone.localdate():
        errors.append(_("Sammanträdesdagen har redan varit."))
    if record.forum is None:
        errors.append(_("Sammanträdet ligger inte under ett forum."))
    return errors


class SendKallelseView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "safety_pages/admin/kallelse.html"
    header_icon = "mail"

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not isinstance(self.page, MeetingRecordPage):
            raise PermissionDenied
        # Sending publishes the meeting: those who may publish it, and the redaktörer of its area who hold the
        # right to send kallelser (what they may publish is limited by `kallelse_errors`).
        if not roles.may_send_kallelse(self.page, request.user):
            raise PermissionDenied
        self.record = self.page.get_latest_revision_as_object()
        self.live = self.page if self.page.live else None
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Skicka kallelse: %(title)s") % {"title": self.page.get_admin_display_title()}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        errors = self.errors()
        context.update(
            record=self.record,
            errors=errors,
            recipients=notices.recipients(self.record) if not errors else [],
            deliveries=self.page.notice_deliveries.select_related("person").order_by("kind", "person__name"),
            items=self.record.agenda_items.all(),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        )
        return context

    def errors(self):
        errors = kallelse_errors(self.record, self.live)
        # A lock (set by hand, or a workflow task such as Granskning in progress) holds for sending too: the sending
        # saves and publishes the meeting as the edit view would, and publishing would cancel the Granskning.
        lock = self.page.get_lock()
        if lock is not None and lock.for_user(self.request.user):
            errors.append(
                _("Sammanträdet är låst för dig (låst eller under granskning); kallelsen kan inte skickas nu.")
            )
        return errors

    def post(self, request, page_id):
        errors = self.errors()
        if errors:
            for error in errors:
                messages.error(request, error)
            return redirect(request.path)
        deliveries = notices.send_kallelse(self.record, request.user)
        messages.success(
            request,
            _("Sammanträdet är publicerat och kallelsen köad till %(count)s mottagare.") % {"count": len(deliveries)},
        )
        return redirect(request.path)


# --- förhinder ---------------------------------------------------------------------------------------


@login_not_required
def absence(request, token):
    """Förhinder by the signed link: confirm (GET), record (POST)."""
    try:
        record, person = notices.read_absence_token(token)
    except notices.TokenError as error:
        return render(request, "safety_pages/absence.html", {"error": str(error)}, status=400)
    if request.method not in ("GET", "HEAD", "POST"):
        return render(request, "safety_pages/absence.html", {"error": _("Otillåten metod.")}, status=405)
    already = record.absences.filter(person=person).exists()
    just_reported = request.method == "POST" and not already
    if just_reported:
        notices.report_absence(record, person, request.user)
    return render(
        request,
        "safety_pages/absence.html",
        {"record": record, "forum": record.forum, "person": person, "reported": already or just_reported},
    )


def absence_link_for(user, record):
    """The förhinder link of a logged-in member for this meeting, when they are called to it and may still report."""
    person = Person.objects.filter(user=user, active=True).first() if user.is_authenticated else None
    if person is None or record.status not in UPCOMING_STATUSES:
        return None
    if record.meeting_date is None or record.meeting_date < timezone.localdate():
        return None
    if not notices.rules.is_called(record, person):
        return None
    return reverse("safety_pages:absence", args=[notices.absence_token(record, person)])
