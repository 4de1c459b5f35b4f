"""Step 3: the header, the paragraphs and their sections, from the lines of a minutes file.

The lines are normalised (markdown emphasis, glued bold headings), the
letterhead is dropped, and then one walk reads the header (the body and the
meeting date) and each paragraph: "§ N" with its Dnr and title, the sections
under their headings, and the distribution list ("Beslutet skickas till")
that ends it.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from safety_pages.meetings.importer.dates import DATE_RE, LONG_DATE_RE, parse_date
from safety_pages.meetings.importer.header import adjusted_in_year, read_header
from safety_pages.meetings.importer.letterhead import DOCUMENT_KIND_RE, LETTERHEAD_DNR, join_pages, strip_letterhead
from safety_pages.meetings.importer.read import MinutesImportError, read_pages
from safety_pages.meetings.importer.runon import BODY_ABBREVIATIONS, REFERENCE_CHAIN_RE, split_run_on
from safety_pages.models.cases import CASE_NUMBER_IN_TEXT_RE

# "§ 36", "KS § 345", "Kf § 274", "§ 63/20" (the number in the year's series).
PARAGRAPH_RE = re.compile(
    r"^(?:(?P<body>[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,5})\s+)?§\s*(?P<number>\d{1,4})(?P<year>/\d{2,4})?(?![\d§])\s*(?P<rest>.*)$"
)
# A heading whose "§" the PDF's text lost: "Kf 74 Information …", "KSAU 130/2014 Dnr 2014/ Ombudgetering 2014".
PARAGRAPH_WITHOUT_SIGN_RE = re.compile(
    r"^(?P<body>" + BODY_ABBREVIATIONS + r")\s+(?P<number>\d{1,4})(?P<year>/\d{2,4})?(?![\d/:.-]?\d)\s+"
    r"(?P<rest>(?:[A-ZÅÄÖ]|[Dd]nr|DNR).*)$"
)
# An item numbered without "§" ("1 Kommundirektörens rapport", "… Sida 3 (24) 25 Ändring av dagordningen" after a
# page's running header): a heading only when a case number or a section heading follows it.
NUMBERED_ITEM_RE = re.compile(r"^(?:.*\(\d{1,3}\)\s+)?(?P<number>\d{1,3})\s+(?P<title>[A-ZÅÄÖ][^.]{2,140})$")
# Where a page's text glued a header's cells together: before a label ("sekreterareUtses att justera") or after a
# value that stands for the list ("Enligt förteckningChrister Stighäll"). Not any capital after small letters:
# "PowerPoint" in a paragraph's text stays one word.
GLUED_CELLS_RE = re.compile(
    r"(?<=[a-zåäö]{4})(?=(?:Utses|Justeringens|Justerande|Justerare|Övriga|Beslutande|Ersättare|Tjänstgörande|"
    r"Ledamöter|Närvarande|Paragrafer|Underskrift|Sekreterare|Ordförande|Plats och tid)\b)"
    r"|(?:(?<=förteckning)|(?<=närvarolista))(?=[A-ZÅÄÖ][a-zåäö])"
)
CONTENTS_ENTRY_RE = re.compile(r"(?:\.{3,}|…)\s*\d{1,3}\s*$")
# A case number in a local form after "Dnr": "166/2011", "KS 02-820 107", "2018/KS 0290 10", "2014/" (cut short):
# an abbreviation, a word with a digit and the filing codes of digits after it; a title's first word ends it.
RAW_CASE_NUMBER_RE = re.compile(r"(?:[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{0,5}\s+(?=\S*\d))?\S*\d\S*(?:\s+\d[\d./:-]*(?!\S))*")
FILING_CODE_RE = re.compile(r"^Kod\s+\d+\s+")
# "Kommunfullmäktige beslutar att …": a decision in a paragraph that has no decision heading.
DECIDES_RE = re.compile(
    r"(?<!\S)(?:[A-ZÅÄÖ][\wåäö-]*(?:styrelsen|nämnden|fullmäktige|utskottet|rådet)\s+(?:beslutar|beslöt|beslutade)\b"
    r"|Ärendet\s+(?:utgår|bordläggs|återremitteras)\b)"
)
CONTINUATION_RE = re.compile(r"^(fortsättning|forts\.?)\s*(?:av\s+)?(?:[A-ZÅÄÖ]{1,6}\s+)?§\s*\d+", re.IGNORECASE)
DNR_RE = re.compile(r"^(?:dnr|diarienummer|diarienr)\.?\s*:?\s*(?P<value>.+)$", re.IGNORECASE)
DNR_IN_LINE_RE = re.compile(r"\b(?:Dnr|Diarienummer)\.?:?\s*", re.IGNORECASE)
SENT_TO_RE = re.compile(
    r"^(?:beslutet\s+(?:skickas|expedieras|sänds)\s+till|expedieras\s+till|sändlista|expediering)\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Lines that end a paragraph: its signatures, and the anslag (ANSLAG/BEVIS) block that follows the last one.
END_RE = re.compile(
    r"^(handläggare|kontaktperson|justerandes\b|utdragsbestyrkande|anslag\s*/\s*bevis|bevis\s*/\s*anslag|"
    r"bevis om anslag|anslag$|bevis$)",
    re.IGNORECASE,
)
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
# Sections whose every line is an item of its own (a document, a motion), not running text.
LIST_SECTIONS = ("basis", "motions")
BULLETS = ("- ", "• ", "* ")
DASHES = ("—", "–", "-")
BODY_WORDS_RE = re.compile(
    r"(styrelse|nämnd|utskott|fullmäktige|råd(et)?|beredning|nätverk|grupp(en)?|ledningsgrupp)", re.IGNORECASE
)
BODY_NAMES = {"KS": "Kommunstyrelsen", "KF": "Kommunfullmäktige"}
MOTION_RE = re.compile(r"^(?P<who>[^:()]+?)\s*(?:\((?P<party>[A-Za-zÅÄÖåäö]{1,5})\))?\s*:\s*(?P<motion>.+)$")
MEETING_LINE_RE = re.compile(r"(sammanträd|protokoll|tid och plats|tid:)", re.IGNORECASE)
# What the header's form (step 3a, `header`) gives as it is.
HEADER_FIELDS = (
    "place",
    "starts_at",
    "ends_at",
    "adjusters",
    "adjusted_place",
    "adjusted_on",
    "posted_on",
    "taken_down_on",
    "kept_at",
)
# Each paragraph becomes rows (and perhaps a case) of the draft: the bound keeps one import's time in reach, far
# above one meeting's agenda.
MAX_PARAGRAPHS = 400
# A header lists one meeting's attendance: a full council with its ersättare and officials stays far below this,
# and a secretary shown thousands of "attendees" read from a hostile or mislabelled file could not check them.
MAX_ATTENDEES = 300


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
class ParsedAttendee:
    """One line of the attendance block. `kind` and `function` hold the values of the models' AttendanceKind and
    AttendanceFunction (this step does not import the models): "beslutande", "tjanstgorande", "ersattare" or
    "ovrig"; "", "ordforande", "vice_ordforande", "sekreterare" or "justerare"."""

    name: str
    kind: str = "beslutande"
    function: str = ""
    description: str = ""  # party, title, "för Anna Andersson", "§§ 35–37"

    def as_json(self):
        return {"name": self.name, "kind": self.kind, "function": self.function, "description": self.description}


@dataclass
class ParsedMinutes:
    meeting_date: datetime.date | None = None
    body: str | None = None
    place: str | None = None
    starts_at: datetime.time | None = None
    ends_at: datetime.time | None = None
    attendance: list = field(default_factory=list)  # ParsedAttendee
    adjusters: list = field(default_factory=list)  # the justerare's names
    adjusted_place: str | None = None  # "Justeringens plats och tid"
    adjusted_on: datetime.date | None = None
    posted_on: datetime.date | None = None  # the anslag's "Datum för anslags uppsättande"
    taken_down_on: datetime.date | None = None  # "Datum för anslags nedtagande"
    kept_at: str | None = None  # "Förvaringsplats för protokollet"
    paragraphs: list = field(default_factory=list)

    def as_json(self):
        def iso(value):
            return value.isoformat() if value else None

        return {
            "meeting_date": iso(self.meeting_date),
            "body": self.body,
            "place": self.place,
            "starts_at": iso(self.starts_at),
            "ends_at": iso(self.ends_at),
            "attendance": [attendee.as_json() for attendee in self.attendance],
            "adjusters": list(self.adjusters),
            "adjusted_place": self.adjusted_place,
            "adjusted_on": iso(self.adjusted_on),
            "posted_on": iso(self.posted_on),
            "taken_down_on": iso(self.taken_down_on),
            "kept_at": self.kept_at,
            "paragraphs": [p.as_json() for p in self.paragraphs],
        }


def parse_file(path):
    return parse_lines(join_pages(read_pages(path)))


def parse_lines(raw_lines, require_paragraphs=True):
    """Parse extracted text lines into ParsedMinutes; raise MinutesImportError when no paragraph is found, unless
    `require_paragraphs` is False (the corpus's excerpts of a header alone)."""
    lines = split_run_on([piece for line in _split_glued_headings(raw_lines) for piece in _unglued(line)])
    lines, header_dates = strip_letterhead(lines)
    lines = _paragraph_heads(lines)
    parser = _MinutesParser()
    for line in lines:
        parser.feed(line)
    return parser.finish(header_dates, require_paragraphs)


# --- normalising the lines -----------------------------------------------------------------------------


def clean_line(line):
    """The text of a line without markdown emphasis, heading marks and trailing hard breaks."""
    line = line.replace("\u00a0", " ").strip()
    line = re.sub(r"^#{1,6}\s*", "", line)
    line = line.replace("**", "").replace("__", "")
    return re.sub(r"\s+", " ", line).strip()


def _unglued(line):
    """The cleaned line, cut where a page's text glued two cells of the header together."""
    return GLUED_CELLS_RE.split(clean_line(line))


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


# --- kinds of line ---------------------------------------------------------------------------------------


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


def _ends_distribution_list(line, recipients):
    """A line that is no recipient: a sentence, a heading, the next document, or a body's name after a long list."""
    return bool(
        len(line) > 80
        or line.endswith(".")
        or _heading(line)
        or DOCUMENT_KIND_RE.match(line)
        or BODY_WORDS_RE.search(line)
        and len(recipients) >= 6
    )


def _title_and_case_number(rest):
    """(title, case number or None) from what follows "§ N" on its line, e.g. "Dnr KS 2021/331 Trygghetsvandringar"."""
    dnr = DNR_IN_LINE_RE.search(rest)
    found = _case_number_after(rest, dnr.end()) if dnr else None
    if not found:
        return FILING_CODE_RE.sub("", rest), None
    title = (rest[: dnr.start()] + " " + rest[found.end() :]).strip(" .:–-")
    return FILING_CODE_RE.sub("", title), found.group(0).strip()


def _case_number_after(text, position):
    """The case number that follows "Dnr" at `position`: the register's form, or the longer local one ("KS 02-820
    107", "dnr 166/2011", "Dnr 2014/" cut short) that a register's pattern would read only in part."""
    known = CASE_NUMBER_IN_TEXT_RE.search(text, position)
    local = RAW_CASE_NUMBER_RE.match(text, len(text) - len(text[position:].lstrip()))
    if local and (not known or known.start() > local.start() or known.end() < local.end()):
        return local
    return known


def _continues_sentence(blocks, section, text):
    """Whether `text` goes on with the last block's sentence, which a page break interrupted."""
    return bool(blocks) and section not in LIST_SECTIONS and blocks[-1][-1:] not in ".!?:" and text[:1].islower()


# --- the walk --------------------------------------------------------------------------------------------


class _MinutesParser:
    """Reads the lines one by one; `state` says where the walk is:

    header   before the first "§ N": the body and the meeting date are read from these lines at the end
    start    right after "§ N": the Dnr and the title may follow
    section  in a section's text (the background when no heading came first)
    sent_to  in the distribution list ("Beslutet skickas till")
    closed   after the paragraph's end (Handläggare, a signature, the end of the list) until the next "§ N"
    """

    def __init__(self):
        self.minutes = ParsedMinutes()
        self.header_lines = []
        self.current = None
        self.state = "header"
        self.section = None
        self.block = []

    def feed(self, line):
        if line.startswith(LETTERHEAD_DNR):
            line = self._own_case_number(line)
        if line is None or line in DASHES or CONTINUATION_RE.match(line):
            return
        paragraph = _paragraph_heading(line)
        if paragraph and not self._is_reference(paragraph):
            self._start_paragraph(paragraph)
        elif paragraph:
            pass  # "AU § 330" right under the heading: the preparing body's paragraph, a reference
        elif self.state == "header":
            self.header_lines.append(line)
        elif self.state != "closed":
            self._paragraph_line(line)

    def finish(self, header_dates, require_paragraphs=True):
        self._flush()
        minutes = self.minutes
        if require_paragraphs and not minutes.paragraphs:
            raise MinutesImportError(_("hittade ingen paragraf (§) i texten"))
        if len(minutes.paragraphs) > MAX_PARAGRAPHS:
            raise MinutesImportError(
                _("texten har %(count)s paragrafer; ett protokoll med fler än %(max)s går inte att importera")
                % {"count": len(minutes.paragraphs), "max": MAX_PARAGRAPHS}
            )
        for paragraph in minutes.paragraphs:
            if "decision" not in paragraph.sections:
                _decision_in_text(paragraph)
            for name in LIST_SECTIONS:
                if name in paragraph.sections:
                    paragraph.sections[name] = ["\n".join(paragraph.sections[name])]
        header = read_header(self.header_lines)
        minutes.meeting_date = (
            header_dates[0] if header_dates else header.meeting_date or _date_in_header(self.header_lines)
        )
        if not minutes.body or minutes.body.isupper():
            # The header's name before a heading's abbreviation ("RS § 345").
            minutes.body = _body_in_header(self.header_lines) or minutes.body
        for name in HEADER_FIELDS:
            setattr(minutes, name, getattr(header, name))
        if not minutes.adjusted_on and minutes.meeting_date:
            minutes.adjusted_on = adjusted_in_year(header, minutes.meeting_date.year)
        if len(header.attendance) > MAX_ATTENDEES:
            raise MinutesImportError(
                _(
                    "närvarolistan i protokollets huvud har %(count)s namn; fler än %(max)s går inte att importera "
                    "– kontrollera att filen är ett protokoll"
                )
                % {"count": len(header.attendance), "max": MAX_ATTENDEES}
            )
        minutes.attendance = [ParsedAttendee(*attendee) for attendee in header.attendance]
        return minutes

    def _own_case_number(self, line):
        """A letterhead's case number right after "§ N" is the paragraph's Dnr (as a "Dnr" line); else None."""
        if self.current is not None and self.state == "start" and self.current.case_number is None:
            return "Dnr " + CASE_NUMBER_IN_TEXT_RE.search(line).group(0)
        return None

    def _is_reference(self, match):
        """A heading right under the current one (before its title) or repeating its number: no new paragraph."""
        current = self.current
        if current is None or self.state != "start" or current.sections:
            return False
        if int(match["number"]) == current.number or not current.title:
            rest = REFERENCE_CHAIN_RE.sub("", match["rest"] + " ").strip(" .:–-")
            if rest and not current.title:
                current.title, case_number = _title_and_case_number(rest)
                current.case_number = current.case_number or case_number
            return True
        return False

    def _start_paragraph(self, match):
        self._flush()
        self.current = ParsedParagraph(number=int(match["number"]))
        self.minutes.paragraphs.append(self.current)
        if match["body"] and not self.minutes.body:
            self.minutes.body = BODY_NAMES.get(match["body"].upper(), match["body"])
        rest = REFERENCE_CHAIN_RE.sub("", match["rest"] + " ").strip(" .:–-")
        if rest:
            self.current.title, self.current.case_number = _title_and_case_number(rest)
        self.state, self.section = "start", None

    def _paragraph_line(self, line):
        if not line:
            # A blank line ends a block of text, not the distribution list: Word puts every
            # recipient in a paragraph of its own.
            self._flush()
        elif END_RE.match(line):
            self._flush()
            self.state = "closed"
        elif sent_to := SENT_TO_RE.match(line):
            self._flush()
            self.current.sent_to.extend(_split_recipients(sent_to["rest"]))
            self.state, self.section = "sent_to", None
        elif self.state == "sent_to":
            self._recipient_line(line)
        elif not (self.state == "start" and self._paragraph_head(line)):
            self._section_line(line)

    def _recipient_line(self, line):
        if _ends_distribution_list(line, self.current.sent_to):
            self.state = "closed"
        else:
            self.current.sent_to.extend(_split_recipients(line))

    def _paragraph_head(self, line):
        """Read the Dnr, the title or the title's second line right after "§ N"; False for anything else."""
        dnr = DNR_RE.match(line)
        if dnr and self.current.case_number is None:
            found = _case_number_after(dnr["value"], 0)
            self.current.case_number = (found.group(0) if found else dnr["value"]).strip()
            return True
        if CASE_NUMBER_IN_TEXT_RE.fullmatch(line.strip(" .")):
            # "KS2007/0459-10" on a line of its own: the case number, not the title.
            self.current.case_number = self.current.case_number or line.strip(" .")
            return True
        if _heading(line) is not None:
            return False
        if not self.current.title:
            self.current.title = line
            return True
        if line[:1].islower() and not self.current.title.endswith("."):
            self.current.title += " " + line  # a title wrapped onto a second line
            return True
        return False

    def _section_line(self, line):
        heading = _heading(line)
        if heading is not None:
            self._start_section(*heading)
            return
        # Text before any heading: the background of an extract without headings.
        self.section = self.section or "background"
        self.state = "section"
        if line.startswith(BULLETS) or self.section in LIST_SECTIONS:
            # One block per item: a list item, a document of the basis, a motion.
            self._flush()
            self.block.append(line)
            self._flush()
        else:
            self.block.append(line)

    def _start_section(self, section, text):
        self._flush()
        self.section = section
        if section == "decision":
            self.current.decision_heading = text if text.lower() not in ("beslut", "beslutet") else ""
            if not self.minutes.body:
                self.minutes.body = _genitive_to_body(text)
        elif section == "proposal":
            self.current.proposal_heading = text
        self.state = "section"

    def _flush(self):
        """End the block of text being read: a new block of the section, or the rest of its last sentence."""
        if self.current is not None and self.section and self.block:
            blocks = self.current.sections.setdefault(self.section, [])
            text = " ".join(self.block)
            if _continues_sentence(blocks, self.section, text):
                blocks[-1] += " " + text
            else:
                blocks.append(text)
        self.block = []


def _paragraph_heading(line):
    """The match of a paragraph heading, or None; "KS 2021/331" (a year and a number) is a case number."""
    match = PARAGRAPH_RE.match(line) or PARAGRAPH_WITHOUT_SIGN_RE.match(line)
    if match and match["year"] and int(match["number"]) >= 1900:
        return None
    if match and CONTENTS_ENTRY_RE.search(match["rest"]):
        return None  # "§ 50 Införskaffande av småhus ..... 3": a line of the table of contents
    return match


def _paragraph_heads(lines):
    """The lines with the forms of a paragraph's head that the walk reads line by line made explicit: an item
    numbered without "§" that a case number or a section heading follows becomes "§ N title", and a case number on
    a line of its own right above "§ N" (Eskilstuna's layout) moves under it."""
    filled = [index for index, line in enumerate(lines) if line]
    following = {index: lines[filled[position + 1]] for position, index in enumerate(filled[:-1])}
    out = []
    held = None  # a case number above a heading, waiting for it
    last_number = 0
    for index, line in enumerate(lines):
        after = following.get(index, "")
        item = NUMBERED_ITEM_RE.match(line)
        if item and int(item["number"]) > last_number and (DNR_RE.match(after) or _heading(after)):
            line = f"§ {item['number']} {item['title']}"
        heading = _paragraph_heading(line)
        if heading:
            last_number = int(heading["number"])
        if not heading and CASE_NUMBER_IN_TEXT_RE.fullmatch(line.strip(" .")) and _paragraph_heading(after):
            held = line.strip(" .")
            continue
        out.append(line)
        if held and line:
            out.append("Dnr " + held if heading else held)
            held = None
    return out


def _decision_in_text(paragraph):
    """The decision of a paragraph without a decision heading: from its "… beslutar att" sentence on."""
    for section in ("background", "summary"):
        for index, block in enumerate(paragraph.sections.get(section) or []):
            found = DECIDES_RE.search(block)
            if found:
                # "Kommunfullmäktige beslutar:" and the "att …" items in the blocks after it are the decision.
                blocks = paragraph.sections[section]
                paragraph.sections["decision"] = [block[found.start() :], *blocks[index + 1 :]]
                paragraph.sections[section] = [*blocks[:index], block[: found.start()].strip()]
                return


def _date_in_header(header_lines):
    """The date on the meeting's line, or on one of the two lines after it ("SAMMANTRÄDESPROTOKOLL" / "Region-
    styrelsen 2007-09-20")."""
    filled = [line for line in header_lines if line.strip()]
    for index, line in enumerate(filled):
        if MEETING_LINE_RE.search(line):
            for candidate in filled[index : index + 3]:
                found = parse_date(candidate)
                if found:
                    return found
    return None


def _body_in_header(header_lines):
    for line in header_lines:
        # "SAMMANTRÄDESPROTOKOLL Regionstyrelsen 2007-09-20": the body without the document's kind and the date.
        text = DATE_RE.sub("", LONG_DATE_RE.sub("", line)).strip().rstrip(":")
        text = re.sub(r"^(?:sammanträdesprotokoll|protokollsutdrag|protokoll)\s+", "", text, flags=re.IGNORECASE)
        if not text or len(text) > 80 or text.endswith(".") or DOCUMENT_KIND_RE.match(text):
            continue
        if BODY_WORDS_RE.search(text) and not parse_date(text):
            return text
    return None
