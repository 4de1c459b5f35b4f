"""Keeping forums' local roles in step with memberships and with Wagtail's page permissions.

A forum's reader group holds exactly the users of the persons with an active
membership in it today. Signals re-sync a forum when its memberships or a
member's user link change; time passing (a membership that starts or ends
today) is caught by `manage.py sync_forum_readers`, which a nightly cron runs
shortly after midnight (see README, "Behörigheter").
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from safety_pages.models import ForumLocalRoles, ForumPage, Membership
from safety_pages.models.site import section_of

# Group.name is at most 150 characters.
_GROUP_NAME_MAX = 150


def reader_group_name(forum):
    # The section by its type: in a host's tree the forum index may sit under a page of the host's (docs/install.md).
    section = section_of(forum)
    where = f" ({section.title})" if section is not None else ""
    return f"Läsare {forum.pk}: {forum.title}{where}"[:_GROUP_NAME_MAX]


def local_roles_for(forum):
    """The forum's local roles row, created on first use."""
    roles, _created = ForumLocalRoles.objects.get_or_create(forum_id=forum.pk)
    return roles


def active_member_users(forum, on=None):
    """Users of the persons with an active membership in `forum` on the day `on` (default today)."""
    on = on or timezone.localdate()
    memberships = (
        Membership.objects.filter(forum_id=forum.pk, person__user__isnull=False, person__active=True)
        .exclude(starts_on__gt=on)
        .exclude(ends_on__lt=on)
    )
    return get_user_model().objects.filter(pk__in=memberships.values("person__user"), is_active=True)


@transaction.atomic
def sync_forum_readers(forum, on=None):
    """Make the forum's reader group hold exactly its active members' users. Returns (added, removed)."""
    roles = local_roles_for(forum)
    if roles.reader_group_id is None:
        group, _created = Group.objects.get_or_create(name=reader_group_name(forum))
        roles.reader_group = group
        roles.save(update_fields=["reader_group"])
    group = roles.reader_group
    wanted = set(active_member_users(forum, on).values_list("pk", flat=True))
    current = set(group.user_set.values_list("pk", flat=True))
    added, removed = wanted - current, current - wanted
    if added:
        group.user_set.add(*added)
    if removed:
        group.user_set.remove(*removed)
    return len(added), len(removed)


def sync_all_forum_readers(on=None):
    """Sync every forum; returns a list of (forum, added, removed)."""
    return [(forum, *sync_forum_readers(forum, on)) for forum in ForumPage.objects.order_by("path")]
