"""Admin forms whose checks span a page and its inline rows (the model's clean() sees only itself)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm

from safety_pages.models.autosave_rows import RowsSavedMeanwhileMixin
from safety_pages.models.choices import ORDINARY_SEAT_ROLES, MemberRole


class ForumPageForm(RowsSavedMeanwhileMixin, WagtailAdminPageForm):
    """Checks the memberships as the editor left them against the forum's instruction in force."""

    def clean(self):
        cleaned_data = super().clean()
        # A new forum's memberships already stored by an autosave are not added twice (autosave_rows.py).
        self.match_rows_saved_meanwhile()
        formset = self.formsets.get("memberships")
        if formset is None or not formset.is_valid():
            return cleaned_data
        today = timezone.localdate()
        active = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.cleaned_data.get("starts_on") is None or form.cleaned_data["starts_on"] <= today)
            and (form.cleaned_data.get("ends_on") is None or form.cleaned_data["ends_on"] >= today)
        ]
        chairs = sum(1 for row in active if row.get("role") == MemberRole.CHAIR)
        if chairs > 1:
            message = _("Forumet kan bara ha en aktiv ordförande, men %(count)s är angivna.")
            self.add_error(None, message % {"count": chairs})

        instruction = self.instance.instruction_in_force() if self.instance.pk else None
        if instruction is not None and instruction.ordinary_seats is not None:
            ordinary = sum(1 for row in active if row.get("role") in ORDINARY_SEAT_ROLES)
            if ordinary > instruction.ordinary_seats:
                self.add_error(
                    None,
                    ngettext(
                        "Uppdragsbeskrivningen ”%(instruction)s” ger %(seats)s ordinarie plats, "
                        "men %(count)s aktiva ledamöter är angivna.",
                        "Uppdragsbeskrivningen ”%(instruction)s” ger %(seats)s ordinarie platser, "
                        "men %(count)s aktiva ledamöter är angivna.",
                        instruction.ordinary_seats,
                    )
                    % {"instruction": instruction.title, "seats": instruction.ordinary_seats, "count": ordinary},
                )
        return cleaned_data
