"""Reading existing minutes (.txt, .docx, .pdf) into paragraphs, for `manage.py import_minutes`.

Swedish minutes share one structure: a header with the body and the meeting
date, then numbered paragraphs ("§ 36", "KS § 345") each with a Dnr, a title
and sections (Bakgrund, Sammanfattning, Beslutsunderlag, Yrkande, förslag
till beslut, Beslut, "Beslutet skickas till"). Extracts often carry the
documents the decision was based on (missiv) after the paragraph, and every
page carries the municipality's letterhead (address block, Datum,
Diarienummer). The parser works on text lines, so all three formats share it:
1. extract lines (per format; PDF page headers and footers repeated on several
   pages are dropped there),
2. drop letterhead lines wherever they are,
3. walk the lines with a small state machine: header → paragraph → sections,
   and a paragraph ends after its distribution list ("Beslutet skickas till").
"""

import datetime
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from safety_pages.models.cases import CASE_NUMBER_IN_TEXT_RE


class MinutesImportError(Exception):
    """The file cannot be imported; the message names the reason (the command adds the file name)."""


# --- step 1: text lines from each format ---------------------------------------------------------------


def read_lines(path):
    path = Path(path)
    if not path.exists():
        raise MinutesImportError(_("filen finns inte"))
    if not path.is_file():
        raise MinutesImportError(_("sökvägen är inte en fil"))
    suffix = path.suffix.lower()
    readers = {".txt": _txt_lines, ".text": _txt_lines, ".md": _txt_lines, ".docx": _docx_lines, ".pdf": _pdf_lines}
    if suffix not in readers:
        raise MinutesImportError(
            _("filtypen %(suffix)s stöds inte; använd .txt, .docx eller .pdf") % {"suffix": suffix or "(ingen)"}
        )
    if path.stat().st_size == 0:
        raise MinutesImportError(_("filen är tom"))
    lines = readers[suffix](path)
    if not any(line.strip() for line in lines):
        raise MinutesImportError(_("filen innehåller ingen text"))
    return lines


