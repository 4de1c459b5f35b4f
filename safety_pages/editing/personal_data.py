"""The personal-data check in the admin: the findings page (with Kvittera), and the refusal of Granskning and
publishing while a finding is unresolved.

Wagtail has no hook between "the form is valid" and "the workflow starts", so the refusal runs first, in
`before_edit_page` / `before_create_page`: it reads the posted form into a copy of the page (nothing saved),
scans it, and when something is unresolved it turns the request into a plain save. The editor's text is kept
as a draft, nothing reaches Granskning or the site, and the message says why and links to the findings.
`before_publish_page` checks once more for the paths that publish without that form (none of ours today; it is
what Wagtail calls last before a page goes live from the edit view).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from safety_pages.models import (
    CitizenDialogueReportPage,
    MeetingRecordPage,
    SteeringDocumentPage,
    personal_data_review,
)

# The posted buttons that send a page on (to Granskning, live, or to the next task), and so need a clean check.
GUARDED_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow")
# The page types whose text is checked: the minutes, and the published documents that quote people.
CHECKED_TYPES = (MeetingRecordPage, SteeringDocumentPage, CitizenDialogueReportPage)


def _checked(page_class):
    return issubclass(page_class, CHECKED_TYPES)


def _guarded_action(request):
    if request.method != "POST":
        return None
    for name in GUARDED_ACTIONS:
        if request.POST.get(name):
            return name
    if request.POST.get("action-workflow-action") and request.POST.get("workflow-action-name") == "approve":
        return "action-workflow-action"
    return None


def _posted_page(request, page, parent):
    """The page as the posted form would make it, in memory only; None when the form is invalid (Wagtail then shows
    the form's own errors and saves nothing, so there is nothing to refuse)."""
    form_class = type(page).get_edit_handler().get_form_class()
    form = form_class(request.POST, request.FILES, instance=page, parent_page=parent, for_user=request.user)
    if not form.is_valid():
        return None
    return form.save(commit=False)


def _refuse(request, page, action, count):
    """Turn the request into a save of the draft, and say why."""
    post = request.POST.copy()
    post.pop(action, None)
    post.pop("workflow-action-name", None)
    request.POST = post
    message = _(
        "Sidan skickades inte vidare: den innehåller %(count)s fynd av personuppgifter eller sekretess som varken "
        "är borttagna eller kvitterade. Ändringarna sparas som utkast. Ta bort uppgifterna ur texten eller kvittera "
        "dem med ett skäl."
    ) % {"count": count}
    buttons = []
    if page.pk:
        buttons.append(messages.button(personal_data_review.findings_url(page), _("Visa fynden")))
    messages.error(request, message, buttons=buttons)


def check_before_edit(request, page):
    """before_edit_page: refuse sending on a page with unresolved findings (see the module's docstring)."""
    action = _guarded_action(request)
    page = page.specific
    if action is None or not _checked(type(page)):
        return None
    fresh = Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object()
    posted = _posted_page(request, fresh, page.get_parent())
    if posted is None:
        return None
    open_findings = personal_data_review.unresolved(posted)
    if open_findings:
        _refuse(request, page, action, len(open_findings))
    return None


def check_before_create(request, parent_page, page_class):
    """before_create_page: the same for a new page sent to Granskning or published at once."""
    action = _guarded_action(request)
    if action is None or not _checked(page_class):
        return None
    posted = _posted_page(request, page_class(owner=request.user), parent_page)
    if posted is None:
        return None
    open_findings = personal_data_review.unresolved(posted)
    if open_findings:
        _refuse(request, posted, action, len(open_findings))
    return None


def check_before_publish(request, page):
    """before_publish_page: the last word before a page goes live from the edit view (its draft is saved)."""
    page = page.specific
    if not _checked(type(page)):
        return None
    open_findings = personal_data_review.unresolved(page)
    if not open_findings:
        return None
    messages.error(
        request,
        _("Sidan publicerades inte: %(count)s fynd av personuppgifter eller sekretess är inte åtgärdade.")
        % {"count": len(open_findings)},
        buttons=[messages.button(personal_data_review.findings_url(page), _("Visa fynden"))],
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


# --- the findings page ---------------------------------------------------------------------------


class AcknowledgeForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(
        label=gettext_lazy("Skäl"),
        max_length=personal_data_review.MAX_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Till exempel ”ordförandens tjänstetelefon, publiceras med samtycke”."),
        error_messages={"required": gettext_lazy("Skriv varför uppgiften får publiceras.")},
    )


class FindingsView(WagtailAdminTemplateMixin, TemplateView):
    """Every finding of the page's latest draft with its place and context; an unacknowledged one can be
    acknowledged with a reason (Kvittera)."""

    template_name = "safety_pages/admin/personal_data.html"
    header_icon = "warning"

    def dispatch(self, request, page_id):
        page = get_object_or_404(Page, pk=page_id).specific
        if not _checked(type(page)) or not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        self.page = page
        self.draft = page.get_latest_revision_as_object()
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Personuppgifter och sekretess: %(title)s") % {"title": self.draft.get_admin_display_title()}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        failed = kwargs.get("failed")
        rows = []
        for finding, acknowledgement in personal_data_review.review(self.draft):
            form = None
            if acknowledgement is None:
                if failed is not None and failed.data.get("fingerprint") == finding.fingerprint:
                    form = failed
                else:
                    form = AcknowledgeForm(initial={"fingerprint": finding.fingerprint})
            rows.append((finding, acknowledgement, form))
        context.update(
            page=self.draft,
            rows=rows,
            failed=failed,
            open_count=sum(1 for _finding, ack, _form in rows if ack is None),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        )
        return context

    def post(self, request, page_id):
        form = AcknowledgeForm(request.POST)
        open_findings = {f.fingerprint: f for f in personal_data_review.unresolved(self.draft)}
        finding = open_findings.get(form.data.get("fingerprint"))
        if form.is_valid() and finding is None:
            form.add_error(None, _("Fyndet finns inte längre i texten, eller är redan kvitterat."))
        elif form.is_valid() and not form.cleaned_data["reason"].strip():
            form.add_error("reason", _("Skriv varför uppgiften får publiceras."))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(failed=form), status=400)
        personal_data_review.acknowledge(self.page, finding, request.user, form.cleaned_data["reason"].strip())
        done = {"kind": finding.kind_label, "place": finding.place_label}
        messages.success(request, _("Fyndet är kvitterat: %(kind)s i %(place)s.") % done)
        return redirect(request.path)
