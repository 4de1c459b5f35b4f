"""The sitemap lists the pages every employee may read, nothing narrower.

Wagtail's own sitemap leaves out pages with view restrictions but knows
nothing of page types' own rules (a record not yet justerat is live yet
closed), so it asks `visibility` instead.
"""

from wagtail.contrib.sitemaps import Sitemap

from safety_pages.access.visibility import AUTHENTICATED, page_principals, readable_by_every_employee


class _Pages(list):
    """The sitemap's pages, read once; Wagtail's generator walks each paginated slice with `.iterator()`."""

    def __getitem__(self, index):
        found = super().__getitem__(index)
        return _Pages(found) if isinstance(index, slice) else found

    def iterator(self):
        return iter(self)


class IntranetSitemap(Sitemap):
    def items(self):
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        pages = readable_by_every_employee(pages, self.request).order_by("path").defer_streamfields().specific()
        # A list, read once: returned as a queryset, the paginator counted and then read it again, each time
        # judging every page of the site against the view restrictions.
        return _Pages(
            page
            for page in pages
            # Only page types with a rule of their own cost a look at their principals.
            if getattr(page, "extra_read_principals", None) is None or AUTHENTICATED in page_principals(page)
        )
