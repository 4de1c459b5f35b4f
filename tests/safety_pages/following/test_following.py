"""Bevakningar as a follower meets them: the Följ button, the digest at a real SMTP server with exactly what she may
read when it is sent, the kallelse at once, the one-click unsubscribe link, and Mina bevakningar."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from safety_pages.access import roles
from safety_pages.following import digests
from safety_pages.models import Follow, FollowDelivery, MeetingStatus
from tests import builders

pytestmark = pytest.mark.django_db

# Mina bevakningar asks, for each followed page, whether its follower may still read it (its view restrictions).
PER_FOLLOW = 4
LAST_WEEK = timezone.localdate() - datetime.timedelta(days=7)
IN_A_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def _follower(username, address):
    user = builders.user(username, roles.EMPLOYEES)
    user.email = address
    user.save()
    return user


@pytest.fixture
def lonn(org):
    """A forum with a member and an employee outside it, both with an address."""
    forum = builders.forum(org, "lonnradet", "Lönnrådet")
    member = _follower("ledamot-lonn", "ledamot@example.se")
    builders.member(forum, member, name="Lena Ledamot")
    outsider = _follower("medarbetare-lonn", "medarbetare@example.se")
    return {"forum": forum, "member": member, "outsider": outsider}


def _tagged(forum, slug, title):
    page = builders.instruction(forum, slug, title=title)
    page.tags.add("samverkan")
    page.save_revision().publish()
    return page


def _press(client, user, **target):
    client.force_login(user)
    return client.post(reverse("safety_pages:follow"), target)


def _send_digests(capture, run_tasks):
    with capture(execute=True):
        call_command("send_digests", stdout=io.StringIO())
    run_tasks()


def _unsubscribe_link(body):
    return re.search(r"http://localhost(/bevakningar/avsluta/[^/\s]+/)", body).group(1)


def test_the_digest_holds_exactly_what_the_follower_may_read(
    client, lonn, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    forum = lonn["forum"]
    for user in (lonn["member"], lonn["outsider"]):
        response = _press(client, user, page=forum.pk, next=forum.url)
        assert response.status_code == 302 and response["Location"] == forum.url
        assert "Sluta följa" in client.get(forum.url).content.decode()
    builders.instruction(forum, "uppdrag", title="Uppdragsbeskrivning Lönnrådet")
    # Held and not yet justerat: closed to all but the forum's members and editors.
    builders.record(forum, date=LAST_WEEK, title="Protokoll Lönnrådet STANGT")

    _send_digests(django_capture_on_commit_callbacks, run_tasks)

    [to_member] = smtp_server.to("ledamot@example.se")
    [to_outsider] = smtp_server.to("medarbetare@example.se")
    assert to_member["Subject"].startswith("Nytt i dina bevakningar")
    member_body, outsider_body = to_member.get_content(), to_outsider.get_content()
    assert "Uppdragsbeskrivning Lönnrådet" in member_body and "Protokoll Lönnrådet STANGT" in member_body
    assert "Uppdragsbeskrivning Lönnrådet" in outsider_body
    assert "STANGT" not in outsider_body
    assert "== Lönnrådet ==" in outsider_body
    assert str(to_outsider["List-Unsubscribe"]).strip().startswith("<http://localhost/bevakningar/avsluta/")
    assert to_outsider["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The next day with nothing new: no mail.
    _send_digests(django_capture_on_commit_callbacks, run_tasks)
    assert len(smtp_server.messages) == 2


def test_what_the_follower_may_read_is_decided_when_the_digest_is_sent(
    client, lonn, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    """Queued while the forum was open to her, sent after it was closed to its reviewers: nothing of it is in the
    mail, and with nothing else new no mail goes at all."""
    forum = lonn["forum"]
    _press(client, lonn["outsider"], page=forum.pk)
    builders.instruction(forum, "uppdrag", title="Uppdragsbeskrivning Lönnrådet")
    with django_capture_on_commit_callbacks(execute=True):
        assert len(digests.queue_digests()) == 1
    restriction = PageViewRestriction.objects.create(page=forum, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get(name=roles.REVIEWERS))
    run_tasks()
    assert smtp_server.to("medarbetare@example.se") == []
    assert not FollowDelivery.objects.exists()


def test_a_digest_the_mail_server_never_took_is_covered_by_the_next(
    client, lonn, smtp_server, run_tasks, django_capture_on_commit_callbacks, settings
):
    settings.NOTICE_RETRY_SECONDS = 0
    settings.NOTICE_MAX_ATTEMPTS = 2
    forum = lonn["forum"]
    _press(client, lonn["outsider"], page=forum.pk)
    builders.instruction(forum, "uppdrag", title="Uppdragsbeskrivning Lönnrådet")
    smtp_server.stop()
    _send_digests(django_capture_on_commit_callbacks, run_tasks)
    assert [delivery.status for delivery in FollowDelivery.objects.all()] == ["misslyckad"]

    smtp_server.start()
    builders.instruction(forum, "uppdrag-2", title="Reviderad uppdragsbeskrivning Lönnrådet")
    _send_digests(django_capture_on_commit_callbacks, run_tasks)
    [mail] = smtp_server.to("medarbetare@example.se")
    # Both: the one the failed digest held, and the one published since.
    assert "Uppdragsbeskrivning Lönnrådet" in mail.get_content()
    assert "Reviderad uppdragsbeskrivning Lönnrådet" in mail.get_content()


def test_a_tag_and_a_municipality_are_followed_from_their_pages(
    client, org, lonn, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    section = org.get_parent()
    outsider = lonn["outsider"]
    client.force_login(outsider)
    assert "Följ" in client.get(section.url).content.decode()
    assert _press(client, outsider, page=section.pk).status_code == 302
    _tagged(lonn["forum"], "taggad", "Uppdrag Samverkan")
    page = client.get("/etiketter/samverkan/").content.decode()
    assert 'name="tag" value="samverkan"' in page
    assert _press(client, outsider, tag="samverkan").status_code == 302
    _tagged(lonn["forum"], "ny", "Nytt uppdrag i Exempel")

    _send_digests(django_capture_on_commit_callbacks, run_tasks)

    [message] = smtp_server.to("medarbetare@example.se")
    body = message.get_content()
    # Under the municipality (followed first) and not again under the tag.
    assert body.count("Nytt uppdrag i Exempel") == 1
    assert "== Exempel kommun ==" in body


def test_the_unsubscribe_link_ends_that_bevakning_once_and_only_that_one(client, lonn, django_assert_max_num_queries):
    forum, outsider = lonn["forum"], lonn["outsider"]
    _press(client, outsider, page=forum.pk)
    _press(client, outsider, page=forum.get_parent().get_parent().pk)
    first, second = Follow.objects.filter(user=outsider).order_by("pk")
    client.logout()
    url = reverse("safety_pages:unsubscribe", args=[digests.unsubscribe_token(outsider, first)])

    with django_assert_max_num_queries(12):
        confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Lönnrådet" in confirm.content.decode() and "Avsluta bevakningen" in confirm.content.decode()
    assert Follow.objects.filter(pk=first.pk).exists()  # GET ends nothing (link scanners open links)
    done = client.post(url)
    assert done.status_code == 200 and "Bevakningen är avslutad" in done.content.decode()
    assert list(Follow.objects.filter(user=outsider)) == [second]

    again = client.post(url)
    assert again.status_code == 400 and "redan avslutad" in again.content.decode()
    assert list(Follow.objects.filter(user=outsider)) == [second]


def test_a_tampered_or_foreign_token_is_a_swedish_400(client, lonn):
    _press(client, lonn["outsider"], page=lonn["forum"].pk)
    follow = Follow.objects.get()
    token = digests.unsubscribe_token(lonn["outsider"], follow)
    client.logout()
    tampered = client.get(reverse("safety_pages:unsubscribe", args=[token[:-2] + "xx"]))
    assert tampered.status_code == 400
    assert "Länken är inte giltig" in tampered.content.decode() and "Lönnrådet" not in tampered.content.decode()
    # Signed with another salt (a förhinder link's): refused too.
    other = signing.dumps({"u": lonn["outsider"].pk, "f": follow.pk}, salt="safety_pages.forhinder", compress=True)
    assert client.post(reverse("safety_pages:unsubscribe", args=[other])).status_code == 400
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_a_closed_forum_cannot_be_followed_and_bad_input_is_a_400(client, lonn):
    closed = builders.record(lonn["forum"], date=LAST_WEEK)
    outsider = lonn["outsider"]
    # A record is no target, and a page she may not read answers as a missing one.
    assert _press(client, outsider, page=closed.pk).status_code == 404
    assert _press(client, outsider, page=999999).status_code == 404
    assert _press(client, outsider, tag="finns-inte").status_code == 404
    for value in ("abc", "-1", "9" * 30):
        bad = _press(client, outsider, page=value)
        assert bad.status_code == 400 and "anges med sitt nummer" in bad.content.decode()
    assert _press(client, outsider).status_code == 400
    assert client.get(reverse("safety_pages:follow")).status_code == 405
    assert not Follow.objects.exists()
    client.logout()
    assert client.post(reverse("safety_pages:follow"), {"page": lonn["forum"].pk}).status_code == 302
    assert not Follow.objects.exists()


def test_mina_bevakningar_lists_and_removes(client, lonn, django_assert_max_num_queries):
    outsider = lonn["outsider"]
    _press(client, outsider, page=lonn["forum"].pk)
    _tagged(lonn["forum"], "taggad", "Uppdrag Samverkan")
    _press(client, outsider, tag="samverkan")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("safety_pages:follows")).status_code == 200
    few = len(queries)  # now: the next request empties the log
    # More bevakningar of each kind cost no more per page than the first did.
    for number in range(3):
        _press(client, outsider, page=builders.forum(lonn["forum"].get_parent(), f"forum-{number}").pk)
    with django_assert_max_num_queries(few + 3 * PER_FOLLOW):
        page = client.get(reverse("safety_pages:follows"))
    html = page.content.decode()
    assert "Lönnrådet" in html and "Etiketten ”samverkan”" in html
    follow = Follow.objects.get(user=outsider, tag__isnull=False)
    assert client.post(reverse("safety_pages:follows"), {"remove": follow.pk}).status_code == 302
    assert "samverkan" not in client.get(reverse("safety_pages:follows")).content.decode()
    assert client.post(reverse("safety_pages:follows"), {"remove": "x"}).status_code == 400


def test_a_kallelse_reaches_the_forums_followers_at_once_who_may_read_it(
    client, admin_client, lonn, smtp_server, run_tasks, django_capture_on_commit_callbacks
):
    forum = lonn["forum"]
    _press(client, lonn["outsider"], page=forum.pk)
    _press(client, lonn["member"], page=forum.pk)
    stranger = _follower("framling-lonn", "framling@example.se")
    _press(client, stranger, page=forum.get_parent().get_parent().pk)  # follows the municipality
    record = builders.record(forum, date=IN_A_WEEK, status=MeetingStatus.PLANNED, place="Rådhuset Lönn")
    # The meeting is closed to all but one group, which the member and the outsider are in.
    readers = Group.objects.create(name="Lönnrådets läsare")
    for user in (lonn["member"], lonn["outsider"]):
        user.groups.add(readers)
    builders.restrict_to_groups(record, readers)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("safety_pages_kallelse", args=[record.pk]))
    assert response.status_code == 302
    run_tasks()
    [message] = smtp_server.to("medarbetare@example.se")
    assert message["Subject"] == f"Kallelse till Lönnrådet {IN_A_WEEK.isoformat()}"
    body = message.get_content()
    assert "Rådhuset Lönn" in body and "Du får detta för att du bevakar Lönnrådet" in body
    assert str(message["List-Unsubscribe"]).strip() == f"<http://localhost{_unsubscribe_link(body)}>"
    # The member is called to the meeting: she gets the kallelse itself, once. The stranger may not read it.
    assert len(smtp_server.to("ledamot@example.se")) == 1
    assert smtp_server.to("framling@example.se") == []
    assert not FollowDelivery.objects.filter(user=stranger).exists()
    # Told at once, neither is told of the meeting again in the day's digest (with nothing else new: no mail).
    _send_digests(django_capture_on_commit_callbacks, run_tasks)
    assert len(smtp_server.to("medarbetare@example.se")) == 1
    assert len(smtp_server.to("ledamot@example.se")) == 1
