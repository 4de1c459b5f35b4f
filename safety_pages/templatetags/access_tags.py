from django import template

from safety_pages.access.summary import access_summary

register = template.Library()


@register.simple_tag
def page_access_summary(page):
    """Who can read `page` and why (for the admin's status side panel)."""
    if not getattr(page, "pk", None):
        return None
    return access_summary(page)
