"""Step 3a: the header's form — place and time, attendance, justerare, anslag — from the lines before the first §.

Minutes print these as a form of labels ("Plats och tid", "Beslutande", "Övriga närvarande", "Utses att justera",
"Justeringens plats och tid", "ANSLAG/BEVIS", "Datum för anslags uppsättande", …) each followed by its value: on
the same line, on the lines below, or, where a PDF's text runs a table's cells together, all in one long line. So
the lines are joined and cut at the labels, and the three layouts read alike. Where a table puts its labels in one
column, several labels come in a row with their values after them: the values are then shared out in order.
The parser (step 3) calls `read_header` with the header's lines and copies the result into ParsedMinutes.
"""

import datetime
import re
from dataclasses import dataclass, field

from safety_pages.meetings.importer.dates import LONG_DATE_RE, MONTHS, parse_date

# (key, labels): each label is matched case-sensitively (a form's labels are capitalised, the same words inside a
# value are not), its words separated by any white space, a page break included.
LABELS = (
    ("place_time", ("Plats och tid för sammanträdet", "Plats och sammanträdestid", "Plats och tid", "Tid och plats")),
    (
        "adjusted",
        (
            "Justeringens plats och tid",
            "Justeringens plats och datum",
            "Justeringens plats",
            "Plats och tid för justering",
            "Tid och plats för justering",
        ),
    ),
    ("beslutande", ("Beslutande ledamöter", "Beslutande och tjänstgörande ersättare", "Beslutande")),
    ("ledamoter", ("Ledamöter",)),
    ("tjanstgorande", ("Tjänstgörande ersättare",)),
    (
        "ersattare",
        (
            "Närvarande ej tjänstgörande ersättare",
            "Närvarande, ej tjänstgörande",
            "Ej tjänstgörande ersättare",
            "Ej beslutande ersättare",
            "Ej tjänstgörande",
            "Ej beslutande",
            "Närvarande ersättare",
        ),
    ),
    ("ersattare_plain", ("Ersättare",)),
    ("ovrig", ("Övriga närvarande", "Övriga deltagande", "Övriga deltagare", "Övriga", "Tjänstemän", "Tjänsteman")),
    ("adjusters", ("Utses att justera", "Utsedd att justera", "Justerare", "Justerande")),
    ("secretary", ("Sekreterare",)),
    ("chair", ("Ordförande",)),
    ("anslag", ("ANSLAG/BEVIS", "Anslag/Bevis", "Anslag/bevis", "Bevis/Anslag", "Bevis om anslag", "BEVIS", "Anslag")),
    (
        "posted",
        (
            "Datum för anslags uppsättande",
            "Datum för anslagets uppsättande",
            "Datum då anslaget sätts upp",
            "Datum när anslaget sätts upp",
            "Datum då anslag sätts upp",
            "Anslaget sätts upp",
            "Anslaget uppsättes",
            "Anslaget uppsatt",
        ),
    ),
    (
        "taken_down",
        (
            "Datum för anslags nedtagande",
            "Datum för anslagets nedtagande",
            "Datum för anslags nedtagning",
            "Datum då anslaget tas ned",
            "Datum när anslaget tas ner",
            "Datum då anslag tas ner",
            "Anslaget tas ned",
            "Anslaget tas ner",
            "Anslaget nedtages",
            "Anslags nedtagande",
            "Anslaget till och med",
        ),
    ),
    ("posting_period", ("Tid för anslag",)),
    (
        "kept_at",
        (
            "Förvaringsplats för protokollet",
            "Förvaringsplats för protokoll",
            "Förvaringsplats av protokollet",
            "Protokollets förvaringsplats",
            "Protokollet förvaras på",
            "Protokollet finns hos",
        ),
    ),
    ("meeting_date", ("Sammanträdesdatum", "Sammanträdesdag")),
    # Where the signatures go: a row of labels never runs on from one of these.
    ("signature", ("Underskrifter", "Under- skrifter", "Underskrift", "Utdragsbestyrkande")),
    (
        "other",
        (
            "Organ och sammanträdesdatum",
            "Nämnd/Styrelse",
            "Nämnd",
            "Organ",
            "Beslutsinstans",
            "Justerade paragrafer",
            "Paragrafnummer",
            "Paragrafer",
            "Paragraf",
            "Närvarorätt",
            "Justering",
        ),
    ),
)
ATTENDANCE_KEYS = ("beslutande", "ledamoter", "tjanstgorande", "ersattare", "ersattare_plain", "ovrig")
# A heading and its first subheading ("Övriga närvarande / Ersättare …"), not a row of labels sharing values.
SUBHEADINGS = {("ovrig", "ersattare_plain"), ("beslutande", "ledamoter")}
KIND_OF_BLOCK = {
    "beslutande": "beslutande",
    "ledamoter": "beslutande",
    "tjanstgorande": "tjanstgorande",
    "ersattare": "ersattare",
    "ovrig": "ovrig",
}
_LABEL_KEYS = {}
for _key, _labels in LABELS:
    for _label in _labels:
        _LABEL_KEYS[_label] = _key


