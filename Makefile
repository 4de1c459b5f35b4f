# Trygghetsportalen: `make run` to try it, `make test` to prove it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# PostgreSQL for the second test run; override to use another server or database name.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/trygghet
PYTEST_ARGS ?=
# Test workers (pytest-xdist): each has its own test database, live server and search server; a file's tests stay
# on one worker (the leak matrix's cells are shared out: tests/conftest.py). 1 runs the suite in this process.
TEST_WORKERS ?= 2
XDIST := $(if $(filter-out 0 1,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadgroup,)

# Asks the server's maintenance database: the test database itself is created by pytest.
define PG_PROBE
import sys, psycopg
from urllib.parse import urlsplit
try:
    psycopg.connect(urlsplit(sys.argv[1])._replace(path="/postgres").geturl(), connect_timeout=3).close()
except psycopg.Error as error:
    sys.exit(f"PostgreSQL: {error}".strip())
endef
export PG_PROBE

.PHONY: venv run test test-sqlite test-postgres test-browser lint check messages clean bench-search bench bench-relevance

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)." % sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The search index is derived data: rebuilt at each start, so a database from an earlier version gets its layout.
run: venv
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) search_reindex --database-only
	$(MANAGE) analyse_database
	@echo "Öppna http://127.0.0.1:8000/ (administration: http://127.0.0.1:8000/admin/)"
	$(MANAGE) runserver 127.0.0.1:8000

# Style, imports at the top, complexity, and the layers of the apps as import contracts (pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=site $(VENV)/bin/lint-imports

check: venv
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

test: lint check test-sqlite test-postgres

# axe-core for the accessibility checks of tests/browser, pinned in package-lock.json (node_modules is not committed).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The browser tests (marked `browser`) run in this pass only: they check templates and journeys, which do not
# depend on the database engine, and Chromium costs minutes that the PostgreSQL pass need not spend again.
test-sqlite: venv node_modules/.installed
	$(VENV)/bin/pytest $(XDIST) $(PYTEST_ARGS)

# Only the journeys and accessibility checks in Chromium; screenshots land in test-artifacts/screenshots/.
test-browser: venv node_modules/.installed
	$(VENV)/bin/pytest -m browser tests/browser $(PYTEST_ARGS)

# Outside CI an unreachable PostgreSQL is reported and skipped; in CI it fails the run.
test-postgres: venv
	@if $(PY) -c "$$PG_PROBE" "$(PG_TEST_URL)"; then \
		DATABASE_URL="$(PG_TEST_URL)" $(VENV)/bin/pytest $(XDIST) -m "not browser" $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_TEST_URL) is not reachable: CI needs it." >&2; exit 1; \
	else \
		echo "NOTE: PostgreSQL at $(PG_TEST_URL) is not reachable; ran the suite on SQLite only."; \
	fi

# Swedish is the source language (the msgids); locale/sv holds only what Wagtail itself lacks in Swedish, kept by hand.
messages: venv
	$(MANAGE) makemessages -l en --ignore '.venv/*' --ignore 'staticfiles/*'
	$(MANAGE) compilemessages --ignore '.venv/*'

# Search speed beside stock Wagtail search on generated pages (tests/bench/search_speed.py; a throw-away SQLite
# file in bench-results/, or BENCH_DATABASE_URL=postgres://… for PostgreSQL; that database is flushed). Prints
# figures, asserts nothing.
BENCH_PAGES ?= 10000
BENCH_DISTRACTORS ?= 10000
bench-search: venv
	$(PY) -m tests.bench search --pages $(BENCH_PAGES)

# Relevance (tests/bench/relevance.py): MRR@10 and top 3 of the public and employee queries as the demo employee, on
# the embedded engine and on osmem-server, on the demo and with 10 000 distractor pages of other intranet content (a
# throw-away SQLite file in bench-results/, or BENCH_DATABASE_URL=postgres://…, that database emptied). Prints a table.
bench-relevance: venv
	$(PY) -m tests.bench relevance --distractors $(BENCH_DISTRACTORS)

# Page speed beside a minimal Wagtail page (tests/bench/page_speed.py), then 30 s of load on search and pages with
# the search engine killed mid-run (gunicorn and osmem-server on 127.0.0.1; a throw-away SQLite file in bench-results/, or
# BENCH_DATABASE_URL=postgres://… – that database is flushed). Prints figures; exits 1 on an error or a lost page.
# Then each listing at 0, 1 000 and 10 000 group-restricted pages side by side (tests/bench/access_speed.py).
bench: venv
	$(PY) -m tests.bench pages
	$(PY) -m tests.bench access

clean:
	rm -rf $(VENV) staticfiles node_modules test-artifacts
