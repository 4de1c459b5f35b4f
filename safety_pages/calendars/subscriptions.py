"""Personal calendar addresses: issue, renew and resolve the secret token of a user's subscription.

The token is an HMAC of the user's current salt under SECRET_KEY, so the page
can show the same address every time without the database holding it: only a
SHA-256 of the token is stored and looked up. Renewing draws a new salt, which
makes the old address stop working at once. Changing SECRET_KEY renews every
address: `token_for` stores the new token's hash the first time it is shown.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from safety_pages.models import CalendarSubscription

TOKEN_CHARS = 43  # 256 bits, base64url without padding


def _hash(token):
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _token(user_id, salt):
    digest = hmac.new(settings.SECRET_KEY.encode(), f"calendar:{user_id}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")[:TOKEN_CHARS]


def _store(subscription, user):
    subscription.salt = secrets.token_hex(32)
    subscription.token_hash = _hash(_token(user.pk, subscription.salt))
    subscription.renewed_at = timezone.now()
    subscription.save()
    return subscription


def token_for(user):
    """The user's current token, created on first use."""
    subscription = CalendarSubscription.objects.filter(user=user).first()
    if subscription is None:
        subscription = _store(CalendarSubscription(user=user), user)
    token = _token(user.pk, subscription.salt)
    if not hmac.compare_digest(_hash(token), subscription.token_hash):
        # SECRET_KEY has changed since the hash was stored: the address shown from now on is the renewed one, so
        # store its hash (the old address, made under the old key, stops working as it should).
        subscription.token_hash = _hash(token)
        subscription.renewed_at = timezone.now()
        subscription.save(update_fields=["token_hash", "renewed_at"])
    return token


def renew(user):
    """A new token for the user; the previous address stops working. Returns the new token."""
    subscription = CalendarSubscription.objects.filter(user=user).first() or CalendarSubscription(user=user)
    _store(subscription, user)
    return _token(user.pk, subscription.salt)


def user_for(token):
    """The active user the token belongs to, or None."""
    if not token or len(token) != TOKEN_CHARS:
        return None
    subscriptions = CalendarSubscription.objects.filter(token_hash=_hash(token), user__is_active=True)
    subscription = subscriptions.select_related("user").first()
    if subscription is None:
        return None
    # The hash matched; compare the derivation too, in constant time, so a stale salt can never pass.
    if not hmac.compare_digest(_token(subscription.user_id, subscription.salt), token):
        return None
    return subscription.user


def feed_path(user, section, forum=None):
    """The user's personal calendar address (a path) for a section or one of its forums."""
    token = token_for(user)
    if forum is None:
        return reverse("safety_pages:subscribed_section_calendar", args=[token, section.slug])
    return reverse("safety_pages:subscribed_forum_calendar", args=[token, section.slug, forum.slug])
