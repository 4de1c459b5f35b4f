"""Swedish text analysis in Python, shared by both search engines.

A word becomes a few weighted *terms*:

- its Snowball stem, with å/ä/ö kept distinct ("råd" and "rad" are different words);
- its *lemma* when it splits into parts of the shared vocabulary: the canonical
  parts joined by "+" ("säkerhetsutskottet" and "säkerhetsutskott" both give
  "säkerhet+utskott", which their Snowball stems do not);
- each part of a compound at a lower weight, so "råd" finds "Trygghetsrådet";
- a diacritic-folded variant ("~skanning") at a lower weight still, so a query
  typed without å/ä/ö finds the page, below pages that match exactly;
- case numbers (Dnr) in any written form as one term ("#ks2017-152").

A query is planned once for both engines (`plan_query`): its words must match (all of a short query, all but one
of a longer one); the question words around them need not ("vem", "när", "hur"), and its role words ("leder",
"ingår", "sammanträder") become optional *boosts* towards the facts they ask for, which lift a hit and never
hide one (docs/search.md, "Question queries").

The embedded engine stores these terms in the database; the Elasticsearch
engine copies them with their weights (a `rank_features` field). Both score
the same terms alike, so a query finds the same pages, in the same order, on
either engine.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.conf import settings

from search.vocabulary import (
    COMPOUND_PARTS,
    INFLECTIONS,
    INTENT_WORDS,
    INTENTS,
    NUMBER_WORDS,
    QUESTION_WORDS,
    STOPWORDS,
    linking_forms,
)

EXACT = 1.0
PART = 0.5
FOLDED = 0.4
CASE_NUMBER = 3.0
# A hit holding the facts a question's intent asks for scores this much more (3.0: four times its score). A factor, not
# an added score: the chair's person hit outranks a member whose heading holds the place's name as well.
INTENT_BOOST = 3.0
# A hit in the municipality a query names scores this much more (5.0: six times its score), a factor of its own
# that multiplies the others, so a question's intent lifts as much within the municipality as elsewhere. Strong
# enough that "trygghetsråd Mjölby" puts Mjölby's Trygghets- och säkerhetsråd above Linköping's Trygghetsrådet,
# whose title is the word typed.
PLACE_BOOST = 5.0
# A municipality's name counts this much of its own score: enough to put the page naming it first among the hits of
# the municipality ("lokal arbetsgrupp Mjölby"), too little for a page titled with the name alone ("Haninge kommun")
# to outrank what the other words ask for.
PLACE_WEIGHT = 0.5
# Longest query we analyse: longer input is cut, never refused.
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 24

TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
# KS/2017:152, KS 2017/152, KS 2021/331, KS2007/0459-10, BUN 2019:12
CASE_NUMBER_RE = re.compile(
    r"(?<![^\W\d_])([^\W\d_]{1,6})\s?[/ ]?\s?((?:19|20)\d\d)\s?[:/]\s?(\d{1,6})(?:\s?-\s?(\d{1,4}))?(?!\d)",
    re.UNICODE,
)
# Every case number holds a year: a text without one (most of them) is not searched for case numbers at all, which
# cost more than the rest of its analysis.
_YEAR_RE = re.compile(r"(?:19|20)\d\d")

_stemmer = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=200_000)
def stem(word):
    return _stemmer.stemWord(word)


def fold(text):
    """Remove diacritics: Skänninge -> skanninge (the lower-scored variant only)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("æ", "ae").replace("ø", "o")


# Longer "words" are noise (hashes, pasted strings); cutting them keeps analysis linear.
MAX_WORD_CHARS = 60


def tokens(text):
    return [w[:MAX_WORD_CHARS] for w in TOKEN_RE.findall(text.lower())]


def title_words(text):
    """A title (or what was typed of one) as autocomplete compares it: its words folded and lower-cased, one space
    between them, so "Kommundirektörens ledningsgrupp (Kdlg)" has a word beginning with "kdl" and "KS 2017/215"
    reads as "ks 2017 215" whichever way the reader types it."""
    return " ".join(tokens(fold(text.lower())))


# --- compounds ---------------------------------------------------------------

_FINAL_FORMS = {}
_LINKING_FORMS = {}
for _part in COMPOUND_PARTS:
    for _ending in INFLECTIONS:
        _FINAL_FORMS.setdefault(_part + _ending, _part)
    for _form in linking_forms(_part):
        _LINKING_FORMS.setdefault(_form, _part)
