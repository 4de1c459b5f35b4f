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
    if path.stat().st_size == 0:
        raise MinutesImportError(_("filen är tom"))
    pages = readers[suffix](path)
    if not any(line.strip() for page in pages for line in page):
        raise MinutesImportError(_("filen innehåller ingen text"))
    return pages


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
    if _looks_binary(text):
        raise MinutesImportError(_("filen är binär, inte text"))
    return [text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")]


def _docx_pages(path):
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise MinutesImportError(
            _("filen kan inte läsas som Word-dokument (.docx): %(error)s") % {"error": error or type(error).__name__}
        ) from error
    # Headers and footers (the letterhead) live in their own parts and are not read at all.
    lines = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(_docx_paragraph_text(child).split("\n"))
            lines.append("")
        elif tag == "tbl":
            lines.extend(_docx_table_rows(child))
            lines.append("")
    return [lines]


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
