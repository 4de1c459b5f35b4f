"""The one signal processor that keeps the search index in step with the page tree.

Publishing, unpublishing, moving and deleting pages and changing a view
restriction all end here. Only live pages are indexed, so a draft or an
unpublished revision never reaches search.
"""

import functools
import logging
from functools import lru_cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from search import attachments, indexer

logger = logging.getLogger(__name__)


def _safely(handler):
    """A fault in indexing is logged, never allowed to fail the editor's publish, move or delete."""

    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        try:
            handler(*args, **kwargs)
        except Exception:
            logger.exception("Search index not updated by %s; run manage.py search_reindex", handler.__name__)

    return wrapper


def _reader_dependants(page):
    """Live pages below `page` whose readers depend on it (a record's readers are its forum's members)."""
    types = _types_with_own_readers()
    if not types:
        return []
    return list(Page.objects.descendant_of(page).live().filter(content_type_id__in=types).values_list("pk", flat=True))


@lru_cache(maxsize=1)
def _types_with_own_readers():
    return [
        ContentType.objects.get_for_model(model).pk
        for model in apps.get_models()
        if issubclass(model, Page) and hasattr(model, "extra_read_principals")
    ]


@receiver(page_published)
@_safely
def on_published(sender, instance, **kwargs):
    indexer.index_pages([instance.pk, *_reader_dependants(instance)])


@receiver(page_unpublished)
@_safely
def on_unpublished(sender, instance, **kwargs):
    indexer.remove_pages([instance.pk])


@receiver(post_page_move)
@_safely
def on_moved(sender, instance, **kwargs):
    # URLs, section, forum and inherited restrictions of the whole subtree may have changed.
    indexer.index_subtree(Page.objects.get(pk=instance.pk))


# Connected for Page only (deleting a specific page deletes its Page row too, which sends these): a receiver
# for every sender would stop Django from deleting index rows in bulk, loading each posting instead.
@receiver(pre_delete, sender=Page)
@_safely
def on_deleting(sender, instance, **kwargs):
    # Before Django's cascade, which would delete the entries without taking their terms out of the term
    # statistics. A page goes with its whole subtree (treebeard deletes it too), so the subtree's entries are taken
    # out at the first of its pages: one pass over the statistics, not one per page; the others find none left.
    # Elasticsearch hears of each page from `on_deleted`, once its row is gone.
    subtree = list(Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))
    indexer.remove_pages(subtree, push=False)


@receiver(post_delete, sender=Page)
@_safely
def on_deleted(sender, instance, **kwargs):
    # Deleting a forum's memberships on the way reindexes its records, which may still be live until their own
    # rows go: whatever that wrote for this page goes now.
    indexer.remove_pages([instance.pk])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@_safely
def on_restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        indexer.index_subtree(page)


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
@_safely
def on_restriction_groups_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, PageViewRestriction):
        on_restriction_changed(sender, instance)


@receiver(post_save, sender=Site)
@_safely
def on_site_changed(sender, instance, **kwargs):
    # URLs are relative to the site root: a new root changes every URL below it.
    if instance.root_page_id:
        Site.clear_site_root_paths_cache()  # Wagtail's own handler may run after this one
        indexer.index_subtree(Page.objects.get(pk=instance.root_page_id))


# --- Who reads a forum's closed records: its members and its local roles ---------------------------------
# A record not yet justerat is indexed with its forum's readers (closed_minutes_principals):
# the members' user principals and the local-role groups. When either changes, the stored principals of the
# forum's records must follow, or a member who left would still find the closed minutes in search.


def _reindex_forum_readers(forum_ids):
    for forum in Page.objects.filter(pk__in=set(forum_ids)):
        dependants = _reader_dependants(forum)
        if dependants:
            indexer.index_pages(dependants)


def _connect_forum_reader_hooks():
    from django.contrib.auth import get_user_model

    from safety_pages.models import ForumLocalRoles, Membership, Person

    @receiver(post_save, sender=Membership, weak=False)
    @receiver(post_delete, sender=Membership, weak=False)
    @_safely
    def on_membership_changed(sender, instance, **kwargs):
        _reindex_forum_readers([instance.forum_id])

    @receiver(post_save, sender=Person, weak=False)
    @_safely
    def on_person_changed(sender, instance, **kwargs):
        _reindex_forum_readers(Membership.objects.filter(person=instance).values_list("forum_id", flat=True))

    @receiver(post_save, sender=ForumLocalRoles, weak=False)
    @receiver(post_delete, sender=ForumLocalRoles, weak=False)
    @_safely
    def on_local_roles_changed(sender, instance, **kwargs):
        _reindex_forum_readers([instance.forum_id])

    @receiver(m2m_changed, sender=get_user_model().groups.through, weak=False)
    @_safely
    def on_group_members_changed(sender, instance, action, reverse, pk_set, **kwargs):
        # The nightly sync_forum_readers changes reader groups when a membership starts or ends on a date.
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        group_ids = [instance.pk] if reverse else list(pk_set or ())
        if not group_ids:
            return
        forum_ids = ForumLocalRoles.objects.naming_any_of(group_ids).values_list("forum_id", flat=True)
        _reindex_forum_readers(forum_ids)


_connect_forum_reader_hooks()


@receiver(post_save, sender=get_document_model())
@_safely
def on_document_saved(sender, instance, raw=False, **kwargs):
    # A new title or a replaced file: the pages using the document carry its hit (and its text).
    if not raw:
        indexer.index_pages(attachments.pages_using([instance.pk]))


@receiver(pre_delete, sender=get_document_model())
@_safely
def on_document_deleting(sender, instance, **kwargs):
    # Wagtail removes the references on delete; remember the pages while they are still known.
    instance._search_pages_using = attachments.pages_using([instance.pk])


@receiver(post_delete, sender=get_document_model())
@_safely
def on_document_deleted(sender, instance, **kwargs):
    indexer.index_pages(getattr(instance, "_search_pages_using", []))
