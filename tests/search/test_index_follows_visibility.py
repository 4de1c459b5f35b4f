"""The index returns exactly what visibility allows, after any interleaving of publish, unpublish, restrict, move,
reindex and an unpublish whose index write fails (issue 19, item 3), on the embedded engine and on osmem-server."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, PageViewRestriction

from safety_pages.access.visibility import visible
from search.index import writer
from tests import builders

PAGES = 3
ACTIONS = ["publish", "unpublish", "failing unpublish", "restrict", "open"]
STEPS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, PAGES - 1)),
        st.tuples(st.just("move"), st.integers(0, PAGES - 1), st.integers(0, PAGES + 1)),
        st.tuples(st.just("reindex")),
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def readers(site, django_user_model):
    """An employee, a member of the group the steps restrict pages to, and a superuser: each with their own client."""
    group = Group.objects.create(name=f"Grupp {uuid.uuid4().hex[:6]}")
    member = django_user_model.objects.create_user(username=f"insider-{uuid.uuid4().hex[:6]}")
    member.groups.add(group)
    employee, admin = (get_user_model().objects.get(username=name) for name in ("medarbetare", "admin"))
    users = [employee, member, admin]
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append((user, client))
    return group, clients


def _broken(*args, **kwargs):
    raise RuntimeError("disk full")


class World:
    def __init__(self, site, word):
        self.word = word
        self.parents = [site["radet"].get_parent(), site["bra"].get_parent()]
        self.ids = [
            builders.forum(self.parents[0], f"{word}-{n}".lower(), f"Forum {word} {n}", kind="rad").pk
            for n in range(PAGES)
        ]

    def page(self, n):
        return Page.objects.get(pk=self.ids[n]).specific

    def apply(self, step, group, monkeypatch):
        action, *args = step
        if action == "reindex":
            writer.index_pages(self.ids)
            return
        page = self.page(args[0])
        if action == "publish":
            page.save_revision().publish()
        elif action == "unpublish" and page.live:
            page.unpublish()
        elif action == "failing unpublish" and page.live:
            with monkeypatch.context() as patched:
                patched.setattr(writer, "_delete", _broken)
                page.unpublish()
        elif action == "restrict" and not PageViewRestriction.objects.filter(page=page).exists():
            restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
            restriction.groups.add(group)
        elif action == "open":
            PageViewRestriction.objects.filter(page=page).delete()
        elif action == "move":
            self.move(page, args[1])

    def move(self, page, to):
        targets = [*self.parents, *(self.page(n) for n in range(PAGES))]
        target = targets[to]
        if target.pk != page.pk and not target.is_descendant_of(page) and target.pk != page.get_parent().pk:
            page.move(target, pos="last-child")

    def allowed(self, user):
        return {p.title for p in visible(Page.objects.filter(pk__in=self.ids), user)}

    def found(self, client):
        hits = client.get("/api/search/", {"q": self.word}).json()["results"]
        completions = client.get("/api/search/autocomplete/", {"q": self.word}).json()["results"]
        return {r["title"] for r in hits}, {c["title"] for c in completions}


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ["database", "osmem"], indirect=True)
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_search_returns_exactly_what_visibility_allows_after_every_step(
    engine, site, readers, steps, monkeypatch, django_capture_on_commit_callbacks
):
    group, clients = readers
    word = f"Följord{uuid.uuid4().hex[:8]}"
    with django_capture_on_commit_callbacks(execute=True):
        world = World(site, word)
    for number, step in enumerate(steps):
        with django_capture_on_commit_callbacks(execute=True):
            world.apply(step, group, monkeypatch)
        for user, client in clients:
            allowed = world.allowed(user)
            assert world.found(client) == (allowed, allowed), (steps[: number + 1], user.username)
