"""Admin for meeting records: the case register, the warnings after saving a record (quorum, what stands in the
way of its justering), the justering view with its log actions, the expediering view, *Skapa protokoll* on a
held meeting, and *Importera protokoll* on a forum."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail_modeladmin.helpers.permission import PermissionHelper
from wagtail_modeladmin.helpers.search import DjangoORMSearchHandler
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from safety_pages.access import roles
from safety_pages.meetings.case_chooser import (
    CaseChooserViewSet,
    edited_municipalities,
    typed_case_number_key,
    visible_cases,
)
from safety_pages.meetings.dispatch import DispatchView, may_dispatch
from safety_pages.meetings.justering import JusteringView
from safety_pages.meetings.kallelse import SendKallelseView
from safety_pages.meetings.minutes_import import ReviewView, UploadView, may_import
from safety_pages.meetings.notices import SEND_ACTION
from safety_pages.meetings.record_from_meeting import create_record_view, may_fill
from safety_pages.models import (
    Case,
    ForumPage,
    JusteringTask,
    MeetingRecordPage,
    MeetingStatus,
    SectionPage,
)
from safety_pages.models.admin_filters import related_filter
from safety_pages.models.choices import UPCOMING_STATUSES
from safety_pages.models.workflow_tasks import CHANGE_ACTION, SIGN_ACTION


class CaseNumberSearchHandler(DjangoORMSearchHandler):
    """A case is found however its number is typed: 'KS/2017:152', 'KS 2017/152', 'ks2017-152'…"""

    def search_queryset(self, queryset, search_term, **kwargs):
        key = typed_case_number_key(search_term or "")
        if key:
            return queryset.filter(normalised_number=key)
        return super().search_queryset(queryset, search_term, **kwargs)


class CasePermissionHelper(PermissionHelper):
    """A case is changed or removed by those who keep its municipality's register (who edit pages there): the edit
    view finds any case by its id, not only those the listing shows."""

    def _keeps(self, user, case):
        return user.is_superuser or case.municipality_id in {m.pk for m in edited_municipalities(user)}

    def user_can_edit_obj(self, user, obj):
        return super().user_can_edit_obj(user, obj) and self._keeps(user, obj)

    def user_can_delete_obj(self, user, obj):
        return super().user_can_delete_obj(user, obj) and self._keeps(user, obj)


class CaseRegisterForm(WagtailAdminModelForm):
    """A case is registered in the diarium of a municipality the user keeps, not in any municipality's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not user.is_superuser and "municipality" in self.fields:
            field = self.fields["municipality"]
            field.queryset = field.queryset.filter(pk__in=[m.pk for m in edited_municipalities(user)])


class CaseAdmin(ModelAdmin):
    model = Case
    permission_helper_class = CasePermissionHelper
    edit_handler = ObjectList(
        [FieldPanel("municipality"), FieldPanel("number"), FieldPanel("title"), FieldPanel("status")],
        base_form_class=CaseRegisterForm,
    )
    menu_label = gettext_lazy("Ärenden (Dnr)")
    menu_icon = "folder-open-inverse"
    menu_order = 310
    add_to_settings_menu = False
    list_display = ("number", "title", "status", "municipality", "case_page")
    list_filter = ("status", related_filter("municipality", gettext_lazy("kommun"), SectionPage.objects.all))
    search_fields = ("number", "normalised_number", "title")
    search_handler_class = CaseNumberSearchHandler
    ordering = ("-normalised_number",)

    def get_queryset(self, request):
        # Editors keep the registers of their municipalities; anyone else sees only the cases they may read.
        return super().get_queryset(request).filter(pk__in=visible_cases(request).values("pk"))

    def case_page(self, case):
        return format_html('<a href="{}">{}</a>', case.get_absolute_url(), _("Visa ärendet"))

    case_page.short_description = gettext_lazy("Ärendesida")


modeladmin_register(CaseAdmin)


@hooks.register("register_admin_viewset")
def register_case_chooser():
    # Also makes the chooser the widget of every form field pointing at a case (the paragraph's Ärende).
    return CaseChooserViewSet("case_chooser", url_prefix="arenden/valj")


def _warn_about_quorum(request, page):
    page = page.specific
    if not isinstance(page, MeetingRecordPage) or page.status != MeetingStatus.HELD:
        return
    quorum = page.quorum()
    if quorum.quorate is False or quorum.quorate_throughout is False:
        messages.warning(request, quorum.message)
    # Granskning is warned before the record reaches Justering, where these would stop the signers.
    if page.needs_justering():
        for error in page.justering_errors(timezone.localdate()):
            messages.warning(request, error)


@hooks.register("after_create_page")
def warn_about_quorum_after_create(request, page):
    _warn_about_quorum(request, page)


@hooks.register("after_edit_page")
def warn_about_quorum_after_edit(request, page):
    _warn_about_quorum(request, page)


