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

import math

from search import analysis
from search.vocabulary import STOPWORDS

TITLE_BOOST = 1.0


def title_length(title):
    return max(1, sum(1 for word in analysis.tokens(title) if word not in STOPWORDS))


def title_terms(title):
    """Every term the title is found by (stems, compound lemmas and parts, folded forms, case numbers)."""
    return set(analysis.analyse(title)[0])


def idf(document_count, document_frequency):
    """BM25's inverse document frequency, from the term statistics the writer keeps (search.index.statistics)."""
    return math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))
