"""Keep forums' reader groups in step the moment memberships, user links or local roles change.

Connected by `SafetyPagesConfig.ready()`. After the groups are in step, `readers_changed` tells the
channels that store readers (search) which forums' closed content has other readers now, and `people_changed`
which pages list other people, or the same people by another name (their person hits in search). The nightly
`sync_forum_readers` catches what no save announces: a membership whose start or end date is reached
(its group changes then send the signal through `group_members_changed`).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.models import Page

from safety_pages.access.signals import people_changed, readers_changed
from safety_pages.models import Attendance, ForumLocalRoles, ForumPage, Membership, Person
from safety_pages.organisation.local_roles import sync_forum_readers


def _sync(forum_ids):
    # At once, inside the saving transaction: a rolled-back save leaves the group as it was.
    forum_ids = set(forum_ids)
    for forum in ForumPage.objects.filter(pk__in=forum_ids):
        sync_forum_readers(forum)
    _announce(forum_ids)


def _announce(forum_ids):
    if forum_ids:
        readers_changed.send(sender=ForumPage, page_ids=sorted(forum_ids))


def membership_changed(sender, instance, origin=None, **kwargs):
    if _deleting_pages(origin):
        # The forum itself is being deleted (memberships go first or after its local roles, as Django's
        # collector orders them): syncing now would create local roles for a forum that is about to vanish.
        return
    _sync([instance.forum_id])
    people_changed.send(sender=Membership, page_ids=[instance.forum_id])


def _deleting_pages(origin):
    """Whether a delete started from pages (a forum or a subtree above it), not from the membership itself."""
    model = getattr(origin, "model", None) or type(origin)
    return origin is not None and issubclass(model, Page)


def person_changed(sender, instance, **kwargs):
    _sync(Membership.objects.filter(person=instance).values_list("forum_id", flat=True))
    people_changed.send(sender=Person, page_ids=_listing(instance))


def _listing(person):
    """The pages listing the person: forums (members and functions) and records (attendance)."""
    listed = Q(pk__in=Membership.objects.filter(person=person).values("forum_id"))
    for name in ForumPage.FUNCTIONS:
        listed |= Q(**{name: person})
    forums = ForumPage.objects.filter(listed).values_list("pk", flat=True)
    records = Attendance.objects.filter(person=person).values_list("record_id", flat=True)
    return sorted({*forums, *records})


def person_deleting(sender, instance, **kwargs):
    # A forum's function falls to nobody (SET_NULL, without signals): its person hit must go with the person.
    instance._listing_pages = _listing(instance)


def person_deleted(sender, instance, **kwargs):
    people_changed.send(sender=Person, page_ids=getattr(instance, "_listing_pages", []))


def local_roles_changed(sender, instance, **kwargs):
    _announce({instance.forum_id})


def group_members_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A user joined or left groups (or a group gained or lost users): the forums naming those groups."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    group_ids = [instance.pk] if reverse else list(pk_set or ())
    if group_ids:
        _announce(set(ForumLocalRoles.objects.naming_any_of(group_ids).values_list("forum_id", flat=True)))


def connect():
    post_save.connect(membership_changed, sender=Membership, dispatch_uid="readers-membership-save")
    post_delete.connect(membership_changed, sender=Membership, dispatch_uid="readers-membership-delete")
    post_save.connect(person_changed, sender=Person, dispatch_uid="readers-person-save")
    pre_delete.connect(person_deleting, sender=Person, dispatch_uid="people-person-deleting")
    post_delete.connect(person_deleted, sender=Person, dispatch_uid="people-person-deleted")
    post_save.connect(local_roles_changed, sender=ForumLocalRoles, dispatch_uid="readers-roles-save")
    post_delete.connect(local_roles_changed, sender=ForumLocalRoles, dispatch_uid="readers-roles-delete")
    m2m_changed.connect(
        group_members_changed, sender=get_user_model().groups.through, dispatch_uid="readers-group-members"
    )