def _label_pattern(label):
    pattern = r"\s+".join(map(re.escape, label.split()))
    # "Björn Jansson, Ordförande (S)": after a comma the word marks a function, it starts no field.
    return r"(?<!, )" + pattern if label == "Ordförande" else pattern


LABEL_RE = re.compile(
    r"(?<![\wÅÄÖåäö])(?P<label>"
    + "|".join(_label_pattern(label) for label in sorted(_LABEL_KEYS, key=len, reverse=True))
    + r")(?=$|[\s:.,;]|[A-ZÅÄÖ0-9])"
)
TIME_RANGE_RE = re.compile(r"(\d{1,2})[.:](\d{2})\s*(?:[-–—]{1,2}|\s)\s*(\d{1,2})[.:](\d{2})")
WEEKDAY_RE = re.compile(r"\b(?:mån|tis|ons|tors|fre|lör|sön)dag(?:en)?\b", re.IGNORECASE)
DAY_MONTH_RE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\b(?!\s+(?:19|20)\d{2})", re.IGNORECASE)
PLACE_END_RE = re.compile(
    "|".join(
        (
            TIME_RANGE_RE.pattern,
            r"\n",
            WEEKDAY_RE.pattern,
            r"\bden\s+\d",
            r"\b(?:19|20)\d{2}-\d{2}-\d{2}",
            r"\bkl\b|\bklockan\b",
            LONG_DATE_RE.pattern,
        )
    ),
    re.IGNORECASE,
)
PARTY_MARK_RE = re.compile(r"\(\s*\w{1,5}\s*\)")
NAME_PAIRS_RE = re.compile(
    r"^(?:[A-ZÅÄÖ][\w-]+\s+[A-ZÅÄÖ][\w-]+(?:\s*\([^)]*\))?(?:\s*,\s*|\s+och\s+))*"
    r"[A-ZÅÄÖ][\w-]+\s+[A-ZÅÄÖ][\w-]+(?:\s*\([^)]*\))?"
)
BARE_PARTY_RE = re.compile(r"^(?:S|M|C|V|L|KD|MP|SD|FP|PF|NP|s|m|c|v|l|kd|mp|sd|fp)[,.]?$")
# "Anna-Karin", "PerÅke", "Lambrén", an initial "R".
NAME_WORD_RE = re.compile(
    r"^(?:[A-ZÅÄÖÉ][a-zåäöéüø'’]+(?:-[A-ZÅÄÖa-zåäö][a-zåäöéü]+)*(?:[A-ZÅÄÖ][a-zåäö]+)?|[A-ZÅÄÖ]\.?)$"
)
# A word naming a post or a place, not part of a name: "Nämndsekreterare Fitim Kunushevci", "Förvaltningen".
TITLE_WORD_RE = re.compile(
    r"(sekreterare|sekr|chef|direktör|strateg|handläggare|utredare|controller|ekonom|samordnare|jurist|ingenjör|"
    r"arkitekt|koordinator|administratör|revisor|praktikant|ordförande|ordf|ledamot|ersättare|ersätter|"
    r"förvaltningen|kontoret|huset|salen|rummet|vakant|enligt|protokollet|justeringen|ajournering|se|kl|tf)$",
    re.IGNORECASE,
)
REPLACES_RE = re.compile(r"^(?:för|ersätter|ersättare för)$", re.IGNORECASE)
SERVING_RE = re.compile(r"\b(tjg\.?|tjänstgörande)\s+(ersättare|för)\b|\bersätter\b|\bersättare\s+för\b", re.I)
NOT_SERVING_RE = re.compile(r"\bej\s+(tjg\.?|tjänstgörande)\b", re.IGNORECASE)
VICE_CHAIR_RE = re.compile(r"\bvice\s+(ordförande|ordf|ordforande)\b", re.IGNORECASE)
CHAIR_RE = re.compile(r"\b(ordförande|ordf|ordforande)\b", re.IGNORECASE)
# "Jessica Bräck, sekreterare", not "politisk sekreterare".
SECRETARY_RE = re.compile(r"(?:^|[,)]\s*|\(\w+\)\s+)(sekreterare|sekr)\b\.?", re.IGNORECASE)
# A post that names the meeting's secretary when the signature does not say who it was.
SECRETARY_POST_RE = re.compile(r"\b(kommunsekreterare|nämndsekreterare|nämndsekr)\b", re.IGNORECASE)


