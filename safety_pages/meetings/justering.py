"""The justering view: where the chair and each justerare read the record as it will be published and sign.

Read-only: the record under review (not the published one), who has signed, what stands in the way, and two
buttons, Justera and Begär ändring. No edit form and no way to cancel the workflow (issue 20, defect 3): a
change goes back to the secretary with the signer's comment. Every refusal is a Swedish message, never a 500.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from safety_pages.models import JusteringTask, MeetingRecordPage, meeting_forms, signatures
from safety_pages.models.choices import AttendanceFunction, AttendanceKind


class ChangeRequestForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Vad behöver ändras?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def _justering_state(record):
    """The record's task state in Justering, with its task, or (None, None)."""
    state = record.current_workflow_task_state
    if state is None:
        return None, None
    task = state.task.specific
    return (state.specific, task) if isinstance(task, JusteringTask) else (None, None)


class JusteringView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "safety_pages/admin/justering.html"
    header_icon = "tick"

    def dispatch(self, request, page_id):
        self.record = get_object_or_404(Page, pk=page_id).specific
        if not isinstance(self.record, MeetingRecordPage):
            raise PermissionDenied
        self.task_state, self.task = _justering_state(self.record)
        may_edit = self.record.permissions_for_user(request.user).can_edit()
        if not may_edit and (self.task is None or not self.task.may_see(self.record, request.user)):
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Justering: %(title)s") % {"title": self.record.get_admin_display_title()}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = self.record.get_latest_revision_as_object()
        status, errors = meeting_forms.justering_status(self.record)
        attendances = list(latest.attendances.all())
        user = self.request.user
        context.update(
            record=latest,
            page=latest,
            forum=self.record.forum,
            in_justering=self.task is not None,
            may_sign=self.task is not None and self.task.may_approve(self.record, user),
            signer_status=status,
            errors=errors,
            paragraphs=list(latest.paragraphs.all()),
            attendance_groups=[
                (label, [a for a in attendances if a.kind == value]) for value, label in AttendanceKind.choices
            ],
            adjusters=[a for a in attendances if a.function == AttendanceFunction.ADJUSTER],
            history=signatures.signatures_of(self.record).select_related("user"),
            change_form=kwargs.get("change_form") or ChangeRequestForm(),
        )
        return context

    def post(self, request, page_id):
        if self.task is None or not self.task.may_approve(self.record, request.user):
            messages.error(request, _("Du kan inte justera det här protokollet nu."))
            return redirect(request.path)
        if "request_change" in request.POST:
            return self._request_change(request)
        errors = self.record.justering_errors(timezone.localdate())
        if errors:
            for error in errors:
                messages.error(request, error)
            return redirect(request.path)
        self.task.on_action(self.task_state, request.user, "approve", comment="")
        record = MeetingRecordPage.objects.get(pk=self.record.pk)
        if record.current_workflow_state is None:
            messages.success(request, _("Du har justerat protokollet. Alla har justerat: protokollet är justerat."))
        else:
            messages.success(request, _("Du har justerat protokollet. Det väntar på de andras justering."))
        return redirect(request.path)

    def _request_change(self, request):
        form = ChangeRequestForm(request.POST)
        if not form.is_valid() or not form.cleaned_data["comment"].strip():
            messages.error(request, _("Skriv vad som behöver ändras."))
            return self.render_to_response(self.get_context_data(change_form=form))
        self.task.on_action(self.task_state, request.user, "reject", comment=form.cleaned_data["comment"])
        messages.success(request, _("Protokollet har skickats tillbaka till sekreteraren med din kommentar."))
        return redirect(reverse("wagtailadmin_home"))
