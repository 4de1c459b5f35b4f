"""Step 2: drop what every page of a municipality's paper carries, wherever a page break put it.

Two passes. `join_pages` drops the running headers and footers that repeat at
the same place on several pages of a PDF. `strip_letterhead` then drops the
letterhead blocks that survive in the text itself: the address block
(Postadress, Telefon, …), page numbers, signature fields, the letterhead's
Datum and Diarienummer; it keeps the meeting date it finds in page headers,
and keeps a letterhead's case number aside, because right after "§ N" it is
the paragraph's own Dnr.
"""

import re

from safety_pages.meetings.importer.dates import DATE_RE, parse_date
from safety_pages.models.cases import CASE_NUMBER_IN_TEXT_RE

# --- running headers and footers -----------------------------------------------------------------------

MARGIN_LINES = 3


def join_pages(pages):
    """The pages' lines in order, without the lines repeated in their margins, and a blank line after each page."""
    repeated = _repeated_margin_lines(pages)
    # The first page's running header stays: it names the body and the meeting date.
    first_page_drops = {key for key in repeated if key[0] != "top"}
    lines = []
    for number, page in enumerate(pages):
        margins = _margin_positions(page)
        dropped = first_page_drops if number == 0 else repeated
        lines.extend(line for position, line in enumerate(page) if margins.get(position) not in dropped)
        lines.append("")
    return lines


def _margin_positions(content):
    """{index: key} of the lines in a page's top and bottom margin, keyed by place and text (digits blurred)."""
    positions = {}
    for index in range(min(MARGIN_LINES, len(content))):
        positions[index] = ("top", index, _blur_digits(content[index]))
    for offset in range(1, min(MARGIN_LINES, len(content)) + 1):
        index = len(content) - offset
        positions.setdefault(index, ("bottom", offset, _blur_digits(content[index])))
    return positions


def _blur_digits(line):
    """The line as a running header compares it: "Sida 2 (3)" on one page is "Sida 3 (3)" on the next."""
    return re.sub(r"\d+", "#", line.strip().lower())


def _repeated_margin_lines(pages):
    """Running headers and footers: the same line in the same place on at least half of the pages (two or more)."""
    if len(pages) < 2:
        return set()
    seen = {}
    for page in pages:
        for key in set(_margin_positions([line for line in page if line.strip()]).values()):
            seen[key] = seen.get(key, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    return {key for key, count in seen.items() if count >= needed}


# --- letterhead blocks in the text ------------------------------------------------------------------------

LETTERHEAD_LABELS = (
    r"postadress|besöksadress|leveransadress|telefon|tel|tfn|telefax|fax|växel|internetadress|internet|webbplats|"
    r"webb|hemsida|e-postadress|e-post|epost|bankgironummer|bankgiro|plusgiro|org\.?\s*nr|organisationsnummer"
)
LABEL_RE = re.compile(r"^(?:" + LETTERHEAD_LABELS + r")\b\.?:?", re.IGNORECASE)
ADDRESS_LABELS = ("postadress", "leveransadress", "besöksadress")
VALUE_PATTERNS = [
    re.compile(r"^\d{3}\s?\d{2}\s+\S"),  # postal code and town
    re.compile(r"^[\d\s\-+()/]{5,}$"),  # phone, giro, org number
    re.compile(r"(www\.|https?://|@)", re.IGNORECASE),
]
POSTAL_CODE_RE = re.compile(r"^\d{3}\s?\d{2}\s")
# "Sida 2 (3)", "2 av 3", "2/3", or "(3)" alone (the number a PDF's text gives each page).
PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:sid(?:an|a)?\s*)?\d+\s*(?:\(\s*\d+\s*\)|av\s+\d+|/\s*\d+)?|\(\d{1,3}\))$", re.IGNORECASE
)
DOCUMENT_KIND_RE = re.compile(
    r"^(missiv|tjänsteskrivelse|protokollsutdrag|sammanträdesprotokoll|protokoll|kallelse|underlag)$", re.IGNORECASE
)
SIGNATURE_RE = re.compile(
    r"^(justerandes\s+sign(atur|\.)?|utdragsbestyrkande|ordförandes\s+sign(atur|\.)?)\b", re.IGNORECASE
)
MEETING_DATE_LABEL_RE = re.compile(
    r"^(sammanträdesdatum|sammanträdet|mötesdatum|datum för sammanträdet)\b:?\s*(.*)$", re.IGNORECASE
)
FIELD_LABELS = ("datum", "diarienummer", "dnr", "vår beteckning", "er beteckning", "vårt datum")
DATE_FIELD_RE = re.compile(r"^(datum|vårt datum)\s*:?\s*(?:19|20)\d{2}-\d{2}-\d{2}$", re.IGNORECASE)
CASE_NUMBER_FIELD_RE = re.compile(r"^diarienummer\s*:?\s*\S+$", re.IGNORECASE)
# Marks a case number found in a letterhead; the parser takes it as a paragraph's Dnr only right after "§ N".
LETTERHEAD_DNR = "\x00dnr "


