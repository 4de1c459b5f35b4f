"""Migrations of the search index carry what is indexed over: search answers the same before a reindex."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from wagtail.models import Locale, Page

BEFORE, AFTER = ("search", "0004_sql_ranking"), ("search", "0005_reader_sets")


def migrate_to(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def migrate_to_latest():
    """Leave the search app as the tests after this expect it: at its last migration."""
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes("search")[0])


@pytest.mark.django_db(transaction=True)
def test_the_principals_of_each_entry_become_its_reader_set_and_back():
    old = migrate_to(BEFORE)
    page_id = a_page_id()
    entry_model, principal_model = old.get_model("search", "SearchEntry"), old.get_model("search", "SearchPrincipal")
    readers = {"open": ["authenticated"], "closed": ["group:7", "user:3"], "superusers": []}
    for key, principals in readers.items():
        entry = entry_model.objects.create(page_id=page_id, key=key, title=key, url="/", type="t", type_label="t")
        principal_model.objects.bulk_create(principal_model(entry=entry, principal=p) for p in principals)
    entry_model.objects.create(page_id=page_id, key="also-open", title="b", url="/", type="t", type_label="t")
    principal_model.objects.create(entry=entry_model.objects.get(key="also-open"), principal="authenticated")

    new = migrate_to(AFTER)
    ours = [*readers, "also-open"]
    entries = {e.key: e for e in new.get_model("search", "SearchEntry").objects.filter(key__in=ours)}
    of_set = {}
    for set_id, principal in new.get_model("search", "ReaderSetPrincipal").objects.values_list(
        "reader_set_id", "principal"
    ):
        of_set.setdefault(set_id, []).append(principal)
    assert {key: sorted(of_set.get(e.reader_set_id, [])) for key, e in entries.items()} == {
        **readers,
        "also-open": ["authenticated"],
    }
    assert entries["open"].reader_set_id == entries["also-open"].reader_set_id

    back = migrate_to(BEFORE)
    restored = (
        back.get_model("search", "SearchPrincipal")
        .objects.filter(entry__key__in=ours)
        .values_list("entry__key", "principal")
    )
    assert sorted(restored) == sorted(
        [(key, p) for key, ps in readers.items() for p in ps] + [("also-open", "authenticated")]
    )
    migrate_to_latest()


def a_page_id():
    """A page for entries to name: Wagtail's root, created again if a transactional test before emptied the tables.
    Wagtail's own tables are at their latest state whatever state the search app was migrated to."""
    page = Page.objects.filter(depth=1).first()
    if page is None:
        locale, _ = Locale.objects.get_or_create(language_code="sv")
        page = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return page.pk


@pytest.mark.django_db(transaction=True)
def test_the_term_statistics_start_from_the_index_as_it_stands():
    old = migrate_to(("search", "0006_entry_facets_index"))
    entry_model, term_model = old.get_model("search", "SearchEntry"), old.get_model("search", "SearchTerm")
    reader_set = old.get_model("search", "ReaderSet").objects.create(key="x" * 64)
    for key, terms in {"a": ["trygghet", "råd"], "b": ["trygghet"], "c": []}.items():
        entry = entry_model.objects.create(
            page_id=a_page_id(), key=key, title=key, url="/", type="t", type_label="t", reader_set=reader_set
        )
        term_model.objects.bulk_create(term_model(entry=entry, term=t, weight=1.0) for t in terms)
    counted = dict(term_model.objects.values("term").annotate(n=Count("*")).values_list("term", "n"))

    new = migrate_to(("search", "0007_term_statistics"))
    kept = dict(new.get_model("search", "TermStatistic").objects.values_list("term", "entries"))
    # Whatever else a test before left in the index, ours are counted with it.
    assert kept == {**counted, "": entry_model.objects.count()}
    assert kept["råd"] >= 1 and kept["trygghet"] >= 2
    migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_stored_titles_become_the_words_autocomplete_compares():
    old = migrate_to(("search", "0008_page_titles_index"))
    entry_model = old.get_model("search", "SearchEntry")
    reader_set = old.get_model("search", "ReaderSet").objects.create(key="y" * 64)
    entry_model.objects.create(
        page_id=a_page_id(),
        key="",
        title="Kommundirektörens ledningsgrupp (Kdlg) – KS 2017/215",
        title_folded="kommundirektorens ledningsgrupp (kdlg) – ks 2017/215",  # as 0008's indexer stored it
        url="/",
        type="t",
        type_label="t",
        reader_set=reader_set,
    )

    new = migrate_to(("search", "0009_title_words"))
    stored = new.get_model("search", "SearchEntry").objects.get(reader_set__key="y" * 64).title_folded
    assert stored == "kommundirektorens ledningsgrupp kdlg ks 2017 215"
    migrate_to_latest()
