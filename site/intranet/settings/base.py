"""Settings shared by every environment.

Everything that differs between a newcomer's laptop and production comes from
the environment, with embedded defaults: an SQLite file, the database search
backend and media on the local disk, so no server is needed to start.
"""

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/intranet
BASE_DIR = PROJECT_DIR.parent.parent  # repository root


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def group_map(text):
    """OIDC_GROUP_MAP: {directory group: (our groups…)}, from JSON (`{"Dir": "Ours"}` or `{"Dir": ["A", "B"]}`) or
    from `Dir=Ours;Dir=Other;…` (a directory group named twice maps to both). A typo fails at start, not at login."""
    text = text.strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            pairs = [(key, value) for key, values in json.loads(text).items() for value in _as_list(values)]
        except (ValueError, AttributeError) as error:
            raise ImproperlyConfigured(f"OIDC_GROUP_MAP is not a JSON object of group names: {error}") from error
    else:
        pairs = [item.partition("=")[::2] for item in text.split(";") if item.strip()]
    mapping = {}
    for directory, ours in pairs:
        if not isinstance(ours, str) or not directory.strip() or not ours.strip():
            raise ImproperlyConfigured(f"OIDC_GROUP_MAP: {directory!r}={ours!r} names no group on one side.")
        mapping.setdefault(directory.strip(), []).append(ours.strip())
    return {directory: tuple(ours) for directory, ours in mapping.items()}


def _as_list(value):
    return value if isinstance(value, list) else [value]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The project itself: the demo loader (`manage.py load_demo`) and the static files of the layout.
    "intranet",
    "safety_pages",
    "search",
    # The queue of kallelse e-mails (docs/meetings.md): tasks stored in the database, run by `manage.py db_worker`.
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "wagtail_modeladmin",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "intranet.middleware.IntranetCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Optional single sign-on through a trusted reverse proxy is inserted here (see below).
    "intranet.middleware.IntranetLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "intranet.urls"
WSGI_APPLICATION = "intranet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]


def database(url):
    """The settings of the database at `url` (DATABASE_URL), with what SQLite needs to serve several writers."""
    config = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Several processes (runserver, tests, a benchmark) may share the file; wait for a writer instead of failing
        # at once, and write through a WAL journal. A transaction takes the write lock when it begins (IMMEDIATE):
        # one that read first and then wrote could not wait for another writer (its snapshot was already stale),
        # so two editors saving at once made one of them fail with "database is locked".
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
        config["CONN_MAX_AGE"] = 0
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: it pays off for long analytic queries, and a listing judged against 10 000 view
        # restrictions has a high enough estimated cost to trigger it, spending 0.9 s compiling a query that runs in
        # 8 ms (docs/benchmarks.md, access). Every query of a web request is of the short kind.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


