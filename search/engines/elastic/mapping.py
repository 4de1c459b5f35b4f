"""The Elasticsearch index's definition: the explicit mapping and the Swedish analysis chain.

Each document is one `SearchEntry`. Two kinds of fields:

- `weights`: the entry's postings in the database index, term -> weight (BM25 term-frequency saturation times the
  field's boost, summed over heading, body and context: `search.index.writer.posting_weights`). The query scores
  them with `rank_feature` queries times the idf of the term statistics, so Elasticsearch matches what the
  embedded engine matches (synonyms, case numbers, compound lemmas, folded variants) and scores it the same way;
  its own BM25 over field lengths put short titles first. `title_terms` and `title_inverse_length` give the
  title-coverage factor of `search.ranking`;
- `title`/`body`: Swedish text (standard tokenizer, lowercase that keeps å/ä/ö, compound splitting with the shared
  vocabulary, Swedish stemming) with a `folded` sub-field (asciifolding), for what reads the text itself (a
  highlighter, a query typed in Kibana).

The alias names the mapping's version (MAPPING_VERSION): a release that changes the mapping finds no index under
its alias, so searches fall back to the embedded engine and changes wait as pending, never querying fields an index
of the former mapping lacks, until `manage.py search_reindex` (or `--pending`, which rebuilds a lost index) builds a
fresh index under the new alias and drops the former one (docs/search.md).
"""

from django.conf import settings
from elasticsearch_dsl import Date, Document, Float, Integer, Keyword, RankFeatures, Text, analyzer, token_filter

from search.vocabulary import decompounder_word_list

swedish_decompound = token_filter(
    "swedish_decompound",
    type="dictionary_decompounder",
    word_list=decompounder_word_list(),
    min_subword_size=3,
    only_longest_match=False,
)
swedish_stemmer = token_filter("swedish_stemmer", type="stemmer", language="swedish")
swedish_folding = token_filter("swedish_folding", type="asciifolding", preserve_original=False)

# lowercase keeps å, ä and ö as letters of their own; only the folded sub-field removes them.
swedish = analyzer("swedish_compound", tokenizer="standard", filter=["lowercase", swedish_decompound, swedish_stemmer])
swedish_folded = analyzer(
    "swedish_folded", tokenizer="standard", filter=["lowercase", swedish_folding, swedish_stemmer]
)
# Terms already analysed in Python: split on spaces only, keep them as they are.
terms = analyzer("prepared_terms", tokenizer="whitespace")


def swedish_text():
    return Text(analyzer=swedish, fields={"folded": Text(analyzer=swedish_folded)})


# 1: the analysed terms in text fields, scored by the cluster's BM25 (alias "<prefix>-entries");
# 2: the database index's posting weights in `weights` (rank_features).
MAPPING_VERSION = 2


def alias_name():
    return f"{settings.SEARCH_INDEX_PREFIX}-entries-v{MAPPING_VERSION}"


def former_alias_names():
    """The aliases of the mappings before this one, whose indexes a rebuild drops."""
    return [f"{settings.SEARCH_INDEX_PREFIX}-entries"] + [
        f"{settings.SEARCH_INDEX_PREFIX}-entries-v{version}" for version in range(2, MAPPING_VERSION)
    ]


class EntryDocument(Document):
    page_id = Integer()
    key = Keyword()
    title = swedish_text()
    body = swedish_text()
    weights = RankFeatures()
    # The title's terms and 1 / its length in words: the title-coverage factor of `search.ranking`.
    title_terms = Text(analyzer=terms)
    title_inverse_length = Float()
    date = Date()
    type = Keyword()
    forum = Keyword()
    section = Keyword()
    year = Keyword()
    status = Keyword()
    tags = Keyword(multi=True)
    principals = Keyword(multi=True)
    boost = Float()

    class Index:
        # Replaced by the alias name at run time (see `index_for`): the prefix comes from settings.
        name = "trygghet-entries"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    @classmethod
    def doc_id(cls, page_id, key):
        return f"{page_id}-{key}" if key else str(page_id)


def index_for(name):
    """The index definition (settings, analysis, mapping) under a concrete name."""
    return EntryDocument._index.clone(name)
