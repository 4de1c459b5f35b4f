"""The admin form of a meeting record: numbering, lifecycle dates and the lock after justering; and the panel
that tells the editor the next free paragraph number.

Kept out of the model module so the rules read top to bottom in one place;
the rules themselves live in `meeting_rules.py`.
"""

import copy

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import HelpPanel

from safety_pages.models import meeting_rules, signatures
from safety_pages.models.autosave_rows import RowsSavedMeanwhileMixin, normalised
from safety_pages.models.draft_slugs import OwnDraftSlugMixin
from safety_pages.models.site import SectionPage

LOCKED_PAGE_FIELDS = (
    "title",
    "meeting_date",
    "starts_at",
    "ends_at",
    "place",
    "status",
    "adjusted_on",
    "adjusted_place",
)


def _child_form_changed(form, fields):
    """Whether a saved child row is deleted or its content differs from what was justerat."""
    cleaned = getattr(form, "cleaned_data", None)
    if not form.instance.pk:
        return bool(cleaned) and not cleaned.get("DELETE")
    if cleaned is None or cleaned.get("DELETE"):
        return True
    return any(normalised(form.initial.get(name)) != normalised(cleaned.get(name)) for name in fields)


def _kept_forms(formset):
    """The child forms that will be saved: filled in and not marked for deletion."""
    forms = [
        form for form in formset.forms if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]
    return sorted(forms, key=lambda form: form.cleaned_data.get("ORDER") or 0)


