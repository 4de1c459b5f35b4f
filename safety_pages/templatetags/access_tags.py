from django import template

from safety_pages.access import admin_scope
from safety_pages.access.summary import access_summary

register = template.Library()


@register.simple_tag
def page_access_summary(page):
    """Who can read `page` and why (for the admin's status side panel)."""
    if not getattr(page, "pk", None):
        return None
    return access_summary(page)


@register.simple_tag(takes_context=True)
def admin_title(context, page):
    """The title of `page` the admin may show the user of this request (the page chooser's cells)."""
    return admin_scope.admin_title(context["request"], page) if page is not None else None
