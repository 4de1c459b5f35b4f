"""Listings at 0, 1 000 and 10 000 group-restricted pages, side by side (`make bench`, its access part).

Each step adds steering documents, each readable only by a group of its own, until the step's number of view
restrictions stands; then every listing an employee opens is timed in this process through Django's test client
(the median of several requests after a warm-up), and the follow-up dashboard as an editor. A listing must not
grow with the restrictions the reader is outside: visibility judges them in one subquery (issue 19, "Scale").
Prints figures; asserts only that each listing answers 200 and names none of the restricted pages.
"""

import io
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from wagtail.models import PageViewRestriction

from intranet.demo.pages import upsert_child
from safety_pages.models import SectionPage, SteeringDocumentIndexPage, SteeringDocumentPage
from tests.bench.common import fresh_database

EMPLOYEE_LISTINGS = [
    ("home", "/"),
    ("section", "/mjolby/"),
    ("steering index (the restricted pages' parent)", "/mjolby/skala/"),
    ("organisation", "/mjolby/organisation/"),
    ("forum", "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"),
    ("sitemap", "/sitemap.xml"),
    ("calendar (iCal)", "/kalender/mjolby.ics"),
    ("records (Atom)", "/protokoll/mjolby.atom"),
]
# In each restricted page's title: a listing that shows it has shown a page its reader is outside.
MARKER = "Skalmarkör"
EDITOR_LISTINGS = [("follow-up dashboard (editor)", "/admin/uppfoljning/")]


@transaction.atomic
def restrict_up_to(index, made, target):
    """Add restricted steering documents under `index` until `target` of them stand; returns `target`."""
    groups = Group.objects.bulk_create([Group(name=f"Skalgrupp {n}") for n in range(made, target)])
    restrictions = []
    for n in range(made, target):
        page = index.add_child(
            instance=SteeringDocumentPage(title=f"{MARKER} {n}", slug=f"skala-{n}", kind="handlingsplan")
        )
        restrictions.append(PageViewRestriction(page=page, restriction_type=PageViewRestriction.GROUPS))
    restrictions = PageViewRestriction.objects.bulk_create(restrictions)
    through = PageViewRestriction.groups.through
    through.objects.bulk_create(
        [through(pageviewrestriction_id=r.pk, group_id=g.pk) for r, g in zip(restrictions, groups, strict=True)]
    )
    return target


def client_for(username):
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def median_ms(client, path, repeat):
    response = client.get(path)  # warm-up: the process's caches, as a running app server has them
    assert response.status_code == 200, (path, response.status_code)
    # The right content, not only a 200: none of the restricted pages is named to these readers.
    assert MARKER not in response.content.decode(), (path, "names a restricted page")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


def time_listings(repeat):
    employee, editor = client_for("medarbetare"), client_for("redaktor")
    timed = {label: median_ms(employee, path, repeat) for label, path in EMPLOYEE_LISTINGS}
    timed.update({label: median_ms(editor, path, repeat) for label, path in EDITOR_LISTINGS})
    return timed


def run(args):
    fresh_database()
    section = SectionPage.objects.get(slug="mjolby")
    index, _created = upsert_child(section, SteeringDocumentIndexPage, "skala", title="Skalprov")
    steps = sorted(set(args.restrictions))
    print(f"Listings by the number of group-restricted pages ({connection.vendor}, median of {args.repeat}, ms)")
    made, columns = 0, {}
    for target in steps:
        started = time.perf_counter()
        made = restrict_up_to(index, made, target) if target > made else made
        # As the nightly cron does (docs/configuration.md): statistics that know the pages outnumber the records.
        call_command("analyse_database", stdout=io.StringIO())
        print(f"  {target} restrictions stand (made in {time.perf_counter() - started:.0f} s)")
        columns[target] = time_listings(args.repeat)
    first, last = steps[0], steps[-1]
    header = f"{'listing':48}" + "".join(f"{n:>10}" for n in steps) + f"{'ratio':>8}"
    print(header)
    for label in columns[first]:
        cells = "".join(f"{columns[n][label]:10.1f}" for n in steps)
        print(f"{label:48}{cells}{columns[last][label] / columns[first][label]:8.2f}")
    return 0
