"""Page routing in one query for the whole path, where Wagtail's own walk would take two per level.

Wagtail routes /a/b/c/ by asking the site root for its child "a", loading that
page's specific row, asking it for "b", and so on: two queries per path segment.
Every page's `url_path` already holds its whole address, so the pages along the
path are read in one query by their url_paths, and the walk steps through them
as long as Wagtail's own route of each page would hand the rest of the path to
that child: a plain Page.route, or a routable page (RoutablePageMixin) none of
whose own routes matches the rest. Where a page routes in some other way, or a
segment names no child, the walk hands over to that page's own `route()`, which
decides as it always did (its own routes, the child by slug, or 404). Only the
page reached at the end is loaded as its specific type, as Wagtail does.
"""

from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page


def hands_on_to_child(cls, page, remaining):
    """Whether `cls.route(page, request, remaining)` would pass `remaining` to the child named remaining[0]."""
    if cls.route is Page.route or cls.route is RoutesInOneQuery.route:
        return True
    if issubclass(cls, RoutablePageMixin) and cls.route is RoutablePageMixin.route:
        if not page.live:
            return True
        try:
            cls.get_resolver().resolve("/" + "/".join(remaining) + "/")
        except Http404:
            return True
    return False


class RoutesInOneQuery:
    """A page type that routes the rest of its path in one query: our start page, and a municipality section, which
    in a host intranet's tree (docs/install.md) is reached by Wagtail's own walk through the host's pages. A walk
    from a page above passes through it as through a plain Page, so a path under our start page stays one query."""

    def route(self, request, path_components):
        return route(self, request, path_components)


def route(root, request, path_components):
    """What `Page.route(root, request, path_components)` returns, `root` being a specific page routed by Page.route
    (or by RoutesInOneQuery, the same walk)."""
    if not path_components:
        return Page.route(root, request, path_components)
    prefixes = []
    url_path = root.url_path
    for component in path_components:
        url_path += component + "/"
        prefixes.append(url_path)
    along = {
        page.url_path: page
        # slug is indexed (url_path is not), so the database looks at the pages named like a segment only.
        for page in Page.objects.filter(
            slug__in=set(path_components), url_path__in=prefixes, path__startswith=root.path, depth__gt=root.depth
        )
    }
    page, cls, taken = root, type(root), 0
    while taken < len(path_components):
        remaining = path_components[taken:]
        child = along.get(prefixes[taken])
        if (
            child is None
            or child.depth != page.depth + 1
            or not child.path.startswith(page.path)
            or child.slug != remaining[0]
            or (page is not root and not hands_on_to_child(cls, page, remaining))
        ):
            break
        child._cached_parent_obj = page
        page, cls, taken = child, child.specific_class, taken + 1
        if cls is None:
            break
    if page is root:
        return Page.route(root, request, path_components)
    return page.specific.route(request, path_components[taken:])
