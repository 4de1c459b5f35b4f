"""The follow-up dashboard in the Wagtail admin: a panel on the admin home, a full view and its menu item.

Thin: the rules live in followup.py.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from safety_pages.followup import rules as followup

# Lines per rule on the admin home; the follow-up view shows them all.
PANEL_ITEMS_PER_RULE = 5


class FollowUpView(WagtailAdminTemplateMixin, TemplateView):
    """The whole follow-up list for editors: every rule, every line."""

    template_name = "safety_pages/admin/followup.html"
    page_title = _("Uppföljning")
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rules"] = followup.collect(self.request)
        context["total"] = followup.count(context["rules"])
        return context


class FollowUpPanel(Component):
    """The follow-up summary on the admin home: what is overdue or coming up."""

    name = "followup"
    template_name = "safety_pages/admin/followup_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        rules = followup.collect(request)
        return {
            "rules": rules,
            "total": followup.count(rules),
            "per_rule": PANEL_ITEMS_PER_RULE,
            "followup_url": reverse("safety_pages_followup"),
            "request": request,
        }


@hooks.register("construct_homepage_panels")
def add_followup_panel(request, panels):
    panels.insert(0, FollowUpPanel())


@hooks.register("register_admin_urls")
def register_followup_url():
    return [path("uppfoljning/", FollowUpView.as_view(), name="safety_pages_followup")]


@hooks.register("register_admin_menu_item")
def register_followup_menu_item():
    return MenuItem(_("Uppföljning"), reverse("safety_pages_followup"), icon_name="warning", order=150)
