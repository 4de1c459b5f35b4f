"""The HTTP side of `make bench`: gunicorn serving the portal, and the load generator that requests its pages.

Imports no Django: the load generator runs in a process of its own (`python -m tests.bench.http_load`, its spec
as JSON on stdin, its figures as JSON on stdout), apart from the Django process that publishes pages while it
runs. Every loop is bounded in time and count; only 127.0.0.1.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.bench.cli import PAGES_SETTINGS, RESULTS, ROOT

HOST = "127.0.0.1"


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
            [sys.executable, "-m", "tests.bench.http_load"],
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


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class AppServer:
    """gunicorn with the bench settings on 127.0.0.1; stopped by stop() (and with this process)."""

    def __init__(self, database_url, workers, extra_env=None):
        self.port = free_port()
        env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=PAGES_SETTINGS)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "site"), env.get("PYTHONPATH", "")])
        env.update(extra_env or {})
        gunicorn = Path(sys.executable).with_name("gunicorn")
        # The workers' own log (refused search connections while the engine is down) goes to a file.
        self.log = open(RESULTS / "gunicorn.log", "a")
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
                str(RESULTS / "gunicorn.log"),
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


if __name__ == "__main__":
    json.dump(run_load(json.loads(sys.stdin.read())), sys.stdout)
