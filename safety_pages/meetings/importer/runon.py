"""Step 2b: lines that a PDF's text ran together, cut again where a paragraph or a section begins.

Some PDF texts give a whole page as one line, and lose the "§" sign of a heading on the way: "2 Kommunfullmäktige
Kf 72 dnr 166/2011 Motion om … Kommunfullmäktige beslutar att …". A long line is cut before each paragraph
heading ("KS § 33", "Kf 72", "KSAU 130/2014"; the bodies' references that follow one, "Ks 94" or "Au 84", stay with
it), before and after each section heading ("Ärendebeskrivning", "Kommunstyrelsens beslut"), and after a heading's
title where its first sentence ends. A decision heading glued to the end of a shorter line ("• Nedlagda
bensinstationen i Ruda Kommunstyrelsens beslut") goes on a line of its own too.
"""

import re

# The bodies whose paragraph headings may have lost their "§" ("Kf 74", "Ks 250", "SN 13", "KSAU 130/2014").
BODY_ABBREVIATIONS = r"(?:KSAU|KsAu|Ksau|KS|Ks|KF|Kf|AU|Au|SN|Sn|RS|RSAU|RF|BUN|TN|MBN|SBN|VON|KFN|Kfn)"
HEADING_NUMBER = r"(?:§\s*)?(?P<number>\d{1,4})(?:/\d{2,4})?"
# A heading: a body and a number, or "§ N"; a year followed by "/" is a case number ("KS 2021/331"), no heading.
PARAGRAPH_HEAD = (
    r"(?:" + BODY_ABBREVIATIONS + r"\s+" + HEADING_NUMBER + r"|(?:[A-ZÅÄÖ]{1,6}\s+)?§\s*\d{1,4}(?:/\d{2,4})?)"
    r"(?![\d/:.-]\d)"
)
REFERENCE_CHAIN_RE = re.compile(r"^(?:" + BODY_ABBREVIATIONS + r"\s+(?:§\s*)?\d{1,4}(?:/\d{2,4})?\s+)+")
HEAD_IN_LINE_RE = re.compile(r"(?<!\S)" + PARAGRAPH_HEAD + r"(?=\s+(?:[A-ZÅÄÖ]|[Dd]nr|DNR))")
SECTION_IN_LINE_RE = re.compile(
    r"(?<=\s)(?P<heading>Ärendebeskrivning:?|Beslutsunderlag:?|Bakgrund:?|Sammanfattning:?|Yrkanden?:?|"
    r"Förslag till beslut:?|Beslutet skickas till:?|Beslut:?|[A-ZÅÄÖ][a-zåäö]+s beslut:?|"
    r"[A-ZÅÄÖ][a-zåäö]+s förslag till [a-zåäö]+:?)"
    # A heading is followed by a new sentence (or ends the line): "… enligt Kommunstyrelsens beslut 2016-12-07"
    # inside a Word paragraph is no heading.
    r"(?=\s+[A-ZÅÄÖ•–-]|$)"
)
# What stands before a heading in a run-together page: the start, a sentence's end, the page's number ("4(42)",
# "[36]", "PROTOKOLL 3") or the body's name as the page's running header. Not "beslutades i KS § 12" inside a sentence.
BEFORE_HEADING_RE = re.compile(
    r"(?:^|[.!?:]|\(\d{1,3}\)|\[\d{1,3}\]|\b\d{1,3}|[A-ZÅÄÖ][\wåäö-]*(?:styrelsen|nämnden|fullmäktige|utskottet|utskott))\s*$"
)
GLUED_DECISION_RE = re.compile(r"^(?P<text>.*\S)\s+(?P<heading>[A-ZÅÄÖ][a-zåäö]+s beslut)$")
# A page's text run together is far longer than a line of a paragraph, or starts with the page's number.
RUN_ON_LENGTH = 200
PAGE_START_RE = re.compile(r"^\d{1,3}\s+[A-ZÅÄÖ(]")
CONTENTS_RE = re.compile(r"\b(?:Innehåll|Innehållsförteckning|Ärendelista|Ärendeförteckning)\b:?\s+(?:\S+\s+)?\d")
# A heading's text longer than this ran on into the paragraph's text.
LONG_TITLE_WORDS = 12
# Words after which a capitalised word goes on with a title ("Motion om medlemskap i Mälardalsrådet").
TITLE_LINK_WORDS = {"i", "om", "för", "av", "på", "till", "med", "vid", "och", "från", "mot", "under", "inom", "–", "-"}
TITLE_SENTENCE_RE = re.compile(r"^(?P<title>.{3,160}?[a-zåäö)])\.\s+(?=[A-ZÅÄÖ])")


