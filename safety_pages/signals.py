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


# --- the content generation (safety_pages/fragments.py) ------------------------------------------

# Models whose rows pages show: every page type, our registers and child objects, files, tags, and
# what decides visibility. Not per-visit state (sessions, logins, revisions, the search queue, image
# renditions), which would empty the caches for nothing.
GENERATION_APPS = {"safety_pages", "wagtaildocs", "wagtailimages", "taggit"}
NOT_CONTENT = {
    "safety_pages.contentgeneration",
    "safety_pages.calendarsubscription",
    "wagtailimages.rendition",
}


def _content_changed(sender, **kwargs):
    from .fragments import bump_generation

    bump_generation()


def generation_models():
    from django.apps import apps
    from wagtail.models import Collection, Page, PageViewRestriction, Site

    for model in apps.get_models():
        if model._meta.label_lower in NOT_CONTENT or model._meta.proxy:
            continue
        if (
            model._meta.app_label in GENERATION_APPS
            or issubclass(model, Page)
            or model in (PageViewRestriction, Site, Collection)
        ):
            yield model


def connect_generation():
    """Bump the generation on every save, delete and many-to-many change of a content model.

    Connected per model, not for all senders: a receiver for every model would turn
    Django's fast bulk deletes (expired sessions, login attempts) into row-by-row ones.
    """
    from django.db.models.signals import m2m_changed
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for model in generation_models():
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"generation-save-{model._meta.label}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"generation-delete-{model._meta.label}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_content_changed, sender=through, dispatch_uid=f"generation-m2m-{through._meta.label}")
    # A restriction's groups, and what Wagtail does with bulk updates (a move rewrites descendants'
    # url_path) or after its saves: publishing and unpublishing end with a bump of their own.
    m2m_changed.connect(_content_changed, sender=PageViewRestriction.groups.through, dispatch_uid="generation-pvr")
    post_page_move.connect(_content_changed, dispatch_uid="generation-move")
    page_published.connect(_content_changed, dispatch_uid="generation-publish")
    page_unpublished.connect(_content_changed, dispatch_uid="generation-unpublish")


connect_generation()
