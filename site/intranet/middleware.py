from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware, PersistentRemoteUserMiddleware


class IntranetLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Send anonymous visitors of any front-end page to the login page and back.

    Django's own middleware relies on views being marked `login_not_required`;
    Wagtail's admin views are not, and the admin has its own login, so the
    public prefixes are listed in one setting instead.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(settings.INTRANET_PUBLIC_PATH_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class TrustedHeaderRemoteUserMiddleware(PersistentRemoteUserMiddleware):
    """Single sign-on: the reverse proxy in front names the user in a header."""

    @property
    def header(self):
        # "X-Remote-User" arrives in META as "HTTP_X_REMOTE_USER".
        name = settings.INTRANET_REMOTE_USER_HEADER
        return name if name.startswith("HTTP_") or name == "REMOTE_USER" else ("HTTP_" + name.upper().replace("-", "_"))


class IntranetCSPMiddleware(CSPMiddleware):
    """The content security policy, with inline scripts allowed in the Wagtail admin only.

    Wagtail's admin widgets (date choosers and others) render inline
    initialisation scripts that carry no nonce; without 'unsafe-inline' they
    would not run. The front end, where our own content is shown, stays strict.

    With single sign-on, the logout form's answer sends the browser on to the OpenID provider, and browsers apply
    form-action to where a form's answer redirects: the provider's origin is allowed there.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        update = {}
        if request.path_info.startswith(settings.INTRANET_CSP_ADMIN_PREFIX):
            update["script-src"] = ["'self'", "'unsafe-inline'"]
        if settings.OIDC_ISSUER:
            issuer = urlsplit(settings.OIDC_ISSUER)
            update["form-action"] = [f"{issuer.scheme}://{issuer.netloc}"]
        if update:
            parts.update = {**(parts.update or {}), **update}
        return parts
