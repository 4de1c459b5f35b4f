"""The admin's revision comparison in Swedish: an empty date or number read "None" and a choice its stored code.

Wagtail's FieldComparison writes the Python value as it is (`str(None)` is "None"); these fields are shown as a
reader would write them instead. Registered from AppConfig.ready(), never on import.
"""

from django.db import models
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.admin.compare import FieldComparison, TextDiff, register_comparison_class

EMPTY = _("(tomt)")


class ReadableFieldComparison(FieldComparison):
    """Empty as "(tomt)", choices by their label, dates as ISO dates."""

    def _text(self, value):
        if value is None or value == "":
            return str(EMPTY)
        choices = dict(self.field.flatchoices) if self.field.choices else {}
        return str(choices.get(value, value))

    def htmldiff(self):
        old, new = self._text(self.val_a), self._text(self.val_b)
        if self.val_a != self.val_b:
            return TextDiff([("deletion", old), ("addition", new)]).to_html()
        return escape(old)


def register():
    for field_class in (models.DateField, models.TimeField, models.IntegerField, models.DecimalField):
        register_comparison_class(field_class, comparison_class=ReadableFieldComparison)
