"""Documents attached to pages, as search hits of their own ("Bilaga till <page>").

Which pages use which document comes from Wagtail's reference index (rich
text links, document choosers in StreamField, document foreign keys on the
page and its inline children), the same source `visibility.can_view_document`
decides downloads by. Each live page that uses a document gets one hit for
it, readable by that page's readers: so a reader finds a document exactly
when they may read one of the live pages using it, which is when they may
download it. A document on a closed or unpublished page is not found by
those outside.

The text of a file is extracted once per file version (`DocumentText`, keyed
by document and file hash), within bounds, and a file that cannot be read is
logged and indexed by its title alone: extraction never makes publishing or
uploading fail.
"""

import dataclasses
import io
import logging
import zipfile
from itertools import chain

import docx
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from odf import opendocument, teletype
from odf.namespaces import TEXTNS
from pypdf import PdfReader
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex
from wagtail.utils.file import hash_filelike

from search.models import DocumentText

logger = logging.getLogger(__name__)

TYPE = "attachment"
TYPE_LABEL = gettext_lazy("Bilaga")
# Files above this are not parsed (uploads are limited to 20 MB; this also bounds the memory a parse takes).
MAX_FILE_BYTES = 25 * 1024 * 1024
# Text kept per file: enough for any minutes or report, bounded so one huge file cannot swell the index.
MAX_TEXT_CHARS = 100_000
MAX_PDF_PAGES = 300
# An ODT is a zip that odfpy unpacks whole into memory, its XML parts as a DOM: a small file that unpacks to
# gigabytes (a zip bomb) is refused. 25 MB of XML, some thousand pages of text, parsed in 1.5 s with 75 MB more
# memory on the development machine; pictures count only towards the larger bound.
MAX_ODT_UNPACKED_BYTES = 4 * MAX_FILE_BYTES
MAX_ODT_XML_BYTES = MAX_FILE_BYTES
MAX_LABEL_CHARS = 100


def _content_type(model):
    return ContentType.objects.get_for_model(model)


def documents_by_page(page_ids):
    """{page id: [documents the page uses, by title]} for these pages, in two queries."""
    if not page_ids:
        return {}
    pairs = list(
        ReferenceIndex.objects.filter(
            base_content_type=_content_type(Page),
            object_id__in=[str(pk) for pk in page_ids],
            to_content_type=_content_type(get_document_model()),
        ).values_list("object_id", "to_object_id")
    )
    if not pairs:
        return {}
    documents = get_document_model().objects.in_bulk({int(doc_id) for _page, doc_id in pairs if doc_id.isdigit()})
    used = {}
    for page_id, doc_id in pairs:
        document = documents.get(int(doc_id)) if doc_id.isdigit() else None
        if document is not None:
            used.setdefault(int(page_id), {})[document.pk] = document
    return {page_id: sorted(docs.values(), key=lambda d: (d.title, d.pk)) for page_id, docs in used.items()}


def pages_using(document_ids):
    """Ids of the pages that use any of these documents (live or not: the indexer decides)."""
    ids = ReferenceIndex.objects.filter(
        base_content_type=_content_type(Page),
        to_content_type=_content_type(get_document_model()),
        to_object_id__in=[str(pk) for pk in document_ids],
    ).values_list("object_id", flat=True)
    return sorted({int(pk) for pk in ids})


# --- text extraction ------------------------------------------------------------------------------


class Unreadable(Exception):
    """Why a file gave no text (stored with the cache row and logged)."""


def _clean(text):
    # PostgreSQL refuses NUL in text columns; PDFs sometimes carry them.
    return text.replace("\x00", " ").strip()


def _join_bounded(texts):
    """The texts one per line, taken until MAX_TEXT_CHARS is reached (the caller cuts the last one)."""
    pieces, length = [], 0
    for text in texts:
        pieces.append(text)
        length += len(text)
        if length >= MAX_TEXT_CHARS:
            break
    return "\n".join(pieces)


def _pdf_text(stream):
    reader = PdfReader(stream)
    if reader.is_encrypted:
        raise Unreadable("the PDF is encrypted")
    # Lazily: pages past the text bound are never extracted.
    return _join_bounded(page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES])


