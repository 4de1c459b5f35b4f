"""Listings at 0, 1 000 and 10 000 group-restricted pages, side by side (`make bench`, its access part).

The bench adds 10 000 steering documents under one index, each readable only by a group of its own. Each step is
then held in a transaction that is rolled back: the documents beyond the step's number lose their restriction and
are unpublished, so every step has the same tree (the same pages for the listings and the sitemap to look through)
and differs only in how many of its pages view restrictions close. The steps are timed in turns, round after
round, so a change in the machine's load meets all of them alike: each cell is the median of its requests over all
rounds, in this process through Django's test client, every listing an employee opens and the follow-up dashboard
as an editor. A listing must not grow with the restrictions the reader is outside: visibility judges them per row
(issue 19, "Scale"). Prints figures; asserts only that each listing answers 200 and names none of the hidden pages.
"""

import contextlib
import io
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from intranet.demo.pages import upsert_child
from safety_pages.models import ContentGeneration, SectionPage, SteeringDocumentIndexPage, SteeringDocumentPage
from safety_pages.models.generation import read_generation
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
# In each added page's title: a listing that shows it has shown a page its reader may not see.
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


@contextlib.contextmanager
def restricted_only(index, count, generation):
    """Within this block only the first `count` added pages are restricted; the others are unpublished instead.

    Raw deletes and an update: no signal reaches the search index, and the rollback at the end restores all. The
    content generation is set to `generation`, a number of this block alone, as a real change moves it: no fragment
    drawn in another step's tree is served from the cache in this one."""
    with transaction.atomic():
        ContentGeneration.objects.update_or_create(pk=1, defaults={"value": generation})
        added = Page.objects.child_of(index).order_by("path").values_list("pk", flat=True)
        beyond = list(added[count:])
        restrictions = PageViewRestriction.objects.filter(page_id__in=beyond)
        through = PageViewRestriction.groups.through.objects.filter(pageviewrestriction__in=restrictions)
        through._raw_delete(through.db)
        restrictions._raw_delete(restrictions.db)
        Page.objects.filter(pk__in=beyond).update(live=False)
        yield
        transaction.set_rollback(True)


def client_for(username):
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def timed_requests(client, path, repeat):
    """`repeat` request times in ms, after a warm-up (the process's caches, as a running app server has them)."""
    times = []
    for timed in [False] + [True] * repeat:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        if timed:
            times.append(elapsed)
    # The right content, not only a 200: none of the hidden pages is named to these readers.
    assert MARKER not in response.content.decode(), (path, "names a page its reader may not see")
    return times


def run(args):
    if args.keep_database:
        call_command("migrate", verbosity=0)  # the code may have moved on since the database was made
    else:
        fresh_database()
    section = SectionPage.objects.get(slug="mjolby")
    index, _created = upsert_child(section, SteeringDocumentIndexPage, "skala", title="Skalprov")
    steps = sorted(set(args.restrictions))
    started = time.perf_counter()
    made = Page.objects.child_of(index).count()
    if made > steps[-1]:
        raise SystemExit(f"The kept database holds {made} added pages, more than the largest step ({steps[-1]}).")
    restrict_up_to(index, made, steps[-1])
    # As the nightly cron does (docs/configuration.md): statistics that know the pages outnumber the records.
    call_command("analyse_database", stdout=io.StringIO())
    made_in = time.perf_counter() - started
    print(f"{steps[-1]} pages added, each restricted to a group of its own (made in {made_in:.0f} s)")
    clients = {"medarbetare": client_for("medarbetare"), "redaktor": client_for("redaktor")}
    listings = [("medarbetare", *listing) for listing in EMPLOYEE_LISTINGS]
    listings += [("redaktor", *listing) for listing in EDITOR_LISTINGS]
    times = {(step, label): [] for step in steps for _user, label, _path in listings}
    first_generation = read_generation() + 1_000_000  # beyond any the database has had
    for round_number in range(args.rounds):
        for position, step in enumerate(steps):
            with restricted_only(index, step, first_generation + round_number * len(steps) + position):
                for user, label, path in listings:
                    times[step, label] += timed_requests(clients[user], path, args.repeat)
    print(
        f"Listings by the number of restricted pages among the {steps[-1]} added ({connection.vendor}; "
        f"median of {args.rounds} rounds × {args.repeat} requests, ms)"
    )
    print(f"{'listing':48}" + "".join(f"{n:>10}" for n in steps) + f"{'ratio':>8}")
    first, last = steps[0], steps[-1]
    for _user, label, _path in listings:
        medians = {step: statistics.median(times[step, label]) for step in steps}
        cells = "".join(f"{medians[n]:10.1f}" for n in steps)
        print(f"{label:48}{cells}{medians[last] / medians[first]:8.2f}")
    return 0
