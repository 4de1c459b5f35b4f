"""The header's branding and main menu, for the base template (also when a host's context processors lack
Wagtail's settings processor)."""

from django import template
from wagtail.models import Site

from safety_pages.frontend.menu import main_menu as menu_entries
from safety_pages.models import Branding

register = template.Library()


@register.simple_tag(takes_context=True)
def branding(context):
    """The site's Branding, or an unsaved one with the defaults when the request matches no site."""
    request = context.get("request")
    if request is None or Site.find_for_request(request) is None:
        return Branding()
    return Branding.for_request(request)


@register.simple_tag(takes_context=True)
def main_menu(context, page=None):
    request = context.get("request")
    return menu_entries(request, page) if request is not None else []