def _docx_text(stream):
    document = docx.Document(stream)
    rows = (" ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows)
    return _join_bounded(chain((p.text for p in document.paragraphs), rows))


def _plain_text(stream):
    raw = stream.read(MAX_TEXT_CHARS * 4)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


# Paragraphs and headings hold an ODT's text; lists, tables, sections and frames only contain them.
_ODT_BLOCKS = {(TEXTNS, "p"), (TEXTNS, "h")}


def _odt_blocks(element):
    """The text of each paragraph and heading under `element`, in reading order, lazily."""
    for child in element.childNodes:
        if getattr(child, "qname", None) in _ODT_BLOCKS:
            yield teletype.extractText(child)
        elif child.childNodes:
            yield from _odt_blocks(child)


def _odt_text(stream):
    with zipfile.ZipFile(stream) as archive:
        members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    xml = sum(member.file_size for member in members if member.filename.endswith(".xml"))
    if unpacked > MAX_ODT_UNPACKED_BYTES or xml > MAX_ODT_XML_BYTES:
        raise Unreadable(
            f"the ODT unpacks to {unpacked} bytes ({xml} of XML), more than {MAX_ODT_UNPACKED_BYTES} "
            f"({MAX_ODT_XML_BYTES} of XML)"
        )
    stream.seek(0)
    document = opendocument.load(stream)
    body = getattr(document, "text", None)  # odfpy sets it only for a text document
    if body is None:  # a spreadsheet or drawing renamed .odt
        raise Unreadable(f"the file is not an OpenDocument text ({document.mimetype})")
    return _join_bounded(_odt_blocks(body))


EXTRACTORS = {"pdf": _pdf_text, "docx": _docx_text, "odt": _odt_text, "txt": _plain_text}
NO_EXTRACTOR = "no text extractor for"
# Cached reasons that say the format had no reader then, not that the file is bad: such rows are tried again, so
# files stored before a reader was added (ODT before odfpy) get their text at the next reindex.
_RETRIED_REASONS = (NO_EXTRACTOR, "no OpenDocument text library")


def extract(document):
    """The text of a document's file (bounded), or raise Unreadable with the reason."""
    extension = document.file_extension.lower()
    extractor = EXTRACTORS.get(extension)
    if extractor is None:
        raise Unreadable(f"{NO_EXTRACTOR} .{extension or '?'} files")
    try:
        size = document.file.size
    except (OSError, ValueError) as error:
        raise Unreadable(f"the file cannot be read: {error}") from error
    if size > MAX_FILE_BYTES:
        raise Unreadable(f"the file is larger than {MAX_FILE_BYTES} bytes")
    with document.open_file() as handle:
        data = handle.read()
    try:
        return _clean(extractor(io.BytesIO(data)))[:MAX_TEXT_CHARS]
    except Unreadable:
        raise
    except Exception as error:  # a damaged or unusual file: whatever the parser raised
        raise Unreadable(f"the {extension.upper()} file could not be parsed: {error!r}"[:480]) from error


def _file_hash(document):
    if document.file_hash:
        return document.file_hash
    try:
        with document.open_file() as handle:
            return hash_filelike(handle)
    except (OSError, ValueError):
        return ""


def texts(documents):
    """{document id: extracted text} for these documents: cached versions in one query, the others parsed now."""
    documents = list(documents)
    if not documents:
        return {}
    hashes = {d.pk: _file_hash(d) for d in documents}
    cached = {
        (row.document_id, row.file_hash): row.text
        for row in DocumentText.objects.filter(document_id__in=list(hashes), file_hash__in=set(hashes.values()))
        if not row.reason.startswith(_RETRIED_REASONS)
    }
    found = {}
    for document in documents:
        file_hash = hashes[document.pk]
        if (document.pk, file_hash) in cached:
            found[document.pk] = cached[(document.pk, file_hash)]
            continue
        text, reason = "", ""
        try:
            text = extract(document)
        except Unreadable as error:
            reason = str(error)
            logger.warning("No text indexed for document %s (%s): %s", document.pk, document.filename, reason)
        except Exception as error:  # storage errors and the like: never let them stop indexing
            reason = f"unexpected error: {error!r}"[:480]
            logger.exception("No text indexed for document %s (%s)", document.pk, document.filename)
        if file_hash:
            # Earlier versions of the file are no longer needed.
            DocumentText.objects.filter(document_id=document.pk).exclude(file_hash=file_hash).delete()
            DocumentText.objects.update_or_create(
                document_id=document.pk, file_hash=file_hash, defaults={"text": text, "reason": reason[:500]}
            )
        found[document.pk] = text
    return found


def attachment_entries(page, page_entry, documents, text_of):
    """The hits of the documents a page uses: each like the page's own entry (forum, section, readers), except
    that a page may name fewer readers for some of them (`search_file_readers()`: {document id: principals}), as
    a meeting record does for the documents of its sekretess paragraphs."""
    file_readers = getattr(page, "search_file_readers", None)
    narrowed = file_readers() if callable(file_readers) else {}
    label = _("Bilaga till %(title)s") % {"title": page.title}
    if len(label) > MAX_LABEL_CHARS:
        label = label[: MAX_LABEL_CHARS - 1] + "…"
    return [
        dataclasses.replace(
            page_entry,
            key=f"d{document.pk}",
            title=document.title,
            url=document.url,
            heading=document.title,
            body=text_of.get(document.pk, ""),
            context=f"{page_entry.context} {page.title}",
            type=TYPE,
            type_label=label,
            readers=narrowed.get(document.pk),
        )
        for document in documents
    ]
