"""Realistic pages for the search benchmark, written in bulk (benchmark data only, never for real content).

`Page.add_child` finds the last sibling, inserts, and updates the parent,
one page at a time: far too slow for the 100 000 pages of the largest run.
Here the treebeard paths are computed in Python (the same encoding treebeard
uses: steps of four characters in base 36), the base `wagtailcore_page` rows
are written with one `bulk_create` per batch, and each specific row
(forum, record, …) with a raw insert of its own table only. The pages are
the page types readers search: forums (every twentieth closed to a group)
with an instruction, meeting records with numbered paragraphs (some not yet
justerade, so closed to the forum), and citizen-dialogue reports.
"""

import datetime
import time
import uuid
from collections import Counter

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction

from safety_pages.models import (
    CitizenDialogueIndexPage,
    CitizenDialogueReportPage,
    ForumIndexPage,
    ForumPage,
    HomePage,
    InstructionPage,
    MeetingRecordPage,
    SectionPage,
)
from safety_pages.models.meetings import Paragraph
from search import analysis
from search.index.sources import entries_for

# The benchmark's domain words: what the benchmark queries ask for. In the `uniform` vocabulary they are all
# there is (each in about half of all paragraphs: the worst case for an engine that counts every match).
WORDS = (
    "trygghet säkerhet brottsförebyggande arbete samverkan polisen kommunen förvaltningen medborgardialog "
    "trygghetsvandring lägesbild handlingsplan åtgärder ungdomar skolan socialtjänsten räddningstjänsten "
    "krisberedskap informationssäkerhet skalskydd belysning skadegörelse klotter narkotika våld i nära relationer "
    "föreningar bostadsbolaget fastighetsägare kyrkan pensionärsföreningar brottsofferjouren regionen centrum "
    "stationsområdet parken kvällstid helger uppföljning rapport budget beslut protokoll ärendet yrkande bifall "
    "sammanträde ledamöter ersättare ordförande sekreterare uppdraget redovisning nämnden styrelsen arbetsgruppen "
    "nätverket rådet utskottet medborgarlöfte samverkansöverenskommelse enkäten resultatet insatser"
).split()
PLACES = ["Mjölby", "Skänninge", "Mantorp", "Haninge", "Linköping", "Jordbro", "Brandbergen", "Ryd", "Skäggetorp"]
KINDS = [
    ("rad", "Trygghetsrådet"),
    ("utskott", "Trygghets- och säkerhetsutskottet"),
    ("natverk", "Strategiskt nätverk"),
    ("lokal_arbetsgrupp", "LAG"),
    ("styrgrupp", "Styrgrupp för trygghet"),
    ("samverkansrad", "Samverkansråd"),
]
HEADINGS = ["Bakgrund", "Sammanfattning", "Beslutsunderlag", "Förslag till beslut", "Beslut", "Uppdrag"]
# Per forum: the forum, its instruction, RECORDS meeting records, and every REPORT_EVERY forums a dialogue report.
RECORDS = 14
PARAGRAPHS = 3
REPORT_EVERY = 2
PAGES_PER_FORUM = 2 + RECORDS + 1 / REPORT_EVERY
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4
BATCH = 2000


# In the `demo` vocabulary each domain word counts as often as a word seen this many times in the demo content.
DOMAIN_WORD_WEIGHT = 3


