"""`make bench`: the production settings, served over plain HTTP on 127.0.0.1 by gunicorn.

Everything that costs time per request in production stays (DEBUG off,
WhiteNoise, CSP, sessions, axes); only what needs a TLS front or a build step
is set aside: the load generator sends X-Forwarded-Proto itself, and static
files are named without the manifest (no collectstatic before a bench run).
Kept beside the bench rather than in site/intranet/settings/: no environment
of the project runs it, and the bench's folder then holds all it needs.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# The fault run makes the search client log every refused connection; keep warnings and errors.
os.environ.setdefault("LOG_LEVEL", "WARNING")

from intranet.settings.production import *  # noqa: E402, F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The bench generates its demo and pages itself.
INTRANET_DEMO_ALLOWED = True
# The demo's workflow sends notifications; there is no mail server on a bench machine.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# The baseline of the speed part: a plain Wagtail page (wagtail.models.Page) drawn in the portal's own layout
# (header, search box, breadcrumbs), so the ratio measures what each page type adds, not the shared layout.
TEMPLATES[0]["DIRS"] = [Path(__file__).resolve().parent / "templates", *TEMPLATES[0]["DIRS"]]  # noqa: F405
