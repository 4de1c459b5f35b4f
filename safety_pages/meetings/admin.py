"""Admin for meeting records: the case register and the quorum warning after saving a record."""

from django.contrib import messages
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail_modeladmin.helpers.search import DjangoORMSearchHandler
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from safety_pages.models import Case, MeetingRecordPage, MeetingStatus, SectionPage, normalise_case_number
from safety_pages.models.admin_filters import related_filter


class CaseNumberSearchHandler(DjangoORMSearchHandler):
    """A case is found however its number is typed: 'KS/2017:152', 'KS 2017/152', 'ks2017-152'…"""

    def search_queryset(self, queryset, search_term, **kwargs):
        key = normalise_case_number(search_term or "")
        if key:
            return queryset.filter(normalised_number=key)
        return super().search_queryset(queryset, search_term, **kwargs)


class CaseAdmin(ModelAdmin):
    model = Case
    menu_label = gettext_lazy("Ärenden (Dnr)")
    menu_icon = "folder-open-inverse"
    menu_order = 310
    add_to_settings_menu = False
    list_display = ("number", "title", "status", "municipality", "case_page")
    list_filter = ("status", related_filter("municipality", gettext_lazy("kommun"), SectionPage.objects.all))
    search_fields = ("number", "normalised_number", "title")
    search_handler_class = CaseNumberSearchHandler
    ordering = ("-normalised_number",)

    def case_page(self, case):
        return format_html('<a href="{}">{}</a>', case.get_absolute_url(), _("Visa ärendet"))

    case_page.short_description = gettext_lazy("Ärendesida")


modeladmin_register(CaseAdmin)


def _warn_about_quorum(request, page):
    page = page.specific
    if not isinstance(page, MeetingRecordPage) or page.status != MeetingStatus.HELD:
        return
    quorum = page.quorum()
    if quorum.quorate is False or quorum.quorate_throughout is False:
        messages.warning(request, quorum.message)


@hooks.register("after_create_page")
def warn_about_quorum_after_create(request, page):
    _warn_about_quorum(request, page)


@hooks.register("after_edit_page")
def warn_about_quorum_after_edit(request, page):
    _warn_about_quorum(request, page)
