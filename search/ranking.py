"""Title coverage: a hit whose title holds every word of the query ranks higher, the shorter the title the more.

BM25 over the weighted fields lets a long page that repeats a forum's name
(its instruction, its records) outscore the forum page itself. Readers who
type a name mean the page *called* that, so when every word of the query is
in the title, the score is multiplied by 1 + TITLE_BOOST / (words in the
title): "Kommunstyrelsens trygghets- och säkerhetsutskott" (3 words) then
ranks above "Uppdragsbeskrivning och arbetsformer för kommunens trygghets-
och säkerhetsutskott" (5 words) for the forum's name. Both engines apply the
same factor (Elasticsearch through a function_score over `title_terms` and
`title_inverse_length`), so they rank alike.
"""

from . import analysis
from .vocabulary import STOPWORDS

TITLE_BOOST = 1.0
# The largest factor a hit can get (a one-word title): lets the database engine skip hits that cannot reach the page.
MAX_FACTOR = 1 + TITLE_BOOST


def title_length(title):
    return max(1, sum(1 for word in analysis.tokens(title) if word not in STOPWORDS))


def title_terms(title):
    """Every term the title is found by (stems, compound lemmas and parts, folded forms, case numbers)."""
    return set(analysis.analyse(title)[0])


def _group_in(group, terms):
    return any(t in terms for t in group.terms) or bool(group.parts and all(p in terms for p in group.parts))


def covers(plan, terms):
    """Whether every clause of the query (one of its alternatives, all of its words) is in these terms."""
    if plan.is_empty:
        return False
    return all(
        any(all(_group_in(group, terms) for group in alternative) for alternative in clause.alternatives)
        for clause in plan.clauses
    )


def title_factor(plan, title):
    if not covers(plan, title_terms(title)):
        return 1.0
    return 1 + TITLE_BOOST / title_length(title)
