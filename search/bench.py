"""Search benchmark (`make bench-search`): our search beside Wagtail's plain database search, same data.

Generates N realistic pages (`search.bench_pages`: forums, some closed to a group,
with instructions, meeting records with paragraphs, some not yet justerade, and
citizen-dialogue reports) in a throw-away database, indexes them, and
times 50 mixed queries as an ordinary employee: our service (with facets and
access filtering) and `Page.objects.live().search()` (without either). Ours is
timed three ways: reading the snapshot of the index a new process builds
(search.memory), the first run of the queries (their postings read from the
database) and two runs after it (what a running app server answers), and then
a search just after a page was reindexed (the change applied first).

    python -m search.bench --pages 10000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m search.bench --pages 100000

Not a test: it prints figures for the README, it asserts nothing.
"""

import argparse
import copy
import os
import platform
import random
import resource  # the process's peak memory
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.dev")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()
    from django.conf import settings

    # The demo's review workflow sends mail; the dev settings would print every message among the figures.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class Reader:
    """A request stand-in for the service: an ordinary logged-in employee."""

    def __init__(self, user):
        self.user = user


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


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
    from django.db import OperationalError, connection, transaction

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument(
        "--vocabulary",
        choices=("demo", "uniform"),  # search.bench_pages.Vocabulary
        default="demo",
        help="Words of the generated text: the demo content's, as often as they occur there (default), or the "
        "benchmark's 80 domain words drawn uniformly (each query word then matches about half the index).",
    )
    parser.add_argument("--skip-wagtail", action="store_true", help="Leave out stock Wagtail search (slow at scale).")
    parser.add_argument(
        "--stock-limit",
        type=float,
        default=30.0,
        help="Seconds after which the database stops one stock Wagtail query (so the comparison ends in bounded time).",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Time the queries again on the pages and indexes of an earlier run (no generation, no indexing).",
    )
    args = parser.parse_args(argv)
    database = args.database
    if not database:
        folder = ROOT / "bench-results"
        folder.mkdir(exist_ok=True)
        path = folder / f"search-{args.pages}.sqlite3"
        for leftover in folder.glob(path.name + "*") if not args.reuse else ():
            leftover.unlink()
        database = f"sqlite:///{path}"
    setup_django(database)

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Page

    from search import bench_pages, indexer, memory, service
    from search.models import SearchEntry, SearchTerm

    out = print
    out(f"Machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    out("Load average at start: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    out(f"Database: {connection.vendor} ({database.split('@')[-1]})")
    if not args.reuse:
        if connection.vendor == "postgresql":
            call_command("flush", "--no-input", verbosity=0)
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        rng = random.Random(8)
        # Wagtail's own index is built afterwards in bulk (update_index), which is faster and timed on its own.
        backends = copy.deepcopy(settings.WAGTAILSEARCH_BACKENDS)
        for backend in settings.WAGTAILSEARCH_BACKENDS.values():
            backend["AUTO_UPDATE"] = False
        out(f"Generating {args.pages} pages ({args.vocabulary} vocabulary)…")
        started = time.perf_counter()
        created = bench_pages.generate(args.pages, rng, out, args.vocabulary)
        out(f"Generated {created} pages in {time.perf_counter() - started:.0f} s")
        settings.WAGTAILSEARCH_BACKENDS = backends
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
    else:
        out(f"Reusing {SearchEntry.objects.count()} entries, {SearchTerm.objects.count()} postings")
    reader = Reader(get_user_model().objects.get(username="medarbetare"))
    out(f"50 mixed queries as an employee ({len(QUERIES)} queries, run twice, first page of 20):")

    def ours(query):
        filters = {name: set() for name in ("type", "forum", "section", "year", "tag", "status")}
        if not query:
            filters["section"] = {"bench-3"}
        outcome = service.search(reader, query, filters, 1)
        assert outcome.total >= 0

    def stock(query):
        if query:
            return time_limited(lambda: list(Page.objects.live().search(query)[:20]), args.stock_limit)

    # The first search of a process reads the entries into memory (search.memory), and the first query asking
    # for a term reads its postings: timed apart from the searches after them, which is what a running app
    # server answers.
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
    if not args.skip_wagtail:
        time_queries(f"Wagtail Page.objects.live().search() (≤ {args.stock_limit:.0f} s)", stock, out, rounds=1)
    out("Load average at end: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))


if __name__ == "__main__":
    main()