# The same forms typed without å/ä/ö ("radet" -> "råd"), for a query word typed so: its Snowball stem then differs
# from the stem of the word meant ("trygghetsrad" -> "trygghetsr", "trygghetsråd" stays), but its parts do not.
_FOLDED_FINAL_FORMS = {fold(f): p for f, p in reversed(_FINAL_FORMS.items()) if fold(f) != f}
_FOLDED_LINKING_FORMS = {fold(f): p for f, p in reversed(_LINKING_FORMS.items()) if fold(f) != f}
_MIN_PART = 3
_MIN_UNKNOWN_HEAD = 4


@lru_cache(maxsize=200_000)
def _split_known(word, folded=False):
    """Canonical parts that cover `word` exactly (fewest parts), or None. `folded`: a form may also be a known
    one without its å/ä/ö (a form as written comes first)."""

    def known(forms, folded_forms, text):
        return forms.get(text) or (folded_forms.get(text) if folded else None)

    whole = known(_FINAL_FORMS, _FOLDED_FINAL_FORMS, word)
    if whole is not None:
        return (whole,)
    best = None
    for end in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
        head = known(_LINKING_FORMS, _FOLDED_LINKING_FORMS, word[:end])
        if head is None:
            continue
        rest = _split_known(word[end:], folded)
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = (head,) + rest
    return best


@lru_cache(maxsize=200_000)
def split_compound(word):
    """The parts of a compound: known parts, or an unknown head before known parts (krisledning|s|rådet)."""
    known = _split_known(word)
    if known is not None:
        return known
    for start in range(_MIN_UNKNOWN_HEAD, len(word) - _MIN_PART + 1):
        tail = _split_known(word[start:])
        if tail is None:
            continue
        head = word[:start]
        if head.endswith("s") and len(head) > _MIN_UNKNOWN_HEAD:
            head = head[:-1]
        return (stem(head),) + tail
    return None


# --- case numbers ------------------------------------------------------------


def case_number_terms(text):
    """Terms for the case numbers in `text`: the plain number and, when written, the sub-number."""
    found = []
    if not _YEAR_RE.search(text):
        return found
    for match in CASE_NUMBER_RE.finditer(text):
        series, year, number, sub = match.groups()
        base = f"#{fold(series.lower())}{year}-{int(number)}"
        found.append((match.span(), base, f"{base}-{int(sub)}" if sub else None))
    return found


# --- indexing ----------------------------------------------------------------


@lru_cache(maxsize=200_000)
def word_terms(word):
    """(term, weight) pairs one word contributes to the index."""
    if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
        return ()
    terms = {stem(word): EXACT}
    parts = split_compound(word)
    if parts:
        terms.setdefault("+".join(parts), EXACT)
        if len(parts) > 1:
            for part in parts:
                terms.setdefault(part, PART)
    for term, weight in list(terms.items()):
        folded = fold(term)
        if folded != term:
            terms.setdefault("~" + folded, weight * FOLDED)
    return tuple(terms.items())


def analyse(text):
    """Weighted term frequencies of a text: Counter(term -> weight sum), and its length in words."""
    counts = Counter()
    words = tokens(text)
    # Each word once, its weights times how often it stands: a text repeats most of its words.
    add = counts.get
    for word, times in Counter(words).items():
        for term, weight in word_terms(word):
            counts[term] = add(term, 0) + weight * times
    for _span, base, sub in case_number_terms(text):
        counts[base] += CASE_NUMBER
        if sub:
            counts[sub] += CASE_NUMBER
    return counts, len(words)


# --- queries -----------------------------------------------------------------


@dataclass
class Group:
    """One query word: alternative terms (term -> query weight), or all of its compound parts."""

    word: str
    terms: dict
    parts: tuple = ()

    def all_terms(self):
        return set(self.terms) | set(self.parts)


@dataclass
class Clause:
    """A stretch of the query; any alternative (a list of groups, all required) satisfies it."""

    alternatives: list
    span: int = 1
    required: bool = False
    # A municipality the query names (settings.SEARCH_PLACES): it adds PLACE_WEIGHT of its score but need not match
    # and is no part of the title coverage; the municipality is a Boost of the plan.
    place: bool = False


@dataclass
class Boost:
    """An intent of a question: a hit holding any of its groups scores (1 + weight) times more; it never filters."""

    intent: str
    groups: list
    weight: float = INTENT_BOOST


@dataclass
class QueryPlan:
    text: str
    clauses: list = field(default_factory=list)
    boosts: list = field(default_factory=list)
    # The municipalities the query names, each a Boost whose factor multiplies the score (analysis._places).
    places: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not self.clauses

    @property
    def minimum_match(self):
        """Words that must match: all of a short query, all but one of a longer one."""
        words = sum(c.span for c in self.clauses)
        needed = words if words <= 2 else words - 1
        # A place counts as matched: it is written in the context of every hit in its municipality.
        return max(1, needed - sum(c.span for c in self.clauses if c.place))

    def terms(self):
        found = set()
        for clause in self.clauses:
            for alternative in clause.alternatives:
                for group in alternative:
                    found |= group.all_terms()
        for boost in self.boosts + self.places:
            for group in boost.groups:
                found |= group.all_terms()
        return found

    def words(self):
        """The words a reader typed or their synonyms, for highlighting."""
        return {g.word for c in self.clauses for alt in c.alternatives for g in alt}


