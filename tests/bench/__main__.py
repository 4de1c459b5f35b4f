"""`python -m tests.bench pages|search|access|relevance [options]`: set Django up for one benchmark, then run it.

The bench modules import models and search internals at their top, which needs Django's app registry; so the
options (the database, the settings) are read and Django is set up here first, and the modules imported after.
"""

import sys

from tests.bench import cli

args = cli.configure(sys.argv[1:])

from tests.bench import access_speed, page_speed, relevance, search_speed  # noqa: E402  (they need the app registry set up just above)

benches = {"pages": page_speed.run, "search": search_speed.run, "access": access_speed.run, "relevance": relevance.run}
sys.exit(benches[args.bench](args))
