"""Search benchmark (`make bench-search`): our search beside Wagtail's plain database search, same data.

Generates N realistic pages (`tests.bench.search_data`: forums, some closed to a group,
with instructions, meeting records with paragraphs, some not yet justerade, and
citizen-dialogue reports) in a throw-away database, indexes them, and
times 50 mixed queries as an ordinary employee: our service (with facets and
access filtering) and `Page.objects.live().search()` (without either). Ours is
timed three ways: reading the snapshot of the index a new process builds
(search.engines.database.snapshot), the first run of the queries (their postings read from the
database) and two runs after it (what a running app server answers), and then
a search just after a page was reindexed (the change applied first).

    python -m tests.bench search --pages 10000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m tests.bench search --pages 100000

Not a test: it prints figures for the README, it asserts nothing.
"""

import copy
import json
import os
import platform
import random
import resource  # the process's peak memory
import statistics
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from wagtail.models import Page

from search import service
from search.engines.database import snapshot as memory
from search.index import writer as indexer
from search.models import SearchEntry, SearchTerm
from tests.bench import search_data
from tests.bench.cli import ROOT
from tests.bench.common import fresh_database, percentile

QUERIES = [
    "trygghetsrådet",
    "säkerhetsutskott",
    "råd",
    "medborgardialog",
    "lokal arbetsgrupp Mantorp",
    "skanninge",
    "strategiskt nätverk",
    "KS 2017/215",
    "Dnr KS/2016:37",
    "brottsförebyggande råd",
    "BRÅ",
    "polisen samverkan",
    "trygghetsvandring parken",
    "krisberedskap",
    "informationssäkerhet utskottet",
    "handlingsplan",
    "ungdomar skolan",
    "belysning stationsområdet",
    "skadegörelse klotter",
    "narkotika",
    "våld i nära relationer",
    "lägesbild",
    "uppföljning rapport",
    "beslut bifall",
    "sammanträde ledamöter",
    "styrgrupp",
    "samverkansråd Linköping",
    "Jordbro",
    "brandbergen trygghet",
    "ryd",
    "medborgarlöfte",
    "samverkansöverenskommelse polisen",
    "enkäten resultatet",
    "bostadsbolaget",
    "kyrkan pensionärsföreningar",
    "brottsofferjouren",
    "räddningstjänsten",
    "socialtjänsten ungdomar",
    "ordförande",
    "ersättare",
    "uppdrag",
    "sammanfattning",
    "budget",
    "nätverket",
    "trygghet",
    "säkerhet",
    "arbetsgrupp",
    "kvällstid helger",
    "trygghetsvandringar",
    "",  # an empty box with a facet: everything in one section
]


class Reader:
    """A request stand-in for the service: an ordinary logged-in employee."""

    def __init__(self, user):
        self.user = user


def time_queries(label, run, out, rounds=1):
    """Time every query `rounds` times; print p50/p95/max and the slowest queries. `run` returns False when the
    database stopped the query at the time limit (its timing, the limit, is then a lower bound)."""
    timings, stopped = [], 0
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            finished = run(query)
            timings.append(((time.perf_counter() - started) * 1000, query))
            stopped += finished is False
    values = [ms for ms, _query in timings]
    out(
        f"{label:<44} p50 {statistics.median(values):8.1f} ms   p95 {percentile(values, 0.95):8.1f} ms   "
        f"max {max(values):8.1f} ms"
    )
    slowest = {}
    for ms, query in sorted(timings, reverse=True):
        slowest.setdefault(query, ms)
    out(
        "    slowest: "
        + ", ".join(f"{query or '(empty, one section)'!r} {ms:.0f} ms" for query, ms in list(slowest.items())[:5])
    )
    if stopped:
        out(f"    {stopped} of {len(timings)} stopped at the time limit: their figures are lower bounds")
    return values


def time_limited(run, seconds):
    """`run` with the database stopping it after `seconds`: True if it finished, False if it was stopped."""
    deadline = time.perf_counter() + seconds
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [int(seconds * 1000)])
            else:
                # SQLite calls this every 100 000 virtual-machine steps; a true value interrupts the statement.
                connection.ensure_connection()
                connection.connection.set_progress_handler(lambda: time.perf_counter() > deadline, 100_000)
            run()
        return True
    except OperationalError:
        return False
    finally:
        if connection.vendor == "sqlite" and connection.connection is not None:
            connection.connection.set_progress_handler(None, 0)


