"""The admin's choosers, API and bulk actions show a user only what `access.admin_scope` lets them see.

Wired through Wagtail's hooks (registered in `editing/admin.py`): the chooser querysets, the admin API's
endpoints (`construct_admin_api`) and the bulk actions (`register_bulk_action`, registered after Wagtail's so
that ours take their place). Where Wagtail offers no hook (the chosen pages of a multiple chooser, the chooser
opened by page type, the move and workflow-cancellation confirmations, the tag autocomplete), `ADMIN_URLS`
puts our views over Wagtail's routes (site/intranet/urls.py lists them before the admin's).
"""

import json

from django.http import Http404, JsonResponse
from django.urls import path, reverse
from taggit.models import Tag
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views import chooser, tags
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction as PageDelete
from wagtail.admin.views.pages.bulk_actions.move import MoveBulkAction as PageMove
from wagtail.admin.views.pages.bulk_actions.publish import PublishBulkAction as PagePublish
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction as PageUnpublish
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.coreutils import resolve_model_string
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
from safety_pages.access.ids import row_id


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


class ChosenMultipleView(chooser.ChosenMultipleView):
    """The pages chosen in a multiple page chooser, by the ids in the address: only those the user may choose,
    each by the title the admin may show them (ids of other pages, or no ids at all, are left out)."""

    def get(self, request):
        ids = [pk for pk in (row_id(text) for text in request.GET.getlist("id")) if pk is not None]
        pages = admin_scope.choosable_pages(Page.objects.filter(pk__in=ids), request).specific()
        result = [
            {
                "id": page.pk,
                "parentId": page.get_parent().pk,
                "adminTitle": admin_scope.admin_title(request, page),
                "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                "url": page.url,
            }
            for page in pages
        ]
        return render_modal_workflow(request, None, None, None, json_data={"step": "page_chosen", "result": result})


class BrowseView(chooser.BrowseView):
    """The page chooser without a parent page in its address. Asked for page types, Wagtail opens it at the first
    common ancestor of every page of those types, also when that ancestor is a page the user may not read; here
    it opens at the common ancestor of those the user may choose (the root when there are none)."""

    def get(self, request, parent_page_id=None):
        page_type = request.GET.get("page_type")
        if parent_page_id is None and page_type:
            try:
                classes = chooser.page_models_from_string(page_type)
            except (ValueError, LookupError) as error:
                raise Http404 from error
            if classes != (Page,):
                parent_page_id = self._choosable_common_ancestor(classes, request).pk
        return super().get(request, parent_page_id)

    @staticmethod
    def _choosable_common_ancestor(classes, request):
        pages = admin_scope.choosable_pages(Page.objects.type(*classes), request)
        if not pages.exists():
            return Page.get_first_root_node()
        # The common ancestor of pages the user may read can still be one they may not (a draft above a live
        # page): the nearest one above it that they may choose (the root at the latest).
        ancestors = pages.first_common_ancestor().get_ancestors(inclusive=True)
        return admin_scope.choosable_pages(ancestors, request).order_by("-depth").first()


def _names_only_pages_the_user_may_edit(view, *choosable):
    """`view` answers 404, as for pages that do not exist, unless the user may edit each page whose id is in the
    address, or, for the arguments named in `choosable` (the destination of a move), may choose it."""

    def guarded(request, **kwargs):
        for name, value in kwargs.items():
            # An id past the database's range is no page (rather than an overflow in the driver).
            page = Page.objects.filter(pk=value).first() if row_id(str(value)) else None
            allowed = (
                admin_scope.choosable_pages(Page.objects.filter(pk=value), request).exists()
                if name in choosable
                else page is not None and admin_scope.may_see_in_admin(request, page)
            )
            if page is None or not allowed:
                raise Http404
        return view(request, **kwargs)

    return guarded


def tag_autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete, offering only the tags `admin_scope.readable_tags` lets this user see."""
    response = tags.autocomplete(request, app_name, model_name)
    names = json.loads(response.content)
    if not names:
        return response
    model = Tag if app_name is None else resolve_model_string(f"{app_name}.{model_name}")
    offered = set(
        admin_scope.readable_tags(model.objects.filter(name__in=names), request).values_list("name", flat=True)
    )
    return JsonResponse([name for name in names if name in offered], safe=False)


ADMIN_URLS = [
    path("choose-page/", BrowseView.as_view()),
    path("choose-page/chosen-multiple/", ChosenMultipleView.as_view()),
    path(
        "pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/",
        _names_only_pages_the_user_may_edit(
            page_viewset_registry.as_view("move_confirm", page_id_kwarg="page_to_move_id"), "destination_id"
        ),
    ),
    path(
        "pages/workflow/confirm_cancellation/<int:page_id>/",
        _names_only_pages_the_user_may_edit(
            page_viewset_registry.as_view("confirm_workflow_cancellation", page_id_kwarg="page_id")
        ),
    ),
    path("tag-autocomplete/", tag_autocomplete),
    path("tag-autocomplete/<slug:app_name>/<slug:model_name>/", tag_autocomplete),
]