def split_run_on(lines):
    """The lines with run-together pages cut at their headings."""
    out = []
    for line in lines:
        glued = GLUED_DECISION_RE.match(line)
        if glued and len(line) < RUN_ON_LENGTH:
            out.extend([glued["text"], glued["heading"]])
        elif len(line) >= RUN_ON_LENGTH or PAGE_START_RE.match(line) and HEAD_IN_LINE_RE.search(line):
            out.extend(_cut(line))
        else:
            out.append(line)
    return out


def _cut(line):
    if CONTENTS_RE.search(line):
        # "Innehåll KS 115 Godkännande av dagordning... 5 KS 116 …": a table of contents names paragraphs, it
        # starts none.
        return [line]
    points = set()
    previous_end = None
    for match in HEAD_IN_LINE_RE.finditer(line):
        # "Sn 50 Au 84 Sn 34 Au 57": the first starts the paragraph, the rest are references to earlier ones.
        first_of_chain = previous_end is None or line[previous_end : match.start()].strip()
        if first_of_chain and BEFORE_HEADING_RE.search(line[: match.start()]):
            points.add(match.start())
        previous_end = match.end()
    for match in SECTION_IN_LINE_RE.finditer(line):
        points.update((match.start(), match.end()))
    pieces = []
    start = 0
    for point in sorted(points):
        pieces.append(line[start:point])
        start = point
    pieces.append(line[start:])
    out = []
    for piece in (piece.strip() for piece in pieces):
        if not piece:
            continue
        if HEAD_IN_LINE_RE.match(piece):
            out.extend(_title_line(piece))
        else:
            out.append(piece)
    return out


def _text_after_title(words, strict=True):
    """Where a heading's text starts in the words after it: at a capitalised word (not an abbreviation) after a
    word without a digit; when `strict`, only after a word that ends a title's noun, not a preposition before a
    name ("medlemskap i Mälardalsrådet") or a name's first word ("Järvsö Kyrkby")."""
    for index in range(1, len(words)):
        previous, word = words[index - 1], words[index]
        if not word[:1].isupper() or word.isupper() or re.search(r"\d|^[Dd]nr$", previous):
            continue
        if strict and (previous.lower() in TITLE_LINK_WORDS or index > 1 and previous[:1].isupper()):
            continue
        return index
    return None


def _title_line(piece):
    """A heading with its title on one line and the text after it on the next, where the title's sentence ends."""
    head = HEAD_IN_LINE_RE.match(piece)
    rest = piece[head.end() :].strip()
    references = REFERENCE_CHAIN_RE.match(rest + " ")
    prefix = rest[: references.end()] if references else ""
    rest = rest[len(prefix) :]
    sentence = TITLE_SENTENCE_RE.match(rest)
    if sentence and len(sentence["title"].split()) <= LONG_TITLE_WORDS:
        words = sentence["title"].split()
        index = _text_after_title(words)
        if index and words[index - 1][:1].islower() or index == 1:
            # "Val av protokolljusterare Benny Andersson (S) utses …": the sentence is the text, not the title.
            return [
                f"{piece[: head.end()]} {prefix}{' '.join(words[:index])}".strip(),
                rest[len(" ".join(words[:index])) :].strip(),
            ]
        return [f"{piece[: head.end()]} {prefix}{sentence['title']}".strip(), rest[sentence.end() :]]
    words = rest.split()
    if len(words) > LONG_TITLE_WORDS:
        # "Ordföranderemisser Förteckning över inkomna …": a title runs on into text that starts with a capital.
        index = _text_after_title(words, strict=False)
        if index:
            title = " ".join(words[:index])
            return [f"{piece[: head.end()]} {prefix}{title}".strip(), " ".join(words[index:])]
    again = next((i for i, word in enumerate(words[1:13], start=1) if word == words[0]), None)
    if again and again >= 2:
        # "Tillkommande och utgående ärenden Tillkommande ärenden: …": the text starts with the title's word again.
        return [f"{piece[: head.end()]} {prefix}{' '.join(words[:again])}".strip(), " ".join(words[again:])]
    for size in range(2, min(12, len(words) // 2) + 1):
        # "Anmälan om beslut enligt delegation Anmälan om beslut enligt delegation a) …": the title said twice.
        if words[:size] == words[size : 2 * size]:
            return [f"{piece[: head.end()]} {prefix}{' '.join(words[:size])}".strip(), " ".join(words[size:])]
    return [piece]
