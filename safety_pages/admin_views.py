"""Admin views of the safety pages: thin, the rules live in followup.py."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import followup


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