def query_group(word):
    terms = {}
    for term, weight in word_terms(word):
        if weight < EXACT:
            continue
        terms[term] = EXACT
        folded = fold(term)
        # The folded field serves a word typed without å/ä/ö ("skanninge" finds Skänninge's "~skanning"). A word
        # typed with them means those letters: its "~" twin would find the same entries again (doubling the
        # postings read) and other spellings; the plain folded term still finds text written without them.
        terms.setdefault("~" + folded if folded == term else folded, FOLDED)
    if word in NUMBER_WORDS:
        terms.setdefault(NUMBER_WORDS[word], EXACT)
    if not terms:
        return None
    meant = None
    if fold(word) == word:
        for term in _accented_stems(word):
            terms.setdefault(term, FOLDED)
    if fold(word) == word and _split_known(word) is None:
        # Typed without å/ä/ö, a compound of known parts is found by the lemma of the word meant, at the folded
        # variant's weight ("trygghetsrad" finds Trygghetsrådet below a page with "trygghetsråd" as typed).
        meant = _split_known(word, folded=True)
        if meant is not None:
            terms.setdefault("+".join(meant), FOLDED)
    # ... and by the parts of the word meant, as the word typed with å/ä/ö is ("trygghetsrad" finds Mjölby's
    # "Trygghets- och säkerhetsrådet" as "trygghetsråd" does).
    parts = split_compound(word) or meant
    return Group(word=word, terms=terms, parts=parts if parts and len(parts) > 1 else ())


_ACCENTED = {"a": "åä", "o": "ö"}


def _accented_stems(word):
    """The folded stems of the words `word` may be typed for without one å/ä/ö. Snowball stems a word differently
    without them ("kombra" loses its "a", "kombrå" keeps its "å"; "upplöstes" ends in its "löst" -> "lös" rule,
    "upplostes" does not), so the index's folded stem of the word meant ("~kombra", "~upplos") is asked for too."""
    found = set()
    for at, letter in enumerate(word):
        for accented in _ACCENTED.get(letter, ""):
            found.add("~" + fold(stem(word[:at] + accented + word[at + 1 :])))
    return found


def _groups(words):
    groups = [query_group(w) for w in words]
    return [g for g in groups if g is not None]


# A query that is a case number with spaces or hyphens where the registry writes / and : ("ks 2017 152", or the
# "ks-2017-152" of the case page's address). Read so only when it is the whole query: in running text "år 2017 15"
# is no case number.
_SPACED_CASE_NUMBER_RE = re.compile(
    r"^\s*(?:dnr\.?:?\s*)?([^\W\d_]{1,6})[\s-]*((?:19|20)\d\d)[\s-]+(\d{1,6})\s*$", re.IGNORECASE
)


def _spaced_case_number(plan, match):
    """The plan of a case number typed with spaces: the case number, or else its three words (the number never
    hides what the words find)."""
    series, year, number = match.groups()
    ((_span, base, _sub),) = case_number_terms(f"{series}/{year}:{number}")
    words = _groups([w for w in tokens(match.group(0)) if w not in STOPWORDS])
    group = Group(word=match.group(0).strip(), terms={base: CASE_NUMBER})
    plan.clauses.append(Clause(alternatives=[[group], words] if words else [[group]], span=max(1, len(words))))
    return plan


