"""Calendar feeds by personal subscription address, and renewing that address.

A calendar client sends no session: the token in the address names the user,
and the feed is the one that user would get when logged in (the same views,
the same visibility rules). A wrong or renewed-away token is a 404, whatever
the section or forum in the address.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safety_pages.calendars import feeds
from safety_pages.calendars import subscriptions as calendar_subscriptions

# What visibility and readers cache on a request for its user.
_CACHED_ACCESS = ("_read_principals", "_restricted_depths", "_member_forum_paths", "_editor_principals")


def _as_subscriber(request, token):
    user = calendar_subscriptions.user_for(token)
    if user is None:
        raise Http404
    request.user = user  # for this request only: no session is created
    for name in _CACHED_ACCESS:
        if hasattr(request, name):
            delattr(request, name)


def _private(response):
    # The address is personal: no shared cache may keep one user's calendar for another.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_GET
def subscribed_forum_calendar(request, token, section, forum):
    _as_subscriber(request, token)
    return _private(feeds.forum_calendar(request, section, forum))


@login_not_required
@require_GET
def subscribed_section_calendar(request, token, section):
    _as_subscriber(request, token)
    return _private(feeds.section_calendar(request, section))


@require_POST
def renew_subscription(request):
    """Give the logged-in user a new personal address; the old one stops working."""
    calendar_subscriptions.renew(request.user)
    messages.success(
        request,
        _("Din kalenderlänk är förnyad. Den gamla länken slutar fungera: lägg in den nya i din kalender."),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    return redirect(target)
