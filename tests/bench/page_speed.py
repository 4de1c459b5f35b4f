"""Page speed, load and fault benchmark (`make bench`): our page types beside a minimal Wagtail page.

Generates, beside the demo, a municipality with an organisation of 30 forums,
one forum with 50 members and 20 meetings, a record with 40 paragraphs, and a
case handled at 10 meetings; serves it with gunicorn on 127.0.0.1 (production
settings, `tests/bench/settings.py`) and loads it from a second process as the
demo employee. It prints:

1. SQL queries per request of each page type (the tests in
   tests/safety_pages/test_query_growth.py assert that they do not grow);
2. throughput and p95 latency of each page type beside a minimal Wagtail page
   (a plain `wagtail.models.Page`, drawn in the portal's layout by
   tests/bench/templates/wagtailcore/page.html) and /healthz (no page at all: the
   floor), measured in interleaved rounds in one run so that other load on the
   machine weighs on all alike, and their ratio to the minimal page (target: at
   least 0.5);
3. a load and fault run: 20 connections on search and pages for 30 s while
   pages are published, with the search engine (osmem-server, the
   Elasticsearch API) killed and restarted mid-run; afterwards
   `search_reindex --pending` and a check that every page published during the
   run is found.

    python -m tests.bench pages
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m tests.bench pages   # flushed!

Not a test: it asserts nothing but exits non-zero when the load run saw an
error or lost a page. Every loop is bounded in time and count; only 127.0.0.1.
"""

import json
import os
import platform
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from osmem_server import OsmemServer

from safety_pages.models import ForumPage, InstructionPage
from search.engines.elastic import client as elastic_client
from search.engines.elastic import mapping as elastic_mapping
from search.models import PendingIndexChange
from tests.bench.common import fresh_database, percentile
from tests.bench.http_load import HOST, AppServer, free_port, get, load, start_load
from tests.bench.page_data import EMPLOYEE, SECTION_SLUG, demo_pages, generate

# A word no demo page holds, so each page published under load is found by its own title.
MARK = "belastningsprov"


