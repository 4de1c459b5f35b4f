"""Access at scale: a thousand group-restricted pages keep every listing correct and answering.

Reproduces the defect of issue 19 ("Scale"): one exclusion per restriction the reader is outside grew each
listing's statement until SQLite refused it ("Expression tree is too large") at about 1 000 restrictions.
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from safety_pages.access import visibility
from safety_pages.models import SteeringDocumentPage
from tests import builders

RESTRICTED = 1100


@pytest.fixture
def many_restricted(demo):
    """1 100 steering documents, each readable only by a group of its own (made fresh: unique marker titles)."""
    index = builders.steering_index(demo.get_children().get(slug="mjolby").specific, slug="skala")
    groups = Group.objects.bulk_create([Group(name=f"Skalgrupp {n}") for n in range(RESTRICTED)])
    pages = [
        index.add_child(
            instance=SteeringDocumentPage(title=f"Skalmarkör {n} styrdokument", slug=f"skala-{n}", kind="handlingsplan")
        )
        for n in range(RESTRICTED)
    ]
    # In bulk, without the save signals: search would reindex the subtree at each of 1 100 restrictions, which is
    # not what these tests measure (visibility and the listings; search has its own access tests).
    restrictions = PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=page, restriction_type=PageViewRestriction.GROUPS) for page in pages]
    )
    through = PageViewRestriction.groups.through
    through.objects.bulk_create(
        [through(pageviewrestriction_id=r.pk, group_id=g.pk) for r, g in zip(restrictions, groups, strict=True)]
    )
    open_page = index.add_child(
        instance=SteeringDocumentPage(title="Skalmarkör öppet styrdokument", slug="skala-oppet", kind="handlingsplan")
    )
    return index, groups, pages, open_page


def test_visible_gives_each_reader_exactly_the_pages_of_their_groups(many_restricted):
    index, groups, pages, open_page = many_restricted
    reader = builders.user("skalläsare")
    reader.groups.add(groups[517])

    def seen(account):
        return set(visibility.visible(Page.objects.child_of(index), account).values_list("pk", flat=True))

    assert seen(builders.user("medarbetare")) == {open_page.pk}
    assert seen(reader) == {pages[517].pk, open_page.pk}


LISTINGS = [
    "/",
    "/mjolby/",
    "/mjolby/skala/",
    "/mjolby/organisation/",
    "/mjolby/organisation/trygghets-och-sakerhetsutskottet/",
    "/sitemap.xml",
    "/kalender/mjolby.ics",
    "/protokoll/mjolby.atom",
]


def test_every_listing_answers_and_names_no_restricted_page(many_restricted, client_for):
    client = client_for("medarbetare")
    for path in LISTINGS:
        response = client.get(path, follow=True)

        assert response.status_code == 200, path
        body = response.content.decode()
        assert "Skalmarkör 5 " not in body and "skala-5/" not in body, path
    assert "Skalmarkör öppet styrdokument" in client.get("/mjolby/skala/").content.decode()
    assert "skala-oppet/" in client.get("/sitemap.xml").content.decode()
    assert client_for("redaktor").get("/admin/uppfoljning/").status_code == 200


def test_a_restricted_leaf_that_gets_children_closes_them_too(many_restricted):
    """Visibility looks for restricted ancestors only at the depths of restricted pages with children (the many
    restricted leaves close only themselves): the first child of a restricted leaf, and its own child, must be
    closed from the next question on, like the leaf."""
    index, groups, pages, _open_page = many_restricted
    leaf = pages[42]
    child = leaf.add_child(instance=SteeringDocumentPage(title="Skalmarkör barn", slug="barn", kind="handlingsplan"))
    grandchild = child.add_child(
        instance=SteeringDocumentPage(title="Skalmarkör barnbarn", slug="barnbarn", kind="handlingsplan")
    )
    reader = builders.user("skalläsare")
    reader.groups.add(groups[42])

    def seen(account):
        below = Page.objects.descendant_of(leaf, inclusive=True)
        return set(visibility.visible(below, account).values_list("pk", flat=True))

    assert seen(builders.user("medarbetare")) == set()
    assert seen(reader) == {leaf.pk, child.pk, grandchild.pk}