def run(args):
    """The whole bench on the database `cli.configure` set up."""
    # The demo's review workflow sends mail; the dev settings would print every message among the figures.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = print
    out(f"Machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    out("Load average at start: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    out(f"Database: {connection.vendor} ({args.database.split('@')[-1]})")
    if args.reuse:
        out(f"Reusing {SearchEntry.objects.count()} entries, {SearchTerm.objects.count()} postings")
    else:
        fresh_database()
        created = generate(args, out)
        index(args, created, out)
    reader = Reader(get_user_model().objects.get(username="medarbetare"))
    out(f"50 mixed queries as an employee ({len(QUERIES)} queries, run twice, first page of 20):")
    time_ours(reader, out)
    time_new_workers(out)
    if not args.skip_wagtail:
        time_stock(args.stock_limit, out)
    out("Load average at end: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    return 0


def generate(args, out):
    """The generated pages, written without Wagtail's own index: it is built afterwards in bulk (update_index),
    which is faster and timed on its own."""
    rng = random.Random(8)
    backends = copy.deepcopy(settings.WAGTAILSEARCH_BACKENDS)
    for backend in settings.WAGTAILSEARCH_BACKENDS.values():
        backend["AUTO_UPDATE"] = False
    out(f"Generating {args.pages} pages ({args.vocabulary} vocabulary)…")
    started = time.perf_counter()
    created = search_data.generate(args.pages, rng, out, args.vocabulary)
    out(f"Generated {created} pages in {time.perf_counter() - started:.0f} s")
    settings.WAGTAILSEARCH_BACKENDS = backends
    return created


def index(args, created, out):
    """Wagtail's index (unless left out) and ours, each timed."""
    if not args.skip_wagtail:
        started = time.perf_counter()
        call_command("update_index", verbosity=0)
        elapsed = time.perf_counter() - started
        out(f"Wagtail update_index: {elapsed:.1f} s = {created / elapsed:.0f} pages/s")

    started = time.perf_counter()
    count = indexer.rebuild()
    elapsed = time.perf_counter() - started
    out(
        f"Indexing: {count} live pages in {elapsed:.1f} s = {count / elapsed:.0f} pages/s "
        f"({SearchEntry.objects.count()} entries, {SearchTerm.objects.count()} postings)"
    )

    if connection.vendor == "postgresql":
        # The state autovacuum leaves freshly loaded tables in (visibility map for index-only scans, statistics),
        # reached now rather than at its own pace.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        out(f"VACUUM ANALYZE: {time.perf_counter() - started:.0f} s")


def time_ours(reader, out):
    """Our service: the snapshot read, a first run, two runs after it, and searches just after a reindex."""

    def ours(query):
        filters = {name: set() for name in ("type", "forum", "section", "year", "tag", "status")}
        if not query:
            filters["section"] = {"bench-3"}
        outcome = service.search(reader, query, filters, 1)
        assert outcome.total >= 0

    # The first search of a process reads the entries into memory (the database engine's snapshot), and the
    # first query asking for a term reads its postings: timed apart from the searches after them, which is what a
    # running app server answers.
    memory.forget()
    started = time.perf_counter()
    with memory.snapshot() as index:
        entries = index.size
    out(f"Snapshot of {entries} entries read in {(time.perf_counter() - started) * 1000:.0f} ms")
    time_queries("ours, first run (postings read from the database)", ours, out)
    time_queries("ours, again (facets + access filter)", ours, out, rounds=2)
    with memory.snapshot() as index:
        held, terms, megabytes = index.held, len(index.postings), index.nbytes() / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out(f"Snapshot: {megabytes:.0f} MB, {held} postings of {terms} terms held; the process's peak {peak:.0f} MB")
    # A publish elsewhere: the next search applies the change (its entries read again) before answering.
    page_id = SearchEntry.objects.filter(type="forumpage").order_by("-page_id").values_list("page_id", flat=True)[0]
    for _round in range(3):
        indexer.index_pages([page_id], push=False)
        started = time.perf_counter()
        ours("trygghet")
        out(f"    `trygghet` just after a page was reindexed: {(time.perf_counter() - started) * 1000:.0f} ms")


# A new app server: a fresh process loads the WSGI module (Django set up, the search warmed as settings say), then
# answers the 50 queries once, each for the first time in that process.
WORKER = """
import json, time
started = time.perf_counter()
import intranet.wsgi
loaded = time.perf_counter()
from tests.bench.search_speed import first_searches
print(json.dumps(first_searches(loaded - started)))
"""


def time_new_workers(out):
    """A new worker's first searches, with the warm start of production (`blocking`) and without it (`off`)."""
    for mode in ("blocking", "off"):
        env = dict(os.environ, SEARCH_WARM_START=mode, PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'site'}")
        done = subprocess.run(
            [sys.executable, "-c", WORKER], env=env, cwd=ROOT, capture_output=True, text=True, check=True
        )
        worker = json.loads(done.stdout.strip().splitlines()[-1])
        timings = worker["timings"]
        out(
            f"A new worker, warm start {mode!r}: loaded in {worker['loaded'] * 1000:.0f} ms "
            f"({worker['held']} postings of {worker['terms']} terms held); its first search "
            f"({QUERIES[0]!r}) {timings[0]:.1f} ms; the 50 queries, each its first time: "
            f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
            f"max {max(timings):.1f} ms"
        )


def first_searches(loaded):
    """In a new worker (WORKER): each query's time, the first search first, with what the warm start held."""
    with memory.snapshot() as index:
        held, terms = index.held, len(index.postings)
    reader = Reader(get_user_model().objects.get(username="medarbetare"))
    timings = []
    for query in QUERIES:
        filters = {name: set() for name in ("type", "forum", "section", "year", "tag", "status")}
        if not query:
            filters["section"] = {"bench-3"}
        started = time.perf_counter()
        service.search(reader, query, filters, 1)
        timings.append((time.perf_counter() - started) * 1000)
    return {"loaded": loaded, "held": held, "terms": terms, "timings": timings}


def time_stock(limit, out):
    """Stock Wagtail search (`Page.objects.live().search()`, no facets, no access filter), each query stopped by
    the database after `limit` seconds."""

    def stock(query):
        if query:
            return time_limited(lambda: list(Page.objects.live().search(query)[:20]), limit)

    time_queries(f"Wagtail Page.objects.live().search() (≤ {limit:.0f} s)", stock, out, rounds=1)