class MeetingRecordPageForm(RowsSavedMeanwhileMixin, OwnDraftSlugMixin, WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The instance is the latest revision: once justerat, every later edit is a correction.
        self.was_adjusted = bool(self.instance.pk and self.instance.adjusted_on)
        self._point_case_chooser_at_municipality()

    def _point_case_chooser_at_municipality(self):
        """The case choosers of the paragraphs and the agenda items list the record's municipality's register (each
        has its own diarium).

        The chooser widget is registered by the meetings admin (which this layer may not import); it takes the
        municipality as `municipality_id`. The formset's form class is replaced, not only its forms, because the
        blank row the "add" button copies is made from the class.
        """
        forum = self._forum()
        section = SectionPage.objects.ancestor_of(forum, inclusive=True).first() if forum is not None else None
        if section is None:
            return
        for name in ("paragraphs", "agenda_items"):
            rows = self.formsets.get(name)
            widget = rows and rows.form.base_fields.get("case") and rows.form.base_fields["case"].widget
            if not hasattr(widget, "municipality_id"):
                continue
            field = copy.deepcopy(rows.form.base_fields["case"])
            field.widget.municipality_id = section.pk
            rows.form = type(rows.form.__name__, (rows.form,), {})
            rows.form.base_fields = {**rows.form.base_fields, "case": field}
            for form in rows.__dict__.get("forms", ()):  # rows already built
                form.fields["case"].widget.municipality_id = section.pk

    def _forum(self):
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        return getattr(parent, "specific", None)

    def clean(self):
        cleaned_data = super().clean()
        # First, so that a paragraph an autosave already stored is numbered as that one row.
        self.match_rows_saved_meanwhile()
        paragraphs = self.formsets.get("paragraphs")
        if paragraphs is not None and paragraphs.is_valid():
            self._number_paragraphs(paragraphs, cleaned_data)
        if self.was_adjusted:
            self._enforce_lock(cleaned_data)
        return cleaned_data

    def _number_paragraphs(self, formset, cleaned_data):
        forms = _kept_forms(formset)
        items = [form.instance for form in forms]
        for form, item in zip(forms, items, strict=True):
            item.number = form.cleaned_data.get("number")
        meeting_date = cleaned_data.get("meeting_date")
        year = meeting_date.year if meeting_date else None
        used = self.instance.numbers_used_elsewhere(self._forum(), year)
        errors = meeting_rules.assign_numbers(used, year, items)
        for index, form in enumerate(forms):
            if index in errors:
                form.add_error("number", errors[index])
            else:
                form.cleaned_data["number"] = items[index].number
        if errors:
            self.add_error(None, _("Kontrollera paragrafnumren under fliken ”Protokoll”."))

    def _enforce_lock(self, cleaned_data):
        # The justering date is not on the form (the signatures set it), so it can be neither typed nor removed.
        changed = any(name in self.changed_data for name in LOCKED_PAGE_FIELDS)
        for relation in ("paragraphs", "attendances"):
            formset = self.formsets.get(relation)
            if formset is None:
                continue
            formset.is_valid()
            fields = [name for name in formset.form.base_fields if name not in ("id", "ORDER", "DELETE")]
            if any(_child_form_changed(form, fields) for form in formset.forms):
                changed = True
            # The order is part of the text as signed, too: moving a paragraph is a change.
            if [form.instance.pk for form in _kept_forms(formset)] != [
                f.instance.pk for f in formset.forms if f.instance.pk
            ]:
                changed = True

        new_corrections = []
        corrections = self.formsets.get("corrections")
        if corrections is not None:
            corrections.is_valid()  # the page form is cleaned before its formsets: clean them now
            for form in corrections.forms:
                if form.instance.pk:
                    if form.has_changed():
                        form.add_error(None, _("En registrerad rättelse kan varken ändras eller tas bort."))
                        self.add_error(None, _("En registrerad rättelse kan varken ändras eller tas bort."))
                elif form.has_changed() and getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE"):
                    new_corrections.append(form)
        if changed and not new_corrections:
            self.add_error(
                None,
                _(
                    "Protokollet är justerat och texten är låst. Lägg till en rättelse med skäl under fliken "
                    "”Justering och anslag” för att ändra det."
                ),
            )
        for form in new_corrections:
            form.instance.made_by = self.for_user


class NextNumberPanel(HelpPanel):
    """Tells the editor which paragraph number comes next in the forum's running sequence for the year."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            forum = getattr(self.form, "parent_page", None)
            if forum is None and self.instance.pk:
                forum = self.instance.get_parent()
            year = (self.instance.meeting_date or timezone.localdate()).year
            own = [p.number for p in self.instance.paragraphs.all() if p.number] if self.instance.pk else []
            if forum is not None:
                number = self.instance.next_free_number(forum, year, also_taken=own)
                self.content = format_html(
                    "<p>{}</p>{}",
                    _("Nästa lediga paragrafnummer %(year)s: § %(number)s.") % {"year": year, "number": number},
                    self.content,
                )


def justering_status(record):
    """(signer, signed: bool) for each who must sign the text under review, and what stands in the way."""
    if not record.pk:
        return [], []
    digest = signatures.text_digest(record)
    signed = signatures.valid_signers(record, digest)
    status = [(signer, signer.user is not None and signer.user.pk in signed) for signer in record.justering_signers()]
    errors = record.justering_errors(timezone.localdate()) if record.needs_justering() else []
    return status, errors


class JusteringStatusPanel(HelpPanel):
    """The justering as the signatures make it, read-only: the date, who has signed, and what is in the way.

    Granskning sees the warnings here before it sends the record on to Justering.
    """

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            record = self.instance
            if record.adjusted_on and not record.needs_justering():
                self.content = format_html(
                    "<p>{}</p>",
                    _("Justerat %(date)s.") % {"date": date_format(record.adjusted_on, "Y-m-d")},
                )
                return
            status, errors = justering_status(record)
            rows = format_html_join(
                "",
                "<li>{} ({}): {}</li>",
                (
                    (signer.name, signer.function_label, _("har justerat") if signed else _("har inte justerat"))
                    for signer, signed in status
                ),
            )
            warnings = format_html_join("", '<p class="help-block help-warning">{}</p>', ((e,) for e in errors))
            self.content = format_html(
                "<p>{}</p><ul>{}</ul>{}",
                _(
                    "Protokollet justeras av ordföranden och varje justerare, var och en för sig, i steget Justering. "
                    "Justeringsdatumet sätts när den sista har justerat."
                ),
                rows,
                warnings,
            )
