"""The one signal processor that keeps the search index in step with the page tree and its readers.

Publishing, unpublishing, moving and deleting pages, changing a view restriction or a site root, saving or
deleting a document, `readers_changed` (safety_pages.access: who may read a forum's closed content changed) and
`people_changed` (whom a forum or record lists, or by what name) all end here. Only live pages are indexed, so a
draft or an unpublished revision never reaches search.

Connected by `SearchConfig.ready()` (`connect`), once every model is loaded; nothing connects on import.
"""

import functools
import logging
from functools import lru_cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from safety_pages.access.signals import document_texts_wanted, people_changed, readers_changed
from search.index import attachments, writer

logger = logging.getLogger(__name__)


def _safely(handler):
    """A fault in indexing never fails the editor's publish, move or delete, and never passes silently either: the
    writer holds the pages back from search (`PendingRemoval`) until a later write or `search_reindex` writes them,
    and it is logged. Only when even that fails is the fault raised (`NotHeldBack`): the editor's change then fails
    rather than leave a page findable that should not be."""

    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        try:
            handler(*args, **kwargs)
        except writer.NotHeldBack:
            raise
        except Exception:
            logger.exception(
                "Search index not updated by %s: the pages are hidden from search until written again "
                "(the next index write, or manage.py search_reindex)",
                handler.__name__,
            )

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


@_safely
def on_published(sender, instance, **kwargs):
    writer.index_pages([instance.pk, *_reader_dependants(instance)])


@_safely
def on_unpublished(sender, instance, **kwargs):
    writer.remove_pages([instance.pk])


@_safely
def on_moved(sender, instance, **kwargs):
    # URLs, section, forum and inherited restrictions of the whole subtree may have changed.
    writer.index_subtree(Page.objects.get(pk=instance.pk))


@_safely
def on_deleting(sender, instance, **kwargs):
    # Before Django's cascade, which would delete the entries without taking their terms out of the term
    # statistics. A page goes with its whole subtree (treebeard deletes it too), so the subtree's entries are taken
    # out at the first of its pages: one pass over the statistics, not one per page; the others find none left.
    # The engines keeping a copy hear of each page from `on_deleted`, once its row is gone.
    subtree = list(Page.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True))
    writer.remove_pages(subtree, push=False)


@_safely
def on_deleted(sender, instance, **kwargs):
    # Deleting a forum's memberships on the way reindexes its records, which may still be live until their own
    # rows go: whatever that wrote for this page goes now.
    writer.remove_pages([instance.pk])


@_safely
def on_restriction_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        writer.index_subtree(page)


@_safely
def on_restriction_groups_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, PageViewRestriction):
        on_restriction_changed(sender, instance)


@_safely
def on_site_changed(sender, instance, **kwargs):
    # URLs are relative to the site root: a new root changes every URL below it.
    if instance.root_page_id:
        Site.clear_site_root_paths_cache()  # Wagtail's own handler may run after this one
        writer.index_subtree(Page.objects.get(pk=instance.root_page_id))


@_safely
def on_readers_changed(sender, page_ids, **kwargs):
    # A page whose readers are its forum's (a record not yet justerat) is indexed with them: when they change,
    # its stored readers must follow, or a member who left would still find the closed minutes in search.
    for page in Page.objects.filter(pk__in=set(page_ids)):
        dependants = _reader_dependants(page)
        if dependants:
            writer.index_pages(dependants)


@_safely
def on_people_changed(sender, page_ids, **kwargs):
    # The pages listing a person carry that person's hits (their name and roles there): written again with them.
    live = list(Page.objects.filter(pk__in=set(page_ids)).live().values_list("pk", flat=True))
    if live:
        writer.index_pages(live)


@_safely
def on_document_saved(sender, instance, raw=False, **kwargs):
    # A new title or a replaced file: the pages using the document carry its hit (and its text).
    if not raw:
        writer.index_pages(attachments.pages_using([instance.pk]))


@_safely
def on_document_deleting(sender, instance, **kwargs):
    # Wagtail removes the references on delete; remember the pages while they are still known.
    instance._search_pages_using = attachments.pages_using([instance.pk])


@_safely
def on_document_deleted(sender, instance, **kwargs):
    writer.index_pages(getattr(instance, "_search_pages_using", []))


def on_document_texts_wanted(sender, documents, **kwargs):
    """The text of documents for safety_pages' personal-data check: the same extraction (and cache) as indexing."""
    return attachments.texts(documents)


def connect():
    page_published.connect(on_published, dispatch_uid="search-page-published")
    page_unpublished.connect(on_unpublished, dispatch_uid="search-page-unpublished")
    post_page_move.connect(on_moved, dispatch_uid="search-page-moved")
    # For Page only (deleting a specific page deletes its Page row too, which sends these): a receiver for every
    # sender would stop Django from deleting index rows in bulk, loading each posting instead.
    pre_delete.connect(on_deleting, sender=Page, dispatch_uid="search-page-deleting")
    post_delete.connect(on_deleted, sender=Page, dispatch_uid="search-page-deleted")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted")
    m2m_changed.connect(
        on_restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="search-restriction-groups",
    )
    post_save.connect(on_site_changed, sender=Site, dispatch_uid="search-site-saved")
    readers_changed.connect(on_readers_changed, dispatch_uid="search-readers-changed")
    people_changed.connect(on_people_changed, dispatch_uid="search-people-changed")
    document_texts_wanted.connect(on_document_texts_wanted, dispatch_uid="search-document-texts")
    document = get_document_model()
    post_save.connect(on_document_saved, sender=document, dispatch_uid="search-document-saved")
    pre_delete.connect(on_document_deleting, sender=document, dispatch_uid="search-document-deleting")
    post_delete.connect(on_document_deleted, sender=document, dispatch_uid="search-document-deleted")
