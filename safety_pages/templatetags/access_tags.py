from django import template
from django.urls import reverse

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


@register.simple_tag(takes_context=True)
def page_edit_url(context, page):
    """The admin's edit view of `page` when the reader may edit it, else None (the header then offers no link)."""
    user = getattr(context.get("request"), "user", None)
    if not getattr(page, "pk", None) or not (user and user.is_authenticated):
        return None
    if not page.permissions_for_user(user).can_edit():
        return None
    return reverse("wagtailadmin_pages:edit", args=[page.pk])
