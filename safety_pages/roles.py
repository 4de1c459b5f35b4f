"""The site-wide groups (Plone's global roles); rights are given on page subtrees."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupPagePermission, Page

EDITORS = "Redaktörer"
REVIEWERS = "Granskare"
EMPLOYEES = "Medarbetare"
ADMINISTRATORS = "Administratörer"

ROLE_DESCRIPTIONS = {
    EDITORS: _("Skapar och redigerar trygghetssidor inom sitt område."),
    REVIEWERS: _("Granskar och publicerar."),
    EMPLOYEES: _("Läser intranätet."),
    ADMINISTRATORS: _("Förvaltar användare, grupper och register."),
}

_PAGE_RIGHTS = {
    EDITORS: ["add_page", "change_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATORS: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
}


# The registers (persons, organisations, decisions) behind the forum pages: editors keep them current
# while editing forums, administrators also remove entries.
_REGISTER_MODELS = ("person", "organisation", "decision")
_REGISTER_RIGHTS = {
    EDITORS: ["add", "change", "view"],
    REVIEWERS: ["add", "change", "view"],
    ADMINISTRATORS: ["add", "change", "delete", "view"],
}


def ensure_groups(root: Page):
    """Create the role groups and their rights on `root`; safe to run again."""
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for name in (EDITORS, REVIEWERS, EMPLOYEES, ADMINISTRATORS):
        group, _created = Group.objects.get_or_create(name=name)
        groups[name] = group
        if name != EMPLOYEES:
            group.permissions.add(access_admin)
        for codename in _PAGE_RIGHTS.get(name, []):
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
        for action in _REGISTER_RIGHTS.get(name, []):
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="safety_pages",
                    codename__in=[f"{action}_{model}" for model in _REGISTER_MODELS],
                )
            )
    return groups
