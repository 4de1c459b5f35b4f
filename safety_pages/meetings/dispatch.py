"""The expediering view: which decisions of a justerat record have been sent to their recipients, and noting more.

For those who may edit the record; anyone else gets the answer a missing record gives (404), so the view tells no
one that a record exists. Notes are kept per recipient line (models/dispatch.py); a note made by mistake can be
taken back.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Page

from safety_pages.models import Dispatch, DispatchMethod, MeetingRecordPage


def may_dispatch(record, user):
    """Whether `user` keeps the record's expediering: those who may edit it."""
    return record.permissions_for_user(user).can_edit()


def recipient_key(paragraph, position):
    return f"{paragraph.pk}:{position}"


class DispatchForm(forms.Form):
    recipients = forms.MultipleChoiceField(
        label=gettext_lazy("Mottagare"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Välj minst en mottagare som beslutet har skickats till.")},
    )
    dispatched_on = forms.DateField(label=gettext_lazy("Expedierat den"), widget=AdminDateInput)
    method = forms.ChoiceField(label=gettext_lazy("Hur"), choices=DispatchMethod.choices)
    note = forms.CharField(label=gettext_lazy("Anteckning"), max_length=300, required=False)

    def __init__(self, *args, record, pending, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.pending = pending  # {key: (paragraph, recipient)}
        self.fields["recipients"].choices = [
            (key, f"§ {paragraph.number}: {recipient}") for key, (paragraph, recipient) in pending.items()
        ]

    def clean_dispatched_on(self):
        day = self.cleaned_data["dispatched_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ett beslut kan inte ha expedierats i framtiden."))
        if self.record.adjusted_on and day < self.record.adjusted_on:
            raise forms.ValidationError(
                _("Besluten kan expedieras först när protokollet är justerat (%(date)s).")
                % {"date": self.record.adjusted_on.isoformat()}
            )
        return day


class DispatchView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "safety_pages/admin/dispatch.html"
    header_icon = "mail"

    def dispatch(self, request, page_id):
        record = get_object_or_404(Page, pk=page_id).specific
        if not isinstance(record, MeetingRecordPage) or not may_dispatch(record, request.user):
            raise Http404
        self.record = record
        paragraphs = record.paragraphs.order_by("sort_order", "number").prefetch_related("dispatches__dispatched_by")
        self.paragraphs = [paragraph for paragraph in paragraphs if paragraph.recipients]
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Expediering: %(title)s") % {"title": self.record.get_admin_display_title()}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def _rows(self):
        """[(paragraph, [(key, recipient, its note or None)])], in the record's order."""
        rows = []
        for paragraph in self.paragraphs:
            noted = {d.recipient: d for d in paragraph.dispatches.all()}
            recipients = [
                (recipient_key(paragraph, n), recipient, noted.get(recipient))
                for n, recipient in enumerate(paragraph.recipients)
            ]
            rows.append((paragraph, recipients))
        return rows

    def _pending(self, rows):
        return {key: (paragraph, recipient) for paragraph, lines in rows for key, recipient, note in lines if not note}

    def _form(self, rows, data=None):
        initial = {"dispatched_on": timezone.localdate()}
        return DispatchForm(data, initial=initial, record=self.record, pending=self._pending(rows))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self._rows()
        context.update(
            record=self.record,
            justerat=self.record.live and self.record.is_adjusted,
            rows=rows,
            form=kwargs.get("form") or self._form(rows),
            pending=len(self._pending(rows)),
        )
        return context

    def post(self, request, page_id):
        if not (self.record.live and self.record.is_adjusted):
            messages.error(request, _("Besluten kan expedieras först när protokollet är justerat."))
            return redirect(request.path)
        if "undo" in request.POST:
            return self._undo(request)
        rows = self._rows()
        form = self._form(rows, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        Dispatch.objects.bulk_create(
            [
                Dispatch(
                    paragraph=form.pending[key][0],
                    recipient=form.pending[key][1],
                    dispatched_on=data["dispatched_on"],
                    method=data["method"],
                    note=data["note"],
                    dispatched_by=request.user,
                )
                for key in data["recipients"]
            ],
            ignore_conflicts=True,  # a second tab noting the same recipient keeps the first note
        )
        count = len(data["recipients"])
        messages.success(
            request,
            ngettext(
                "%(count)s mottagare noterad som expedierad.", "%(count)s mottagare noterade som expedierade.", count
            )
            % {"count": count},
        )
        return redirect(request.path)

    def _undo(self, request):
        wanted = request.POST.get("undo", "").strip()
        note = Dispatch.objects.filter(paragraph__record=self.record, pk=wanted).first() if wanted.isdigit() else None
        if note is None:
            messages.error(request, _("Noteringen finns inte längre."))
        else:
            note.delete()
            messages.success(request, _("Noteringen för %(recipient)s är borttagen.") % {"recipient": note.recipient})
        return redirect(request.path)
