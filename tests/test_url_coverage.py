"""Every URL is a channel: each URL pattern is probed by the leak matrix, or says why it shows no content.

The test walks the URL configuration (front end, API, feeds, calendars, media, the admin) and the routes of
the routable page types. A front-end pattern must name the leak-matrix channels that probe it, or the reason it
shows no content. An admin pattern must answer a justerare with admin login only (the user for whom the admin
is not a place to read) without content (a redirect, 403, 404 or 405) when every id in its address is that of a
draft hidden from them, or name its channels or reason. So a new view cannot ship unprobed: the pattern alone fails
this test until it is given an entry (`test_a_new_pattern_without_an_entry_fails` shows it).
"""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver, path
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from safety_pages.access import roles
from tests import builders
from tests.test_leak_matrix import CHANNELS

pytestmark = pytest.mark.django_db

ALL_CHANNELS = {name for channels in CHANNELS.values() for name in channels}
SEARCH = ["search_page", "search_api", "search_page_es", "search_api_es"]
CALENDARS = ["forum_calendar", "section_calendar"]

# Front-end patterns: the leak-matrix channels that probe them, or (a string) why they show no content.
FRONT_END = {
    "healthz": "answers 'ok' and nothing else",
    "favicon.ico": "the image the site's Branding names as its favicon, or a redirect to the default icon",
    "login/": "the login form",
    "logout/": "ends the session (and sends a single sign-on user on to the provider's logout)",
    "login/kommunen/": "sends the visitor to the OpenID provider's login (404 without OIDC_ISSUER)",
    "login/kommunen/retur/": "the OpenID provider's return: logs in and redirects, or back to the login page",
    "i18n/setlang/": "sets the language",
    "_util/login/": "Wagtail's login form",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": "password form (no password "
    "restrictions are used; a password page is listed nowhere, see visibility._restriction_principals)",
    "documents/^(\\d+)/(.*)$": ["document_url"],
    # Our serve view over Wagtail's route (caching headers): the same URL the matrix's document channel asks.
    "^documents/(\\d+)/(.*)$": ["document_url"],
    "documents/authenticate_with_password/<int:restriction_id>/": "password form of a document collection",
    "media/<path:path>": ["image_original", "image_rendition"],
    "sitemap.xml": ["sitemap"],
    "sok/": ["search_page", "search_page_es"],
    "api/search/": ["search_api", "search_api_es"],
    "api/search/autocomplete/": ["autocomplete"],
    "etiketter/<str:slug>/": ["tag_listing"],
    "arenden/<slug:section>/<str:number>/": ["case_page"],
    "forhinder/<str:token>/": ["absence_link"],
    "personer/<str:key>/": ["person_page"],
    "bevakningar/": ["my_follows"],
    "bevakningar/folj/": ["follow_button"],
    "bevakningar/avsluta/<str:token>/": ["unsubscribe_link"],
    "kalender/<slug:section>.ics": ["section_calendar"],
    "kalender/<slug:section>/<slug:forum>.ics": ["forum_calendar"],
    "kalender/prenumeration/<slug:token>/<slug:section>.ics": ["subscribed_section_calendar"],
    "kalender/prenumeration/<slug:token>/<slug:section>/<slug:forum>.ics": ["subscribed_forum_calendar"],
    "kalender/prenumeration/fornya/": "renews the user's own calendar address (POST), shows no content",
    "protokoll/<slug:section>.atom": ["section_atom"],
    "protokoll/<slug:section>/<slug:forum>.atom": ["forum_atom"],
    "^((?:[\\w\\-]+/)*)$": ["page_url", "organisation_page"],
    # Routes of routable page types, by page type.
    "MeetingRecordPage:paragraf/<int:number>/": ["extract_url"],
    "MeetingRecordPage:pdf/": ["record_pdf"],
    "MeetingRecordPage:paragraf/<int:number>/pdf/": ["extract_pdf"],
    "ForumIndexPage:organisationsbild/": ["organisation_svg"],
    "ForumPage:jamfor/": ["instruction_compare"],
}

# Admin patterns a justerare with admin login only may open: the channels that probe them, or why they show
# no content. Patterns that answer them without content need no entry.
ADMIN = {
    "admin/choose-page/": ["admin_page_chooser"],
    "admin/choose-page/<int:parent_page_id>/": ["admin_page_chooser"],
    "admin/choose-page/search/": "the chooser's search, narrowed by the same hook as admin_page_chooser "
    "(tests/safety_pages/test_admin_scope.py)",
    "admin/api/main/^pages/": "Wagtail lists only pages the user may explore (none without page rights)",
    "admin/api/main/^documents/": ["admin_api_document"],
    "admin/api/main/^images/": ["admin_api_image"],
    "admin/": "the dashboard: the user's own tasks (the records they are to justera)",
    "admin/test404/": "a fixed 404 page",
    "admin/failwhale/": "raises a fixed error on purpose (Wagtail's test of error reporting)",
    "admin/account/": "the user's own account",
    "admin/sprite/": "icons",
    "admin/login/": "the login form",
    "admin/jsi18n/": "translations of the admin's scripts",
    "admin/choose-external-link/": "a form for a link the user types",
    "admin/choose-email-link/": "a form for a link the user types",
    "admin/choose-phone-link/": "a form for a link the user types",
    "admin/choose-anchor-link/": "a form for a link the user types",
    "admin/workflows/task_chooser/": "names of workflow tasks (Granskning, Justering), no content",
    "admin/workflows/task_chooser/results/": "names of workflow tasks, no content",
    "admin/workflows/task_chooser/create/": "a form to create a task (refused on saving without rights)",
    # Our views over Wagtail's (safety_pages/editing/admin_scope.py ADMIN_URLS), proved in
    # tests/safety_pages/editing/test_admin_scope.py; the pattern appears twice (ours first, Wagtail's behind it).
    "admin/choose-page/chosen-multiple/": "only pages the user may choose, by the title the admin may show them "
    "(test_chosen_multiple_names_only_pages_the_justerare_may_read_and_their_live_titles)",
    "admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/": "404 unless the user may edit the "
    "page and choose the destination (test_the_move_confirmation_names_no_page_the_justerare_may_not_edit)",
    "admin/pages/workflow/confirm_cancellation/<int:page_id>/": "404 unless the user may edit the page "
    "(test_the_workflow_cancellation_names_no_page_the_justerare_may_not_edit)",
    "admin/tag-autocomplete/": "tags of pages and files the user may read, all tags for page editors "
    "(test_tag_autocomplete_offers_only_tags_of_pages_the_justerare_may_read)",
    "admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/": "as admin/tag-autocomplete/",
    # Wagtail lists page log entries only for pages the user may explore, other entries only for models they
    # have a permission on: none for a user with admin login only.
    "admin/arenden/valj/": ["admin_case_chooser"],
    "admin/arenden/valj/results/": ["admin_case_chooser"],
    "admin/arenden/valj/chosen/<str:pk>/": "the case chooser's answer names only cases the chooser lists "
    "(tests/safety_pages/meetings/test_case_chooser.py)",
    "admin/arenden/valj/chosen-multiple/": "as chosen/: only cases the chooser lists "
    "(tests/safety_pages/meetings/test_case_chooser.py)",
    "admin/arenden/valj/create/": "the 'Nytt ärende' form: refused without the right to add cases",
    "admin/protokoll/<int:page_id>/skapa-protokoll/": ["admin_create_record"],
    "admin/forum/<int:forum_id>/importera-protokoll/": ["admin_import_minutes"],
    "admin/forum/<int:forum_id>/importera-protokoll/granska/": ["admin_import_minutes"],
    "admin/reports/site-history/": ["admin_site_history"],
    "admin/reports/site-history/results/": ["admin_site_history"],
}
CLOSED = (302, 403, 404, 405)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def routes(urlconf=None):
    """Every URL pattern, as its route, and every route of the routable page types, as 'PageType:route'."""
    found = list(_walk(get_resolver(urlconf).url_patterns))
    for model in apps.get_models():
        if issubclass(model, RoutablePageMixin) and issubclass(model, Page):
            found += [
                f"{model.__name__}:{pattern.pattern}"
                for pattern in model.get_subpage_urls()
                if str(pattern.pattern) not in ("", "^$")
            ]
    return found


def _example(route, page_id):
    """A URL for the route: every argument a hidden page's id, or a word."""

    def argument(match):
        return str(page_id) if match.group(1) == "int" else "x"

    url = re.sub(r"<(?:(\w+):)?\w+>", argument, route)
    url = re.sub(r"\([^)]*\)", str(page_id), url).replace("^", "").replace("$", "")
    return "/" + url


@pytest.fixture
def justerare(demo):
    account = get_user_model().objects.create_user("tackjusterare", password="x")
    account.groups.add(Group.objects.get(name=roles.EMPLOYEES))
    roles.grant_justering_login([account])
    client = Client()
    client.force_login(account)
    return client


@pytest.fixture
def hidden_page(demo):
    mjolby = demo.get_children().get(slug="mjolby").specific
    committee = builders.forum(mjolby, "trygghets-och-sakerhetsutskottet")
    return builders.instruction(committee, "tackutkast", title="Sida TACKDOLD", publish=False)


def uncovered(found, answers_closed):
    """The routes that no entry covers; `answers_closed(route)` for admin routes without one."""
    missing = []
    for route in found:
        entry = ADMIN.get(route) if route.startswith("admin/") else FRONT_END.get(route)
        if isinstance(entry, list):
            assert set(entry) <= ALL_CHANNELS, f"{route}: {set(entry) - ALL_CHANNELS} are not leak-matrix channels"
        elif entry is None and not (route.startswith("admin/") and answers_closed(route)):
            missing.append(route)
    return missing


def test_every_url_pattern_is_probed_by_the_leak_matrix_or_says_why_not(hidden_page, justerare):
    def answers_closed(route):
        response = justerare.get(_example(route, hidden_page.pk))
        assert "TACKDOLD" not in response.content.decode(errors="replace"), route
        return response.status_code in CLOSED

    found = routes()
    assert uncovered(found, answers_closed) == []
    stale = (set(FRONT_END) | set(ADMIN)) - set(found)
    assert not stale, f"entries for patterns that no longer exist: {stale}"


urlpatterns = [path("nytt-flode/", lambda request: HttpResponse("ny vy"))] + list(get_resolver().url_patterns)


def test_a_new_pattern_without_an_entry_fails(settings):
    """The guard itself: adding a URL pattern without a leak-matrix entry makes the coverage test fail."""
    assert uncovered(routes(__name__), lambda route: True) == ["nytt-flode/"]
