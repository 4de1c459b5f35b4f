"""The benches' options and their Django set-up, read before any model can be imported.

Each bench gets a database of its own (a throw-away SQLite file in bench-results/ unless --database or
BENCH_DATABASE_URL names one: that database is emptied) and its settings, and only then does the entry point
(`__main__.py`) import the bench modules, which import models at their top.
"""

import argparse
import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "bench-results"
# `make bench` serves pages with the production settings (tests/bench/settings.py, also in gunicorn's workers);
# `make bench-search` runs in one process with the developer's settings, as it always has.
PAGES_SETTINGS = "tests.bench.settings"
SEARCH_SETTINGS = "intranet.settings.dev"


def parser():
    main = argparse.ArgumentParser(prog="python -m tests.bench", description="Benchmarks (they assert nothing).")
    benches = main.add_subparsers(dest="bench", required=True)
    _page_options(benches.add_parser("pages", help="Page speed, load and faults (make bench)."))
    _search_options(benches.add_parser("search", help="Search speed beside stock Wagtail search (make bench-search)."))
    _access_options(benches.add_parser("access", help="Listings at 0, 1 000 and 10 000 restricted pages (make bench)."))
    relevance = benches.add_parser("relevance", help="MRR@10 and top 3 without and with distractor pages.")
    relevance.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", ""))
    relevance.add_argument("--distractors", type=int, default=10_000, help="Other intranet pages added (0: none).")
    return main


def _access_options(access):
    access.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", ""))
    access.add_argument(
        "--restrictions",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[0, 1000, 10000],
        help="Comma-separated numbers of group-restricted pages to time the listings at.",
    )
    access.add_argument("--repeat", type=int, default=5, help="Timed requests per listing, step and round.")
    access.add_argument("--rounds", type=int, default=3, help="Rounds of the steps in turn (load meets each alike).")
    access.add_argument(
        "--keep-database",
        action="store_true",
        help="Time the database of an earlier run again (adding pages only up to the largest step), not a fresh one.",
    )


def _page_options(pages):
    pages.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", ""))
    pages.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    pages.add_argument("--connections", type=int, default=4, help="Concurrent connections in the speed part.")
    pages.add_argument("--seconds", type=float, default=4.0, help="Seconds per page and round.")
    pages.add_argument("--rounds", type=int, default=3)
    pages.add_argument("--load-seconds", type=int, default=30)
    pages.add_argument("--load-connections", type=int, default=20)
    pages.add_argument("--skip-speed", action="store_true")
    pages.add_argument("--skip-fault", action="store_true")


def _search_options(search):
    search.add_argument("--pages", type=int, default=10_000)
    search.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", ""))
    search.add_argument(
        "--vocabulary",
        choices=("demo", "uniform"),  # tests.bench.search_data.Vocabulary
        default="demo",
        help="Words of the generated text: the demo content's, as often as they occur there (default), or the "
        "benchmark's 80 domain words drawn uniformly (each query word then matches about half the index).",
    )
    search.add_argument("--skip-wagtail", action="store_true", help="Leave out stock Wagtail search (slow at scale).")
    search.add_argument(
        "--stock-limit",
        type=float,
        default=30.0,
        help="Seconds after which the database stops one stock Wagtail query (so the comparison ends in bounded time).",
    )
    search.add_argument(
        "--reuse",
        action="store_true",
        help="Time the queries again on the pages and indexes of an earlier run (no generation, no indexing).",
    )


def throwaway_sqlite(name, keep=False):
    """The URL of bench-results/<name>, its files from an earlier run removed unless `keep`."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / name
    for leftover in () if keep else RESULTS.glob(path.name + "*"):
        leftover.unlink()
    return f"sqlite:///{path}"


def configure(argv):
    """Parse the options, point Django at the bench's database and settings, and set Django up.

    Returns the options, with `database` filled in.
    """
    args = parser().parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    if args.bench == "pages":
        args.database = args.database or throwaway_sqlite("pages.sqlite3")
        os.environ["DJANGO_SETTINGS_MODULE"] = PAGES_SETTINGS
    elif args.bench == "access":
        # The production settings, as the page bench: DEBUG off (no query log), what each request costs in service.
        args.database = args.database or throwaway_sqlite("access.sqlite3", keep=args.keep_database)
        os.environ["DJANGO_SETTINGS_MODULE"] = PAGES_SETTINGS
    elif args.bench == "relevance":
        args.database = args.database or throwaway_sqlite("relevance.sqlite3")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", SEARCH_SETTINGS)
        os.environ.setdefault("SECRET_KEY", "bench-only")
    else:
        args.database = args.database or throwaway_sqlite(f"search-{args.pages}.sqlite3", keep=args.reuse)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", SEARCH_SETTINGS)
        os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DATABASE_URL"] = args.database
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    django.setup()
    return args
