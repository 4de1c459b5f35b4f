"""What a follower is told, and when: the daily digest and the kallelse of a followed forum at once.

Both go through the same queue, SMTP path, log and retries as the kallelse itself (models/mail.py). What an e-mail
holds is decided when it is sent, as the follower (safety_pages.access.visibility): a record closed to her since
the digest was queued is not in it, and one opened to her is. A digest with nothing she may read is not sent.

Each e-mail carries a signed link that ends one bevakning (or, in the List-Unsubscribe header of a digest, all of
the follower's) without logging in: the token is the key, like the förhinder link, with a salt of its own.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task
from taggit.models import Tag
from wagtail.models import Page, Site

from safety_pages.access import visibility
from safety_pages.models import (
    DeliveryStatus,
    Follow,
    FollowDelivery,
    FollowKind,
    ForumPage,
    MeetingRecordPage,
    NoticeDelivery,
    NoticeKind,
    SectionPage,
    mail,
)
from safety_pages.models import notices as rules
from safety_pages.models.tags import readable_pages_with_tag

TOKEN_SALT = "safety_pages.bevakning"
# The page types one may follow: a forum, and a municipality (its section page).
FOLLOWED_PAGE_TYPES = (ForumPage, SectionPage)


# --- what may be followed, and what a bevakning is called -----------------------------------------


def followable_page(user, page_id):
    """The forum or section page `page_id` when this user may read it, else None (the same for a missing page: a
    closed page's id tells nothing)."""
    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if not isinstance(page, FOLLOWED_PAGE_TYPES) or not visibility.can_view(user, page):
        return None
    return page


def followable_tag(user, slug):
    """The tag when the user may read a page that has it (as the tag page shows it), else None."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None or not readable_pages_with_tag(tag, user):
        return None
    return tag


def describe(follow, user):
    """(title, url) of what the bevakning follows, when the user may still read it; else (None, None)."""
    if follow.page_id is not None:
        page = follow.page.specific
        if not visibility.can_view(user, page):
            return None, None
        return page.title, page.get_url()
    if not readable_pages_with_tag(follow.tag, user):
        return None, None
    return _("Etiketten ”%(tag)s”") % {"tag": follow.tag.name}, reverse("safety_pages:tag", args=[follow.tag.slug])


# --- the signed link that ends a bevakning ------------------------------------------------------------


def unsubscribe_token(user, follow=None):
    """A token that ends this bevakning of this user, or all of the user's bevakningar when `follow` is None."""
    data = {"u": user.pk, "f": follow.pk} if follow is not None else {"u": user.pk, "a": 1}
    return signing.dumps(data, salt=TOKEN_SALT, compress=True)


class TokenError(Exception):
    """A link that does not hold: the message says why, in Swedish, naming nothing."""


def read_unsubscribe_token(token):
    """(user, follows) that the token ends, else TokenError."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        user_id = int(data["u"])
        follow_id = int(data["f"]) if "f" in data else None
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        message = _("Länken är inte giltig. Kontrollera att hela adressen från e-postmeddelandet kom med.")
        raise TokenError(message) from error
    follows = Follow.objects.filter(user_id=user_id).select_related("user", "page", "tag").order_by("pk")
    if follow_id is not None:
        follows = follows.filter(pk=follow_id)
    follows = list(follows)
    if not follows:
        raise TokenError(_("Bevakningen är redan avslutad."))
    return follows[0].user, follows


def _root_url():
    site = Site.objects.filter(is_default_site=True).first()
    return (site.root_url if site is not None else settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def unsubscribe_url(user, follow=None):
    return _root_url() + reverse("safety_pages:unsubscribe", args=[unsubscribe_token(user, follow)])


# --- what is new -----------------------------------------------------------------------------------


def published(follow, user, since, until):
    """The pages published under what `follow` follows in (since, until] (not before the bevakning began) that the
    user may read now, newest first."""
    start = max(since, follow.created_at) if since is not None else follow.created_at
    window = {"last_published_at__gt": start, "last_published_at__lte": until}
    if follow.page_id is not None:
        if not visibility.can_view(user, follow.page.specific):
            return []
        pages = list(visibility.visible(Page.objects.descendant_of(follow.page).filter(**window), user).specific())
    else:
        pages = readable_pages_with_tag(follow.tag, user, **window)
    return sorted(pages, key=lambda page: page.last_published_at, reverse=True)


def digest_sections(user, since, until):
    """[(follow, title, pages)] of the user's bevakningar with something new that the user may read; a page under
    two bevakningar is listed under the first."""
    sections, seen = [], set()
    # A meeting she was told of at once (as a follower, or called to it) is not told again, unless published anew
    # since (its minutes, say).
    told = {}
    for deliveries in (
        FollowDelivery.objects.filter(user=user, kind=FollowKind.NOTICE),
        NoticeDelivery.objects.filter(person__user=user, kind=NoticeKind.NOTICE),
    ):
        for record_id, queued_at in deliveries.exclude(status=DeliveryStatus.FAILED).values_list(
            "record_id", "queued_at"
        ):
            told[record_id] = max(queued_at, told.get(record_id, queued_at))
    for follow in Follow.objects.filter(user=user).select_related("page", "tag").order_by("created_at", "pk"):
        pages = [
            page
            for page in published(follow, user, since, until)
            if page.pk not in seen and not (page.pk in told and page.last_published_at <= told[page.pk])
        ]
        if not pages:
            continue
        seen.update(page.pk for page in pages)
        title, _url = describe(follow, user)
        sections.append((follow, title, pages))
    return sections


def _reachable(user):
    return user.is_active and bool(user.email)


def queue_digests(now=None):
    """One digest per follower with something new since their last digest that they may read; none for those with
    nothing new. Returns the deliveries queued (sent by the worker; `manage.py send_digests` runs this daily)."""
    now = now or timezone.now()
    followers = get_user_model().objects.filter(follows__isnull=False, is_active=True).exclude(email="")
    queued = []
    for user in followers.distinct().order_by("pk"):
        # A digest the mail server never took (failed after its last attempt) covered nothing: the next one starts
        # where the last digest that went (or may still go) ended, so no day is lost.
        last = (
            FollowDelivery.objects.filter(user=user, kind=FollowKind.DIGEST)
            .exclude(status=DeliveryStatus.FAILED)
            .order_by("-until")
            .first()
        )
        since = last.until if last is not None else None
        if not digest_sections(user, since, now):
            continue
        delivery = FollowDelivery.objects.create(
            user=user, kind=FollowKind.DIGEST, address=user.email, since=since, until=now
        )
        transaction.on_commit(lambda pk=delivery.pk: send_follow_mail.enqueue(pk))
        queued.append(delivery)
    return queued


def notify_kallelse(sender, record, **kwargs):
    """Receiver of `kallelse_sent`: the followers of the meeting's forum or municipality who may read the meeting
    hear of it at once; those called to it get the kallelse itself and nothing more."""
    record = MeetingRecordPage.objects.get(pk=record.pk)
    called = {person.user_id for person in rules.called_persons(record) if person.user_id and rules.address_of(person)}
    follows = Follow.objects.filter(page__in=record.get_ancestors()).select_related("user").order_by("pk")
    for follow in follows:
        user = follow.user
        if user.pk in called or not _reachable(user) or not visibility.can_view(user, record):
            continue
        delivery, created = FollowDelivery.objects.get_or_create(
            user=user,
            record=record,
            kind=FollowKind.NOTICE,
            defaults={"address": user.email, "until": timezone.now()},
        )
        if created:
            transaction.on_commit(lambda pk=delivery.pk: send_follow_mail.enqueue(pk))


# --- the task ----------------------------------------------------------------------------------------


@task(backend=mail.NOTICE_BACKEND)
def send_follow_mail(delivery_id):
    """Send one logged e-mail to a follower, built now as the follower may read it now; a digest left with nothing
    she may read is not sent (its log row goes, so the next digest covers its days)."""
    delivery = FollowDelivery.objects.select_related("user", "record").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == DeliveryStatus.SENT:
        return "nothing to do"
    status = mail.attempt(
        delivery,
        lambda: build_message(delivery),
        lambda run_after: send_follow_mail.using(run_after=run_after).enqueue(delivery.pk),
    )
    if status is None:
        delivery.delete()
        return "nothing new"
    return status


def build_message(delivery):
    """The e-mail as the follower may read it now, or None when there is nothing (left) to tell."""
    user = delivery.user
    if not user.is_active:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        if delivery.kind == FollowKind.NOTICE:
            return _kallelse_message(delivery)
        sections = digest_sections(user, delivery.since, delivery.until)
        if not sections:
            return None
        subject = _("Nytt i dina bevakningar %(day)s") % {
            "day": date_format(timezone.localdate(delivery.until), "Y-m-d")
        }
        body = render_to_string(
            "safety_pages/email/digest.txt",
            {
                "user": user,
                "sections": [
                    {
                        "title": title,
                        "pages": [(page.title, page.get_full_url()) for page in pages],
                        "unsubscribe_url": unsubscribe_url(user, follow),
                    }
                    for follow, title, pages in sections
                ],
                "my_follows_url": _root_url() + reverse("safety_pages:follows"),
            },
        )
        return _email(delivery, subject, body, unsubscribe_url(user))


def _kallelse_message(delivery):
    user = delivery.user
    record = MeetingRecordPage.objects.filter(pk=delivery.record_id).first()
    if record is None or not visibility.can_view(user, record):
        return None
    follow = Follow.objects.filter(user=user, page__in=record.get_ancestors()).order_by("pk").first()
    if follow is None:
        return None
    forum = record.forum
    unsubscribe = unsubscribe_url(user, follow)
    day = date_format(record.meeting_date, "Y-m-d") if record.meeting_date else ""
    subject = _("Kallelse till %(forum)s %(day)s") % {"forum": forum.title, "day": day}
    body = render_to_string(
        "safety_pages/email/follow_kallelse.txt",
        {
            "record": record,
            "forum": forum,
            "followed": describe(follow, user)[0],
            "items": record.agenda_list(),
            "page_url": record.get_full_url(),
            "unsubscribe_url": unsubscribe,
        },
    )
    return _email(delivery, subject, body, unsubscribe)


def _email(delivery, subject, body, unsubscribe):
    # RFC 2369 and RFC 8058: a mail client offers "Avsluta prenumeration" and may POST to the link itself.
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.address], headers=headers)
