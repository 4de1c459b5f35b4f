"""The public relevance benchmark: shared/search-eval/public-queries.tsv with the project's own
tests/search/employee-queries.tsv (what employees type: questions, names, Dnr, places, misspellings; issue 22 item 8)
through the API, as the demo employee, on the embedded engine and on the Elasticsearch API (osmem-server).

Fails below MRR@10 0.95 or below 100 % of the queries answered in the top 3, on either engine (figures in
docs/benchmarks.md#relevance; osmem-server had a floor of its own, 0.92, while it scored by its own BM25), as typed
and, for those with å/ä/ö, typed without them. The other project queries (tests/search/people-queries.tsv: people
by name and by role) are held to the same scores. The same queries among 10 000 distractor pages are
`make bench-relevance` (minutes: too slow for CI).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from search import analysis, engines

MIN_MRR = 0.95
MIN_TOP3 = 1.0
EMPLOYEE_QUERIES = Path(__file__).with_name("employee-queries.tsv")


def benchmark_file():
    candidates = [os.environ.get("SEARCH_EVAL_FILE", "")]
    # CI: shared/ beside the clone; a git worktree: shared/ two levels up.
    for up in (settings.BASE_DIR.parent, settings.BASE_DIR.parent.parent):
        candidates.append(str(up / "shared" / "search-eval" / "public-queries.tsv"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def read_queries(path):
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, pattern, *note = line.split("\t")
        cases.append((query, pattern, note[0] if note else ""))
    return cases


def rank_of(results, pattern):
    for rank, result in enumerate(results[:10], start=1):
        if re.search(pattern, result["title"], re.IGNORECASE):
            return rank
    return None


def evaluate(client, cases):
    ranks = []
    for query, pattern, note in cases:
        response = client.get("/api/search/", {"q": query})
        assert response.status_code == 200, query
        results = response.json()["results"]
        ranks.append((query, pattern, note, rank_of(results, pattern), [r["title"] for r in results[:3]]))
    mrr = sum(1 / r[3] for r in ranks if r[3]) / len(ranks)
    top3 = sum(1 for r in ranks if r[3] and r[3] <= 3) / len(ranks)
    return mrr, top3, ranks


def public_cases():
    """The public queries, or a visible skip (a failure on CI) when the file or the demo forums are missing."""
    from safety_pages.models import ForumPage

    path = benchmark_file()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("shared/search-eval/public-queries.tsv not found beside the repository")
        pytest.skip("shared/search-eval/public-queries.tsv not found (set SEARCH_EVAL_FILE)")
    if not ForumPage.objects.live().exists():
        pytest.skip("The demo content has no forums yet: the benchmark needs the demo forums and records")
    return read_queries(path) + read_queries(EMPLOYEE_QUERIES)


def assert_relevant(client, cases, min_mrr=MIN_MRR):
    mrr, top3, ranks = evaluate(client, cases)
    report = "\n".join(
        f"{'ok ' if r[3] and r[3] <= 3 else 'MISS'} rank={r[3]} {r[0]!r} ~ /{r[1]}/ ({r[2]}) top3={r[4]}" for r in ranks
    )
    print(f"\nMRR@10 = {mrr:.3f}, top-3 = {top3:.0%} ({len(cases)} queries)\n{report}")
    assert mrr >= min_mrr and top3 >= MIN_TOP3, f"MRR@10 {mrr:.3f}, top-3 {top3:.0%}\n{report}"


@pytest.fixture(params=["database", "osmem"])
def demo_engine(request, demo):
    """The demo content searched on each engine: the embedded one, and the Elasticsearch API (osmem-server)."""
    if request.param == "osmem":
        request.getfixturevalue("elasticsearch")
        engines.ELASTICSEARCH.rebuild()
    return request.param


@pytest.mark.django_db
def test_public_queries_on_the_demo_content(demo_engine, client_for):
    assert_relevant(client_for("medarbetare"), public_cases())


@pytest.mark.django_db
def test_public_queries_typed_without_å_ä_ö(demo_engine, client_for):
    # An employee at a keyboard without Swedish letters: each public query that has any, typed without them, must
    # find what the query finds. Before compounds were split folded, `samverkansrad` found nothing (MRR@10 0.786).
    cases = [(analysis.fold(q), pattern, note) for q, pattern, note in public_cases() if analysis.fold(q) != q]
    assert cases, "the public queries have none with å/ä/ö"
    assert_relevant(client_for("medarbetare"), cases)


PROJECT_QUERIES = Path(__file__).with_name("people-queries.tsv")


@pytest.mark.django_db
def test_people_queries_on_the_demo_content(demo, client_for):
    assert_relevant(client_for("medarbetare"), read_queries(PROJECT_QUERIES))
