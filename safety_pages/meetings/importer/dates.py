"""Dates as minutes write them: ISO (2017-05-03) or Swedish words (3 maj 2017).

Both the letterhead pass (Sammanträdesdatum in page headers) and the parser
(the meeting line of the header) read them, so they sit below both.
"""

import datetime
import re

DATE_RE = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")
MONTHS = {
    name: number
    for number, name in enumerate(
        "januari februari mars april maj juni juli augusti september oktober november december".split(), start=1
    )
}
LONG_DATE_RE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+((?:19|20)\d{2})\b", re.IGNORECASE)


def parse_date(text):
    """The first date in the text, or None; an impossible date (2017-02-30) is None, not the next one."""
    match = DATE_RE.search(text or "")
    if match:
        return _date_or_none(int(match[1]), int(match[2]), int(match[3]))
    match = LONG_DATE_RE.search(text or "")
    if match:
        return _date_or_none(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
    return None


def _date_or_none(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
