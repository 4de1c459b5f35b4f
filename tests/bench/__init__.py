"""Benchmarks: not tests (pytest collects nothing here) and not packaged. Run them through make:

    make bench                          # page speed, load and faults:   python -m tests.bench pages
    make bench-search BENCH_PAGES=300   # search speed on generated pages: python -m tests.bench search --pages 300

`BENCH_DATABASE_URL=postgres://…` runs either on PostgreSQL instead of a throw-away SQLite file in bench-results/
(that database is emptied). This package imports nothing: the load generator runs in a process without Django.
"""