def session_cookie(username):
    """A logged-in session of the demo user, as a Cookie header (what the browser would send)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def query_counts(targets, out):
    """SQL queries of one request per page, after a warm-up request (as the app server would have it)."""
    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    client.force_login(get_user_model().objects.get(username=EMPLOYEE))
    counts = {}
    for label, path in targets.items():
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{label} {path}: status {response.status_code} for the employee")
        counts[label] = len(captured)
    return counts


# --- the three parts -----------------------------------------------------------------------------


def machine_line():
    load1, load5, _ = os.getloadavg()
    return (
        f"{platform.machine()}, nproc {os.cpu_count()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, load average {load1:.2f} / {load5:.2f} (1 / 5 min)"
    )


def speed(targets, counts, port, cookie, args, out):
    minimal = "minimal Wagtail page"
    figures = defaultdict(lambda: {"ok": 0, "errors": 0, "ms": [], "seconds": 0.0})
    loads = []
    for path in targets.values():  # warm every worker's caches before measuring
        load(port, cookie, [path], 2, args.connections, 40)
    for _round in range(args.rounds):
        for label, path in targets.items():
            result = load(port, cookie, [path], args.seconds, args.connections, 20_000)
            slot = result["paths"][path]
            figures[label]["ok"] += slot["ok"]
            figures[label]["errors"] += sum(slot["bad"].values()) + sum(slot["errors"].values())
            figures[label]["ms"] += slot["ms"]
            figures[label]["seconds"] += result["elapsed"]
            loads.append(os.getloadavg()[0])
    base = figures[minimal]["ok"] / figures[minimal]["seconds"]
    out(
        f"\nThroughput, {args.rounds} interleaved rounds of {args.seconds} s per page, {args.connections} "
        f"connections, gunicorn {args.workers} sync workers (load average during the runs: "
        f"{min(loads):.1f}–{max(loads):.1f})"
    )
    out(f"{'page':<34} {'queries':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>6} {'errors':>6}")
    rows = []
    for label in targets:
        f = figures[label]
        rate = f["ok"] / f["seconds"]
        ratio = rate / base
        mark = "" if label == minimal or label.startswith("no page") or ratio >= 0.5 else "  < 0.5"
        out(
            f"{label:<34} {counts[label]:>7} {rate:>8.1f} {percentile(f['ms'], 0.5):>8.1f} "
            f"{percentile(f['ms'], 0.95):>8.1f} {ratio:>6.2f} {f['errors']:>6}{mark}"
        )
        rows.append((label, counts[label], rate, percentile(f["ms"], 0.95), ratio, f["errors"]))
    return rows


class SearchServer:
    """osmem-server (the Elasticsearch API in memory) on a fixed port, so it can be killed and started again."""

    def __init__(self, port):
        self.port = port
        self.server = None

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def start(self):
        self.server = OsmemServer.start(japanese=False, addr=f"{HOST}:{self.port}")

    def kill(self):
        self.server.process.kill()
        self.server.process.wait()

    def stop(self):
        if self.server is not None:
            self.server.close()


def publish_during(forum, seconds, every, published, stop):
    """Publish an instruction every `every` seconds for `seconds` (at most 200), appending (id, url) to `published`."""
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline and n < 200 and not stop.is_set():
        page = forum.add_child(
            instance=InstructionPage(title=f"{MARK} nummer {n}", slug=f"{MARK}-{n}", referrers="Benchby kommun")
        )
        page.save_revision().publish()
        published.append((page.pk, page.url))
        n += 1
        time.sleep(every)


def fault_run(database_url, targets, cookie, args, out):
    engine = SearchServer(free_port())
    engine.start()
    settings.ELASTICSEARCH_URL = engine.url
    settings.ELASTICSEARCH_PLAIN_JSON = True
    settings.SEARCH_INDEX_PREFIX = "bench-trygghet"
    env = {"ELASTICSEARCH_URL": engine.url, "ELASTICSEARCH_PLAIN_JSON": "1", "SEARCH_INDEX_PREFIX": "bench-trygghet"}
    server = None
    try:
        call_command("search_reindex", stdout=open(os.devnull, "w"))
        server = AppServer(database_url, args.workers, env)
        searches = [
            "/api/search/?q=trygghetsr%C3%A5det",
            "/sok/?q=s%C3%A4kerhetsutskott",
            "/api/search/?q=r%C3%A5d",
            f"/api/search/?q={MARK}",
            "/sok/?q=KS+2017%2F152",
            "/api/search/?q=medborgardialog&type=forum",
        ]
        paths = searches + list(targets.values())
        out(
            f"\nLoad and fault: {args.load_connections} connections for {args.load_seconds} s on "
            f"{len(searches)} searches and {len(targets)} pages; pages published every 1 s; "
            f"osmem-server killed at {args.load_seconds // 3} s, "
            f"started again (empty) at {2 * args.load_seconds // 3} s"
        )
        runner = start_load(
            {
                "port": server.port,
                "cookie": cookie,
                "paths": paths,
                "seconds": args.load_seconds,
                "connections": args.load_connections,
                "max_requests": 200_000,
            }
        )
        forum = ForumPage.objects.get(url_path__endswith=f"/{SECTION_SLUG}/organisation/trygghetsradet/")
        stop = threading.Event()
        published = []

        thread = threading.Thread(target=publish_during, args=(forum, args.load_seconds - 2, 1.0, published, stop))
        thread.start()
        time.sleep(args.load_seconds / 3)
        engine.kill()
        down_at = len(published)
        time.sleep(args.load_seconds / 3)
        engine.start()
        up_at = len(published)
        result = runner.finish()
        stop.set()
        thread.join(30)
        pending_before = PendingIndexChange.objects.count()
        call_command("search_reindex", "--pending", stdout=open(os.devnull, "w"))
        pending_after = PendingIndexChange.objects.count()

        total = sum(s["ok"] for s in result["paths"].values())
        bad = {}
        errors = {}
        engines = {}
        for slot in result["paths"].values():
            for key, value in slot["bad"].items():
                bad[key] = bad.get(key, 0) + value
            for key, value in slot["errors"].items():
                errors[key] = errors.get(key, 0) + value
            for key, value in slot["engines"].items():
                engines[key] = engines.get(key, 0) + value
        latencies = [ms for slot in result["paths"].values() for ms in slot["ms"]]
        out(
            f"  {total + sum(bad.values()) + sum(errors.values())} requests in {result['elapsed']:.1f} s "
            f"({total / result['elapsed']:.0f}/s), p95 {percentile(latencies, 0.95):.0f} ms; "
            f"non-200: {sum(bad.values())} {bad or ''}; exceptions: {sum(errors.values())} {errors or ''}"
        )
        out(f"  search API answered by: {engines}")
        out(
            f"  published during the run: {len(published)} (while the engine was down: {up_at - down_at}); "
            f"pending before replay: {pending_before}, after: {pending_after}"
        )

        # Every page published during the run is found afterwards, through the engine that is back.
        missing = []
        answered_by = set()
        for _pk, url in published:
            number = url.rstrip("/").rsplit("-", 1)[1]
            status, body = get(server.port, f"/api/search/?q={MARK}+nummer+{number}", cookie)
            found = json.loads(body) if status == 200 else {}
            answered_by.add(found.get("engine"))
            if url not in {r.get("url") for r in found.get("results", [])}:
                missing.append(url)
        es_ids = set()
        es = elastic_client.client()
        hits = es.search(
            index=elastic_mapping.alias_name(),
            query={"terms": {"page_id": [pk for pk, _ in published]}},
            size=1000,
            source=["page_id"],
        )
        es_ids = {h["_source"]["page_id"] for h in hits["hits"]["hits"]}
        out(
            f"  found afterwards: {len(published) - len(missing)} of {len(published)} (engine: "
            f"{', '.join(sorted(str(e) for e in answered_by))}); in the Elasticsearch index: "
            f"{len(es_ids)} of {len(published)}"
        )
        failed = bool(bad or errors or missing or pending_after or len(es_ids) != len(published))
        return failed
    finally:
        if server is not None:
            server.stop()
        engine.stop()


def run(args):
    """The whole bench on the database `cli.configure` set up; 1 when the load run saw an error or lost a page."""
    out = print
    out(f"Machine: {machine_line()}")
    out(f"Database: {connection.vendor} ({args.database.split('@')[-1]})")
    fresh_database()
    targets = generate(out)
    targets.update(demo_pages(out))
    counts = query_counts(targets, out)
    cookie = session_cookie(EMPLOYEE)
    connection.close()

    failed = False
    if not args.skip_speed:
        server = AppServer(args.database, args.workers)
        try:
            speed(targets, counts, server.port, cookie, args, out)
        finally:
            server.stop()
    else:
        for label, count in counts.items():
            out(f"{label:<34} {count:>4} queries")
    if not args.skip_fault:
        failed = fault_run(args.database, targets, cookie, args, out)
    out(f"Machine at the end: {machine_line()}")
    return 1 if failed else 0