@dataclass
class Person:
    name: str
    description: str = ""


@dataclass
class Header:
    meeting_date: datetime.date | None = None
    place: str | None = None
    starts_at: datetime.time | None = None
    ends_at: datetime.time | None = None
    attendance: list = field(default_factory=list)  # (name, kind, function, description)
    adjusters: list = field(default_factory=list)
    adjusted_place: str | None = None
    adjusted_on: datetime.date | None = None
    posted_on: datetime.date | None = None
    taken_down_on: datetime.date | None = None
    kept_at: str | None = None
    adjusted_text: str = ""  # the justering's place and time as written, for a date without its year


def read_header(lines):
    """The header's form read from its lines (the lines before the first paragraph)."""
    segments = _share_out(_segments("\n".join(line.strip() for line in lines)))
    header = Header()
    for key, value in segments:
        _read_segment(header, key, value)
    _read_attendance(header, segments)
    if not header.adjusted_on and header.meeting_date:
        header.adjusted_on = adjusted_in_year(header, header.meeting_date.year)
    return header


# --- cutting the text at the labels ------------------------------------------------------------------------------


def _segments(text):
    """[(key, value)] in the order of the labels; the text before the first label is ("", text)."""
    out = []
    matches = list(LABEL_RE.finditer(text))
    out.append(("", text[: matches[0].start()] if matches else text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        label = re.sub(r"\s+", " ", match["label"])
        key, value = _LABEL_KEYS[label], text[match.end() : end].strip(" \n:.")
        times = TIME_RANGE_RE.search(value) if key == "place_time" else None
        if times and people(value[times.end() :]):
            # "… kl. 13:00 15:30 ande: Börje Wennberg (S), ordförande …": a label lost, its names after the time.
            out.extend([(key, value[: times.end()]), ("", value[times.end() :])])
        else:
            out.append((key, value))
    return out


def _share_out(segments):
    """Labels in a row without values, then the values: a table's label column read before its value column.

    The values go to the labels in order, line by line when the values are on lines of their own; otherwise the
    place and time take the text up to the meeting's time (or date), the justerare the names before the place of
    the justering, and a list of attendees goes to the first label of its row."""
    out = []
    index = 0
    while index < len(segments):
        key, value = segments[index]
        following_key = segments[index + 1][0] if index + 1 < len(segments) else None
        if value or key in ("", "anslag", "signature") or following_key is None or (key, following_key) in SUBHEADINGS:
            out.append((key, value))
            index += 1
            continue
        row = [key]
        following = index + 1
        while following < len(segments) and not segments[following][1] and segments[following][0] not in ("anslag",):
            row.append(segments[following][0])
            following += 1
        if following == len(segments):
            out.extend((k, "") for k in row)
            break
        row.append(segments[following][0])
        out.extend(_share_row(row, segments[following][1]))
        index = following + 1
    return out


def _share_row(keys, value):
    lines = [line.strip() for line in value.split("\n") if line.strip()]
    if len(lines) >= len(keys):
        return list(zip(keys[:-1], lines, strict=False)) + [(keys[-1], "\n".join(lines[len(keys) - 1 :]))]
    shared = []
    rest = value
    for number, key in enumerate(keys):
        if number == len(keys) - 1:
            shared.append((key, rest))
            break
        taken, rest = _take_for(key, rest, keys[number + 1 :])
        shared.append((key, taken))
    return shared


def _take_for(key, text, later_keys):
    """(the part of `text` that is `key`'s value, the rest) when a row of labels shares one run of text."""
    if key == "place_time":
        found = TIME_RANGE_RE.search(text) or LONG_DATE_RE.search(text) or re.search(r"\d{4}-\d{2}-\d{2}", text)
        return (text[: found.end()], text[found.end() :]) if found else ("", text)
    if key == "adjusters" and "adjusted" in later_keys:
        # "Mats Nilsson och Niclas Bodin Rådhuset i Säter": the names are the pairs joined by "och" or commas.
        pairs = NAME_PAIRS_RE.match(text)
        return (text[: pairs.end()], text[pairs.end() :]) if pairs else ("", text)
    if key in ATTENDANCE_KEYS:
        return _take_attendance(key, text, later_keys)
    if key in ("secretary", "chair"):
        person = next(iter(people(text)), None)
        return (person.name, text) if person else ("", text)
    return "", text


def _take_attendance(key, text, later_keys):
    if key != "ovrig" and "ovrig" in later_keys:
        # Members and ersättare carry a party, the others a post: "… Börje Forss (FP) Joakim Svensson, …"
        return _cut_at_first(text, lambda person: _is_post(person.description) and not _has_party(person))
    if any(k in ATTENDANCE_KEYS for k in later_keys):
        return text, ""
    if key == "ovrig":
        # The others while each has a post ("Joakim Svensson, trafikadministratör"); the first name without one
        # is the next label's value.
        return _cut_at_first(text, lambda person: not _is_post(person.description))
    return "", text


def _cut_at_first(text, test):
    for person in people(text):
        if test(person):
            start = text.find(person.name)
            return text[:start], text[start:]
    return text, ""


# --- reading the values ------------------------------------------------------------------------------------------


def _read_segment(header, key, value):
    if key == "place_time":
        _read_place_time(header, value)
    elif key == "adjusted":
        header.adjusted_text = header.adjusted_text or value
        header.adjusted_on = header.adjusted_on or parse_date(value)
        place = _place(value)
        header.adjusted_place = header.adjusted_place or place
    elif key == "posted":
        header.posted_on = header.posted_on or parse_date(value)
    elif key == "taken_down":
        header.taken_down_on = header.taken_down_on or parse_date(value)
    elif key == "posting_period":
        dates = [parse_date(part) for part in re.findall(r"(?:19|20)\d{2}-\d{2}-\d{2}", value)]
        if len(dates) == 2:
            header.posted_on, header.taken_down_on = header.posted_on or dates[0], header.taken_down_on or dates[1]
    elif key == "kept_at":
        kept = value.split("\n")[0].strip(" .,")
        if kept and not parse_date(kept):
            header.kept_at = header.kept_at or kept
    elif key == "meeting_date":
        header.meeting_date = header.meeting_date or _iso_date(value)


def _iso_date(value):
    found = re.search(r"(?:19|20)\d{2}-\d{2}-\d{2}", value)
    return parse_date(found.group(0)) if found else None


def _read_place_time(header, value):
    times = TIME_RANGE_RE.search(value)
    if times:
        header.starts_at = header.starts_at or _time(times[1], times[2])
        header.ends_at = header.ends_at or _time(times[3], times[4])
    header.meeting_date = header.meeting_date or parse_date(value)
    place = _place(value)
    if not place and times:
        # "Onsdagen den 21 juni 2017 kl.18.00-20:20 i konferenssal Stallet, Taxinge."
        place = _place(re.sub(r"^\s*i\s+", "", value[times.end() :]))
    header.place = header.place or place


def _place(value):
    end = PLACE_END_RE.search(value)
    place = (value[: end.start()] if end else value).strip(" ,.;:\n")
    return place if place and len(place) <= 120 and not re.fullmatch(r"[\d\s.:,-]*", place) else None


def _time(hour, minute):
    try:
        return datetime.time(int(hour), int(minute))
    except ValueError:
        return None


def adjusted_in_year(header, year):
    """ "Justeringens plats och tid: måndagen den 28 februari kl 16.00": the date in the meeting's year, or None."""
    found = DAY_MONTH_RE.search(header.adjusted_text or "")
    if not found or not year:
        return None
    try:
        return datetime.date(year, MONTHS[found[2].lower()], int(found[1]))
    except ValueError:
        return None


# --- people ------------------------------------------------------------------------------------------------------


def people(value):
    """The persons named in a value, each with what follows the name ("(S), ordförande", "kommunchef")."""
    tokens = re.findall(r"\n|[^\s]+", value)
    found = []
    pending_title = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        run = _name_run(tokens, index)
        if run:
            names = _split_run(tokens[index : index + run])
            for name in names:
                found.append(Person(name, " ".join(pending_title)))
            pending_title = []
            index += run
            continue
        if token != "\n" and _is_title(token) and _starts_name(tokens, index + 1):
            pending_title.append(token)  # "Nämndsekreterare Fitim Kunushevci": the post before the name
        elif token != "\n" and found:
            found[-1].description = (found[-1].description + " " + token).strip()
        if found and REPLACES_RE.match(token.strip(",")) and _name_run(tokens, index + 1):
            # "ersättare för Ida Svensson (S)": the absent member is no attendee (only the first name of a run).
            absent = _split_run(tokens[index + 1 : index + 1 + _name_run(tokens, index + 1)])[0]
            skip = len(absent.split())
            found[-1].description += " " + " ".join(tokens[index + 1 : index + 1 + skip])
            index += skip
        index += 1
    return found


def _is_name_word(token):
    word = token.rstrip(",;.")
    return bool(NAME_WORD_RE.match(word)) and not TITLE_WORD_RE.search(word) and word.lower() not in MONTHS


def _is_title(token):
    return bool(TITLE_WORD_RE.search(token.rstrip(",.;"))) and token[:1].isupper()


def _starts_name(tokens, index):
    return _name_run(tokens, index) > 0


def _name_run(tokens, index):
    """How many tokens from `index` make a name (two words or more, ending at a comma), or 0."""
    end = index
    while end < len(tokens) and _is_name_word(tokens[end]):
        end += 1
        if tokens[end - 1].endswith((",", ";", ".")):
            break
    words = end - index
    if words < 2 or len(tokens[index].rstrip(",;.")) == 1:
        return 0
    return words


def _split_run(words):
    """ "Sverre Moum Odet Klaff": names without a party between them, two words each; an odd count ends on a name
    of three ("… Gunder Lindgren Bo Lennart Danielsson")."""
    words = [word.rstrip(",;.") for word in words]
    if len(words) <= 3:
        return [" ".join(words)]
    last = 3 if len(words) % 2 else 2
    names = [" ".join(words[i : i + 2]) for i in range(0, len(words) - last, 2)]
    return [*names, " ".join(words[-last:])]


# --- attendance and justerare ------------------------------------------------------------------------------------


def _read_attendance(header, segments):
    attendance = []
    signed = {}  # "chair", "secretary": the first person named under the label
    adjuster_names = []
    # "Beslutande / Ledamöter … / Ersättare …": the ersättare under Beslutande serve.
    in_members = False
    has_members_block = any(key in ("beslutande", "ledamoter") for key, _value in segments)
    for key, value in segments:
        in_members = key == "ledamoter" or (in_members and key == "ersattare_plain")
        if key == "" and not has_members_block:
            # The Beslutande label cut off ("ande:") or on a page before: its members are the leading names that
            # carry a party.
            attendance.extend(_attendee(person, "beslutande") for person in people(value) if _has_party(person))
        elif key in KIND_OF_BLOCK or key == "ersattare_plain":
            block_kind = KIND_OF_BLOCK.get(key) or ("tjanstgorande" if in_members else "ersattare")
            attendance.extend(_attendee(person, block_kind) for person in people(value))
        elif key in ("chair", "secretary") and key not in signed:
            signed[key] = next(iter(people(value)), None)
        elif key == "adjusters":
            adjuster_names.extend(person.name for person in people(value))
    chair, secretary = signed.get("chair"), signed.get("secretary")
    _functions_from_signatures(attendance, chair, secretary)
    chairs = {name for name, _kind, function, _desc in attendance if function in ("ordforande", "sekreterare")}
    chairs |= {person.name for person in (chair, secretary) if person}
    header.adjusters = list(dict.fromkeys(name for name in adjuster_names if name not in chairs))
    for index, (name, kind, function, description) in enumerate(attendance):
        if name in header.adjusters and function in ("", "vice_ordforande"):
            attendance[index] = (name, kind, "justerare", description)
    header.attendance = attendance


def _has_party(person):
    return bool(PARTY_MARK_RE.match(person.description))


def _attendee(person, block_kind):
    description = person.description
    kind = block_kind
    if block_kind == "beslutande" and _is_post(description):
        # "Göran Fjellström, kommunchef" in a Beslutande list that ran on into Övriga deltagare.
        kind = "ovrig"
    if NOT_SERVING_RE.search(description):
        kind = "ersattare"
    elif SERVING_RE.search(description) and block_kind in ("beslutande", "tjanstgorande"):
        kind = "tjanstgorande"
    function = ""
    if VICE_CHAIR_RE.search(description):
        function = "vice_ordforande"
    elif CHAIR_RE.search(description):
        function = "ordforande"
    elif SECRETARY_RE.search(description):
        function = "sekreterare"
    return (person.name, kind, function, description.strip(" ,"))


def _is_post(description):
    """Whether an attendee's description is a post ("kommunchef"), not a party, a chair's mark or a substitution."""
    text = description.lstrip(" ,")
    if not text[:1].islower() or BARE_PARTY_RE.match(text.split()[0]):
        return False
    return not (CHAIR_RE.search(text) or SERVING_RE.search(text) or NOT_SERVING_RE.search(text) or "ledamot" in text)


def _functions_from_signatures(attendance, chair, secretary):
    """The signatures name the ordförande and the sekreterare when the attendance does not mark them."""
    for function, person in (("ordforande", chair), ("sekreterare", secretary)):
        if any(entry[2] == function for entry in attendance):
            continue
        name = person.name if person else None
        for index, (attendee, kind, current, description) in enumerate(attendance):
            if attendee == name and current in ("", "vice_ordforande"):
                attendance[index] = (attendee, kind, function, description)
                break
        else:
            if function == "sekreterare" and not person:
                for index, (attendee, kind, current, description) in enumerate(attendance):
                    if not current and SECRETARY_POST_RE.search(description):
                        attendance[index] = (attendee, kind, function, description)
                        break
