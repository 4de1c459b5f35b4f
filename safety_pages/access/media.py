"""Files under MEDIA_URL, served by the app so that the pages' visibility applies to them.

Images (originals under `original_images/`, renditions under `images/`) are
served only to someone who may read a page that uses the image
(`visibility.can_view_image`, the rule documents follow). Documents are never
served from here: their URL is Wagtail's serve view (wrapped by
`serve_document` for its caching headers), which asks
`visibility.can_view_document`. Anything else under the media folder is
refused. Stateless: every request looks the file up in the database, so any
app server behind the load balancer answers the same.
"""

import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.images import get_image_model
from wagtail.utils.file import hash_filelike

from safety_pages.access import visibility

ORIGINALS = "original_images/"
RENDITIONS = "images/"


def _image_for(path):
    Image = get_image_model()
    if path.startswith(ORIGINALS):
        return Image.objects.filter(file=path).first()
    if path.startswith(RENDITIONS):
        rendition = Image.get_rendition_model().objects.filter(file=path).select_related("image").first()
        return rendition.image if rendition else None
    return None


@require_GET
def serve_media(request, path):
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or "/../" in path:
        raise Http404
    image = _image_for(path)
    # 404 rather than 403: someone outside should not learn that the file exists.
    if image is None or not visibility.can_view_image(request, image) or not default_storage.exists(path):
        raise Http404
    content_type, _encoding = mimetypes.guess_type(path)
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type or "application/octet-stream")
    # Only the reader's own browser may keep it: a shared cache would hand it to the next user.
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def refuse_documents_of_closed_pages(document, request):
    """Wagtail's `before_serve_document` hook (registered in wagtail_hooks.py): documents follow their pages.

    404, not 403: someone outside should not learn that the document exists.
    """
    if not visibility.can_view_document(request, document):
        raise Http404


def fill_in_missing_file_hash(document, request):
    """Wagtail's `before_serve_document` hook: a document saved without a file hash (imported, or from before Wagtail
    stored hashes) would be served with the empty ETag `""`, which a browser's If-None-Match then matches for every
    other such document. Wagtail's serve view takes its ETag from this same instance, after the hooks."""
    if document.file_hash:
        return
    try:
        with document.open_file() as file:
            document.file_hash = hash_filelike(file)
    except OSError:
        return  # the file is missing: Wagtail's view answers 404 for it
    # An update, not a save: a derived value, which must not count as an edit (the content generation, the index).
    get_document_model().objects.filter(pk=document.pk).update(file_hash=document.file_hash)


def serve_document(request, document_id, document_filename):
    """Wagtail's document view, with the caching its access check needs: the reader's browser only, never a shared
    cache, and asked again each time (a 304 after the check, by ETag), since readers change when pages do."""
    response = wagtail_serve_document(request, document_id, document_filename)
    patch_cache_control(response, private=True, no_cache=True)
    return response
