"""The one search service behind the search page, the JSON API and autocomplete.

It reads the request (validating every parameter), asks the engine the
registry (search.engines) picks, which says when its fallback answered,
and returns results in one format for every engine.
"""

import difflib
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from safety_pages.access.ids import row_id
from safety_pages.access.visibility import is_unrestricted, user_principals, visible
from search import analysis, engines
from search.engines import FACETS, SearchQuery
from search.index import attachments
from search.models import SearchEntry, Synonym

PER_PAGE = 20
MAX_FACET_VALUES = 30
MAX_PAGE = 500
# Hits of one address (a person listed by several pages, a case handled in several records) are shown once. For the
# first pages, the hits up to the page asked for and one page beyond are read from the engine together, so that an
# address shown on an earlier page is not shown again and each page is full; beyond, each page is read on its own.
COLLAPSED_PAGES = 10
EXCERPT_CHARS = 240
FACET_LABELS = {
    "type": gettext_lazy("Sidtyp"),
    "forum": gettext_lazy("Forum"),
    "section": gettext_lazy("Kommun"),
    "year": gettext_lazy("År"),
    "tag": gettext_lazy("Etikett"),
    "status": gettext_lazy("Status"),
}
_YEAR_RE = re.compile(r"[0-9]{4}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# More values of one facet than anyone ticks; each is looked up (labels, visibility) per search.
MAX_FILTER_VALUES = 50
# The section facet's page type, named by its content type: search knows of safety_pages only its access layer
# (the same name search.index.sources finds sections by).
SECTION_TYPE = ("safety_pages", "sectionpage")
WORD_RE = re.compile(r"[^\W_]+")
# A Markdown-style heading marker at the start of a line of a plain-text document ("#Bakgrund", "## Beslut").
_HEADING_MARK_RE = re.compile(r"^[ \t]*#{1,6}[ \t]*(?=\S)", re.MULTILINE)
# Page titles read per first two letters of a word that may be misspelt (`suggest`).
SUGGESTION_TITLES = 500
# How far into a long text the excerpt looks for the first matching word.
EXCERPT_SCAN_CHARS = 20_000


class BadRequest(ValueError):
    """A parameter the API refuses (answered with 400 and this message)."""


@dataclass
class Result:
    title: str
    url: str
    type: str
    type_label: str
    excerpt: str
    date: object
    forum: str
    section: str
    score: float


@dataclass
class SearchOutcome:
    query: str
    total: int
    page: int
    per_page: int
    results: list
    facets: dict
    filters: dict
    engine: str
    took_ms: int
    fell_back: bool = False
    suggestion: str = ""
    facet_labels: dict = field(default_factory=dict)

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def selected_count(self):
        """How many filter values the reader has chosen (shown on the folded Filtrera control)."""
        return sum(len(values) for values in self.filters.values())


def parse(params):
    """(query text, filters, page number) from GET parameters; BadRequest for values that cannot be right."""
    query = params.get("q", "")
    _check_text(query)
    filters = {}
    for name in FACETS:
        values = [v.strip() for v in params.getlist(name) if v.strip()]
        if len(set(values)) > MAX_FILTER_VALUES:
            raise BadRequest(_("Välj högst %(max)s värden för %(name)s.") % {"max": MAX_FILTER_VALUES, "name": name})
        for value in values:
            _check_filter(name, value)
        filters[name] = set(values)
    raw_page = params.get("page", "1") or "1"
    try:
        page = int(raw_page)
    except ValueError:
        raise BadRequest(_("Sidnumret ska vara ett heltal.")) from None
    if not 1 <= page <= MAX_PAGE:
        raise BadRequest(_("Sidnumret ska vara mellan 1 och %(max)s.") % {"max": MAX_PAGE})
    return query, filters, page


def _check_text(value):
    # NUL and other control characters are in no title or word; PostgreSQL refuses NUL in a query's parameters.
    if _CONTROL_RE.search(value):
        raise BadRequest(_("Sökningen innehåller tecken som inte kan användas."))


def _check_filter(name, value):
    _check_text(value)
    if len(value) > 200:
        raise BadRequest(_("Värdet för %(name)s är för långt.") % {"name": name})
    if name == "year" and not _YEAR_RE.fullmatch(value):
        raise BadRequest(_("Året ska anges med fyra siffror, till exempel 2017."))
    if name == "forum" and row_id(value) is None:
        raise BadRequest(_("Forum anges med sitt id-nummer."))
    if name == "type" and value not in _model_labels()[0]:
        raise BadRequest(_("Det finns ingen sidtyp som heter så."))


def synonym_sets():
    return [row.phrases() for row in Synonym.objects.all()]


def reader_principals(request):
    return None if is_unrestricted(getattr(request, "user", None)) else user_principals(request)


def search(request, query_text, filters, page=1, per_page=PER_PAGE):
    started = time.perf_counter()
    plan = analysis.plan_query(query_text, synonym_sets())
    seen = _Visible(request)
    # A forum or section the reader may not see is no filter (as one that does not exist): nothing of it is shown,
    # not even that it was asked for.
    filters = {name: seen.values(name, values) for name, values in filters.items()}
    collapsed = page <= COLLAPSED_PAGES
    asked = {"page": 1, "per_page": (page + 1) * per_page} if collapsed else {"page": page, "per_page": per_page}
    query = SearchQuery(plan=plan, filters=filters, principals=reader_principals(request), **asked)
    result, fell_back = engines.search(query)
    entries = _entries(result.hits)
    shown = [(hit, entries[(hit.page_id, hit.key)]) for hit in result.hits if (hit.page_id, hit.key) in entries]
    seen.learn(
        pages={hit.page_id for hit in result.hits},
        forum={e.forum for _hit, e in shown} | set(_top_values(result.facets, "forum")),
        section={e.section for _hit, e in shown} | set(_top_values(result.facets, "section")),
    )
    # An entry removed since the engine answered is left out, and so is one whose page the reader may not see now
    # (unpublished or closed while its entries could not be updated): the index fails closed.
    found = _first_of_each_url([(hit, entry) for hit, entry in shown if seen.page(hit.page_id)])
    if collapsed:
        found = found[(page - 1) * per_page : page * per_page]
    results = [
        Result(
            title=entry.title,
            url=entry.url,
            type=entry.type,
            type_label=entry.type_label,
            excerpt=excerpt(entry.body or entry.context, plan),
            date=entry.date,
            forum=entry.forum_label if seen.shows("forum", entry.forum) else "",
            section=entry.section_label if seen.shows("section", entry.section) else "",
            score=round(hit.score, 4),
        )
        for hit, entry in found
    ]
    suggestion = ""
    if result.total == 0 and not plan.is_empty:
        suggestion = suggest(query_text, query.principals)
    return SearchOutcome(
        query=query_text,
        total=result.total,
        page=page,
        per_page=per_page,
        results=results,
        facets=_label_facets(result.facets, filters, seen),
        filters=filters,
        engine=result.engine,
        took_ms=int((time.perf_counter() - started) * 1000),
        fell_back=fell_back,
        suggestion=suggestion,
    )


class _Visible:
    """What of the pages a search names the reader may see, by `visibility` (live, inside the view restrictions, by
    the page type's own rule): the hits' pages, and the forums and sections named by id or slug in filters, facets
    and hits. A label is content, so only these lend their titles; and a hit whose page the reader may not see now
    (unpublished or closed while its entries could not be updated) is not shown. Each page is asked about once
    per search, all of them in one query after the engine answered."""

    def __init__(self, request):
        self._request = request
        self._pages = set()
        self._known = {"forum": {}, "section": {}}
        self._paths = {"forum": {}, "section": {}}  # value -> the tree path of its page (the reader may see)

    def learn(self, pages=(), forum=(), section=()):
        pages = {pk for pk in pages if pk not in self._pages}
        forum = {v for v in forum if v and v not in self._known["forum"]}
        section = {v for v in section if v and v not in self._known["section"]}
        if not (pages or forum or section):
            return
        ids = pages | {row_id(v) for v in forum} - {None}
        # Sections by their type, not their depth: in a host intranet's tree they sit at any depth (docs/install.md).
        section_type = ContentType.objects.get_by_natural_key(*SECTION_TYPE).pk
        wanted = Page.objects.filter(Q(pk__in=ids) | Q(slug__in=section, content_type_id=section_type))
        rows = list(visible(wanted, self._request).values_list("pk", "slug", "content_type_id", "title", "path"))
        self._pages |= {pk for pk, _slug, _type, _title, _path in rows if pk in pages}
        titles = {str(pk): title for pk, _slug, _type, title, _path in rows}
        self._known["forum"].update({value: titles.get(value) for value in forum})
        self._paths["forum"].update({str(pk): path for pk, _slug, _type, _title, path in rows if str(pk) in forum})
        titles = {slug: title for _pk, slug, type_id, title, _path in rows if type_id == section_type}
        self._known["section"].update({value: titles.get(value) for value in section})
        self._paths["section"].update(
            {slug: path for _pk, slug, type_id, _title, path in rows if type_id == section_type and slug in section}
        )

    def page(self, page_id):
        return page_id in self._pages

    def shows(self, name, value):
        return self._known.get(name, {}).get(value) is not None

    def values(self, name, values):
        """The values of a facet the reader may see (every value of facets that name no page)."""
        if name not in self._known:
            return set(values)
        self.learn(**{name: values})
        return {value for value in values if self.shows(name, value)}

    def section_of(self, forum):
        """The title of the section the forum lies in, among the sections this search named, or None."""
        path = self._paths["forum"].get(forum, "")
        for slug, section_path in self._paths["section"].items():
            if path.startswith(section_path) and self.shows("section", slug):
                return self._known["section"][slug]
        return None

    def labels(self, name):
        return {value: title for value, title in self._known.get(name, {}).items() if title is not None}


def _first_of_each_url(found):
    """The hits in order, each address once: a case handled by several records is a hit of each of them (each
    with the readers of its own paragraphs), and one page to the reader."""
    seen = set()
    kept = []
    for hit, entry in found:
        if entry.url not in seen:
            seen.add(entry.url)
            kept.append((hit, entry))
    return kept


def _entries(hits):
    if not hits:
        return {}
    rows = SearchEntry.objects.filter(page_id__in={h.page_id for h in hits})
    return {(e.page_id, e.key): e for e in rows}


@lru_cache(maxsize=1)
def _model_labels():
    """Page type and status labels from the page models themselves (no query): their own, and those of the hits
    of their own a type declares in `search_item_types` ({type: label} of what its `search_items()` gives)."""
    types, statuses = {attachments.TYPE: attachments.TYPE_LABEL}, {}
    for model in apps.get_models():
        if not issubclass(model, Page):
            continue
        types[model._meta.model_name] = model._meta.verbose_name
        types.update(getattr(model, "search_item_types", {}))
        try:
            status = model._meta.get_field("status")
        except FieldDoesNotExist:
            continue
        for value, label in status.flatchoices:
            statuses.setdefault(str(value), label)
    return types, statuses


def _labels(name, seen):
    if name == "type":
        return _model_labels()[0]
    if name == "status":
        return _model_labels()[1]
    return seen.labels(name)


def _forum_labels(labels, seen):
    """Forum labels a reader can tell apart: two forums of one name (each municipality has its Kommunstyrelsen)
    are named with their municipality, "Kommunstyrelsen – Mjölby", when the reader may see it."""
    names = Counter(str(label) for label in labels.values())
    labelled = dict(labels)
    for value, label in labels.items():
        # Among the sections the search already named (a forum counted in the facet has hits in its section, so
        # that is counted too): no query more.
        place = seen.section_of(value) if names[str(label)] > 1 else None
        if place:
            labelled[value] = f"{labels[value]} – {place}"
    return labelled


def _top_values(facets, name):
    counts = facets.get(name, {})
    return sorted(counts, key=lambda v: -counts[v])[:MAX_FACET_VALUES]


def _label_facets(facets, filters, seen):
    """{facet: [{"value", "label", "count", "selected"}]} with readable labels, most frequent first (years newest).

    Long facets (forums, tags) list their most frequent values, and always the selected ones. A forum or section
    the reader may not see is not listed (`_Visible`), whatever it counts.
    """
    labelled = {}
    for name in FACETS:
        counts = facets.get(name, {})
        selected = set(filters.get(name, ()))
        values = _top_values(facets, name) if name != "year" else list(counts)
        values = seen.values(name, set(values) | selected)
        labels = _labels(name, seen)
        if name == "forum":
            labels = _forum_labels(labels, seen)
        items = [
            {
                "value": value,
                "label": capfirst(str(labels.get(value, value))),
                "count": counts.get(value, 0),
                "selected": value in selected,
            }
            for value in values
        ]
        if name == "year":
            items.sort(key=lambda i: i["value"], reverse=True)
        else:
            items.sort(key=lambda i: (-i["count"], str(i["label"]).lower()))
        labelled[name] = items
    return labelled


def readable(text):
    """The text as a reader sees it: without the heading markers of plain-text documents ("#Bakgrund")."""
    return _HEADING_MARK_RE.sub("", text)


def excerpt(text, plan, length=EXCERPT_CHARS):
    """A piece of `text` around the first word that matches the query, matches marked with <mark>; HTML-safe."""
    if not text:
        return ""
    text = readable(text)
    wanted = plan.terms()
    matching = []
    for match in WORD_RE.finditer(text, 0, min(len(text), EXCERPT_SCAN_CHARS)):
        if _word_matches(match.group(0).lower(), wanted):
            matching.append(match)
            break
    start = 0
    if matching:
        start = max(0, matching[0].start() - length // 4)
        # Begin at a word boundary.
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start > 0 else start
    end = min(len(text), start + length)
    matching = [m for m in WORD_RE.finditer(text, start, end) if _word_matches(m.group(0).lower(), wanted)]
    pieces, position = [], start
    for match in matching:
        if match.start() < start or match.end() > end:
            continue
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    pieces.append(escape(text[position:end]))
    body = "".join(pieces).replace("\n", " ").strip()
    return ("… " if start > 0 else "") + body + (" …" if end < len(text) else "")


def _word_matches(word, wanted):
    return any(term in wanted for term, _weight in analysis.word_terms(word))


def _typed_start(word):
    return {analysis.fold(word[:2])}


def _other_starts(word):
    """The first two letters the word meant may have begun with besides those typed: the two swapped ("ksänninge"),
    or the second left out ("sxkänninge", "tyrgghet"). Folded, as titles are compared."""
    word = analysis.fold(word)
    return {word[1::-1], word[0] + word[2]} - {word[:2]}


def suggest(query_text, principals, limit_words=5000):
    """A spelling suggestion from the words of the titles the reader may see, or ""."""
    words = [w for w in analysis.tokens(query_text[: analysis.MAX_QUERY_CHARS]) if len(w) > 2][:10]
    if not words:
        return ""
    vocabulary = set()

    def learn(titles):
        for title in titles:
            for word in analysis.tokens(title):
                if len(word) > 2 and not word.isdigit():
                    # The stem too: it is often the plain form ("rådet" -> "råd") a misspelling is closest to.
                    vocabulary.update((word, analysis.stem(word)))

    found = {}  # (word, vocabulary size) -> closest: difflib compares with every word, ask it once per round

    def closest(word):
        if word in vocabulary:
            return word
        key = (word, len(vocabulary))
        if key not in found:
            close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.7)
            found[key] = close[0] if close else None
        return found[key]

    # The first titles in the index (paragraphs and attachments too); for each word not among their words, the
    # page titles with a word beginning as it does, which finds a page's words however much was indexed before
    # it; for a word still without a close one, those beginning as it might have (each start costs a lookup,
    # up to a pass over the page titles, so only when the typed one found nothing).
    learn(engines.first_titles(principals, limit_words))
    rounds = ((_typed_start, lambda w: w not in vocabulary), (_other_starts, lambda w: closest(w) is None))
    for starts, wanting in rounds:
        for start in sorted({s for w in words if wanting(w) for s in starts(w)}):
            learn(title for title, _url, _type in engines.titles(start, principals, SUGGESTION_TITLES))
    suggestion = [closest(word) or word for word in words]
    return " ".join(suggestion) if suggestion != words else ""


def autocomplete(request, prefix, limit=8):
    """Titles the reader may see that begin with (a word beginning with) the typed text."""
    prefix = analysis.title_words(prefix[:200])
    if len(prefix) < 2:
        return []
    rows = engines.titles(prefix, reader_principals(request), limit)
    return [{"title": title, "url": url, "type": type_label} for title, url, type_label in rows]
