"""New inline rows that a save since the form was loaded has already stored: matched, not inserted again.

Wagtail 8 autosaves the edit form in the background. On a page never published, that save writes the form's new
inline rows (agenda items, paragraphs, attendance, memberships) to the database at once, and its answer gives the
open form their ids (`field_updates`, `WagtailAdminModelForm.get_field_updates_for_resave`), so the next save
updates them. A *Spara utkast* sent before that answer arrived posts the same rows without ids, and Wagtail's child
formset inserts them a second time (docs/meetings.md). A live page is not affected: its rows live in the revision
only, and a save replaces the rows without ids.

The form knows which revision it was loaded from (`loaded_revision_id`, posted by Wagtail's edit view). A row of the
page that the posted form does not name by id, that was not in that revision, and whose every field equals a new
row of the form was stored by such a save: the new row takes its id and updates it. Each stored row is matched once,
so items the editor typed twice on purpose are kept twice.
"""

import re

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from wagtail.models import Page, Revision

# Form fields that are not the row's content.
_FORMSET_FIELDS = ("id", "ORDER", "DELETE")
# Fields the server fills when the editor leaves them blank (a paragraph's § number): blank is not a difference.
_FILLED_BY_SAVE = ("number",)


def normalised(value):
    """A value as the minutes read it: rich text without the editor's block keys, streams without block ids.

    Also how a stored row and a posted one compare here, and the record's lock compares text (meeting_forms)."""
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "get_prep_value"):  # StreamValue
        value = value.get_prep_value()
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items() if key != "id"}
    if isinstance(value, str):
        value = re.sub(r'\sdata-block-key="[^"]*"', "", value).strip()
        return "" if re.fullmatch(r"(<p>\s*(<br/?>)?\s*</p>\s*)*", value) else value
    return value


def _stored_value(row, name):
    try:
        field = row._meta.get_field(name)
    except FieldDoesNotExist:
        return getattr(row, name, None)
    return field.value_from_object(row)


def _same_content(form, row):
    for name, value in form.cleaned_data.items():
        if name in _FORMSET_FIELDS or (name in _FILLED_BY_SAVE and value in (None, "")):
            continue
        if normalised(value) != normalised(_stored_value(row, name)):
            return False
    return True


class RowsSavedMeanwhileMixin:
    """For a WagtailAdminPageForm: new inline rows already stored by a save since the form was loaded (an autosave
    whose answer had not reached the form) are matched to the stored rows instead of being inserted again.

    Matched twice: in `clean` (the § numbers are given after it), and again as the rows are written, holding the
    page's row, so an autosave still writing while this form was cleaned has then either committed its rows (matched
    now) or waits until this save has committed."""

    def save(self, commit=True):
        page = self.instance
        if not commit or not page.pk or page.live:
            return super().save(commit=commit)
        with transaction.atomic():
            # Wagtail's own save locks no row before it writes; SQLite takes its write lock at BEGIN (settings).
            Page.objects.select_for_update().filter(pk=page.pk).exists()
            self.match_rows_saved_meanwhile()
            return super().save(commit=commit)

    def match_rows_saved_meanwhile(self):
        page = self.instance
        if not page.pk or page.live:
            return
        loaded = self._loaded_revision()
        if loaded is None:
            return
        for name, formset in self.formsets.items():
            if name != "comments" and formset.is_valid():
                self._match(formset, {row.get("pk") for row in loaded.content.get(name, ())})

    def _loaded_revision(self):
        revision_id = self.data.get("loaded_revision_id", "")
        # Posted by the browser: anything but a plausible id means "unknown", never a database error.
        if not (revision_id.isascii() and revision_id.isdigit() and int(revision_id) < 2**31):
            return None
        return Revision.page_revisions.filter(pk=revision_id, object_id=str(self.instance.pk)).first()

    def _match(self, formset, known_to_loaded):
        new_forms = [
            form
            for form in formset.forms
            if not form.instance.pk and getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if not new_forms:
            return
        posted_ids = {str(form.instance.pk) for form in formset.forms if form.instance.pk}
        stored = formset.model._default_manager.filter(**{formset.fk.name: self.instance.pk}).order_by("pk")
        meanwhile = [row for row in stored if str(row.pk) not in posted_ids and row.pk not in known_to_loaded]
        for form in new_forms:
            row = next((row for row in meanwhile if _same_content(form, row)), None)
            if row is not None:
                meanwhile.remove(row)
                # Saved as an update of that row (modelcluster keeps one item per id), and the answer's
                # field_updates hand its id to the form as Wagtail's autosave answer would have.
                form.instance.pk = row.pk
                form.instance._state.adding = False