def plan_query(text, synonyms=()):
    """Analyse a query: case numbers, words, and synonym phrases as alternatives.

    `synonyms` is a sequence of equivalence sets, each a sequence of phrases
    ("brå", "brottsförebyggande råd").
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    plan = QueryPlan(text=text)
    spaced = _SPACED_CASE_NUMBER_RE.match(text)
    if spaced:
        return _spaced_case_number(plan, spaced)
    rest = text
    for (start, end), base, sub in case_number_terms(text):
        group = Group(word=text[start:end], terms={sub or base: CASE_NUMBER})
        plan.clauses.append(Clause(alternatives=[[group]], required=True))
        rest = rest.replace(text[start:end], " ")
    typed = [w for w in tokens(rest) if fold(w) not in _FOLDED_STOPWORDS][:MAX_QUERY_WORDS]
    words, plan.boosts = _question(typed, has_case_number=bool(plan.clauses))
    phrases = []
    for equivalents in synonyms:
        tokenised = [tuple(w for w in tokens(p) if w not in STOPWORDS) for p in equivalents]
        tokenised = [t for t in tokenised if t]
        for phrase in tokenised:
            phrases.append((phrase, [t for t in tokenised if t != phrase]))
    phrases.sort(key=lambda item: -len(item[0]))
    i = 0
    while i < len(words):
        for phrase, others in phrases:
            n = len(phrase)
            if tuple(words[i : i + n]) == phrase:
                own = _groups(words[i : i + n])
                alternatives = [own] + [g for g in (_groups(o) for o in others) if g]
                plan.clauses.append(Clause(alternatives=[a for a in alternatives if a], span=n))
                i += n
                break
        else:
            group = query_group(words[i])
            if group is not None:
                plan.clauses.append(Clause(alternatives=[[group]]))
            i += 1
    plan.clauses = [c for c in plan.clauses if c.alternatives]
    if not plan.clauses:
        plan.boosts = []
    _places(plan)
    return plan


def _place_of(clause):
    """(the place as spelled, its municipality) a clause of one typed word names (settings.SEARCH_PLACES), or None."""
    if len(clause.alternatives) != 1 or len(clause.alternatives[0]) != 1 or clause.required:
        return None
    return _folded_places(tuple(getattr(settings, "SEARCH_PLACES", {}).items())).get(
        fold(clause.alternatives[0][0].word)
    )


@lru_cache(maxsize=4)
def _folded_places(places):
    """SEARCH_PLACES read with or without å/ä/ö: {"linkoping": ("linköping", "linköping"), …}."""
    return {fold(place.lower()): (place.lower(), municipality.lower()) for place, municipality in places}


def _as_spelled(clause, spelled):
    """A place typed without å/ä/ö is that place: its word finds the name as written at full weight, not only the
    folded variant at FOLDED. Otherwise "lagesbild Linkoping" weighed the place's name 0.4 times what
    "lägesbild Linköping" does, and the page naming Linköping fell below paragraphs that only share its municipality."""
    typed = clause.alternatives[0][0]
    meant = query_group(spelled) if spelled != typed.word else None
    if meant is None:
        return
    terms = dict(meant.terms)
    for term, weight in typed.terms.items():
        terms.setdefault(term, weight)
    clause.alternatives[0][0] = Group(word=typed.word, terms=terms, parts=meant.parts or typed.parts)


def _places(plan):
    """A municipality named beside other words lifts its hits instead of having to match: the other words decide
    what is a hit, so the name never hides one ("kommunstyrelsen Linköping" finds every Kommunstyrelsen, Linköping's
    first). A locality in it (Mantorp, Skänninge) says more than its municipality: it stays a word to match, and
    lifts its municipality's hits too. A query of places only keeps them as its words ("Mantorp", "Mjölby")."""
    places = [(clause, _place_of(clause)) for clause in plan.clauses]
    for clause, place in places:
        if place:
            _as_spelled(clause, place[0])
    if all(place for _clause, place in places):
        return
    named = []
    for clause, place in places:
        if place:
            municipality = place[1]
            clause.place = fold(clause.alternatives[0][0].word) == fold(municipality)
            if municipality not in named:
                named.append(municipality)
    plan.places = [Boost(intent="place", groups=[query_group(m)], weight=PLACE_BOOST) for m in named]


# A query's function, question and role words typed without å/ä/ö are those words too ("nar", "ar", "ingar"); in
# queries only, the index keeps what it stores.
_FOLDED_STOPWORDS = frozenset(fold(w) for w in STOPWORDS)
_FOLDED_QUESTION_WORDS = frozenset(fold(w) for w in QUESTION_WORDS)
_FOLDED_INTENT_WORDS = {fold(w): intent for w, intent in INTENT_WORDS.items()}


def _question(typed, has_case_number=False):
    """(the words that must match, the boosts of the intents) of the words typed.

    Question words need not match; role words ask for an intent and need not match either. A query of nothing
    else keeps them as its words ("ordförande", "vem"): a question still finds what its words find.
    """
    intents = []
    for word in typed:
        intent = _FOLDED_INTENT_WORDS.get(fold(word))
        if intent and intent not in intents:
            intents.append(intent)
    words = [w for w in typed if fold(w) not in _FOLDED_QUESTION_WORDS and fold(w) not in _FOLDED_INTENT_WORDS]
    if not words and not has_case_number:
        words = [w for w in typed if fold(w) not in _FOLDED_QUESTION_WORDS] or typed
    boosts = []
    for intent in intents:
        groups = [g for g in (query_group(w) for w in INTENTS[intent]) if g is not None]
        if groups:
            boosts.append(Boost(intent=intent, groups=groups))
    return words, boosts
