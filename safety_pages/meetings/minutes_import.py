"""*Importera protokoll* in the admin (issue 21, item 6): the minutes importer of `manage.py import_minutes`, reached
from the forum's page.

1. Upload: the secretary sends a .docx, .pdf or .txt. The reader (importer/read.py) takes a path, so the file is
   written to a temporary folder that the same request removes; what is kept between the steps is only the lines
   read, the file's name and its digest, in the session. The sessions are the database's, so the next step may land
   on any app server behind the load balancer.
2. Review: the lines read beside a form of what the parser found in them (the meeting, the attendance, the
   justerare, the anslag, each paragraph), which the secretary corrects. A second import (the same file, anywhere,
   or a record of the forum from the same day) is warned of, naming the records the user may edit; going on takes
   the box "Importera ändå".
3. Skapa utkast: the unpublished record (importer/draft.py), then its edit view.

Only those who may add a record under the forum (Wagtail's page permissions) reach the views; anyone else gets 404,
as for a forum that does not exist, so the views name no forum the user may not add to.
"""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from safety_pages.meetings.importer.draft import (
    NumbersRefused,
    create_draft_record,
    duplicate_reason,
    duplicates,
    file_digest,
)
from safety_pages.meetings.importer.letterhead import join_pages
from safety_pages.meetings.importer.parse import ParsedAttendee, ParsedParagraph, parse_lines
from safety_pages.meetings.importer.read import MAX_FILE_BYTES, MinutesImportError, read_pages
from safety_pages.models import ForumPage, MeetingRecordPage, MeetingStatus, meeting_rules, normalise_case_number
from safety_pages.models.choices import AttendanceFunction, AttendanceKind

SESSION_KEY = "safety_pages_minutes_import"
# The file's own name is shown and becomes the title of a record without a date: long names are cut.
MAX_NAME_CHARS = 120


def may_import(forum, user):
    """Whether `user` may import minutes into `forum`: whether they may add a record under it."""
    return forum.permissions_for_user(user).can_add_subpage() and MeetingRecordPage.can_create_at(forum)


