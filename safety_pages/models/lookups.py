"""Pages named by slugs in URLs outside the page tree (calendars, feeds, case pages), for readers who may see them.

A page the reader may not see answers 404, exactly like a page that does not exist.
"""

from django.http import Http404

from safety_pages.access import visibility
from safety_pages.models.forums import ForumPage
from safety_pages.models.site import SectionPage


def section_or_404(request, slug):
    # Unique since sections may sit under several parents (SectionPage.clean); should a tree made before that rule
    # hold two, the first in tree order answers rather than an error.
    section = SectionPage.objects.live().filter(slug=slug).order_by("path").first()
    if section is None or not visibility.can_view(request, section):
        raise Http404
    return section


def forum_or_404(request, section_slug, forum_slug):
    section = section_or_404(request, section_slug)
    forum = ForumPage.objects.descendant_of(section).live().filter(slug=forum_slug).first()
    if forum is None or not visibility.can_view(request, forum):
        raise Http404
    return forum
