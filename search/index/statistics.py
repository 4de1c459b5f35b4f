"""Term statistics of the database index: how many entries hold each term, and how many entries there are.

Both engines' idf needs them for every query (`idfs`: the Elasticsearch engine scores the postings' weights it holds
with the same idf as the embedded engine). Counted from
the postings at query time, a common word held by most entries cost each query more than the whole rest of a query
narrowed by a rare word. So the writer keeps them: each write adds the terms of the entries it inserted and takes
away those of the entries it deleted, in the same transaction, and `search_reindex` counts everything again (which
also mends any drift, say from entries deleted by hand).

Writes take turns: each takes the writer's lock first (`writer._writing`) and holds it until its transaction ends.
They would wait for each other anyway on the rows of common terms, which most writes change, and a transaction
writing the index more than once could then wait in a circle with another.
"""

from collections import Counter

from django.db import connection
from django.db.models import Count

from search import ranking
from search.models import ALL_ENTRIES, SearchEntry, SearchTerm, TermStatistic, quoted_table


def frequencies(terms):
    """({term: entries holding it} for the terms of these the index holds, entries in all)."""
    rows = dict(TermStatistic.objects.filter(term__in=[*sorted(terms), ALL_ENTRIES]).values_list("term", "entries"))
    total = rows.pop(ALL_ENTRIES, 0)
    return {term: n for term, n in rows.items() if n > 0}, total


def idfs(terms):
    """{term: idf} of the terms of these the index holds (none: no entry holds any of them)."""
    frequency, count = frequencies(terms)
    return {term: ranking.idf(max(count, 1), df) for term, df in frequency.items()}


def of_entries(entries):
    """Counter of what these entries (a queryset) add to the statistics: their terms, and themselves."""
    counts = Counter(
        dict(
            SearchTerm.objects.filter(entry__in=entries.values("pk"))
            .values("term")
            .annotate(n=Count("*"))
            .values_list("term", "n")
        )
    )
    counts[ALL_ENTRIES] = entries.count()
    return counts


def add(deltas):
    """Add these {term: change} to the statistics (negative changes take away), dropping terms no entry holds."""
    changes = sorted((term, n) for term, n in deltas.items() if n)
    if not changes:
        return
    table = quoted_table(TermStatistic)
    upsert = f"ON CONFLICT (term) DO UPDATE SET entries = {table}.entries + excluded.entries"
    if connection.vendor == "postgresql":
        # Two arrays, not a placeholder per value: psycopg binds on the client, and splitting a statement of
        # thousands of placeholders cost more than the statement.
        terms, counts = (list(column) for column in zip(*changes, strict=True))
        fewer = [term for term, n in changes if n < 0 and term != ALL_ENTRIES]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (term, entries) SELECT * FROM unnest(%s::varchar[], %s::integer[]) {upsert}",
                [terms, counts],
            )
            if fewer:
                cursor.execute(f"DELETE FROM {table} WHERE term = ANY(%s::varchar[]) AND entries <= 0", [fewer])
        return
    # In chunks: SQLite allows a few thousand parameters per statement.
    for start in range(0, len(changes), 400):
        chunk = changes[start : start + 400]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (term, entries) VALUES {', '.join(['(%s, %s)'] * len(chunk))} {upsert}",
                [value for change in chunk for value in change],
            )
        fewer = [term for term, n in chunk if n < 0 and term != ALL_ENTRIES]
        TermStatistic.objects.filter(term__in=fewer, entries__lte=0).delete()


def recount():
    """Count every term again from the postings (after a full reindex, or to mend drift)."""
    TermStatistic.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quoted_table(TermStatistic)} (term, entries) "
            f"SELECT term, COUNT(*) FROM {quoted_table(SearchTerm)} GROUP BY term"
        )
    TermStatistic.objects.create(term=ALL_ENTRIES, entries=SearchEntry.objects.count())
