"""Single sign-on in Chromium (issue 23, item 1): a member of a forum logs in through the municipality's OpenID provider
(oidc-provider from npm, started on 127.0.0.1) and lands on the start page with her forum and its next meeting.

The forum is closed to all but its reader group, which her seat puts her in and her directory group maps to; her
other directory group maps to the employees, which she joins at login. She then
logs out, through the provider's own logout, and is back on our login page (the content security policy lets the
logout form's answer go on to the provider).
"""

import datetime

import pytest
from django.utils import timezone

from tests import oidc
from tests.browser.conftest import LOCALE, TIMEOUT_MS, axe_violations, describe, screenshot

pytestmark = pytest.mark.browser

FORUM_SLUG = "lag-norrtull"
FORUM_TITLE = "LAG Norrtull NORRTULLQX"
USERNAME = "karin.ekstrom"
SUBJECT = "c0ffee01"
DIRECTORY = {
    SUBJECT: oidc.user(
        {
            "preferred_username": USERNAME,
            "email": "karin.ekstrom@mjolby.example",
            "given_name": "Karin",
            "family_name": "Ekström",
            "groups": ["SG-LAG-Norrtull", "SG-Alla-Medarbetare"],
        }
    )
}


@pytest.fixture(scope="module")
def member_forum(live_server):
    """A forum closed to its reader group, with a meeting next week. Karin sits on it: the administrator registered
    her account and her seat, so the reader group (kept in step with the seats) holds her; she is in no other group.
    Removed, with her account and the reader group, when the module ends."""
    from django.contrib.auth.models import Group

    from safety_pages.access import roles
    from safety_pages.models import ForumLocalRoles, ForumPage, Person
    from tests import builders

    forum = builders.forum("mjolby", FORUM_SLUG, FORUM_TITLE)
    meeting = builders.record(
        forum,
        "nasta",
        title="LAG Norrtulls sammanträde",
        date=timezone.localdate() + datetime.timedelta(days=7),
        status="planerat",
        starts_at=datetime.time(13, 0),
        place="Stadshuset, rum Norrtull",
    )
    account = builders.user(USERNAME)
    builders.member(forum, account, name="Karin Ekström", starts_on=timezone.localdate() - datetime.timedelta(days=30))
    readers = ForumLocalRoles.objects.get(forum=forum).reader_group
    builders.restrict_to_groups(forum, readers)
    # The directory's groups: the forum's readers, and every employee.
    mapping = {"SG-LAG-Norrtull": (readers.name,), "SG-Alla-Medarbetare": (roles.EMPLOYEES,)}
    yield forum, meeting, account, mapping
    ForumPage.objects.get(pk=forum.pk).delete()
    Person.objects.filter(user=account).delete()
    account.delete()
    Group.objects.filter(pk=readers.pk).delete()


@pytest.fixture(scope="module")
def provider(live_server):
    with oidc.provider(DIRECTORY, [live_server]) as started:
        yield started


def test_a_member_logs_in_with_the_municipalitys_account_and_finds_her_forum_and_next_meeting(
    chromium, live_server, provider, member_forum
):
    forum, meeting, account, mapping = member_forum
    readers = mapping["SG-LAG-Norrtull"][0]
    assert set(account.groups.values_list("name", flat=True)) == {readers}
    context = chromium.new_context(base_url=live_server, locale=LOCALE, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        with oidc.settings_for(provider, OIDC_GROUP_MAP=mapping):
            page.goto("/")
            # The intranet asks for a login; the local form stays beside the municipality's account.
            page.get_by_role("heading", name="Logga in på Trygghetsportalen").wait_for()
            assert page.get_by_label("Lösenord").is_visible()
            assert axe_violations(page) == [], describe(axe_violations(page))
            with page.expect_navigation():
                page.get_by_role("link", name="Logga in med kommunens konto").click()
            assert page.url.startswith(provider.issuer)
            page.get_by_label("Användarnamn").fill(SUBJECT)
            page.get_by_label("Lösenord").fill(oidc.PASSWORD)
            page.get_by_role("button", name="Logga in").click()

            mine = page.get_by_role("region", name="Mina forum")
            mine.wait_for()
            assert page.url == f"{live_server}/"
            assert mine.get_by_role("link", name=FORUM_TITLE).is_visible()
            next_meeting = mine.locator(f'a[href="{meeting.url}"]').first
            assert "kl. 13.00" in next_meeting.inner_text()
            assert "Stadshuset, rum Norrtull" in mine.inner_text()
            screenshot(page, "single-sign-on-start-page", 1280)
            account.refresh_from_db()
            assert account.get_full_name() == "Karin Ekström"
            # Her directory groups map to the forum's readers (which she was in) and to the employees (now added).
            assert set(account.groups.values_list("name", flat=True)) == {readers, mapping["SG-Alla-Medarbetare"][0]}

            page.get_by_role("button", name="Logga ut").click()
            page.get_by_role("heading", name="Logga ut från kommunens konto").wait_for()
            page.get_by_role("button", name="Ja, logga ut").click()
            page.get_by_role("heading", name="Logga in på Trygghetsportalen").wait_for()
            assert page.url.startswith(f"{live_server}/login/")
            assert page.goto("/").url.startswith(f"{live_server}/login/")
    finally:
        context.close()