def _looks_binary(text):
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return "\x00" in text or controls > max(2, len(text) // 100)


def _txt_lines(path):
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
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")


def _docx_lines(path):
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise MinutesImportError(
            _("filen kan inte läsas som Word-dokument (.docx): %(error)s") % {"error": error or type(error).__name__}
        ) from error
    # Headers and footers (the letterhead) live in their own parts and are not read at all.
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(_docx_paragraph_text(child).split("\n"))
            lines.append("")
        elif tag == "tbl":
            for row in child.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr"):
                cells = row.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc")
                texts = [
                    " ".join(
                        _docx_paragraph_text(p)
                        for p in cell.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")
                    ).strip()
                    for cell in cells
                ]
                lines.append("\t".join(texts))
            lines.append("")
    return lines


def _docx_paragraph_text(element):
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    parts = []
    for node in element.iter():
        if node.tag == ns + "t":
            parts.append(node.text or "")
        elif node.tag in (ns + "br", ns + "cr"):
            parts.append("\n")
        elif node.tag == ns + "tab":
            parts.append("\t")
    return "".join(parts)


def _pdf_lines(path):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

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
    page_lines = [[line.rstrip() for line in text.split("\n")] for text in pages]
    repeated = _repeated_margin_lines(page_lines)
    lines = []
    for number, page in enumerate(page_lines):
        content = [line for line in page if line.strip()]
        margins = _margin_positions(content)
        # The first page's running header stays: it names the body and the meeting date.
        keep = {key for key in repeated if key[0] == "top"} if number == 0 else set()
        lines.extend(line for position, line in enumerate(content) if margins.get(position) not in repeated - keep)
        lines.append("")
    return lines


def _margin_positions(content, margin=3):
    """{index: key} of the lines in a page's top and bottom margin, keyed by place and text (digits blurred)."""
    positions = {}
    for index in range(min(margin, len(content))):
        positions[index] = ("top", index, re.sub(r"\d+", "#", content[index].strip().lower()))
    for offset in range(1, min(margin, len(content)) + 1):
        index = len(content) - offset
        positions.setdefault(index, ("bottom", offset, re.sub(r"\d+", "#", content[index].strip().lower())))
    return positions


def _repeated_margin_lines(page_lines):
    """Running headers and footers: the same line in the same place on at least half of the pages (two or more)."""
    if len(page_lines) < 2:
        return set()
    seen = {}
    for page in page_lines:
        for key in set(_margin_positions([line for line in page if line.strip()]).values()):
            seen[key] = seen.get(key, 0) + 1
    needed = max(2, (len(page_lines) + 1) // 2)
    return {key for key, count in seen.items() if count >= needed}


# --- step 2: normalise lines and drop the letterhead -----------------------------------------------------

DATE_RE = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")
MONTHS = {
    name: number
    for number, name in enumerate(
        "januari februari mars april maj juni juli augusti september oktober november december".split(), start=1
    )
}
LONG_DATE_RE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+((?:19|20)\d{2})\b", re.IGNORECASE)

LETTERHEAD_LABELS = (
    r"postadress|besöksadress|leveransadress|telefon|tel|tfn|telefax|fax|växel|internetadress|internet|webbplats|"
    r"webb|hemsida|e-postadress|e-post|epost|bankgironummer|bankgiro|plusgiro|org\.?\s*nr|organisationsnummer"
)
LABEL_RE = re.compile(r"^(?:" + LETTERHEAD_LABELS + r")\b\.?:?", re.IGNORECASE)
VALUE_PATTERNS = [
    re.compile(r"^\d{3}\s?\d{2}\s+\S"),  # postal code and town
    re.compile(r"^[\d\s\-+()/]{5,}$"),  # phone, giro, org number
    re.compile(r"(www\.|https?://|@)", re.IGNORECASE),
]
PAGE_NUMBER_RE = re.compile(r"^(?:sid(?:an|a)?\s*)?\d+\s*(?:\(\s*\d+\s*\)|av\s+\d+|/\s*\d+)?$", re.IGNORECASE)
DOCUMENT_KIND_RE = re.compile(
    r"^(missiv|tjänsteskrivelse|protokollsutdrag|sammanträdesprotokoll|protokoll|kallelse|underlag)$", re.IGNORECASE
)
SIGNATURE_RE = re.compile(
    r"^(justerandes\s+sign(atur|\.)?|utdragsbestyrkande|ordförandes\s+sign(atur|\.)?)\b", re.IGNORECASE
)
LETTERHEAD_DNR = "\x00dnr "
MEETING_DATE_LABEL_RE = re.compile(
    r"^(sammanträdesdatum|sammanträdet|mötesdatum|datum för sammanträdet)\b:?\s*(.*)$", re.IGNORECASE
)


def clean_line(line):
    """The text of a line without markdown emphasis, heading marks and trailing hard breaks."""
    line = line.replace("\u00a0", " ").strip()
    line = re.sub(r"^#{1,6}\s*", "", line)
    line = line.replace("**", "").replace("__", "")
    return re.sub(r"\s+", " ", line).strip()


def _split_glued_headings(raw_lines):
    # "**Title****Bakgrund**": two bold runs glued together when the file was converted.
    out = []
    for raw in raw_lines:
        out.extend(raw.replace("****", "**\n**").split("\n"))
    # A bold heading broken over two lines ("**…förslag till  \nkommunstyrelsen**") is one heading.
    joined = []
    for raw in out:
        text = raw.strip()
        if (
            joined
            and joined[-1].strip().startswith("**")
            and joined[-1].strip().count("**") == 1
            and text.endswith("**")
        ):
            joined[-1] = joined[-1].rstrip() + " " + text
        else:
            joined.append(raw)
    return joined


def parse_date(text):
    match = DATE_RE.search(text or "")
    if match:
        try:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    match = LONG_DATE_RE.search(text or "")
    if match:
        try:
            return datetime.date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
        except ValueError:
            return None
    return None


def _is_value(line):
    return any(pattern.search(line) for pattern in VALUE_PATTERNS)


def strip_letterhead(lines):
    """Drop the letterhead wherever a page break put it; return (lines, meeting dates found in page headers)."""
    out, dates = [], []
    i, n = 0, len(lines)

    def next_filled(j):
        while j < n and not lines[j]:
            j += 1
        return j

    while i < n:
        line = lines[i]
        if not line:
            out.append(line)
            i += 1
            continue
        label = MEETING_DATE_LABEL_RE.match(line)
        if label:
            value = label[2]
            j = i + 1
            if not parse_date(value):
                j = next_filled(i + 1)
                value = lines[j] if j < n else ""
                j += 1
            found = parse_date(value)
            if found:
                dates.append(found)
                i = j
                continue
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t") if c.strip()]
            if cells and sum(1 for c in cells if LABEL_RE.match(c)) >= 2:
                # A row of labels; the next row holds their values.
                j = next_filled(i + 1)
                i = j + 1 if j < n and "\t" in lines[j] else i + 1
                continue
        if LABEL_RE.match(line):
            rest = LABEL_RE.sub("", line, count=1).strip()
            i += 1
            if not rest:
                # The value follows on its own lines: take value-looking lines and, for a postal
                # address, the organisation lines up to the postal code.
                is_postal = line.lower().startswith(("postadress", "leveransadress", "besöksadress"))
                taken = 0
                while i < n and taken < 4:
                    j = next_filled(i)
                    if j >= n or LABEL_RE.match(lines[j]):
                        break
                    candidate = lines[j]
                    if _is_value(candidate):
                        i = j + 1
                        taken += 1
                        if is_postal and re.match(r"^\d{3}\s?\d{2}\s", candidate):
                            break
                        continue
                    if is_postal and len(candidate) <= 60 and not candidate.endswith("."):
                        i = j + 1
                        taken += 1
                        continue
                    break
            continue
        if PAGE_NUMBER_RE.match(line) and not line.isdigit():
            i += 1
            continue
        if SIGNATURE_RE.match(line):
            i += 1
            continue
        low = line.lower().rstrip(":")
        if low in ("datum", "diarienummer", "dnr", "vår beteckning", "er beteckning", "vårt datum"):
            j = next_filled(i + 1)
            if j < n and len(lines[j]) < 40 and CASE_NUMBER_IN_TEXT_RE.search(lines[j]):
                # Kept aside: right after "§ N" it is the paragraph's own Dnr, elsewhere letterhead.
                out.append(LETTERHEAD_DNR + lines[j])
                i = j + 1
                continue
            if j < n and len(lines[j]) < 40 and parse_date(lines[j]):
                i = j + 1
                continue
            i += 1
            continue
        if re.match(r"^(datum|vårt datum)\s*:?\s*(?:19|20)\d{2}-\d{2}-\d{2}$", line, re.IGNORECASE):
            i += 1
            continue
        if re.match(r"^diarienummer\s*:?\s*\S+$", line, re.IGNORECASE) and CASE_NUMBER_IN_TEXT_RE.search(line):
            # A letterhead's Diarienummer; the paragraph's own one is read before this pass (see parse_lines).
            out.append(LETTERHEAD_DNR + line)
            i += 1
            continue
        if DOCUMENT_KIND_RE.match(line):
            j = next_filled(i + 1)
            if j < n and (lines[j].lower().rstrip(":") in ("datum", "diarienummer") or DATE_RE.match(lines[j])):
                i += 1
                continue
        out.append(line)
        i += 1
    return out, dates


# --- step 3: header, paragraphs, sections ----------------------------------------------------------------

PARAGRAPH_RE = re.compile(r"^(?:(?P<body>[A-ZÅÄÖ]{1,6})\s+)?§\s*(?P<number>\d{1,4})(?![\d§])\s*(?P<rest>.*)$")
CONTINUATION_RE = re.compile(r"^(fortsättning|forts\.?)\s*(?:av\s+)?(?:[A-ZÅÄÖ]{1,6}\s+)?§\s*\d+", re.IGNORECASE)
DNR_RE = re.compile(r"^(?:dnr|diarienummer|diarienr)\.?\s*:?\s*(?P<value>.+)$", re.IGNORECASE)
SENT_TO_RE = re.compile(
    r"^(?:beslutet\s+(?:skickas|expedieras|sänds)\s+till|expedieras\s+till|sändlista|expediering)\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
END_RE = re.compile(r"^(handläggare|kontaktperson|justerandes\b|utdragsbestyrkande)", re.IGNORECASE)
PROPOSAL_TO_BODY_RE = re.compile(r"^(?P<body>.+?)s\s+förslag\s+till\s+(?P<target>.+)$", re.IGNORECASE)
SECTION_HEADINGS = [
    ("background", re.compile(r"^(bakgrund|ärendebeskrivning|ärendet|beskrivning av ärendet)$", re.IGNORECASE)),
    ("summary", re.compile(r"^sammanfattning( av ärendet)?$", re.IGNORECASE)),
    ("basis", re.compile(r"^beslutsunderlag$", re.IGNORECASE)),
    ("motions", re.compile(r"^yrkanden?$", re.IGNORECASE)),
    ("reservations", re.compile(r"^(reservation(er)?|protokollsanteckning(ar)?)$", re.IGNORECASE)),
    ("disqualifications", re.compile(r"^jäv$", re.IGNORECASE)),
    ("proposal", re.compile(r"^((.+\s)?förslag till beslut|.+\sföreslås besluta|förslag)$", re.IGNORECASE)),
    ("decision", re.compile(r"^(beslut|beslutet|.+s beslut)$", re.IGNORECASE)),
]
BODY_WORDS_RE = re.compile(
    r"(styrelse|nämnd|utskott|fullmäktige|råd(et)?|beredning|nätverk|grupp(en)?|ledningsgrupp)", re.IGNORECASE
)
BODY_ABBREVIATIONS = {"KS": "Kommunstyrelsen", "KF": "Kommunfullmäktige"}
MOTION_RE = re.compile(r"^(?P<who>[^:()]+?)\s*(?:\((?P<party>[A-Za-zÅÄÖåäö]{1,5})\))?\s*:\s*(?P<motion>.+)$")


@dataclass
class ParsedParagraph:
    number: int
    title: str = ""
    case_number: str | None = None
    sections: dict = field(default_factory=dict)  # section -> list of text blocks
    proposal_heading: str = ""
    decision_heading: str = ""
    sent_to: list = field(default_factory=list)

    def text(self, section):
        blocks = self.sections.get(section) or []
        joined = "\n\n".join(b for b in blocks if b)
        return joined or None

    def motions(self):
        out = []
        for block in self.sections.get("motions") or []:
            for line in block.split("\n"):
                match = MOTION_RE.match(line.strip())
                if match:
                    out.append({"who": match["who"].strip(), "party": match["party"] or "", "motion": match["motion"]})
                elif line.strip():
                    out.append({"who": "", "party": "", "motion": line.strip()})
        return out

    def as_json(self):
        return {
            "number": self.number,
            "title": self.title,
            "case_number": self.case_number,
            "background": self.text("background"),
            "decision": self.text("decision"),
            "sent_to": list(self.sent_to),
        }


@dataclass
class ParsedMinutes:
    meeting_date: datetime.date | None = None
    body: str | None = None
    paragraphs: list = field(default_factory=list)

    def as_json(self):
        return {
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "body": self.body,
            "paragraphs": [p.as_json() for p in self.paragraphs],
        }


def _heading(line):
    """(section, heading text) when the line is a section heading of a paragraph, else None."""
    text = line.rstrip(":").strip()
    if len(text) > 140:
        return None
    proposal_to = PROPOSAL_TO_BODY_RE.match(text)
    if proposal_to and not proposal_to["target"].lower().startswith("beslut"):
        # A preparing body's proposal to another body is that body's decision in its own minutes.
        return "decision", text
    for section, pattern in SECTION_HEADINGS:
        if pattern.match(text):
            return section, text
    return None


def _genitive_to_body(text):
    match = PROPOSAL_TO_BODY_RE.match(text or "")
    if not match:
        return None
    return match["body"].strip()


def _split_recipients(text):
    return [item.strip().rstrip(".") for item in re.split(r"[,;]", text) if item.strip().rstrip(".")]


def parse_lines(raw_lines):
    """Parse extracted text lines into ParsedMinutes; raise MinutesImportError when no paragraph is found."""
    lines = [clean_line(line) for line in _split_glued_headings(raw_lines)]
    lines, header_dates = strip_letterhead(lines)

    minutes = ParsedMinutes()
    header_lines = []
    current = None
    state = "header"  # header | start (after "§ N") | section | sent_to | closed
    section = None
    block = []

    def flush():
        nonlocal block
        if current is not None and section and block:
            blocks = current.sections.setdefault(section, [])
            text = " ".join(block)
            if blocks and section not in ("basis", "motions") and blocks[-1][-1:] not in ".!?:" and text[:1].islower():
                blocks[-1] += " " + text  # a sentence broken by a page break
            else:
                blocks.append(text)
        block = []

    for line in lines:
        if line.startswith(LETTERHEAD_DNR):
            if current is not None and state == "start" and current.case_number is None:
                line = "Dnr " + CASE_NUMBER_IN_TEXT_RE.search(line).group(0)
            else:
                continue
        if line in ("—", "–", "-"):
            continue
        if CONTINUATION_RE.match(line):
            continue
        paragraph = PARAGRAPH_RE.match(line)
        if paragraph:
            flush()
            current = ParsedParagraph(number=int(paragraph["number"]))
            minutes.paragraphs.append(current)
            if paragraph["body"] and not minutes.body:
                minutes.body = BODY_ABBREVIATIONS.get(paragraph["body"], paragraph["body"])
            rest = paragraph["rest"].strip(" .:–-")
            if rest:
                dnr = re.search(r"\b(?:Dnr|Diarienummer)\.?:?\s*", rest, re.IGNORECASE)
                found = CASE_NUMBER_IN_TEXT_RE.search(rest, dnr.end() if dnr else 0) if dnr else None
                if found:
                    current.case_number = found.group(0).strip()
                    rest = (rest[: dnr.start()] + " " + rest[found.end() :]).strip(" .:–-")
                current.title = rest
            state, section = "start", None
            continue
        if state == "header":
            header_lines.append(line)
            continue
        if state == "closed":
            continue
        if not line:
            # A blank line ends a block of text, not the distribution list: Word puts every
            # recipient in a paragraph of its own.
            flush()
            continue
        if END_RE.match(line):
            flush()
            state = "closed"
            continue
        sent_to = SENT_TO_RE.match(line)
        if sent_to:
            flush()
            current.sent_to.extend(_split_recipients(sent_to["rest"]))
            state, section = "sent_to", None
            continue
        if state == "sent_to":
            if (
                len(line) > 80
                or line.endswith(".")
                or _heading(line)
                or DOCUMENT_KIND_RE.match(line)
                or BODY_WORDS_RE.search(line)
                and len(current.sent_to) >= 6
            ):
                state = "closed"
                continue
            current.sent_to.extend(_split_recipients(line))
            continue
        if state == "start":
            dnr = DNR_RE.match(line)
            if dnr and current.case_number is None:
                found = CASE_NUMBER_IN_TEXT_RE.search(dnr["value"])
                current.case_number = (found.group(0) if found else dnr["value"]).strip()
                continue
            heading = _heading(line)
            if heading is None and not current.title:
                current.title = line
                continue
            if heading is None and current.title and line[:1].islower() and not current.title.endswith("."):
                current.title += " " + line  # a title wrapped onto a second line
                continue
        heading = _heading(line)
        if heading is not None:
            flush()
            section, text = heading
            if section == "decision":
                current.decision_heading = text if text.lower() not in ("beslut", "beslutet") else ""
                if not minutes.body:
                    minutes.body = _genitive_to_body(text)
            elif section == "proposal":
                current.proposal_heading = text
            state = "section"
            continue
        if state == "start":
            # Text before any heading: the background of an extract without headings.
            section, state = "background", "section"
        if section is None:
            section = "background"
        if line.startswith(("- ", "• ", "* ")) or section in ("basis", "motions"):
            flush()
            block.append(line)
            flush()
            continue
        block.append(line)
    flush()

    if not minutes.paragraphs:
        raise MinutesImportError(_("hittade ingen paragraf (§) i texten"))
    for paragraph in minutes.paragraphs:
        for name in ("basis", "motions"):
            if name in paragraph.sections:
                paragraph.sections[name] = ["\n".join(paragraph.sections[name])]
    minutes.meeting_date = header_dates[0] if header_dates else _date_in_header(header_lines)
    if not minutes.body:
        minutes.body = _body_in_header(header_lines)
    return minutes


def _date_in_header(header_lines):
    for line in header_lines:
        if re.search(r"(sammanträd|protokoll|tid och plats|tid:)", line, re.IGNORECASE):
            found = parse_date(line)
            if found:
                return found
    return None


def _body_in_header(header_lines):
    for line in header_lines:
        text = line.strip().rstrip(":")
        if not text or len(text) > 80 or text.endswith(".") or DOCUMENT_KIND_RE.match(text):
            continue
        if BODY_WORDS_RE.search(text) and not parse_date(text):
            return text
    return None


def parse_file(path):
    return parse_lines(read_lines(path))


__all__ = ["MinutesImportError", "ParsedMinutes", "ParsedParagraph", "asdict", "parse_file", "parse_lines"]


# --- step 4: a draft record from the parsed minutes --------------------------------------------------------


def _rich_text(text):
    from django.utils.html import escape

    if not text:
        return ""
    return "".join(f"<p>{escape(block)}</p>" for block in text.split("\n\n") if block.strip())


def find_forum(identifier):
    """The forum page by id, slug, or "section/slug" when a slug is used by several municipalities."""
    from safety_pages.models import ForumPage

    identifier = (identifier or "").strip().strip("/")
    if identifier.isdigit():
        forum = ForumPage.objects.filter(pk=int(identifier)).first()
        if forum is None:
            raise MinutesImportError(_("det finns inget forum med id %(id)s") % {"id": identifier})
        return forum
    section_slug, _sep, slug = identifier.rpartition("/")
    forums = ForumPage.objects.filter(slug=slug)
    if section_slug:
        from safety_pages.models import SectionPage

        section = SectionPage.objects.filter(slug=section_slug).first()
        forums = forums.descendant_of(section) if section else forums.none()
    forums = list(forums)
    if not forums:
        raise MinutesImportError(_("det finns inget forum ”%(forum)s”") % {"forum": identifier})
    if len(forums) > 1:
        raise MinutesImportError(
            _("forumet ”%(forum)s” finns i flera kommuner; skriv kommun/forum, t.ex. %(example)s")
            % {
                "forum": identifier,
                "example": ", ".join(sorted(f.url_path.strip("/").split("/")[-3] + "/" + slug for f in forums)),
            }
        )
    return forums[0]


def create_draft_record(forum, parsed, source_name, user=None):
    """An unpublished MeetingRecordPage under `forum` with the parsed paragraphs; never published.

    Call inside a transaction: a refused number or case leaves nothing behind.
    """
    from django.utils.text import slugify
    from wagtail.models import Page

    from safety_pages.models import Case, MeetingRecordPage, Paragraph, SectionPage, normalise_case_number
    from safety_pages.models import meeting_rules as minutes

    municipality = SectionPage.objects.ancestor_of(forum).first()
    numbers = [type("N", (), {"number": p.number})() for p in parsed.paragraphs]
    year = parsed.meeting_date.year if parsed.meeting_date else None
    used = MeetingRecordPage().numbers_used_elsewhere(forum, year)
    errors = minutes.assign_numbers(used, year, numbers)
    if errors:
        raise MinutesImportError(" ".join(errors.values()))

    paragraphs = []
    for item in parsed.paragraphs:
        case = None
        if item.case_number and municipality is not None and normalise_case_number(item.case_number):
            case = Case.lookup(municipality, item.case_number)
            if case is None:
                case = Case(
                    municipality=municipality, number=item.case_number, title=item.title[:300] or item.case_number
                )
                case.full_clean()
                case.save()
        basis = [
            {"type": "document", "value": {"label": line, "document": None}}
            for line in (item.text("basis") or "").split("\n")
            if line.strip()
        ]
        motions = [{"type": "motion", "value": motion} for motion in item.motions()]
        paragraphs.append(
            Paragraph(
                number=item.number,
                title=(item.title or _("(rubrik saknas)"))[:300],
                case=case,
                background=_rich_text(item.text("background")),
                summary=_rich_text(item.text("summary")),
                basis=basis,
                motions=motions,
                proposal_heading=item.proposal_heading[:300],
                proposal=_rich_text(item.text("proposal")),
                decision_heading=item.decision_heading[:300],
                decision=_rich_text(item.text("decision")),
                reservations=item.text("reservations") or "",
                disqualifications=item.text("disqualifications") or "",
                sent_to="\n".join(item.sent_to),
            )
        )

    if parsed.meeting_date:
        title = _("Sammanträde %(date)s") % {"date": parsed.meeting_date.isoformat()}
    else:
        title = _("Importerat protokoll: %(file)s") % {"file": source_name}
    base_slug = (
        slugify(parsed.meeting_date.isoformat() if parsed.meeting_date else f"import-{source_name}")[:60] or "import"
    )
    slug, counter = base_slug, 2
    while not Page._slug_is_available(slug, forum):
        slug, counter = f"{base_slug}-{counter}", counter + 1
    record = MeetingRecordPage(title=title, slug=slug, meeting_date=parsed.meeting_date, live=False)
    record.paragraphs = paragraphs
    forum.add_child(instance=record)
    record.save_revision(user=user, log_action=True)
    return record
