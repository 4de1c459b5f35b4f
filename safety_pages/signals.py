"""Keep forums' reader groups in step the moment memberships or user links change.

The nightly `sync_forum_readers` catches what no save announces: a membership
whose start or end date is reached.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .local_roles import sync_forum_readers
from .models import ForumPage, Membership, Person


def _sync(forum_ids):
    # At once, inside the saving transaction: a rolled-back save leaves the group as it was.
    for forum in ForumPage.objects.filter(pk__in=set(forum_ids)):
        sync_forum_readers(forum)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, **kwargs):
    _sync([instance.forum_id])


@receiver(post_save, sender=Person)
def person_changed(sender, instance, **kwargs):
    _sync(Membership.objects.filter(person=instance).values_list("forum_id", flat=True))
