"""The admin's choosers, API and bulk actions show a user only what `access.admin_scope` lets them see.

Wired through Wagtail's hooks (registered in `editing/admin.py`): the chooser querysets, the admin API's
endpoints (`construct_admin_api`) and the bulk actions (`register_bulk_action`, registered after Wagtail's so
that ours take their place).
"""

from django.http import Http404
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction as PageDelete
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction as PageMove
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction as PagePublish
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction as PageUnpublish
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.bulk_actions.add_tags import AddTagsBulkAction as DocumentAddTags
from wagtail.documents.views.bulk_actions.add_to_collection import AddToCollectionBulkAction as DocumentCollection
from wagtail.documents.views.bulk_actions.delete import DeleteBulkAction as DocumentDelete
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views.bulk_actions.add_tags import AddTagsBulkAction as ImageAddTags
from wagtail.images.views.bulk_actions.add_to_collection import AddToCollectionBulkAction as ImageCollection
from wagtail.images.views.bulk_actions.delete import DeleteBulkAction as ImageDelete
from wagtail.models import Page

from safety_pages.access import admin_scope


def narrow_page_chooser(pages, request):
    """`construct_page_chooser_queryset`: only pages the user may edit or read. The browse view also shows the
    page whose children it lists, read by the id in its address; one the user may not choose answers 404,
    as a page that does not exist."""
    parent_id = request.resolver_match.kwargs.get("parent_page_id") if request.resolver_match else None
    if parent_id is not None and not admin_scope.choosable_pages(Page.objects.filter(pk=parent_id), request):
        raise Http404
    return admin_scope.choosable_pages(pages, request)


def narrow_file_chooser(files, request):
    """`construct_document_chooser_queryset` and `construct_image_chooser_queryset`."""
    return admin_scope.readable_files(files, request)


class _ReadableFilesEndpoint:
    def get_queryset(self):
        return admin_scope.readable_files(super().get_queryset(), self.request)


class ReadableDocumentsAdminAPIViewSet(_ReadableFilesEndpoint, DocumentsAdminAPIViewSet):
    pass


class ReadableImagesAdminAPIViewSet(_ReadableFilesEndpoint, ImagesAdminAPIViewSet):
    pass


def narrow_admin_api(router):
    """`construct_admin_api` (after Wagtail's own): the documents and images endpoints list readable files."""
    router.register_endpoint("documents", ReadableDocumentsAdminAPIViewSet)
    router.register_endpoint("images", ReadableImagesAdminAPIViewSet)


class _NamesOnlyWhatTheUserMaySee:
    """A bulk action lists the items the user may not act on by title; those the user may not see in the admin
    are left out as if their ids did not exist (and none left at all answers 404, as unknown ids do)."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        shown = [item for item in extra["items_with_no_access"] if admin_scope.may_see_in_admin(self.request, item)]
        if not objects and not shown:
            raise Http404
        return objects, {**extra, "items_with_no_access": shown}


BULK_ACTIONS = [
    type(action.__name__, (_NamesOnlyWhatTheUserMaySee, action), {"__module__": __name__})
    for action in (
        PageDelete,
        PageMove,
        PagePublish,
        PageUnpublish,
        DocumentAddTags,
        DocumentCollection,
        DocumentDelete,
        ImageAddTags,
        ImageCollection,
        ImageDelete,
    )
]
