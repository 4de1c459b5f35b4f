"""The search index kept in the database, and the registers editors manage.

The database index is the source of truth for both engines: the embedded
engine searches it directly, Elasticsearch is fed from it (so a reindex or a
replay after an outage never has to render pages again).
"""

import hashlib

from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model_string
from wagtail.models import Page


def quoted_table(model):
    """The model's table name, quoted for the raw SQL of the indexer, the statistics and the embedded engine."""
    return connection.ops.quote_name(model._meta.db_table)


class SearchEntry(models.Model):
    """One hit: a live page, or a part of one (a meeting-record paragraph) with its own URL."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    # "" for the page itself; e.g. "p35" for paragraph § 35 of a record.
    key = models.CharField(max_length=60, blank=True, default="")
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    # The title and the page's other heading-like fields (a forum's short name), weighted as the title.
    heading = models.TextField(blank=True, default="")
    body = models.TextField(blank=True, default="")
    # Titles of the section and forum above, shown in results and searchable at a low weight.
    context = models.CharField(max_length=500, blank=True, default="")
    date = models.DateField(null=True, blank=True)
    # Facets: machine value and the label shown to readers.
    type = models.CharField(max_length=100)
    type_label = models.CharField(max_length=100)
    forum = models.CharField(max_length=20, blank=True, default="")
    forum_label = models.CharField(max_length=255, blank=True, default="")
    section = models.CharField(max_length=100, blank=True, default="")
    section_label = models.CharField(max_length=255, blank=True, default="")
    year = models.CharField(max_length=4, blank=True, default="")
    status = models.CharField(max_length=40, blank=True, default="")
    status_label = models.CharField(max_length=100, blank=True, default="")
    # The title as autocomplete compares it (analysis.title_words), indexed for it in Meta.
    title_folded = models.CharField(max_length=500)
    # 1 / the title's words (stop words aside): the weight of a title that holds every word of the query
    # (search.ranking); stored so that both engines rank by it without analysing titles at query time.
    title_inverse_length = models.FloatField(default=1.0)
    # Who may read it (an empty set: superusers only).
    reader_set = models.ForeignKey("ReaderSet", on_delete=models.PROTECT, related_name="entries")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "key"], name="search_entry_unique_page_key")]
        indexes = [
            # Autocomplete's (engines.database.titles): the pages' own entries in title order, with every column it
            # reads (SQLite counts the key too), so a keystroke reads this index and not the rows of every paragraph.
            models.Index(
                fields=["title_folded", "reader_set", "key", "id"], condition=Q(key=""), name="search_entry_page_titles"
            )
        ]

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """A posting: a term of an entry with its weight (field boost and term frequency already applied)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=100)
    weight = models.FloatField()
    # The term is one the entry's title is found by: whether the title covers the query is then read from the
    # postings the query fetches anyway (search.ranking).
    in_title = models.BooleanField(default=False)

    class Meta:
        # Covering: a query reads only this index, never the table (a common word has tens of thousands of postings).
        indexes = [models.Index(fields=["term", "entry", "weight", "in_title"], name="search_term_covering")]

    def __str__(self):
        return f"{self.term} ({self.weight})"


# The row of `TermStatistic` whose count is that of every entry: no term is empty.
ALL_ENTRIES = ""


class TermStatistic(models.Model):
    """How many entries hold a term (its document frequency, for the idf), kept in step by the indexer.

    Counting a common word's postings at query time cost more than the rest of a query over a rare word
    (docs/benchmarks.md); read from here it is one index lookup. The row `ALL_ENTRIES` counts
    the entries. Each write adds what it inserted and takes away what it deleted, in its own transaction;
    `search_reindex` counts everything again.
    """

    term = models.CharField(max_length=100, unique=True)
    entries = models.IntegerField()

    def __str__(self):
        return f"{self.term or '*'}: {self.entries}"


def reader_set_key(principals):
    return hashlib.sha256("\n".join(sorted(principals)).encode()).hexdigest()


class ReaderSetQuerySet(models.QuerySet):
    def ids_for(self, principal_sets):
        """{frozenset of principals: the id of its reader set}, creating the sets not known yet.

        Two transactions creating the same set at once: the second waits on the unique key, then
        get_or_create finds the first's set, principals and all, once that commits.
        """
        wanted = {reader_set_key(s): frozenset(s) for s in principal_sets}
        found = dict(self.filter(key__in=list(wanted)).values_list("key", "id"))
        for key, principals in wanted.items():
            if key not in found:
                reader_set, created = self.get_or_create(key=key)
                if created:
                    ReaderSetPrincipal.objects.bulk_create(
                        [ReaderSetPrincipal(reader_set=reader_set, principal=p) for p in sorted(principals)]
                    )
                found[key] = reader_set.pk
        return {principals: found[key] for key, principals in wanted.items()}


