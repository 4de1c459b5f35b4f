"""Relevance bench (`make bench-relevance`): MRR@10 and top 3 of the relevance queries, per engine, without and with
distractor pages.

The queries are those of tests/search/test_relevance_benchmark.py (shared/search-eval/public-queries.tsv and
tests/search/employee-queries.tsv), asked through the API as the demo employee, as typed and typed without å/ä/ö.
First on the demo alone, then with `--distractors` pages of other intranet content (tests.bench.distractors)
added and indexed; each time on the embedded engine and on the Elasticsearch API (osmem-server on 127.0.0.1).
The database is a throw-away SQLite file, or BENCH_DATABASE_URL (emptied).

    python -m tests.bench relevance --distractors 10000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_relevance python -m tests.bench relevance

Not a test: it prints a table (the CI floor is the test's, on the demo alone), and the queries that miss the top 3.
"""

import logging
import os
import platform
import random
import subprocess
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from osmem_server import OsmemServer

from search import analysis, engines
from search.engines.elastic import client as elastic_client
from search.index import writer as indexer
from search.models import SearchEntry
from tests.bench import distractors
from tests.bench.common import fresh_database
from tests.search.test_relevance_benchmark import EMPLOYEE_QUERIES, benchmark_file, evaluate, read_queries

EMPLOYEE = "medarbetare"


def run(args):
    # The demo's review workflow sends mail; the dev settings would print every message among the figures.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    out = print
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)  # a line per request otherwise
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    out(f"Machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    out(f"Commit: {commit or 'unknown'}; database: {connection.vendor}")
    public = benchmark_file()
    if public is None:
        out("shared/search-eval/public-queries.tsv not found (set SEARCH_EVAL_FILE)")
        return 1
    typed = read_queries(public) + read_queries(EMPLOYEE_QUERIES)
    folded = [(analysis.fold(q), pattern, note) for q, pattern, note in typed if analysis.fold(q) != q]
    queries = {"as typed": typed, "without å/ä/ö": folded}
    fresh_database()
    indexer.rebuild()
    server = OsmemServer.start(japanese=False)
    # Bulk writes of 500 entries to osmem-server on a loaded 2-core machine take longer than a live search may.
    elastic_client.REQUEST_TIMEOUT = 120
    elastic_client._client.cache_clear()
    rows = []
    try:
        rows += measure("demo", queries, server.url, out)
        if args.distractors:
            started = time.perf_counter()
            created = distractors.generate(args.distractors, random.Random(22), lambda line: None)
            indexer.rebuild()
            out(
                f"{created} distractor pages generated and indexed in {time.perf_counter() - started:.0f} s "
                f"({SearchEntry.objects.count()} entries)"
            )
            rows += measure(f"demo + {created} distractors", queries, server.url, out)
    finally:
        server.close()
    out("")
    out("| database | engine | content | queries | MRR@10 | top 3 |")
    out("|---|---|---|---|---|---|")
    for content, engine, label, count, mrr, top3 in rows:
        out(f"| {connection.vendor} | {engine} | {content} | {label} ({count}) | {mrr:.3f} | {top3:.0%} |")
    return 0


def _use(url):
    """Search on Elasticsearch at `url` (its index rebuilt from the database index), or on the embedded engine."""
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_PLAIN_JSON = True
    settings.SEARCH_INDEX_PREFIX = "bench-relevance"
    if url:
        engines.ELASTICSEARCH.rebuild()


def measure(content, queries, url, out):
    """Rows of (content, engine, queries' label, count, MRR@10, top 3) on each engine."""
    reader = Client()
    reader.force_login(get_user_model().objects.get(username=EMPLOYEE))
    rows = []
    for engine, engine_url in (("embedded", ""), ("elasticsearch (osmem)", url)):
        _use(engine_url)
        for label, cases in queries.items():
            mrr, top3, ranks = evaluate(reader, cases)
            rows.append((content, engine, label, len(cases), mrr, top3))
            for query, pattern, _note, rank, first in ranks:
                if not rank or rank > 3:
                    out(f"  {content}, {engine}: MISS {query!r} ~ /{pattern}/ rank={rank} top3={first}")
    _use("")
    return rows