class Vocabulary:
    """Words to draw sentences from, each with its weight."""

    def __init__(self, words, weights=None):
        self.words = list(words)
        self.cumulative = None
        if weights is not None:
            self.cumulative, total = [], 0
            for weight in weights:
                total += weight
                self.cumulative.append(total)

    @classmethod
    def uniform(cls):
        return cls(WORDS)

    @classmethod
    def demo(cls):
        """The words of the live demo content, as often as they occur there (Zipf's law comes with real text),
        plus the domain words, so every benchmark query still finds generated pages."""
        counts = Counter()
        for page in Page.objects.filter(depth__gt=1).live().specific():
            for data in entries_for(page):
                counts.update(w for w in analysis.tokens(f"{data.heading} {data.body}") if w.isalpha())
        for word in WORDS:
            counts[word] += DOMAIN_WORD_WEIGHT
        words = sorted(counts)  # a fixed order, so one seed draws the same pages
        return cls(words, [counts[w] for w in words])

    def sentence(self, rng, n):
        if self.cumulative is None:
            drawn = [rng.choice(self.words) for _ in range(n)]
        else:
            drawn = rng.choices(self.words, cum_weights=self.cumulative, k=n)
        return " ".join(drawn).capitalize() + "."


def _step(number):
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEP, "0")


class TreeWriter:
    """Collects new pages under existing or new parents and writes them in bulk, paths and counts included."""

    def __init__(self):
        self.locale = Locale.get_default()
        self.children = {}  # parent path -> children given so far
        self.pending = []
        self.parents = {}  # parent pk -> number of children added
        self.now = timezone.now()
        self.written = 0

    def add(self, parent, page):
        """Place `page` (an unsaved specific page) as the next child of `parent`; written at the next flush."""
        number = self.children.get(parent.path, parent.numchild) + 1
        self.children[parent.path] = number
        page.path = parent.path + _step(number)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.content_type = ContentType.objects.get_for_model(type(page))
        page.locale = self.locale
        page.translation_key = uuid.uuid4()
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = self.now
        self.parents[parent.pk] = self.parents.get(parent.pk, 0) + 1
        self.pending.append(page)
        if len(self.pending) >= BATCH:
            self.flush()
        return page

    def flush(self):
        if not self.pending:
            return
        pages, self.pending = self.pending, []
        base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        with transaction.atomic():
            bases = Page.objects.bulk_create(
                [Page(**{f.attname: getattr(p, f.attname) for f in base_fields}) for p in pages]
            )
            for page, base in zip(pages, bases, strict=True):
                page.pk = base.pk
                if type(page) is Page:  # a plain Wagtail page (tests.bench.distractors' news) is its base row
                    continue
                page.page_ptr_id = base.pk
                # Only the specific table: the base row is there already (raw skips the parents).
                page.save_base(raw=True, force_insert=True)
            for page in pages:
                after = getattr(page, "_bench_after", None)
                if after:
                    after(page)
        self.written += len(pages)

    def finish(self):
        self.flush()
        by_count = {}
        for parent_pk, added in self.parents.items():
            by_count.setdefault(added, []).append(parent_pk)
        with transaction.atomic():
            for added, ids in by_count.items():
                for start in range(0, len(ids), 500):
                    Page.objects.filter(pk__in=ids[start : start + 500]).update(numchild=F("numchild") + added)
        self.parents = {}


def paragraph_writer(rng, sentence, year, series="KS", heading=None):
    """What writes a record's paragraphs once it has its id, worded by `sentence(rng, words)` and titled by
    `heading(rng)` (default: a short sentence), each naming a case of `series` (the distractor committees of
    tests.bench.distractors have their own)."""

    def write(record):
        Paragraph.objects.bulk_create(
            [
                Paragraph(
                    record_id=record.pk,
                    sort_order=n,
                    number=n + 1,
                    title=heading(rng) if heading else sentence(rng, 4)[:-1],
                    background=f"<p>{sentence(rng, 25)} Dnr {series}/{year}:{rng.randint(1, 400)}</p>",
                    decision=f"<p>{sentence(rng, 8)}</p>",
                )
                for n in range(PARAGRAPHS)
            ]
        )

    return write