# --- the forms --------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Protokollfil"),
        error_messages={
            "required": gettext_lazy("Välj protokollfilen att importera."),
            "empty": gettext_lazy("Filen är tom."),
            "invalid": gettext_lazy("Det som skickades var ingen fil. Välj protokollfilen igen."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("En .docx-, .pdf- eller .txt-fil, högst %(max)s MB.") % {
            "max": MAX_FILE_BYTES // (1024 * 1024)
        }
        self.fields["file"].widget.attrs["accept"] = ".docx,.pdf,.txt"


def _date_field(label):
    # A date input takes and gives ISO dates whatever the language.
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _time_field(label):
    return forms.TimeField(label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


def _lines(text):
    """The lines of a textarea's value, as the browser sends them (CR LF), without blank ones."""
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _blocks(text):
    """A textarea's text as the parser's blocks (paragraphs separated by a blank line)."""
    text = (text or "").replace("\r\n", "\n").strip()
    return [text] if text else []


class MeetingForm(forms.Form):
    meeting_date = _date_field(gettext_lazy("Sammanträdesdatum"))
    place = forms.CharField(label=gettext_lazy("Plats"), max_length=200, required=False)
    starts_at = _time_field(gettext_lazy("Klockan, början"))
    ends_at = _time_field(gettext_lazy("Klockan, slut"))
    adjusters = forms.CharField(
        label=gettext_lazy("Justerare"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Ett namn per rad. Den närvarande med samma namn får funktionen justerare."),
    )
    adjusted_place = forms.CharField(label=gettext_lazy("Justeringens plats"), max_length=200, required=False)
    adjusted_on = _date_field(gettext_lazy("Justerat den"))
    posted_on = _date_field(gettext_lazy("Anslaget den"))
    taken_down_on = _date_field(gettext_lazy("Anslaget tas ned"))
    kept_at = forms.CharField(label=gettext_lazy("Förvaringsplats för protokollet"), max_length=200, required=False)
    digest = forms.CharField(widget=forms.HiddenInput)
    import_anyway = forms.BooleanField(label=gettext_lazy("Importera ändå"), required=False)

    def clean(self):
        cleaned = super().clean()
        # The order meeting → justering → anslag, as the record's own form holds it (meeting_rules).
        record = MeetingRecordPage(
            status=MeetingStatus.HELD,
            **{
                name: cleaned.get(name)
                for name in ("meeting_date", "starts_at", "ends_at", "adjusted_on", "posted_on", "taken_down_on")
            },
        )
        for name, message in meeting_rules.lifecycle_errors(record).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned


class AttendanceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    # The initial kind is what an untouched blank row sends: such a row is left out, not refused.
    kind = forms.ChoiceField(
        label=gettext_lazy("Närvaro som"), choices=AttendanceKind.choices, initial=AttendanceKind.MEMBER
    )
    function = forms.ChoiceField(label=gettext_lazy("Funktion"), choices=AttendanceFunction.choices, required=False)
    description = forms.CharField(label=gettext_lazy("Titel, parti eller uppdrag"), max_length=200, required=False)


class ParagraphForm(forms.Form):
    # Which paragraph of the parsed minutes this row corrects: its other sections (summary, beslutsunderlag,
    # yrkanden…) are kept as read.
    source = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    number = forms.IntegerField(
        label=gettext_lazy("Paragraf (§)"),
        min_value=1,
        max_value=9999,
        required=False,
        help_text=gettext_lazy("Tomt: nästa lediga nummer."),
    )
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=300)
    case_number = forms.CharField(label=gettext_lazy("Dnr"), max_length=60, required=False)
    background = forms.CharField(
        label=gettext_lazy("Bakgrund"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposal = forms.CharField(
        label=gettext_lazy("Förslag till beslut"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision = forms.CharField(label=gettext_lazy("Beslut"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sent_to = forms.CharField(
        label=gettext_lazy("Beslutet skickas till"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("En mottagare per rad."),
    )

    def clean_case_number(self):
        value = self.cleaned_data["case_number"].strip()
        if value and not normalise_case_number(value):
            raise ValidationError(
                _("”%(value)s” är inget diarienummer som går att läsa, t.ex. KS/2017:152 eller KS 2021/331.")
                % {"value": value}
            )
        return value


AttendanceFormSet = forms.formset_factory(AttendanceForm, extra=2, can_delete=True, max_num=500)
ParagraphFormSet = forms.formset_factory(ParagraphForm, extra=0, can_delete=True, max_num=500)


# --- between the forms and the parsed minutes ---------------------------------------------------------


def _initial(parsed, digest):
    meeting = {
        "meeting_date": parsed.meeting_date,
        "place": parsed.place or "",
        "starts_at": parsed.starts_at,
        "ends_at": parsed.ends_at,
        "adjusters": "\n".join(parsed.adjusters),
        "adjusted_place": parsed.adjusted_place or "",
        "adjusted_on": parsed.adjusted_on,
        "posted_on": parsed.posted_on,
        "taken_down_on": parsed.taken_down_on,
        "kept_at": parsed.kept_at or "",
        "digest": digest,
    }
    attendance = [attendee.as_json() for attendee in parsed.attendance]
    paragraphs = [
        {
            "source": index,
            "number": paragraph.number,
            "title": paragraph.title,
            "case_number": paragraph.case_number or "",
            "background": paragraph.text("background") or "",
            "proposal": paragraph.text("proposal") or "",
            "decision": paragraph.text("decision") or "",
            "sent_to": "\n".join(paragraph.sent_to),
        }
        for index, paragraph in enumerate(parsed.paragraphs)
    ]
    return meeting, attendance, paragraphs


def _kept(formset):
    """The forms of the rows to keep: filled in and not marked for deletion, in their order."""
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def _corrected(parsed, meeting, attendance, paragraphs):
    """The parsed minutes with the secretary's corrections: the fields of the forms replace what was read."""
    for name in ("meeting_date", "place", "starts_at", "ends_at", "adjusted_place", "adjusted_on", "posted_on"):
        setattr(parsed, name, meeting[name])
    parsed.taken_down_on, parsed.kept_at = meeting["taken_down_on"], meeting["kept_at"]
    parsed.adjusters = _lines(meeting["adjusters"])
    parsed.attendance = [
        ParsedAttendee(name=row["name"], kind=row["kind"], function=row["function"], description=row["description"])
        for row in (form.cleaned_data for form in _kept(attendance))
    ]
    read = parsed.paragraphs
    parsed.paragraphs = []
    for row in (form.cleaned_data for form in _kept(paragraphs)):
        source = row.get("source")
        item = read[source] if source is not None and source < len(read) else ParsedParagraph(number=None)
        item.number, item.title = row["number"], row["title"]
        item.case_number = row["case_number"] or None
        for section in ("background", "proposal", "decision"):
            item.sections[section] = _blocks(row[section])
        item.sent_to = _lines(row["sent_to"])
        parsed.paragraphs.append(item)
    return parsed


# --- the views --------------------------------------------------------------------------------------


class ForumImportMixin(WagtailAdminTemplateMixin):
    header_icon = "upload"

    def dispatch(self, request, forum_id):
        forum = get_object_or_404(Page, pk=forum_id).specific
        if not isinstance(forum, ForumPage) or not may_import(forum, request.user):
            raise Http404
        self.forum = forum
        return super().dispatch(request, forum_id)

    def get_page_title(self):
        return _("Importera protokoll: %(forum)s") % {"forum": self.forum.get_admin_display_title()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(forum_title=self.forum.get_admin_display_title(), **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("wagtailadmin_explore", args=[self.forum.pk]),
                "label": self.forum.get_admin_display_title(),
            },
            {"url": "", "label": _("Importera protokoll")},
        ]


class UploadView(ForumImportMixin, TemplateView):
    template_name = "safety_pages/admin/minutes_import_upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        return context

    def post(self, request, forum_id):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                lines, digest = _read(upload)
                parse_lines(lines)  # refuses, with the reason, a file in which no paragraph is found
            except MinutesImportError as error:
                form.add_error(
                    "file", _("%(file)s kan inte importeras: %(reason)s.") % {"file": upload.name, "reason": error}
                )
            else:
                request.session[SESSION_KEY] = {
                    "forum": self.forum.pk,
                    "name": Path(upload.name).name[:MAX_NAME_CHARS],
                    "digest": digest,
                    "lines": lines,
                }
                return redirect("safety_pages_import_minutes_review", self.forum.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _read(upload):
    """The lines of the uploaded file and its digest. The reader takes a path, named with the file's suffix (which
    says how to read it): a temporary folder of this request holds the copy, removed when it is read."""
    suffix = Path(upload.name).suffix.lower()[:10]
    with tempfile.TemporaryDirectory(prefix="protokoll-") as folder:
        path = Path(folder) / f"protokoll{suffix}"
        with path.open("wb") as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
        pages = read_pages(path)  # refuses too large, empty and unreadable files before the bytes are hashed
        return join_pages(pages), file_digest(path.read_bytes())


class ReviewView(ForumImportMixin, TemplateView):
    template_name = "safety_pages/admin/minutes_import_review.html"

    def _upload(self):
        upload = self.request.session.get(SESSION_KEY)
        return upload if upload and upload.get("forum") == self.forum.pk else None

    def get(self, request, forum_id):
        upload = self._upload()
        if upload is None:
            messages.info(request, _("Välj först protokollfilen att importera."))
            return redirect("safety_pages_import_minutes", self.forum.pk)
        parsed = self._read_again(upload)
        if parsed is None:
            return redirect("safety_pages_import_minutes", self.forum.pk)
        meeting, attendance, paragraphs = _initial(parsed, upload["digest"])
        return self.render_to_response(
            self.get_context_data(
                upload=upload,
                body=parsed.body,
                meeting_form=MeetingForm(initial=meeting),
                attendance_formset=AttendanceFormSet(initial=attendance, prefix="attendance"),
                paragraph_formset=ParagraphFormSet(initial=paragraphs, prefix="paragraphs"),
                found=self._duplicates(upload, parsed.meeting_date),
            )
        )

    def post(self, request, forum_id):
        upload = self._upload()
        meeting_form = MeetingForm(request.POST)
        if upload is None or request.POST.get("digest") != upload["digest"]:
            # Another tab uploaded another file since this form was drawn (or the session ended).
            messages.error(request, _("Filen som granskades finns inte längre kvar. Ladda upp den igen."))
            return TemplateResponse(
                request, UploadView.template_name, self.get_context_data(form=UploadForm()), status=400
            )
        parsed = self._read_again(upload)
        if parsed is None:
            return redirect("safety_pages_import_minutes", self.forum.pk)
        attendance = AttendanceFormSet(request.POST, prefix="attendance")
        paragraphs = ParagraphFormSet(request.POST, prefix="paragraphs")
        valid = all([meeting_form.is_valid(), attendance.is_valid(), paragraphs.is_valid()])
        meeting_date = meeting_form.cleaned_data.get("meeting_date") if valid else None
        found = self._duplicates(upload, meeting_date) if valid else []
        if valid and found and not meeting_form.cleaned_data["import_anyway"]:
            meeting_form.add_error(
                "import_anyway",
                _("Protokollet verkar redan vara importerat. Kryssa i ”Importera ändå” för att gå vidare."),
            )
            valid = False
        record = None
        if valid:
            _corrected(parsed, meeting_form.cleaned_data, attendance, paragraphs)
            try:
                with transaction.atomic():
                    record = create_draft_record(self.forum, parsed, upload["name"], request.user, upload["digest"])
            except NumbersRefused as error:
                # Told on the paragraph's own number: the rows are the kept forms, in their order.
                kept = _kept(paragraphs)
                for index, message in error.errors.items():
                    kept[index].add_error("number", message)
            except MinutesImportError as error:
                meeting_form.add_error(None, str(error))
            except ValidationError as error:
                meeting_form.add_error(None, "; ".join(error.messages))
        if record is None:
            context = self.get_context_data(
                upload=upload,
                body=parsed.body,
                meeting_form=meeting_form,
                attendance_formset=attendance,
                paragraph_formset=paragraphs,
                found=found or self._duplicates(upload, None),
            )
            return self.render_to_response(context, status=400)
        del request.session[SESSION_KEY]
        messages.success(
            request,
            _(
                "Utkastet ”%(title)s” är skapat från %(file)s och inte publicerat. Granska det och skicka det "
                "sedan till granskning."
            )
            % {"title": record.title, "file": upload["name"]},
        )
        return redirect("wagtailadmin_pages:edit", record.pk)

    def _read_again(self, upload):
        """The minutes parsed from the kept lines; None, the upload forgotten and the reason told, when they no longer
        parse (the parser was updated between the steps)."""
        try:
            return parse_lines(upload["lines"])
        except MinutesImportError as error:
            del self.request.session[SESSION_KEY]
            messages.error(
                self.request,
                _("%(file)s kan inte importeras: %(reason)s.") % {"file": upload["name"], "reason": error},
            )
            return None

    def _duplicates(self, upload, meeting_date):
        """[(reason, edit URL or None)]: a record the user may not edit is warned of without its title."""
        found = []
        for record, why in duplicates(self.forum, meeting_date, upload["digest"]):
            if record.permissions_for_user(self.request.user).can_edit():
                edit_url = reverse("wagtailadmin_pages:edit", args=[record.pk])
                found.append((duplicate_reason(record, why, upload["name"]), edit_url))
            elif why == "file":
                found.append(
                    (
                        _("%(file)s är redan importerad, till ett protokoll som du inte kan redigera")
                        % {"file": upload["name"]},
                        None,
                    )
                )
            else:
                found.append(
                    (_("forumet har redan ett protokoll från samma sammanträdesdatum, som du inte kan redigera"), None)
                )
        return found
