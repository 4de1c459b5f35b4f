"""A follower's journey (docs/following.md): she presses Följ on a forum, a record is published there,
`send_digests` runs, the digest arrives at the SMTP server on 127.0.0.1, and she stops following with the link in
the e-mail and one button. The journey removes what it made."""

import datetime
import io
import re

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safety_pages.models import Follow, FollowDelivery, ForumPage
from tests import builders
from tests.browser.conftest import WIDTHS, axe_violations, describe, screenshot

UTSKOTT = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"
ADDRESS = "medarbetare@example.invalid"  # the demo employee's (site/intranet/demo/users.py)


def test_a_follower_gets_the_digest_and_stops_following_with_one_click(open_page, smtp_server, run_tasks):
    forum = ForumPage.objects.get(slug="trygghets-och-sakerhetsutskottet")
    record = None
    try:
        page = open_page("medarbetare")
        page.goto(UTSKOTT)
        page.get_by_role("button", name="Följ", exact=True).click()
        page.get_by_role("button", name="Sluta följa").wait_for()
        assert "Du bevakar nu" in page.inner_text("main")
        assert Follow.objects.filter(user__username="medarbetare", page=forum).exists()

        today = timezone.localdate()
        record = builders.record(
            forum,
            "bevakningsresan",
            date=today - datetime.timedelta(days=3),
            title="Protokoll Bevakningsresan",
            adjusted_on=today - datetime.timedelta(days=1),
        )
        call_command("send_digests", stdout=io.StringIO())
        run_tasks()

        [message] = smtp_server.to(ADDRESS)
        body = message.get_content()
        assert "Protokoll Bevakningsresan" in body
        path = re.search(r"Sluta bevaka detta: https?://[^/\s]+(/bevakningar/avsluta/\S+/)", body).group(1)

        # Opened from the e-mail, where she is not logged in.
        for width in WIDTHS:
            reader = open_page(None, width)
            assert reader.goto(path).status == 200
            assert forum.title in reader.inner_text("main")
            violations = axe_violations(reader)
            screenshot(reader, "unsubscribe", width)
            assert violations == [], f"the unsubscribe page at {width} px:\n{describe(violations)}"
        reader.get_by_role("button", name="Avsluta bevakningen").click()
        reader.get_by_text("Bevakningen är avslutad").wait_for()
        assert not Follow.objects.filter(user__username="medarbetare").exists()
        again = reader.goto(path)
        assert again.status == 400 and "redan avslutad" in reader.inner_text("main")
    finally:
        Follow.objects.filter(user__username="medarbetare").delete()
        FollowDelivery.objects.filter(user__username="medarbetare").delete()
        DBTaskResult.objects.filter(task_path__contains="send_follow_mail").delete()
        if record is not None:
            record.delete()
