"""Serving a page to a reader outside its view restrictions: the answer of a page that does not exist.

Wagtail answers a logged-in reader outside a group restriction with a redirect to its login page, while a
missing page answers 404: the difference tells the reader that the page is there. The login redirect is kept
for the visitor who is not logged in (logging in may open the page) and the password form for password
restrictions (a password is per browser session).
"""

from django.http import Http404
from wagtail.models import PageViewRestriction


def refuse_pages_closed_to_the_reader(page, request, serve_args, serve_kwargs):
    """A `before_serve_page` hook: 404 for a logged-in reader who fails a login or group restriction."""
    if not request.user.is_authenticated:
        return
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type != PageViewRestriction.PASSWORD and not restriction.accept_request(request):
            raise Http404
