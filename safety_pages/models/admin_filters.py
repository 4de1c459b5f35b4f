"""List filters by a related row for the registers' ModelAdmin listings.

Django's filter for a foreign key (`list_filter = ("municipality",)`) looks up the related model's admin in
django.contrib.admin's site, which this project does not install: the listing answered 500. A `SimpleListFilter`
names its choices itself, so the registers of every feature build theirs here.
"""

from django.contrib.admin import SimpleListFilter

from safety_pages.access.ids import row_id


def related_filter(field, title, choices):
    """A list filter on the foreign key `field`, offering the rows `choices()` returns (called per request)."""

    class RelatedFilter(SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return [(str(row.pk), str(row)) for row in choices()]

        def queryset(self, request, queryset):
            if self.value() is None:
                return queryset
            # An id no row can have (typed into the address) filters to nothing rather than failing.
            return queryset.filter(**{f"{field}_id": row_id(self.value())})

    RelatedFilter.title = title
    RelatedFilter.__name__ = RelatedFilter.__qualname__ = f"{field.title()}Filter"
    return RelatedFilter
