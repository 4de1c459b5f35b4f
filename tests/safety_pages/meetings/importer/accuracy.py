"""How much of other municipalities' minutes the parser reads right, per field, on the labelled corpus.

The corpus (corpus/*.txt) holds excerpts of real published minutes, copied as the pages that published them give
the text; corpus/labels.json says, by hand, what each excerpt says: its source, the meeting date, place and time,
the attendance, the justerare, the anslag dates and each paragraph's number, title, Dnr and decision. A field an
excerpt does not state is left out of its labels and not counted.

    python -m tests.safety_pages.meetings.importer.accuracy        # the per-field table
    python -m tests.safety_pages.meetings.importer.accuracy -v     # and every miss
"""

import datetime
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
LABELS = CORPUS / "labels.json"
KINDS = ("beslutande", "tjanstgorande", "ersattare", "ovrig")
FUNCTION_RE = re.compile(r"^(?P<name>.+?)\s*\[(?P<function>\w+)\]$")
# The order of the table; the floors are the (21, item 7).
FIELDS = (
    "meeting_date",
    "paragraph_number",
    "title",
    "case_number",
    "decision",
    "attendance",
    "adjusters",
    "place",
    "starts_at",
    "ends_at",
    "adjusted_on",
    "posted_on",
    "taken_down_on",
)
FLOORS = {
    "meeting_date": 0.95,
    "paragraph_number": 0.95,
    "title": 0.95,
    "case_number": 0.95,
    "decision": 0.95,
    "attendance": 0.90,
    "adjusters": 0.90,
}


@dataclass
class Tally:
    labelled: int = 0
    right: int = 0
    misses: list = field(default_factory=list)

    def add(self, ok, miss):
        self.labelled += 1
        self.right += bool(ok)
        if not ok:
            self.misses.append(miss)

    @property
    def share(self):
        return self.right / self.labelled if self.labelled else 1.0


@dataclass
class Report:
    tallies: dict
    excerpts: int
    municipalities: int
    extra_paragraphs: int  # paragraphs read where the labels have none (a reference or a list taken as one)
    extra_attendees: int  # attendees read that the labels do not have

    def table(self):
        rows = [f"{'field':<18}{'labelled':>9}{'right':>7}{'share':>8}  floor"]
        for name in FIELDS:
            tally = self.tallies[name]
            floor = f"{FLOORS[name]:.0%}" if name in FLOORS else ""
            rows.append(f"{name:<18}{tally.labelled:>9}{tally.right:>7}{tally.share:>8.1%}  {floor}")
        rows.append(
            f"{self.excerpts} excerpts from {self.municipalities} municipalities and regions; "
            f"{self.extra_paragraphs} paragraphs and {self.extra_attendees} attendees read that are not labelled"
        )
        return "\n".join(rows)


def _normal(text):
    return re.sub(r"\s+", " ", text or "").strip(" .,:;").casefold()


def _labelled_attendees(attendance):
    out = []
    for kind in KINDS:
        for entry in attendance.get(kind, []):
            match = FUNCTION_RE.match(entry)
            name, function = (match["name"], match["function"]) if match else (entry, "")
            out.append((_normal(name), kind, function))
    return out


def _time(value):
    return value.strftime("%H:%M") if value else None


def _date(value):
    return value.isoformat() if isinstance(value, datetime.date) else None


def measure(parse_lines=None):
    """The per-field tallies of the parser over the corpus."""
    if parse_lines is None:
        from safety_pages.meetings.importer.parse import parse_lines
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    tallies = {name: Tally() for name in FIELDS}
    extra_paragraphs = extra_attendees = 0
    for file_name, label in labels.items():
        lines = (CORPUS / file_name).read_text(encoding="utf-8").split("\n")
        parsed = parse_lines(lines, require_paragraphs=False)
        _measure_header(tallies, file_name, label, parsed)
        extra_attendees += _measure_attendance(tallies, file_name, label, parsed)
        extra_paragraphs += _measure_paragraphs(tallies, file_name, label, parsed)
    municipalities = len({label["municipality"] for label in labels.values()})
    return Report(tallies, len(labels), municipalities, extra_paragraphs, extra_attendees)


def _check(tallies, where, name, got, want):
    tallies[name].add(got == want, f"{where}: {name} {got!r} != {want!r}")


def _measure_header(tallies, where, label, parsed):
    if "meeting_date" in label:
        _check(tallies, where, "meeting_date", _date(parsed.meeting_date), label["meeting_date"])
    if "place" in label:
        _check(tallies, where, "place", _normal(parsed.place), _normal(label["place"]))
    for name in ("starts_at", "ends_at"):
        if name in label:
            _check(tallies, where, name, _time(getattr(parsed, name)), label[name])
    for name in ("adjusted_on", "posted_on", "taken_down_on"):
        if name in label:
            _check(tallies, where, name, _date(getattr(parsed, name)), label[name])
    read = {_normal(name) for name in parsed.adjusters}
    for name in label.get("adjusters", []):
        tallies["adjusters"].add(_normal(name) in read, f"{where}: justerare {name!r} not in {parsed.adjusters}")


def _measure_attendance(tallies, where, label, parsed):
    """Tally each labelled attendee (name, kind and function); return how many read attendees are not labelled."""
    if "attendance" not in label:
        return 0
    read = Counter((_normal(a.name), a.kind, a.function) for a in parsed.attendance)
    wanted = _labelled_attendees(label["attendance"])
    for attendee in wanted:
        found = read[attendee] > 0
        if found:
            read[attendee] -= 1
        tallies["attendance"].add(found, f"{where}: attendee {attendee} not read as such")
    labelled_names = {name for name, _kind, _function in wanted}
    return sum(count for (name, *_rest), count in read.items() if name not in labelled_names)


def _measure_paragraphs(tallies, where, label, parsed):
    """Tally each labelled paragraph's fields; return how many read paragraphs are not labelled."""
    by_number = {p.number: p for p in parsed.paragraphs}
    for wanted in label.get("paragraphs", []):
        got = by_number.get(wanted["number"])
        tallies["paragraph_number"].add(got is not None, f"{where}: § {wanted['number']} not read")
        if "title" in wanted:
            _check(tallies, where, "title", _normal(got.title) if got else None, _normal(wanted["title"]))
        if "case_number" in wanted:
            _check(tallies, where, "case_number", got.case_number if got else None, wanted["case_number"])
        if "decision" in wanted:
            decision = _normal(got.text("decision")) if got else ""
            tallies["decision"].add(
                _normal(wanted["decision"]) in decision, f"{where}: § {wanted['number']} decision {decision!r}"
            )
    return len(set(by_number) - {p["number"] for p in label.get("paragraphs", [])})


def main(argv):
    # As pytest's pythonpath (pyproject.toml): the project package `intranet` lives in site/.
    sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "site"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.test")
    import django

    django.setup()
    report = measure()
    print(report.table())
    if "-v" in argv:
        for name in FIELDS:
            for miss in report.tallies[name].misses:
                print(miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
