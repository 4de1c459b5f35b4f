"""The chooser for a paragraph's *Ärende (Dnr)*: search the municipality's register, or register a new Dnr
("Nytt ärende") without leaving the paragraph form.

A select of every case listed the whole register (and made the Protokoll tab 1 436 px wide). The chooser lists
only what the user may see: every case of a municipality they edit, and otherwise only the cases a paragraph they
may read handles, as the case page decides (`views.case_detail`): a case's title is content, and a justerare
with admin login only must not learn the titles of cases used only by closed records.
"""

import re

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from safety_pages.access import admin_scope, secrecy, visibility
from safety_pages.access.ids import row_id
from safety_pages.models import Case, MeetingRecordPage, Paragraph, SectionPage, normalise_case_number

# What people type when searching, beside the register's own forms: 'ks 2017-152' (a hyphen between year and
# number, which in a written Dnr would start a document suffix) and the lookup key itself, 'ks-2017-152'.
_TYPED_WITH_HYPHEN_RE = re.compile(
    r"^\s*(?P<series>[A-ZÅÄÖ]{1,6})?\s*[-/.]?\s*(?P<year>(?:19|20)\d{2})\s*-\s*(?P<number>\d{1,6})\s*$", re.I
)


def typed_case_number_key(term):
    """The lookup key of a case number as typed into a search field, or None when the term is no case number."""
    key = normalise_case_number(term)
    if key:
        return key
    match = _TYPED_WITH_HYPHEN_RE.match(term or "")
    if not match:
        return None
    return normalise_case_number(f"{match['series'] or ''} {match['year']}/{match['number']}")


def edited_municipalities(user):
    """The municipalities (section pages) in which this user may edit some page: they keep those registers."""
    paths = list(admin_scope.editable_pages(user).values_list("path", flat=True))
    return [
        section
        for section in SectionPage.objects.order_by("title")
        if any(path.startswith(section.path) or section.path.startswith(path) for path in paths)
    ]


def visible_cases(request, municipality_id=None):
    """The cases this user may be shown, of one municipality when `municipality_id` is given."""
    cases = Case.objects.all()
    if municipality_id is not None:
        cases = cases.filter(municipality_id=municipality_id)
    if visibility.is_unrestricted(request.user):
        return cases
    edited = [section.pk for section in edited_municipalities(request.user)]
    records = visibility.visible(MeetingRecordPage.objects.all(), request)
    handled = Paragraph.objects.filter(record__in=records.values("pk"), case__isnull=False).select_related("record")
    # A sekretess paragraph's case is part of its text (case page, search index): it counts only for its readers.
    readable = {p.case_id for p in handled if not p.secret or secrecy.may_read_secret(request, p.record)}
    return cases.filter(Q(municipality_id__in=edited) | Q(pk__in=readable))


def _municipality_id(request):
    """The record's municipality, passed by the widget; an id no row can have lists nothing rather than failing."""
    raw = request.GET.get("municipality")
    return None if raw is None else (row_id(raw) or 0)


class CaseSearchForm(BaseFilterForm):
    """A case is found however its number is typed ('KS/2017:152', 'ks 2017-152'), or by words of its title."""

    q = forms.CharField(
        label=_("Sök diarienummer eller ärendemening"),
        widget=forms.TextInput(attrs={"placeholder": _("T.ex. KS/2017:152")}),
        required=False,
    )

    def filter(self, objects):
        term = (self.cleaned_data.get("q") or "").strip()
        if not term:
            return objects
        self.is_searching = True
        self.search_query = term
        key = typed_case_number_key(term)
        if key:
            return objects.filter(normalised_number=key)
        return objects.filter(Q(number__icontains=term) | Q(title__icontains=term))


class CaseCreationForm(forms.ModelForm):
    """Nytt ärende: number and title; the municipality is the record's (or one the user edits, chosen)."""

    class Meta:
        model = Case
        fields = ["municipality", "number", "title"]

    def __init__(self, *args, municipalities=(), municipality_id=None, **kwargs):
        # The modal opens over the page's form, which has its own id_title: a label must name its own field.
        kwargs.setdefault("auto_id", "id_new_case_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = SectionPage.objects.filter(pk__in=[m.pk for m in municipalities])
        if municipality_id is not None and any(m.pk == municipality_id for m in municipalities):
            field.initial = municipality_id
            field.widget = forms.HiddenInput()


class CaseScopeMixin:
    """What every step of the chooser shares: the cases the user may see, and the creation form's municipality."""

    filter_form_class = CaseSearchForm

    def get_object_list(self):
        return visible_cases(self.request, _municipality_id(self.request)).select_related("municipality")

    def can_create(self):
        return super().can_create() and bool(edited_municipalities(self.request.user))

    def get_creation_form(self):
        return CaseCreationForm(
            **self.get_creation_form_kwargs(),
            municipalities=edited_municipalities(self.request.user),
            municipality_id=_municipality_id(self.request),
        )


class CaseChooseView(CaseScopeMixin, chooser_views.ChooseView):
    pass


class CaseChooseResultsView(CaseScopeMixin, chooser_views.ChooseResultsView):
    pass


class CaseChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        # The chosen step answers with the case's title: a case the user may not see is not found.
        found = visible_cases(self.request).filter(pk=row_id(pk)).first()
        if found is None:
            raise ObjectDoesNotExist
        return found


class CaseChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return visible_cases(self.request).filter(pk__in=[row_id(pk) for pk in pks if row_id(pk)])


class CaseCreateView(CaseScopeMixin, chooser_views.CreateView):
    pass


class CaseChooserWidget(BaseChooser):
    """The chooser widget; the record's form sets `municipality_id` so the modal lists that municipality's register."""

    municipality_id = None

    def get_chooser_modal_url(self):
        url = super().get_chooser_modal_url()
        return f"{url}?municipality={self.municipality_id}" if self.municipality_id else url


class CaseChooserViewSet(ChooserViewSet):
    model = Case
    icon = "folder-open-inverse"
    choose_one_text = _("Välj ärende (Dnr)")
    choose_another_text = _("Välj ett annat ärende")
    edit_item_text = _("Redigera ärendet")
    search_tab_label = _("Sök")
    create_action_label = _("Nytt ärende")
    create_action_clicked_label = _("Registrerar…")
    creation_tab_label = _("Nytt ärende")
    preserve_url_parameters = ["multiple", "municipality"]
    per_page = 20
    base_widget_class = CaseChooserWidget
    choose_view_class = CaseChooseView
    choose_results_view_class = CaseChooseResultsView
    chosen_view_class = CaseChosenView
    chosen_multiple_view_class = CaseChosenMultipleView
    create_view_class = CaseCreateView
    creation_form_class = CaseCreationForm