class ReaderSet(models.Model):
    """One set of principals who may read entries (see safety_pages.access.visibility), shared by every entry with it.

    An intranet has a few such sets (any employee; a group; a forum's members and editors), however many pages
    are closed. Entries name their set, so access is one IN over the few sets a reader belongs to, read from the
    entry row the query joins anyway; a row per entry and principal cost a join over most of the index for a
    common word (measured in docs/benchmarks.md).
    """

    # The sorted principals joined by newlines, hashed: a set is found by its members without comparing rows.
    key = models.CharField(max_length=64, unique=True)

    objects = ReaderSetQuerySet.as_manager()

    def __str__(self):
        return ", ".join(self.principal_list()) or "—"

    def principal_list(self):
        return sorted(p.principal for p in self.principals.all())


class ReaderSetPrincipal(models.Model):
    """A principal of a reader set: a reader holding it may read the set's entries."""

    reader_set = models.ForeignKey(ReaderSet, on_delete=models.CASCADE, related_name="principals", db_index=False)
    principal = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "reader_set"], name="search_reader_set_principal_unique")
        ]

    def __str__(self):
        return self.principal


class SearchTag(models.Model):
    """A tag of an entry: filtered and counted in SQL by the embedded engine, sent as a list to Elasticsearch."""

    # The index below serves the joins from entries; a separate one on the entry alone would repeat it.
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tags", db_index=False)
    tag = models.CharField(max_length=255)

    class Meta:
        indexes = [models.Index(fields=["entry", "tag"], name="search_tag_entry_tag")]

    def __str__(self):
        return self.tag


class Synonym(models.Model):
    """Words that mean the same to a reader: an abbreviation and what it stands for."""

    term = models.CharField(
        _("ord eller förkortning"), max_length=100, unique=True, help_text=_("Till exempel ”BRÅ” eller ”LAG”.")
    )
    equivalents = models.TextField(
        _("betyder samma sak som"),
        help_text=_("Ett uttryck per rad, till exempel ”brottsförebyggande råd”."),
    )

    class Meta:
        verbose_name = _("synonym eller förkortning")
        verbose_name_plural = _("synonymer och förkortningar")
        ordering = ["term"]

    def __str__(self):
        return self.term

    def phrases(self):
        return [self.term] + [line.strip() for line in self.equivalents.splitlines() if line.strip()]


class EntryChange(models.Model):
    """An entry inserted, changed or deleted: the log by which each app server keeps its in-memory copy of the index
    (search.memory) in step with the database.

    Written by database triggers on the entries' table (migration 0010), not by the indexer, so no write is missed:
    a cascade from a deleted page or an edit by hand is logged too. `token` is random per row: a copy that applied
    a change finds it again by its id and token, or knows that the log no longer holds it (pruned, or a
    transaction rolled back) and reads everything again.
    """

    entry_id = models.BigIntegerField()
    token = models.BigIntegerField()

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.pk}: {self.entry_id}"


class PendingIndexChange(models.Model):
    """A page whose Elasticsearch document could not be written: replayed by `search_reindex --pending`."""

    page_id = models.IntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    error = models.TextField(blank=True, default="")

    def __str__(self):
        return f"{self.page_id}"


class DocumentText(models.Model):
    """The text extracted from one version of a document's file, so reindexing never parses a file twice.

    Keyed by the document and its file's hash: replacing the file gives a new
    hash and a new extraction; the rows of earlier versions are removed then.
    An empty text with a `reason` records why nothing could be read (a scanned
    PDF, a damaged or encrypted file), so that is not retried at every reindex either.
    """

    document = models.ForeignKey(get_document_model_string(), on_delete=models.CASCADE, related_name="+")
    file_hash = models.CharField(max_length=40)
    text = models.TextField(blank=True, default="")
    reason = models.CharField(max_length=500, blank=True, default="")
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "file_hash"], name="search_document_text_unique_version")
        ]

    def __str__(self):
        return f"{self.document_id} {self.file_hash}"


class PendingRemoval(models.Model):
    """A page whose entries a fault kept the indexer from writing or removing (an unpublish, a restriction, a move).

    Written in the editor's transaction when the index write fails, so the change cannot pass silently: until the
    page is indexed again (the next index write retries it, and `search_reindex`), every engine leaves the page's
    entries out of every search, autocomplete and spelling suggestion. A page written successfully loses its row
    in the same transaction.
    """

    page_id = models.IntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"{self.page_id}"


def held_back_pages():
    """The ids of the pages whose entries no search may show until they are written again (`PendingRemoval`)."""
    return list(PendingRemoval.objects.values_list("page_id", flat=True))