def strip_letterhead(lines):
    """Drop the letterhead wherever a page break put it; return (lines, meeting dates found in page headers)."""
    return _LetterheadPass(lines).run()


def _is_value(line):
    return any(pattern.search(line) for pattern in VALUE_PATTERNS)


def _is_address_line(line):
    """An organisation line of a postal address ("Mjölby kommun", "Kommunledningskontoret"): short, not a sentence."""
    return len(line) <= 60 and not line.endswith(".")


class _LetterheadPass:
    """One walk over the lines. Each rule looks at the line at `position`; when the line starts a piece of
    letterhead, the rule moves `position` past that piece and answers True, else it changes nothing."""

    def __init__(self, lines):
        self.lines = lines
        self.position = 0
        self.kept = []
        self.dates = []

    def run(self):
        rules = (
            self._meeting_date,
            self._label_row,
            self._labelled_value,
            self._page_mark,
            self._field_label,
            self._field_on_one_line,
            self._document_kind,
        )
        while self.position < len(self.lines):
            line = self.lines[self.position]
            if not line or not any(rule(line) for rule in rules):
                self.kept.append(line)
                self.position += 1
        return self.kept, self.dates

    def _next_filled(self, index):
        """The index of the first non-blank line from `index` on (len(lines) when there is none)."""
        while index < len(self.lines) and not self.lines[index]:
            index += 1
        return index

    def _line_at(self, index):
        return self.lines[index] if index < len(self.lines) else ""

    def _meeting_date(self, line):
        """ "Sammanträdesdatum 2021-03-15", or the label with the date on the next filled line: the meeting date."""
        label = MEETING_DATE_LABEL_RE.match(line)
        if not label:
            return False
        value, after = label[2], self.position + 1
        if not parse_date(value):
            following = self._next_filled(self.position + 1)
            value, after = self._line_at(following), following + 1
        found = parse_date(value)
        if not found:
            return False
        self.dates.append(found)
        self.position = after
        return True

    def _label_row(self, line):
        """A table row of labels (Postadress, Telefon, …); the next row holds their values."""
        cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
        if "\t" not in line or sum(1 for cell in cells if LABEL_RE.match(cell)) < 2:
            return False
        following = self._next_filled(self.position + 1)
        self.position = following + 1 if "\t" in self._line_at(following) else self.position + 1
        return True

    def _labelled_value(self, line):
        """ "Telefon 010-123 45 67", or the label alone with its value on the lines that follow."""
        if not LABEL_RE.match(line):
            return False
        self.position += 1
        if not LABEL_RE.sub("", line, count=1).strip():
            self._skip_value_lines(is_address=line.lower().startswith(ADDRESS_LABELS))
        return True

    def _skip_value_lines(self, is_address):
        """Skip value-looking lines after a label and, for a postal address, the organisation lines up to the
        postal code."""
        for _taken in range(4):
            following = self._next_filled(self.position)
            candidate = self._line_at(following)
            if not candidate or LABEL_RE.match(candidate):
                return
            is_value = _is_value(candidate)
            if not (is_value or is_address and _is_address_line(candidate)):
                return
            self.position = following + 1
            if is_value and is_address and POSTAL_CODE_RE.match(candidate):
                return

    def _page_mark(self, line):
        """A page number ("Sida 2 (3)"; a bare number may be text) or a signature field ("Justerandes sign")."""
        if (PAGE_NUMBER_RE.match(line) and not line.isdigit()) or SIGNATURE_RE.match(line):
            self.position += 1
            return True
        return False

    def _field_label(self, line):
        """ "Datum" or "Diarienummer" alone, its value on the next filled line: a date is dropped with it, a case
        number is kept aside."""
        if line.lower().rstrip(":") not in FIELD_LABELS:
            return False
        following = self._next_filled(self.position + 1)
        value = self._line_at(following)
        if len(value) >= 40:
            value = ""
        if CASE_NUMBER_IN_TEXT_RE.search(value):
            self.kept.append(LETTERHEAD_DNR + value)
            self.position = following + 1
        elif parse_date(value):
            self.position = following + 1
        else:
            self.position += 1
        return True

    def _field_on_one_line(self, line):
        """ "Datum: 2021-03-01" is dropped; "Diarienummer: KS/2021:400" is kept aside like a case number below its
        label."""
        if DATE_FIELD_RE.match(line):
            self.position += 1
            return True
        if CASE_NUMBER_FIELD_RE.match(line) and CASE_NUMBER_IN_TEXT_RE.search(line):
            self.kept.append(LETTERHEAD_DNR + line)
            self.position += 1
            return True
        return False

    def _document_kind(self, line):
        """ "Missiv" or "Tjänsteskrivelse" above the letterhead's Datum or Diarienummer: the letterhead's title."""
        if not DOCUMENT_KIND_RE.match(line):
            return False
        following = self._line_at(self._next_filled(self.position + 1))
        if following.lower().rstrip(":") in ("datum", "diarienummer") or DATE_RE.match(following):
            self.position += 1
            return True
        return False
