import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.production")

application = get_wsgi_application()

# Imported once the apps are loaded (search's models need them). A new app server reads the search index into memory
# before its first search (settings.SEARCH_WARM_START, docs/search.md "Warm start").
from search.engines import warm_start  # noqa: E402

warm_start()