@hooks.register("register_admin_urls")
def register_justering_url():
    return [
        path("protokoll/<int:page_id>/justering/", JusteringView.as_view(), name="safety_pages_justering"),
        path("protokoll/<int:page_id>/expediering/", DispatchView.as_view(), name="safety_pages_dispatch"),
        path("protokoll/<int:page_id>/kallelse/", SendKallelseView.as_view(), name="safety_pages_kallelse"),
        path("protokoll/<int:page_id>/skapa-protokoll/", create_record_view, name="safety_pages_create_record"),
        path("forum/<int:forum_id>/importera-protokoll/", UploadView.as_view(), name="safety_pages_import_minutes"),
        path(
            "forum/<int:forum_id>/importera-protokoll/granska/",
            ReviewView.as_view(),
            name="safety_pages_import_minutes_review",
        ),
    ]


@hooks.register("register_page_header_buttons")
def import_minutes_button(page, user, view_name, next_url=None):
    """*Importera protokoll* in the header of a forum (its edit view and its listing), for those who may add a
    record under it."""
    if isinstance(page.specific_deferred, ForumPage) and may_import(page.specific_deferred, user):
        yield Button(
            _("Importera protokoll"),
            reverse("safety_pages_import_minutes", args=[page.pk]),
            icon_name="upload",
            priority=45,
        )


@hooks.register("register_page_header_buttons")
def kallelse_button(page, user, view_name, next_url=None):
    """The button *Skicka kallelse* in the header of a planned meeting, for exactly those the view lets send it."""
    specific = page.specific_deferred
    if not isinstance(specific, MeetingRecordPage) or specific.status not in UPCOMING_STATUSES:
        return
    if roles.may_send_kallelse(page, user):
        yield Button(
            _("Skicka kallelse"), reverse("safety_pages_kallelse", args=[page.pk]), icon_name="mail", priority=35
        )


@hooks.register("register_page_header_buttons")
def create_record_button(page, user, view_name, next_url=None):
    """*Skapa protokoll* on a held meeting whose record has no paragraphs yet, for those who may edit it: a POST (the
    admin's w-action controller sends it with the CSRF token), answered by the edit view with what was filled."""
    if view_name != "edit" or not isinstance(page.specific_deferred, MeetingRecordPage):
        return
    latest = page.specific_deferred.get_latest_revision_as_object()
    if latest.status != MeetingStatus.HELD or latest.adjusted_on or list(latest.paragraphs.all()):
        return
    if may_fill(page, user):
        yield Button(
            _("Skapa protokoll"),
            icon_name="doc-full",
            priority=30,
            attrs={
                "data-controller": "w-action",
                "data-action": "w-action#post",
                "data-w-action-url-value": reverse("safety_pages_create_record", args=[page.pk]),
            },
        )


@hooks.register("register_page_header_buttons")
def dispatch_button(page, user, view_name, next_url=None):
    """On a justerat record with recipients, for those who keep it: the way to its expediering."""
    record = page.specific_deferred
    if (
        isinstance(record, MeetingRecordPage)
        and record.live
        and record.is_adjusted
        and any(paragraph.recipients for paragraph in record.paragraphs.all())
        and may_dispatch(record, user)
    ):
        yield Button(
            _("Expediering"), reverse("safety_pages_dispatch", args=[record.pk]), icon_name="mail", priority=40
        )


@hooks.register("register_log_actions")
def register_justering_log_actions(actions):
    actions.register_action(SIGN_ACTION, gettext_lazy("Justerat (signatur)"), gettext_lazy("Justerade protokollet"))
    actions.register_action(
        CHANGE_ACTION, gettext_lazy("Begärt ändring vid justering"), gettext_lazy("Begärde ändring vid justering")
    )
    actions.register_action(SEND_ACTION, gettext_lazy("Kallelse skickad"), gettext_lazy("Skickade kallelsen"))


class RecordsToSignPanel(Component):
    """On the admin home of a chair or justerare: the records awaiting their own signature, each linking to the
    justering view (Wagtail's own list of tasks links to the edit view, which signers do not get)."""

    name = "records_to_sign"
    template_name = "safety_pages/admin/records_to_sign_panel.html"
    order = 40

    def __init__(self, records):
        self.records = records

    def get_context_data(self, parent_context):
        return {"records": [(r, reverse("safety_pages_justering", args=[r.pk])) for r in self.records]}


@hooks.register("construct_homepage_panels")
def add_records_to_sign_panel(request, panels):
    records = []
    for task in JusteringTask.objects.filter(active=True):
        for state in task.get_task_states_user_can_moderate(request.user):
            record = state.workflow_state.content_object.specific
            if task.may_approve(record, request.user):
                records.append(record)
    if records:
        panels.insert(0, RecordsToSignPanel(records))
