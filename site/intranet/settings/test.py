"""The test suite: fast hashing, in-memory e-mail, media in a throw-away folder."""

import tempfile

from intranet.settings.base import *  # noqa: F403
from intranet.settings.base import os

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="trygghet-test-media-")
ALLOWED_HOSTS = ["*"]
# Tests name their own index prefix so runs never touch a developer's indexes.
# Under pytest-xdist each worker gets its own, as it gets its own test database.
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "test-trygghet") + os.environ.get("PYTEST_XDIST_WORKER", "")
# The suite searches the embedded engine unless a test asks for Elasticsearch; a cluster named in
# ELASTICSEARCH_URL is used by the tests marked `elasticsearch` (see tests/search/conftest.py).
TEST_ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_URL = ""
# Each test starts from its own index; one that warms the search calls it itself.
SEARCH_WARM_START = "off"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite's fixtures load the demo site.
INTRANET_DEMO_ALLOWED = True