def add_forum_children(writer, rng, sentence, forum, f, place, instruction, slug, records=RECORDS, **paragraphs):
    """The forum's instruction (titled `instruction`) and `records` meeting records with their paragraphs
    (`paragraphs`: the series and heading of `paragraph_writer`), the forum being the `f`th, in `place`."""
    writer.add(
        forum,
        InstructionPage(
            title=instruction,
            slug=slug,
            sections=[
                ("section", {"heading": heading, "body": f"<p>{sentence(rng, 50)}</p>"})
                for heading in rng.sample(HEADINGS, 3)
            ],
        ),
    )
    for r in range(records):
        date = datetime.date(2015 + r % 10, 1 + (f + r) % 12, 1 + r % 28)
        record = MeetingRecordPage(
            title=f"{forum.title} {date.isoformat()}",
            slug=f"{date.isoformat()}-{r}",
            meeting_date=date,
            place=f"Kommunhuset, {place}",
            # Every seventh record is not yet justerat: only the forum may read it.
            adjusted_on=None if r % 7 == 3 else date + datetime.timedelta(days=7),
        )
        record._bench_after = paragraph_writer(rng, sentence, date.year, **paragraphs)
        writer.add(forum, record)


def generate(pages, rng, out, vocabulary="demo"):
    """Create about `pages` live pages in bench sections, worded from `vocabulary`; returns the number created."""
    sentence = (Vocabulary.demo() if vocabulary == "demo" else Vocabulary.uniform()).sentence

    home = HomePage.objects.first()
    closed_group, _ = Group.objects.get_or_create(name="Bench: slutna forum")
    forums = max(1, round(pages / PAGES_PER_FORUM))
    sections = []
    for i, place in enumerate(PLACES):
        section = home.add_child(
            instance=SectionPage(title=f"{place} (bench)", slug=f"bench-{i}", municipality=f"{place} kommun", live=True)
        )
        index = section.add_child(instance=ForumIndexPage(title="Organisation för trygghet", slug="organisation"))
        dialogues = section.add_child(
            instance=CitizenDialogueIndexPage(title="Medborgardialog", slug="medborgardialog")
        )
        sections.append((place, index, dialogues))
    writer = TreeWriter()
    started = time.perf_counter()
    created = len(sections) * 3
    forum_pages = []
    for f in range(forums):
        place, index, dialogues = sections[f % len(sections)]
        kind, name = KINDS[f % len(KINDS)]
        forum = writer.add(
            index,
            ForumPage(
                title=f"{name} {place} {f}",
                slug=f"forum-{f}",
                kind=kind,
                level="strategisk",
                purpose=f"<p>{sentence(rng, 30)}</p>",
                tasks=f"<p>{sentence(rng, 40)}</p>",
            ),
        )
        forum_pages.append(forum)
        if f % REPORT_EVERY == 0:
            held = datetime.date(2016 + f % 10, 1 + f % 12, 1 + f % 28)
            writer.add(
                dialogues,
                CitizenDialogueReportPage(
                    title=f"Medborgardialog {place} {held.year} – {sentence(rng, 3)[:-1]}",
                    slug=f"dialog-{f}",
                    held_from=held,
                    area=place,
                    summary=f"<p>{sentence(rng, 60)}</p>",
                ),
            )
    writer.flush()  # the forums need their ids before children go below them
    for f, forum in enumerate(forum_pages):
        place = sections[f % len(sections)][0]
        add_forum_children(
            writer, rng, sentence, forum, f, place, f"Uppdragsbeskrivning för {forum.title}", "uppdragsbeskrivning"
        )
        if f % 50 == 49:
            done = created + writer.written + len(writer.pending)
            out(f"  {done} pages, {done / (time.perf_counter() - started):.0f} pages/s")
    writer.finish()
    # Every twentieth forum closed to a group, written without signals: the index is built afterwards.
    restrictions = PageViewRestriction.objects.bulk_create(
        [
            PageViewRestriction(page_id=forum.pk, restriction_type=PageViewRestriction.GROUPS)
            for f, forum in enumerate(forum_pages)
            if f % 20 == 7
        ]
    )
    through = PageViewRestriction.groups.through
    through.objects.bulk_create([through(pageviewrestriction_id=r.pk, group_id=closed_group.pk) for r in restrictions])
    return created + writer.written
