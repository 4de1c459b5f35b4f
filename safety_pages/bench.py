"""Page speed, load and fault benchmark (`make bench`): our page types beside a minimal Wagtail page.

Generates, beside the demo, a municipality with an organisation of 30 forums,
one forum with 50 members and 20 meetings, a record with 40 paragraphs, and a
case handled at 10 meetings; serves it with gunicorn on 127.0.0.1 (production
settings, `intranet.settings.bench`) and loads it from a second process as the
demo employee. It prints:

1. SQL queries per request of each page type (the tests in
   tests/safety_pages/test_query_growth.py assert that they do not grow);
2. throughput and p95 latency of each page type beside a minimal Wagtail page
   (a plain `wagtail.models.Page`, drawn in the portal's layout by
   templates/bench/wagtailcore/page.html) and /healthz (no page at all: the
   floor), measured in interleaved rounds in one run so that other load on the
   machine weighs on all alike, and their ratio to the minimal page (target: at
   least 0.5);
3. a load and fault run: 20 connections on search and pages for 30 s while
   pages are published, with the search engine (osmem-server, the
   Elasticsearch API) killed and restarted mid-run; afterwards
   `search_reindex --pending` and a check that every page published during the
   run is found.

    python -m safety_pages.bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m safety_pages.bench   # flushed!

Not a test: it asserts nothing but exits non-zero when the load run saw an
error or lost a page. Every loop is bounded in time and count; only 127.0.0.1.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
EMPLOYEE = "medarbetare"
SECTION_SLUG = "benchby"
# A word no demo page holds, so each page published under load is found by its own title.
MARK = "belastningsprov"


# --- the load generator (a second process; no Django) -----------------------------------------


def percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_load(spec):
    """Request spec["paths"] round-robin from spec["connections"] threads until time or count runs out.

    Returns per path: requests, statuses other than 200, exceptions, latencies
    (ms), and for the search API the engine that answered.
    """
    paths = spec["paths"]
    deadline = time.monotonic() + spec["seconds"]
    budget = [spec["max_requests"]]
    lock = threading.Lock()
    results = {p: {"ok": 0, "bad": {}, "errors": {}, "ms": [], "engines": {}} for p in paths}
    headers = {"Cookie": spec["cookie"], "X-Forwarded-Proto": "https", "Connection": "close"}

    def worker(offset):
        n = offset
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(HOST, spec["port"], timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                conn.close()
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    slot = results[path]
                    if response.status == 200:
                        slot["ok"] += 1
                        slot["ms"].append(elapsed)
                        if path.startswith("/api/search/"):
                            engine = json.loads(body).get("engine", "?")
                            slot["engines"][engine] = slot["engines"].get(engine, 0) + 1
                    else:
                        slot["bad"][str(response.status)] = slot["bad"].get(str(response.status), 0) + 1
            except Exception as error:  # counted, never hidden: the run reports every one
                with lock:
                    name = type(error).__name__
                    results[path]["errors"][name] = results[path]["errors"].get(name, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(spec["connections"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(spec["seconds"] + 60)
    return {"elapsed": time.monotonic() - started, "paths": results}


def load(port, cookie, paths, seconds, connections, max_requests):
    """Run the load generator in a second process and return its figures."""
    spec = {
        "port": port,
        "cookie": cookie,
        "paths": paths,
        "seconds": seconds,
        "connections": connections,
        "max_requests": max_requests,
    }
    return start_load(spec).finish()


class LoadProcess:
    def __init__(self, spec):
        self.spec = spec
        self.process = subprocess.Popen(
            [sys.executable, "-m", "safety_pages.bench", "--load-worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            text=True,
        )
        self.process.stdin.write(json.dumps(spec))
        self.process.stdin.close()

    def finish(self):
        try:
            out = self.process.stdout.read()
            self.process.wait(timeout=self.spec["seconds"] + 120)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        return json.loads(out)


def start_load(spec):
    return LoadProcess(spec)


# --- the app server ------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class AppServer:
    """gunicorn with the bench settings on 127.0.0.1; stopped by stop() (and with this process)."""

    def __init__(self, database_url, workers, extra_env=None):
        self.port = free_port()
        env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="intranet.settings.bench")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "site"), env.get("PYTHONPATH", "")])
        env.update(extra_env or {})
        gunicorn = Path(sys.executable).with_name("gunicorn")
        # The workers' own log (refused search connections while the engine is down) goes to a file.
        self.log = open(ROOT / "bench-results" / "gunicorn.log", "a")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "intranet.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--log-level",
                "warning",
                "--error-logfile",
                str(ROOT / "bench-results" / "gunicorn.log"),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer on {HOST}:{self.port} within 60 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def get(port, path, cookie):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


# --- Django side: data, sessions, query counts ----------------------------------------------------


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "intranet.settings.bench"
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    import django

    django.setup()


def generate(out):
    """The sizes of issue 7 in a municipality of their own; returns {label: path} of the pages to measure."""
    from wagtail.models import Page

    from safety_pages.models import (
        Attendance,
        Case,
        Decision,
        ForumIndexPage,
        ForumPage,
        HomePage,
        InstructionPage,
        MeetingRecordPage,
        Membership,
        Organisation,
        Paragraph,
        Person,
        SectionPage,
    )

    home = HomePage.objects.first()
    section = home.add_child(
        instance=SectionPage(title="Benchby kommun", slug=SECTION_SLUG, municipality="Benchby kommun")
    )
    section.save_revision().publish()
    index = section.add_child(
        instance=ForumIndexPage(title="Organisation för trygghet och säkerhet", slug="organisation")
    )
    index.save_revision().publish()

    def forum(slug, title, **fields):
        page = index.add_child(instance=ForumPage(title=title, slug=slug, **fields))
        page.save_revision().publish()
        return ForumPage.objects.get(pk=page.pk)

    board = forum("kommunstyrelsen", "Kommunstyrelsen", kind="namnd", level="politisk")
    council = forum("trygghetsradet", "Trygghetsrådet", kind="rad", level="strategisk", meetings_per_year_min=4)
    council.reports_to.add(board)
    levels = ["strategisk", "taktisk", "operativ"]
    others = []
    for n in range(28):  # 30 forums in all, in a tree of reporting and assignment lines
        parent = council if n < 6 else others[n % 6]
        page = forum(
            f"forum-{n}",
            f"Lokal arbetsgrupp {n} i Benchby",
            kind="lokal_arbetsgrupp",
            level=levels[min(2, n // 6)],
            locality=f"Ort {n}",
        )
        page.reports_to.add(parent)
        if n % 5 == 0:
            page.gives_assignments_to.add(board)
        page.save_revision().publish()
        others.append(page)
    council.save_revision().publish()

    organisation = Organisation.objects.create(name="Benchby kommun, förvaltningen")
    people = [Person.objects.create(name=f"Person {n} Benchsson", organisation=organisation) for n in range(50)]
    council.memberships = [
        Membership(
            person=person,
            organisation=organisation,
            role="ordforande" if n == 0 else ("ersattare" if n >= 30 else "ledamot"),
            substitute_order=n - 29 if n >= 30 else None,
        )
        for n, person in enumerate(people)
    ]
    council.save_revision().publish()
    adopted = Decision.objects.create(body="Kommunstyrelsen", date=datetime.date(2025, 1, 1))
    instruction = council.add_child(
        instance=InstructionPage(
            title="Uppdragsbeskrivning för Trygghetsrådet",
            slug="uppdrag",
            status="antagen",
            ordinary_seats=30,
            substitute_seats=20,
            adopted_by=adopted,
        )
    )
    instruction.save_revision().publish()

    cases = [
        Case.objects.create(municipality=section, number=f"KS/2030:{n + 1}", title=f"Ärende {n + 1}") for n in range(40)
    ]
    today = datetime.date.today()
    records = []
    for m in range(20):
        held = m < 16
        date = today + datetime.timedelta(days=14 * (m - 16 if held else m - 15))
        record = MeetingRecordPage(
            title=f"Trygghetsrådet {date}",
            slug=f"{date}",
            meeting_date=date,
            status="genomfort" if held else "planerat",
            adjusted_on=date + datetime.timedelta(days=5) if held else None,
        )
        # The last held meeting has the 40 paragraphs; the others handle case 1 again (the case page).
        count = 40 if m == 15 else (1 if held else 0)
        record.paragraphs = [
            Paragraph(
                number=100 + n,
                title=f"Ärende {n + 1}: trygghetsåtgärder i Ort {n}",
                case=cases[n if count == 40 else 0],
                background=f"<p>Bakgrund till ärende {n + 1}. Polisen och kommunen har tagit fram en lägesbild.</p>",
                proposal="<p>Förvaltningen föreslår att rådet godkänner redovisningen.</p>",
                decision="<p>Rådet beslutar att godkänna redovisningen.</p>",
                motions=[{"type": "motion", "value": {"who": "Person 1 Benchsson", "party": "S", "motion": "Bifall"}}],
                sent_to="Kommunstyrelsen\nAkten",
            )
            for n in range(count)
        ]
        record.attendances = (
            [
                Attendance(person=person, kind="beslutande", function="ordforande" if n == 0 else "")
                for n, person in enumerate(people[:30])
            ]
            if held
            else []
        )
        council.add_child(instance=record)
        record.save_revision().publish()
        records.append(record)
    big = records[15]

    minimal = home.add_child(instance=Page(title="Minimal Wagtail-sida", slug="minimal-wagtail-sida"))
    minimal.save_revision().publish()
    out(
        f"Generated: 30 forums, a forum with 50 members and 20 meetings, a record with 40 paragraphs "
        f"({Page.objects.count()} pages in all)"
    )
    return {
        "no page: /healthz (floor)": "/healthz",
        "minimal Wagtail page": minimal.url,
        "forum index (30 forums)": index.url,
        "forum (50 members, 20 meetings)": council.url,
        "record (40 paragraphs)": big.url,
        "paragraph extract": f"{big.url}paragraf/117/",
        "case page (10 meetings)": cases[0].get_absolute_url(),
        "instruction": instruction.url,
    }


def demo_pages(out):
    """One demo page of each other front-end type that the employee may read."""
    from django.contrib.auth import get_user_model

    from safety_pages.access import visibility
    from safety_pages.models import (
        CitizenDialogueIndexPage,
        CitizenDialogueReportPage,
        HomePage,
        SectionPage,
        SteeringDocumentIndexPage,
        SteeringDocumentPage,
    )

    employee = get_user_model().objects.get(username=EMPLOYEE)
    pages = {}
    for label, model in (
        ("home", HomePage),
        ("section", SectionPage),
        ("dialogue index", CitizenDialogueIndexPage),
        ("dialogue report", CitizenDialogueReportPage),
        ("steering index", SteeringDocumentIndexPage),
        ("steering document", SteeringDocumentPage),
    ):
        page = visibility.visible(model.objects.exclude(slug=SECTION_SLUG), employee).order_by("path").first()
        if page is not None:
            pages[label] = page.url
    return pages


def session_cookie(username):
    """A logged-in session of the demo user, as a Cookie header (what the browser would send)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def query_counts(targets, out):
    """SQL queries of one request per page, after a warm-up request (as the app server would have it)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

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
    from collections import defaultdict

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
        from osmem_server import OsmemServer

        self.server = OsmemServer.start(japanese=False, addr=f"{HOST}:{self.port}")

    def kill(self):
        self.server.process.kill()
        self.server.process.wait()

    def stop(self):
        if self.server is not None:
            self.server.close()


def publish_during(forum, seconds, every, published, stop):
    """Publish an instruction every `every` seconds for `seconds` (at most 200), appending (id, url) to `published`."""
    from safety_pages.models import InstructionPage

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
    from django.conf import settings
    from django.core.management import call_command

    from safety_pages.models import ForumPage
    from search.engines import elastic
    from search.models import PendingIndexChange

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
        es = elastic.client()
        hits = es.search(
            index=elastic.alias_name(),
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--connections", type=int, default=4, help="Concurrent connections in the speed part.")
    parser.add_argument("--seconds", type=float, default=4.0, help="Seconds per page and round.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--load-connections", type=int, default=20)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-fault", action="store_true")
    parser.add_argument("--load-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_worker:
        json.dump(run_load(json.loads(sys.stdin.read())), sys.stdout)
        return 0

    folder = ROOT / "bench-results"
    folder.mkdir(exist_ok=True)
    database = args.database
    if not database:
        path = folder / "pages.sqlite3"
        for leftover in folder.glob(path.name + "*"):
            leftover.unlink()
        database = f"sqlite:///{path}"
    setup_django(database)
    from django.core.management import call_command
    from django.db import connection

    out = print
    out(f"Machine: {machine_line()}")
    out(f"Database: {connection.vendor} ({database.split('@')[-1]})")
    if connection.vendor == "postgresql":
        # A clean schema, not `flush`: flush also removes the rows the migrations created (Wagtail's root page).
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    targets = generate(out)
    targets.update(demo_pages(out))
    counts = query_counts(targets, out)
    cookie = session_cookie(EMPLOYEE)
    connection.close()

    failed = False
    if not args.skip_speed:
        server = AppServer(database, args.workers)
        try:
            speed(targets, counts, server.port, cookie, args, out)
        finally:
            server.stop()
    else:
        for label, count in counts.items():
            out(f"{label:<34} {count:>4} queries")
    if not args.skip_fault:
        failed = fault_run(database, targets, cookie, args, out)
    out(f"Machine at the end: {machine_line()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
