"""What a page contributes to the search index: its hits, their text and their facets.

Any page type is indexed through the `search_fields` it declares (as for
Wagtail's own search). A page type whose parts deserve their own hits (the
paragraphs of a meeting record) defines `search_items()` returning
`SearchItem`s, or mappings of their fields; those are indexed beside the page
itself. It names the types of those hits in `search_item_types` ({type:
label}), which labels them in the type facet (search.service). A page type that says what its date means for a
reader defines `search_date()` (None: undated), used instead of the dates guessed below.
"""

import contextlib
import contextvars
import datetime
import html
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index

from safety_pages.access import visibility

# Fields with at least this Wagtail boost count as headings (the title, a forum's short name).
HEADING_BOOST = 2
# Date attributes looked up on the specific page, most telling first.
DATE_ATTRIBUTES = (
    "meeting_date",
    "held_on",
    "held_from",
    "decided_on",
    # A steering document's own date, or that of the decision adopting it: the year a reader remembers it by.
    "adoption_date",
    "date",
    "valid_from",
    "founded_on",
)


@dataclass
class SearchItem:
    """A hit of its own inside a page (e.g. a paragraph of the minutes), with its own URL."""

    key: str
    title: str
    url: str
    body: str = ""
    heading: str = ""
    date: datetime.date | None = None
    type: str = ""
    type_label: str = ""
    # Who may find this hit when fewer than the page's readers (a sekretess paragraph): principals, met together
    # with the page's own (visibility.both). None: the page's readers.
    readers: frozenset | None = None


@dataclass
class EntryData:
    key: str
    title: str
    url: str
    heading: str
    body: str
    context: str
    date: datetime.date | None
    type: str
    type_label: str
    forum: str = ""
    forum_label: str = ""
    section: str = ""
    section_label: str = ""
    status: str = ""
    status_label: str = ""
    tags: list = field(default_factory=list)
    readers: frozenset | None = None  # see SearchItem.readers

    @property
    def year(self):
        return str(self.date.year) if self.date else ""


def as_text(value):
    """Searchable text of a field value: rich text without markup, lists joined."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return "\n".join(as_text(v) for v in value)
    if hasattr(value, "source"):  # RichText
        value = value.source
    text = str(value)
    if "<" in text:
        text = strip_tags(text.replace("<", " <"))
    return html.unescape(text)


def _related_text(page, search_field):
    """Text of the searchable fields of related objects (tags, feedback items, actions)."""
    current = _batch.get()
    items = current.related(page, search_field.field_name) if current is not None else None
    if items is None:
        value = getattr(page, search_field.field_name, None)
        if value is None:
            return ""
        items = value.all() if hasattr(value, "all") else (value if isinstance(value, list | tuple) else [value])
    texts = []
    for item in items:
        for sub_field in search_field.fields:
            if isinstance(sub_field, index.SearchField):
                value = getattr(item, sub_field.field_name, "")
                # Fields only, not methods: a record's paragraphs give its hit their titles, while their text (a
                # method) is indexed once, in each paragraph's own hit (`search_items`).
                if not callable(value):
                    texts.append(as_text(value))
    return " ".join(t for t in texts if t)


def _field_texts(page):
    """(heading text, body text) from the page type's declared search fields."""
    heading, body = [page.title], []
    for search_field in page.get_search_fields():
        if isinstance(search_field, index.RelatedFields):
            body.append(_related_text(page, search_field))
            continue
        if not isinstance(search_field, index.SearchField) or search_field.field_name == "title":
            continue
        text = as_text(search_field.get_value(page))
        if not text:
            continue
        if (getattr(search_field, "boost", None) or 1) >= HEADING_BOOST:
            heading.append(text)
        else:
            body.append(text)
    return "\n".join(heading), "\n".join(t for t in body if t)


def _page_date(page):
    # A page type that says what its date means (`search_date()`, None for none) is dated by that alone: the
    # publishing date below would date a forum by its last edit, read by readers as news of that day.
    own = getattr(page, "search_date", None)
    if callable(own):
        return own()
    for name in DATE_ATTRIBUTES:
        value = getattr(page, name, None)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
    published = page.last_published_at or page.first_published_at
    return published.date() if published else None


def _status(page):
    try:
        model_field = page._meta.get_field("status")
    except Exception:
        return "", ""
    value = getattr(page, "status", "") or ""
    if not model_field.choices:
        return str(value), str(value)
    return str(value), str(dict(model_field.flatchoices).get(value, value))


def _tags(page):
    current = _batch.get()
    if current is not None and page.pk in current.tags:
        return current.tags[page.pk]
    manager = getattr(page, "tags", None)
    if manager is None or not hasattr(manager, "names"):
        return []
    return sorted(manager.names())


def _related_objects(pages, name):
    """{page id: [objects]} of one child relation (a ParentalKey or foreign key to the page) for pages of one
    type, in one query in the related model's order; None when `name` is something else."""
    try:
        relation = pages[0]._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not relation.one_to_many:
        return None
    found = {page.pk: [] for page in pages}
    children = relation.related_model._default_manager.filter(**{f"{relation.field.name}__in": list(found)})
    for child in children:
        found[getattr(child, relation.field.attname)].append(child)
    return found


