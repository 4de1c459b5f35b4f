"""Single sign-on with the municipality's OpenID provider, through mozilla-django-oidc (docs/configuration.md).

The library does the authorization-code flow (state, nonce, PKCE, the token exchange, the signature). What is ours:
- the provider's endpoints come from its discovery document (only OIDC_ISSUER is configured), read at login and
  kept for an hour, never on an ordinary request: a logged-in user's requests must not wait on the provider;
- the id_token is also checked for its audience and issuer (the library checks the signature and expiry only), so
  a token the provider issued to another service does not log anyone in here;
- the user is found by `preferred_username` (or `sub`), not by e-mail, and on every login her groups among those
  named in OIDC_GROUP_MAP follow the directory's (added and removed); groups outside the map are local roles and
  are left as they are;
- a refused login (bad signature, wrong audience, expired token, a provider that refuses our client or does not
  answer) logs no one in and says so in Swedish on the login page, never a server error.

This lives in the demo project, not in the apps: signing in is the host intranet's business (it may have its own
single sign-on, as the trusted-header one in intranet.middleware), and the apps only read the groups it keeps.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.auth.views import LogoutView
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

# The discovery document changes when the provider's keys or addresses do: rarely.
DISCOVERY_SECONDS = 3600
# The library's endpoint settings, and the discovery document's names for them.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
# What can go wrong between us and the provider: each ends in "not logged in" and a message, not a server error.
REFUSALS = (SuspiciousOperation, ImproperlyConfigured, requests.RequestException, jwt.PyJWTError, KeyError, ValueError)


def enabled():
    return bool(settings.OIDC_ISSUER)


def provider_metadata():
    """The provider's discovery document, checked to be the configured issuer's (OpenID Connect Discovery 4.3)."""
    issuer = settings.OIDC_ISSUER
    key = f"intranet-oidc-discovery:{issuer}"
    metadata = cache.get(key)
    if metadata is None:
        response = requests.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
        if metadata.get("issuer") != issuer:
            raise ImproperlyConfigured(
                f"The discovery document names issuer {metadata.get('issuer')!r}, not {issuer!r}."
            )
        cache.set(key, metadata, DISCOVERY_SECONDS)
    return metadata


def setting(name, *default):
    """A setting of mozilla-django-oidc; the endpoints from the discovery document unless set explicitly."""
    if name in ENDPOINTS and not hasattr(settings, name):
        return provider_metadata()[ENDPOINTS[name]]
    return import_from_settings(name, *default)


def mapped_groups(directory_groups):
    """(every group the map governs, the ones these directory groups grant): names of our groups."""
    governed, granted = set(), set()
    for directory_group, ours in settings.OIDC_GROUP_MAP.items():
        governed.update(ours)
        if directory_group in directory_groups:
            granted.update(ours)
    return governed, granted


def sync_groups(user, claims):
    """Set the user's groups among the mapped ones from the claim; leave every other group as it is."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    governed, granted = mapped_groups({value} if isinstance(value, str) else set(value))
    if not governed:
        return
    groups = {group.name: group for group in Group.objects.filter(name__in=governed)}
    if missing := governed - groups.keys():
        logger.warning("OIDC_GROUP_MAP names groups that do not exist: %s", ", ".join(sorted(missing)))
    held = set(user.groups.filter(name__in=governed).values_list("name", flat=True))
    # Through the relation's own add and remove, so that whoever listens to m2m_changed (the reader groups'
    # memberships, the search index's principals) hears of it as of an administrator's change.
    if leaving := held - granted:
        user.groups.remove(*(groups[name] for name in leaving))
    if joining := (granted - held) & groups.keys():
        user.groups.add(*(groups[name] for name in joining))


class DirectoryBackend(OIDCAuthenticationBackend):
    """Logs in the user the provider vouches for, with the directory's name, e-mail and mapped groups."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every request of a logged-in user (get_user): the endpoints, which may need
        # the provider, are looked up at login only (_configure).
        self.UserModel = get_user_model()

    def _configure(self):
        super().__init__()

    def get_user(self, user_id):
        # Django's check, which the library's get_user skips: a deactivated account's sessions end at once.
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password login is not ours to answer.
        if not enabled() or request is None or "nonce" not in kwargs:
            return None
        try:
            self._configure()
            return super().authenticate(request, **kwargs)
        except REFUSALS as error:
            logger.warning("OpenID Connect login refused: %s", error)
            return None

    def _verify_jws(self, payload, key):
        """The signature and expiry as the library checks them, and also the audience (us) and the issuer."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"The token is signed with {algorithm!r}, not {self.OIDC_RP_SIGN_ALGO!r}.")
        return jwt.decode(
            payload,
            key,
            algorithms=[algorithm],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=provider_metadata()["issuer"],
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )

    def get_userinfo(self, access_token, id_token, payload):
        """The claims of the id_token and the userinfo endpoint together (providers put groups in either)."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload["sub"]:
            raise SuspiciousOperation("The userinfo answer is about another user than the id_token.")
        return {**payload, **userinfo}

    def get_username(self, claims):
        return claims.get("preferred_username") or claims["sub"]

    def verify_claims(self, claims):
        return bool(claims.get("preferred_username") or claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=self.get_username(claims))

    def describe_user_by_claims(self, claims):
        return f"username {self.get_username(claims)}"

    def create_user(self, claims):
        # No password: the account is entered through the provider (or given a password by an administrator).
        return self.update_user(self.UserModel.objects.create_user(self.get_username(claims)), claims)

    def update_user(self, user, claims):
        fields = {"email": "email", "first_name": "given_name", "last_name": "family_name"}
        changed = {field: claims[claim] for field, claim in fields.items() if claim in claims}
        changed = {field: value for field, value in changed.items() if getattr(user, field) != value}
        for field, value in changed.items():
            setattr(user, field, value)
        if changed:
            user.save(update_fields=list(changed))
        sync_groups(user, claims)
        return user


def refused(request):
    messages.error(
        request,
        _(
            "Inloggningen med kommunens konto misslyckades. Försök igen, eller logga in med användarnamn och "
            "lösenord. Kvarstår felet, kontakta IT-supporten."
        ),
    )
    return HttpResponseRedirect(reverse("login"))


class LoginStartView(OIDCAuthenticationRequestView):
    """Sends the visitor to the provider's login; `next` says where she comes back to."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # The library reads the endpoint here; without a provider there is none (get() answers 404 first).
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except REFUSALS as error:
            logger.warning("The OpenID provider is not reachable: %s", error)
            return refused(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class LoginCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the visitor back: logged in, or the login page with the reason in Swedish."""

    get_settings = staticmethod(setting)

    def get(self, request):
        if not enabled():
            raise Http404
        if request.GET.get("error"):
            logger.warning("The OpenID provider refused the login: %s", request.GET["error"])
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # An unknown state: a replayed or forged return address.
            logger.warning("OpenID Connect callback refused: %s", error)
            return self.login_failure()

    def login_failure(self):
        return refused(self.request)


class IntranetLogoutView(LogoutView):
    """Ends the session here and, for a user who came through the provider, there too (RP-initiated logout)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        end_session = self._end_session_endpoint() if id_token else None
        if not end_session:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            }
        )
        return HttpResponseRedirect(f"{end_session}?{query}")

    @staticmethod
    def _end_session_endpoint():
        if not enabled():
            return None
        try:
            return provider_metadata().get("end_session_endpoint")
        except REFUSALS as error:
            # Logged out here all the same; the provider's own session then ends when it expires.
            logger.warning("The OpenID provider is not reachable for logout: %s", error)
            return None
