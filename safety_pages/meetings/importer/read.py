"""Step 1: the text of a minutes file (.txt, .docx, .pdf) as pages of lines.

A text file or a Word document is one page: neither repeats its letterhead at
fixed places (Word keeps it in header and footer parts, which are not read).
A PDF keeps its pages, so that `letterhead.join_pages` can find the running
headers and footers that repeat on them.
"""

import zipfile
from pathlib import Path

import docx
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError


class MinutesImportError(Exception):
    """The file cannot be imported; the message names the reason (the command adds the file name)."""


WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD_BODY_PART = "word/document.xml"

# Bounds on what one import reads, so that an oversized or hostile file is refused with a reason instead of taking
# minutes and hundreds of megabytes (figures in docs/features.md, "Importing minutes"). One meeting's minutes are far
# below each: a long record is some hundred pages.
MAX_FILE_BYTES = 25 * 1024 * 1024  # the file on disk, as the search's attachment reader (Word and PDF carry images)
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a Word document's body unpacked: a small zip can unpack to gigabytes
MAX_PDF_PAGES = 1000
MAX_TEXT_CHARS = 2_000_000  # the text read, in every format


def read_pages(path):
    """The file's pages, each a list of lines; raise MinutesImportError when there is no text to read."""
    path = Path(path)
    if not path.exists():
        raise MinutesImportError(_("filen finns inte"))
    if not path.is_file():
        raise MinutesImportError(_("sökvägen är inte en fil"))
    suffix = path.suffix.lower()
    readers = {".txt": _txt_pages, ".text": _txt_pages, ".md": _txt_pages, ".docx": _docx_pages, ".pdf": _pdf_pages}
    if suffix not in readers:
        raise MinutesImportError(
            _("filtypen %(suffix)s stöds inte; använd .txt, .docx eller .pdf") % {"suffix": suffix or "(ingen)"}
        )
    size = path.stat().st_size
    if size == 0:
        raise MinutesImportError(_("filen är tom"))
    if size > MAX_FILE_BYTES:
        raise MinutesImportError(
            _("filen är för stor: %(size)s MB, högst %(max)s MB går att importera")
            % {"size": _megabytes(size), "max": _megabytes(MAX_FILE_BYTES)}
        )
    pages = readers[suffix](path)
    _check_text_length(sum(len(line) + 1 for page in pages for line in page))
    if not any(line.strip() for page in pages for line in page):
        raise MinutesImportError(_("filen innehåller ingen text"))
    return pages


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _check_text_length(chars):
    if chars > MAX_TEXT_CHARS:
        raise MinutesImportError(
            _("texten är för lång för ett protokoll: %(chars)s tecken, högst %(max)s tecken går att importera")
            % {"chars": chars, "max": MAX_TEXT_CHARS}
        )


def _looks_binary(text):
    """Whether decoded text is really a binary file: a NUL, or more control characters than text has."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return "\x00" in text or controls > max(2, len(text) // 100)


def _txt_pages(path):
    data = path.read_bytes()
    if b"\x00" in data:
        raise MinutesImportError(_("filen är binär, inte text"))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise MinutesImportError(_("filen är varken UTF-8 eller Windows-1252-text"))
    # Before the character scan below, which is the slow part of reading a text file.
    _check_text_length(len(text))
    if _looks_binary(text):
        raise MinutesImportError(_("filen är binär, inte text"))
    return [text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")]


def _docx_pages(path):
    _check_unpacked_size(path)
    try:
        document = docx.Document(str(path))
    # A part that is not XML raises lxml's XMLSyntaxError, a SyntaxError.
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
        raise MinutesImportError(
            _("filen kan inte läsas som Word-dokument (.docx): %(error)s")
            % {"error": str(error) or type(error).__name__}
        ) from error
    body = document.element.body
    if body is None:
        raise MinutesImportError(_("Word-dokumentet saknar brödtext (w:body)"))
    # Headers and footers (the letterhead) live in their own parts and are not read at all.
    lines = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(_docx_paragraph_text(child).split("\n"))
            lines.append("")
        elif tag == "tbl":
            lines.extend(_docx_table_rows(child))
            lines.append("")
    return [lines]


def _check_unpacked_size(path):
    """Refuse a Word document whose body unpacks to more than MAX_UNPACKED_BYTES, before unpacking it."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist() if info.filename == WORD_BODY_PART)
    except (zipfile.BadZipFile, OSError) as error:
        raise MinutesImportError(
            _("filen kan inte läsas som Word-dokument (.docx): %(error)s")
            % {"error": str(error) or type(error).__name__}
        ) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise MinutesImportError(
            _("Word-dokumentet är för stort uppackat: %(size)s MB, högst %(max)s MB går att importera")
            % {"size": _megabytes(unpacked), "max": _megabytes(MAX_UNPACKED_BYTES)}
        )


def _docx_table_rows(table):
    """One line per table row, its cells separated by tabs."""
    rows = []
    for row in table.iter(WORD_NS + "tr"):
        cells = row.findall(WORD_NS + "tc")
        texts = [" ".join(_docx_paragraph_text(p) for p in cell.iter(WORD_NS + "p")).strip() for cell in cells]
        rows.append("\t".join(texts))
    return rows


def _docx_paragraph_text(element):
    parts = []
    for node in element.iter():
        if node.tag == WORD_NS + "t":
            parts.append(node.text or "")
        elif node.tag in (WORD_NS + "br", WORD_NS + "cr"):
            parts.append("\n")
        elif node.tag == WORD_NS + "tab":
            parts.append("\t")
    return "".join(parts)


def _pdf_pages(path):
    """Each page's non-blank lines, as the PDF's text layer gives them."""
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise MinutesImportError(_("PDF-filen är lösenordsskyddad"))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise MinutesImportError(
                _("PDF-filen har %(pages)s sidor; högst %(max)s går att importera")
                % {"pages": len(reader.pages), "max": MAX_PDF_PAGES}
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except MinutesImportError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise MinutesImportError(
            _("filen kan inte läsas som PDF: %(error)s") % {"error": str(error) or type(error).__name__}
        ) from error
    if not pages:
        raise MinutesImportError(_("PDF-filen har inga sidor"))
    if not any(text.strip() for text in pages):
        raise MinutesImportError(
            _("PDF-filen innehåller ingen text (en inskannad bild?); den behöver tolkas med OCR först")
        )
    return [[line.rstrip() for line in text.split("\n") if line.strip()] for text in pages]
