"""Uploaded documents must be what their name says: a PDF, a Word or an OpenDocument text.

Wagtail checks the extension (WAGTAILDOCS_EXTENSIONS) and the size
(WAGTAILDOCS_MAX_UPLOAD_SIZE); a renamed HTML or executable file would pass
that check and later be served from our domain, so the first bytes are
checked too (WAGTAILDOCS_DOCUMENT_FORM_BASE points here).
"""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

_ZIP_MAGIC = b"PK\x03\x04"


def _zip_member(upload, name):
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.read(name) if name in archive.namelist() else None
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    finally:
        upload.seek(0)


def check_document_content(upload):
    """Raise a Swedish ValidationError unless the file's content matches its extension."""
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf":
        ok = head.startswith(b"%PDF-")
    elif extension == "docx":
        ok = head.startswith(_ZIP_MAGIC) and _zip_member(upload, "[Content_Types].xml") is not None
    elif extension == "odt":
        mimetype = _zip_member(upload, "mimetype") if head.startswith(_ZIP_MAGIC) else None
        ok = mimetype == b"application/vnd.oasis.opendocument.text"
    else:
        return  # the extension check reports other formats
    if not ok:
        raise ValidationError(
            _("Filen %(name)s är inte en giltig %(format)s-fil. Spara den på nytt som %(format)s och ladda upp igen.")
            % {"name": upload.name, "format": extension.upper()},
            code="invalid_content",
        )


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):  # a new upload, not the stored file
            check_document_content(upload)
        return upload