def _tagged(pages):
    """{page id: its tags by name} for pages of one type, in one query (none for a type without tags)."""
    try:
        through = pages[0]._meta.get_field("tags").through
        through._meta.get_field("content_object")  # a ParentalKey to the page, as Wagtail's tagged pages have
    except (FieldDoesNotExist, AttributeError):
        return {}
    found = {page.pk: [] for page in pages}
    for item in through.objects.filter(content_object_id__in=list(found)).select_related("tag"):
        found[item.content_object_id].append(item.tag)
    return {page_id: sorted(tags, key=lambda tag: tag.name) for page_id, tags in found.items()}


class Batch:
    """What the pages of one indexing batch share, read for all of them at once.

    Pages of a batch mostly share their forum and section, and each page would
    otherwise cost a query for its ancestors, two for its view restrictions,
    one for its tags, one per child relation among its search fields and,
    for a meeting record, two for its paragraphs. Here each of these is one
    query per batch (per page type for tags, child relations and a type's own
    `prepare_for_search(pages)`, which returns {relation name: {page id:
    objects}} for the relations it read, so the batch does not read them again).
    """

    def __init__(self, pages):
        self.ancestors = {}  # path -> Page
        self._read_ancestors(pages)
        self.restrictions = visibility.view_restrictions_of(pages, self.ancestors_of)
        self.tags, self._related = {}, {}
        by_type = {}
        for page in pages:
            by_type.setdefault(type(page), []).append(page)
        for model, of_type in by_type.items():
            prepare = getattr(model, "prepare_for_search", None)
            prepared = (prepare(of_type) if prepare is not None else None) or {}
            tagged = _tagged(of_type)
            self.tags.update({page_id: [tag.name for tag in tags] for page_id, tags in tagged.items()})
            for search_field in model.get_search_fields():
                if isinstance(search_field, index.RelatedFields):
                    name = search_field.field_name
                    if name in prepared:
                        objects = prepared[name]
                    elif name == "tags" and tagged:
                        objects = tagged
                    else:
                        objects = _related_objects(of_type, name)
                    for page_id, children in (objects or {}).items():
                        self._related[(page_id, name)] = children

    def related(self, page, name):
        """The page's objects of a RelatedFields relation, or None when they were not read with the batch."""
        return self._related.get((page.pk, name))

    @staticmethod
    def _paths(page):
        return [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]

    def _read_ancestors(self, pages):
        missing = {path for page in pages for path in self._paths(page)} - self.ancestors.keys()
        if missing:
            for ancestor in Page.objects.filter(path__in=missing).select_related("content_type"):
                self.ancestors[ancestor.path] = ancestor

    def ancestors_of(self, page):
        """The page's ancestors from the root, the page itself last."""
        self._read_ancestors([page])
        return [self.ancestors[path] for path in self._paths(page) if path in self.ancestors]


# The batch being indexed, set by `batch()`; None outside the indexer. A context variable, not a module global: two
# threads indexing at once (two editors' requests in one threaded server) must each read their own batch.
_batch = contextvars.ContextVar("search_index_batch", default=None)


@contextlib.contextmanager
def batch(pages):
    """Index `pages` (live, specific) with what they share read once: see `Batch`."""
    with visibility.remembering():
        current = Batch(pages)
        token = _batch.set(current)
        try:
            yield current
        finally:
            _batch.reset(token)


def _ancestor_pages(page):
    current = _batch.get()
    if current is None:
        return list(Page.objects.ancestor_of(page, inclusive=True).select_related("content_type"))
    return current.ancestors_of(page)


def _frame(page):
    """The forum and section a page lives in (its nearest ancestors of those types, itself included)."""
    forum = section = None
    for ancestor in _ancestor_pages(page):
        model = ancestor.content_type.model
        if model == "forumpage":
            forum = ancestor
        elif model == "sectionpage":
            section = ancestor
    return forum, section


def _url(page):
    return page.get_url() or page.url_path


def _as_item(item):
    # A page type outside this app gives its items as mappings of SearchItem's fields, importing nothing from here.
    return item if isinstance(item, SearchItem) else SearchItem(**item)


def _items(page):
    """The hits of their own inside a page: what its `search_items()` gives."""
    items = getattr(page, "search_items", None)
    if not callable(items):
        return []
    return [_as_item(item) for item in items()]


def entries_for(page):
    """Everything `page` (a live, specific page) puts into the index."""
    heading, body = _field_texts(page)
    forum, section = _frame(page)
    meta = page._meta
    type_label = str(meta.verbose_name)
    status, status_label = _status(page)
    kind_label = page.get_kind_display() if hasattr(page, "get_kind_display") else ""
    context = " ".join(t for t in (section.title if section else "", forum.title if forum else "", kind_label) if t)
    url = _url(page)
    common = {
        "forum": str(forum.pk) if forum else "",
        "forum_label": forum.title if forum else "",
        "section": section.slug if section else "",
        "section_label": section.title if section else "",
        "status": status,
        "status_label": status_label,
        "tags": _tags(page),
    }
    entries = [
        EntryData(
            key="",
            title=page.title,
            url=url,
            heading=heading,
            body=body,
            context=f"{context} {type_label}",
            date=_page_date(page),
            type=meta.model_name,
            type_label=type_label,
            **common,
        )
    ]
    for item in _items(page):
        entries.append(
            EntryData(
                key=item.key,
                title=item.title,
                url=item.url,
                heading=item.heading or item.title,
                body=item.body,
                context=f"{context} {page.title}",
                date=item.date or entries[0].date,
                type=item.type or entries[0].type,
                type_label=str(item.type_label or type_label),
                readers=frozenset(item.readers) if item.readers is not None else None,
                **common,
            )
        )
    return entries
