"""The site-wide groups (Plone's global roles); rights are given on page subtrees and collections.

`ensure_groups()` is run by `manage.py setup_roles` and by the demo loader; it
only adds what is missing, so it is safe to run again (and after a release
that adds a right). Rights are granted on the intranet's home page and on the
root collection, never through Django's global model permissions for pages:
an area (a municipality section, a forum) can then be given to another group
with the same mechanism (see `local_roles.py`).
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

EDITORS = "Redaktörer"
REVIEWERS = "Granskare"
EMPLOYEES = "Medarbetare"
ADMINISTRATORS = "Administratörer"
# Justerare named on a record who are in no justerargrupp: admin login only, so they reach the Justering step.
NAMED_JUSTERERS = "Utsedda justerare"

ROLE_DESCRIPTIONS = {
    EDITORS: _("Skapar och redigerar trygghetssidor inom sitt område."),
    REVIEWERS: _("Granskar och publicerar."),
    EMPLOYEES: _("Läser intranätet."),
    ADMINISTRATORS: _("Förvaltar användare, grupper och register."),
}

_PAGE_RIGHTS = {
    # Editors send pages for review (Granskning) instead of publishing them.
    EDITORS: ["add_page", "change_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATORS: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
}

# Documents and images hang in collections; editors and reviewers attach them to pages.
_COLLECTION_RIGHTS = {
    EDITORS: [
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
    ],
    REVIEWERS: [
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
    ],
    ADMINISTRATORS: [
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtaildocs", "delete_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtailimages", "delete_image"),
    ],
}

# Model permissions that are not tied to a place in the tree. The site's look (Inställningar → Utseende: name,
# logo, colours) is kept by the editors; its form refuses colours that fail the contrast check.
#
# The kallelse is sent by the committee secretary herself, who is a redaktör: sending it publishes the planned
# meeting, but review (Granskning) is for records, not for the notice of a meeting. The right is site-wide and is
# honoured only on the meetings its holder may edit (`may_send_kallelse`), so the local roles still decide where.
_MODEL_RIGHTS = {
    EDITORS: [("safety_pages", "change_branding"), ("safety_pages", "send_kallelse")],
    REVIEWERS: [("safety_pages", "send_kallelse")],
    ADMINISTRATORS: [
        ("safety_pages", "change_branding"),
        ("safety_pages", "send_kallelse"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_user"),
        ("auth", "add_group"),
        ("auth", "change_group"),
        ("auth", "view_group"),
        ("safety_pages", "add_forumlocalroles"),
        ("safety_pages", "change_forumlocalroles"),
        ("safety_pages", "view_forumlocalroles"),
        ("safety_pages", "delete_forumlocalroles"),
    ],
}


# The registers (persons, organisations, decisions, cases) behind the forum pages: editors keep them current
# while editing forums and records (a new Dnr is registered from the paragraph form), administrators also remove
# entries.
_REGISTER_MODELS = ("person", "organisation", "decision", "case")
_REGISTER_RIGHTS = {
    EDITORS: ["add", "change", "view"],
    REVIEWERS: ["add", "change", "view"],
    ADMINISTRATORS: ["add", "change", "delete", "view"],
}


# Search's synonyms and abbreviations (Settings → Synonymer i sökningen): editors know the local abbreviations, so
# the roles that write content keep them. Looked up by app label, not imported: search sits above this layer, and
# without it installed there is nothing to grant.
_SYNONYM_RIGHTS = {
    EDITORS: ["add", "change", "delete", "view"],
    REVIEWERS: ["add", "change", "delete", "view"],
    ADMINISTRATORS: ["add", "change", "delete", "view"],
}


SEND_KALLELSE = "safety_pages.send_kallelse"


def may_send_kallelse(page, user):
    """Whether `user` may send the kallelse of the meeting `page` (which publishes it).

    Those who may publish the page may; so may a holder of "Får skicka kallelse" who may edit it (a redaktör of its
    area). What the sending may publish is the kallelse view's rule (only a planned meeting, no minutes).
    """
    permissions = page.permissions_for_user(user)
    if permissions.can_publish():
        return True
    return user.has_perm(SEND_KALLELSE) and permissions.can_edit()


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_groups(root: Page):
    """Create the role groups and their rights on `root`; safe to run again. Returns {name: Group}."""
    access_admin = _permission("wagtailadmin", "access_admin")
    root_collection = Collection.get_first_root_node()
    groups = {}
    for name in (EDITORS, REVIEWERS, EMPLOYEES, ADMINISTRATORS):
        group, _created = Group.objects.get_or_create(name=name)
        groups[name] = group
        if name != EMPLOYEES:
            group.permissions.add(access_admin)
        for codename in _PAGE_RIGHTS.get(name, []):
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=_permission("wagtailcore", codename)
            )
        for app_label, codename in _COLLECTION_RIGHTS.get(name, []):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(app_label, codename)
            )
        for app_label, codename in _MODEL_RIGHTS.get(name, []):
            group.permissions.add(_permission(app_label, codename))
        for action in _REGISTER_RIGHTS.get(name, []):
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="safety_pages",
                    codename__in=[f"{action}_{model}" for model in _REGISTER_MODELS],
                )
            )
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="search",
                codename__in=[f"{action}_synonym" for action in _SYNONYM_RIGHTS.get(name, [])],
            )
        )
    return groups


def grant_justering_login(users):
    """Let the named justerare of a record log in to the admin, where the Justering step is done.

    A justerare is chosen per meeting, often a politician without an editor's
    account; without admin login the step would wait for someone who cannot
    reach it. The group gives admin login and nothing else: which records a
    member may justera is still decided by the task (`JusteringTask.may_approve`).
    """
    group, _created = Group.objects.get_or_create(name=NAMED_JUSTERERS)
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    group.user_set.add(*users)


def default_root():
    """The page the site-wide rights hang on: the default site's start page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else None
