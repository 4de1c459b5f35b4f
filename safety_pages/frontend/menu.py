"""The main menu in the header: the municipality's own menu, kept by its editors on the section page.

On a page inside a municipality's section: the menu items of that section (Meny tab of the section page) or,
when it has none, the section and its own subpages (organisation, dialogues, steering documents). Elsewhere (the
start page, the search): the municipalities. Every entry is asked of visibility first: a page the reader may not
see is left out, whatever the menu says.

The header is drawn on every page, so the entries are cached under the content generation (any edit anywhere makes
them stale, models/generation.py), per page and per set of readers who see the same pages (`shared_reader_key`; a
member of a forum, who reads its closed records, gets entries of their own). A hit costs no query.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Page

from safety_pages.access.visibility import visible
from safety_pages.frontend.start_page import shared_reader_key
from safety_pages.models import SectionPage
from safety_pages.models import generation as fragments


@dataclass(frozen=True)
class MenuEntry:
    url: str
    label: str
    # "page" on the page itself, "true" on one of its ancestors, "" elsewhere (the value of aria-current).
    current: str


def _section_of(page):
    """The section `page` is in (or is), with one query whatever the depth."""
    if page is None or not getattr(page, "path", None):
        return None
    return SectionPage.objects.ancestor_of(page, inclusive=True).first()


def _current(target, page):
    if page is None or not getattr(page, "path", None):
        return ""
    if target.pk == page.pk:
        return "page"
    return "true" if page.path.startswith(target.path) else ""


def _entries(pairs, request, page):
    return [MenuEntry(target.get_url(request), label, _current(target, page)) for target, label in pairs]


def main_menu(request, page=None):
    """The entries of the main menu for this reader on `page` (None outside the page tree)."""
    # The generation first, before anything the menu shows is read (models/generation.py).
    generation = fragments.generation(request)
    if getattr(request, "is_preview", False):
        return _main_menu(request, page)
    reader = shared_reader_key(request)
    if reader is None:
        reader = ["user", request.user.pk]
    where = [page.pk, page.path] if page is not None and getattr(page, "path", None) else None
    key = "main-menu:" + fragments.digest([generation, get_language(), request.get_host(), reader, where])
    entries = cache.get(key)
    if entries is None:
        entries = _main_menu(request, page)
        cache.set(key, entries, fragments.GENERATION_TIMEOUT)
    return entries


def _main_menu(request, page):
    section = _section_of(page)
    if section is None:
        sections = visible(SectionPage.objects.live().order_by("path"), request)
        return _entries([(s, s.title) for s in sections], request, page)
    items = list(section.menu_items.select_related("link_page"))
    if not items:
        children = visible(section.get_children().live(), request)
        return _entries([(section, section.title)] + [(c, c.title) for c in children], request, page)
    readable = set(
        visible(Page.objects.live().filter(pk__in=[item.link_page_id for item in items]), request).values_list(
            "pk", flat=True
        )
    )
    return _entries(
        [(item.link_page, item.label or item.link_page.title) for item in items if item.link_page_id in readable],
        request,
        page,
    )