# The embedded default is an SQLite file beside the code (ignored by git);
# production points DATABASE_URL at PostgreSQL.
DATABASES = {"default": database(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# An intranet: every front-end page needs a logged-in user.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# Paths that answer without a login: the login page itself, the Wagtail admin
# (which has its own login), static files and the health check for load balancers.
INTRANET_PUBLIC_PATH_PREFIXES = ("/login/", "/admin/", "/static/", "/healthz", "/favicon.ico")

# Single sign-on through a trusted reverse proxy that sets a header with the
# user name. Off unless turned on: trusting the header without such a proxy in
# front would let anyone log in as anyone.
INTRANET_REMOTE_USER_HEADER = os.environ.get("INTRANET_REMOTE_USER_HEADER", "")
# django-axes counts failed password logins (front-end /login/ and /admin/login/) and locks out
# a user name from one address after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Both together: one address guessing cannot lock a colleague out from everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address is the client's, not the load balancer's: behind a proxy every request comes from the proxy's
# REMOTE_ADDR, and five wrong passwords would lock the name out for everyone. How to point these at X-Forwarded-For:
# docs/configuration.md, "The client's address".
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(env_list("AXES_IPWARE_META_PRECEDENCE_ORDER", "REMOTE_ADDR"))
AXES_IPWARE_PROXY_COUNT = (
    int(os.environ["AXES_IPWARE_PROXY_COUNT"]) if os.environ.get("AXES_IPWARE_PROXY_COUNT", "").strip() else None
)
# Strict checking would discard a header longer than the proxies counted, which is exactly what a client that writes
# addresses of its own into it sends: such a client would be counted as the load balancer, and could lock a name out
# for everyone. Counting from the right ignores what the client wrote.
IPWARE_STRICT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Single sign-on with the municipality's OpenID provider (intranet.oidc; docs/configuration.md). Off while OIDC_ISSUER
# is unset: then only the local login exists. When on, the local login stays beside it (the demo users, and a way in
# while the provider is down).
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_MAP = group_map(os.environ.get("OIDC_GROUP_MAP", ""))
# Providers sign with a key pair published at their jwks_uri; HS256 would sign with our own client secret.
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_USE_PKCE = True
# Kept in the session for the provider's logout (id_token_hint), which then needs no confirmation of who leaves.
OIDC_STORE_ID_TOKEN = True
# Seconds to wait for the provider before the login page says it does not answer.
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
if OIDC_ISSUER:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured("OIDC_ISSUER is set: OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET must be set too.")
    # After django-axes, which must come first to refuse a locked-out login before any backend is asked.
    AUTHENTICATION_BACKENDS.insert(
        AUTHENTICATION_BACKENDS.index("django.contrib.auth.backends.ModelBackend"), "intranet.oidc.DirectoryBackend"
    )
if INTRANET_REMOTE_USER_HEADER:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "intranet.middleware.TrustedHeaderRemoteUserMiddleware",
    )
    AUTHENTICATION_BACKENDS.insert(0, "django.contrib.auth.backends.RemoteUserBackend")

# Swedish first; English for those who ask for it.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("sv", "Svenska"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("sv", "Svenska")]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# The project's own static files (site/intranet/static) are found as an installed app's.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Trygghetsportalen"
# An intranet does not hand its users' e-mail addresses (hashed) to an outside avatar service; the CSP blocked it.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Plain ASCII slugs (å → a): addresses stay readable when pasted, not percent-encoded, like the demo's.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Closed documents must go through Wagtail's view, which checks the page's and
# collection's privacy, never straight from the media folder.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Uploads: the formats records and decisions come in, and plain images. No SVG: it can carry script.
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "safety_pages.editing.uploads.SafeDocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Intranet search: unset ELASTICSEARCH_URL means the embedded database search.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# Send plain application/json instead of the 8.x client's compatibility media type (for API-compatible test servers).
ELASTICSEARCH_PLAIN_JSON = env_bool("ELASTICSEARCH_PLAIN_JSON")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "trygghet")
SEARCH_ANALYZER_LANGUAGE = "swedish"
# Places a reader names to mean "in that municipality" ("trygghetsråd Mjölby", "kommunstyrelsen i Haninge"): each
# place with the municipality's name as its section writes it. Such a word need not match; it lifts that
# municipality's hits (docs/search.md, "Places"). The demo's municipalities and the localities in them.
SEARCH_PLACES = {
    "Mjölby": "Mjölby",
    "Skänninge": "Mjölby",
    "Mantorp": "Mjölby",
    "Haninge": "Haninge",
    "Jordbro": "Haninge",
    "Brandbergen": "Haninge",
    "Linköping": "Linköping",
    "Ryd": "Linköping",
    "Skäggetorp": "Linköping",
}
# Postings each app server holds in memory for the embedded engine (search.engines.database.snapshot), the terms
# most recently searched for; the default holds every term of the benchmark's queries (docs/benchmarks.md).
SEARCH_MEMORY_POSTINGS = int(os.environ.get("SEARCH_MEMORY_POSTINGS", "8000000"))
# A new app server reads the embedded search's snapshot and the postings of its commonest terms, up to this many,
# before its first search (intranet.wsgi): "blocking" before it serves, "background" in a thread, "off" not at all.
SEARCH_WARM_START = os.environ.get("SEARCH_WARM_START", "blocking")
SEARCH_WARM_POSTINGS = int(os.environ.get("SEARCH_WARM_POSTINGS", "4000000"))

# Wagtail runs its own work (the reference index that guards documents, the search index, image focal points) as
# tasks of the default backend: it stays immediate, done in the saving request as before. The kallelse e-mails
# (safety_pages/meetings/notices.py) have a queue of their own in the database, run by
# `manage.py db_worker --backend notices`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notices": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# The mail server the kallelse and the inkallelse of ersättare are sent through.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "trygghetsportalen@localhost")
# A kallelse that could not be sent is tried again after this many seconds, doubled each time, up to the attempts.
NOTICE_RETRY_SECONDS = int(os.environ.get("NOTICE_RETRY_SECONDS", "300"))
NOTICE_MAX_ATTEMPTS = int(os.environ.get("NOTICE_MAX_ATTEMPTS", "5"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Wagtail marks its preview views SAMEORIGIN itself, so everything else can refuse frames.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content security policy (django-csp). The front end runs only our own script
# files; inline style attributes are allowed (print layouts use them). The admin
# additionally gets 'unsafe-inline' scripts: Wagtail's date and other widgets
# emit inline initialisation scripts without a nonce (IntranetCSPMiddleware).
# frame-ancestors 'self' because the admin previews pages in an iframe.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
INTRANET_CSP_ADMIN_PREFIX = "/admin/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail logs every page action and background task at INFO; keep the console for what matters.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING")},
        # Lockouts are warnings; every attempt at INFO would drown the console.
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
        # The archive PDFs: WeasyPrint logs each rendering step, fontTools each font it subsets, at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The demo loader creates users with known passwords: only settings that say so (dev, test) may run it.
INTRANET_DEMO_ALLOWED = False

# The workflow's tasks decide who approves; the last approver (a justerare) needs no publish right.
WAGTAIL_FINISH_WORKFLOW_ACTION = "safety_pages.editing.finish.publish_workflow_state"
