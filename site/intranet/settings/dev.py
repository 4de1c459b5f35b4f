"""A newcomer's machine: debug on, a fixed non-secret key, everything embedded."""

from intranet.settings.base import *  # noqa: F403
from intranet.settings.base import os

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# `make run` loads the demo site and its logins.
INTRANET_DEMO_ALLOWED = True
# runserver starts at once and warms the search in a thread (intranet.wsgi).
SEARCH_WARM_START = os.environ.get("SEARCH_WARM_START", "background")
