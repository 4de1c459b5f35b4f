"""Files under MEDIA_URL, served by the app so that the pages' visibility applies to them.

Images (originals under `original_images/`, renditions under `images/`) are
served only to someone who may read a page that uses the image
(`visibility.can_view_image`, the rule documents follow). Documents are never
served from here: their URL is Wagtail's serve view, which asks
`visibility.can_view_document`. Anything else under the media folder is
refused. Stateless: every request looks the file up in the database, so any
app server behind the load balancer answers the same.
"""

import mimetypes
import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model

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
