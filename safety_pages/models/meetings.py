"""Meeting records (sammanträdesprotokoll): one page per meeting of a forum, with numbered paragraphs.

Over 450 lines because the record and its child rows (attendance, paragraphs, corrections) are one
clustered object, saved as one revision; the record's batch reads (`prepare_for_search`,
`_with_documents`) need the child models, and the children need the record: one module, no circle.

The record carries the meeting (time, place, attendance), its minutes as
ordered paragraphs (§), and its lifecycle: utkast → justerat → anslaget.
Minutes that are not yet justerat are read only by the forum's members and
the editors; once justerat the text is locked and changes need a recorded
rättelse (see `meeting_rules.py` for the rules, `meeting_forms.py` for how the admin
enforces them, `readers.py` for who reads a record before justering).
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from safety_pages.access import secrecy, visibility
from safety_pages.models import archive, meeting_rules, readers, record_lock, signatures
from safety_pages.models.choices import AttendanceFunction, AttendanceKind, MeetingStatus, RecordState
from safety_pages.models.forums import ForumPage
from safety_pages.models.generation import GenerationPageMixin, Lazy, generation
from safety_pages.models.meeting_forms import JusteringStatusPanel, MeetingRecordPageForm, NextNumberPanel
from safety_pages.models.people import PERSON_ITEM_LABEL, PERSON_ITEM_TYPE, Role, people_items
from safety_pages.models.personal_data_review import PersonalDataPanel
from safety_pages.models.registers import Person
from safety_pages.models.rich_text import MINUTES_FEATURES
from safety_pages.models.site import SectionPage

# Who signs the justering: the chair and each appointed justerare (kommunallagen 5 kap. 69 §).
SIGNING_FUNCTIONS = (AttendanceFunction.CHAIR, AttendanceFunction.ADJUSTER)


@dataclass
class Signer:
    """One who must sign the justering: an attendance row's person, and their active user account (or None)."""

    name: str
    function: str
    function_label: str
    user: object


class DecisionBasisBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("handling"), help_text=_("T.ex. ”Missiv om medborgardialog, 2017-08-30”."))
    document = DocumentChooserBlock(label=_("dokument"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("handling")


class MotionBlock(blocks.StructBlock):
    who = blocks.CharBlock(label=_("vem"))
    party = blocks.CharBlock(label=_("parti"), required=False, max_length=20)
    motion = blocks.TextBlock(label=_("yrkande"), help_text=_("T.ex. ”Bifall” eller ett ändringsyrkande."))

    class Meta:
        icon = "user"
        label = _("yrkande")


class MeetingRecordPage(GenerationPageMixin, RoutablePageMixin, Page):
    meeting_date = models.DateField(_("sammanträdesdatum"), null=True, blank=True)
    starts_at = models.TimeField(_("klockan, början"), null=True, blank=True)
    ends_at = models.TimeField(_("klockan, slut"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    status = models.CharField(
        _("sammanträdets status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.HELD
    )
    # The free text of records made before the föredragningslista had items (the demo's, imported ones): kept
    # and shown as it was; new meetings list their items in `agenda_items`.
    agenda = RichTextField(
        _("kallelse (fritext)"),
        blank=True,
        features=MINUTES_FEATURES,
        help_text=_("Äldre fritext om vad som ska behandlas. Lägg nya ärenden i föredragningslistan nedan."),
    )
    cancellation_note = models.CharField(_("om inställt"), max_length=300, blank=True)

    adjusted_on = models.DateField(
        _("justerat den"),
        null=True,
        blank=True,
        help_text=_("Sätts när ordföranden och den sista justeraren har justerat; då är texten låst."),
    )
    adjusted_place = models.CharField(_("justeringens plats"), max_length=200, blank=True)
    posted_on = models.DateField(_("anslaget den"), null=True, blank=True)
    taken_down_on = models.DateField(
        _("anslaget tas ned"), null=True, blank=True, help_text=_("Tomt: när överklagandetiden har gått ut.")
    )
    kept_at = models.CharField(_("förvaringsplats för protokollet"), max_length=200, blank=True)
    # The SHA-256 of the file the record was imported from (meetings/importer/draft.py), so that a second import of
    # the same file is noticed; not in the admin's form.
    import_digest = models.CharField(
        _("importerad fils kontrollsumma"), max_length=64, blank=True, db_index=True, editable=False
    )

    base_form_class = MeetingRecordPageForm

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("meeting_date"),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("place"),
                FieldPanel("status"),
                FieldPanel("cancellation_note"),
            ],
            heading=_("Sammanträdet"),
        ),
        InlinePanel("agenda_items", heading=_("Föredragningslista"), label=_("punkt")),
        FieldPanel("agenda"),
        PersonalDataPanel(heading=_("Personuppgifter och sekretess")),
    ]
    attendance_panels = [
        InlinePanel("attendances", heading=_("Närvaro"), label=_("närvarande")),
    ]
    minutes_panels = [
        NextNumberPanel(
            content=_(
                "Paragrafer numreras i en löpande följd per forum och år. Lämna numret tomt så föreslås nästa lediga "
                "nummer. Efter justering är texten låst: en ändring kräver en rättelse med motivering."
            )
        ),
        InlinePanel("paragraphs", heading=_("Paragrafer"), label=_("paragraf")),
    ]
    lifecycle_panels = [
        MultiFieldPanel(
            # No field for the justering date: it is the moment the last signer signs (JusteringTask).
            [JusteringStatusPanel(), FieldPanel("adjusted_place")],
            heading=_("Justering"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("posted_on"), FieldPanel("taken_down_on")]), FieldPanel("kept_at")],
            heading=_("Anslag"),
        ),
        InlinePanel("corrections", heading=_("Rättelser"), label=_("rättelse")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Sammanträde")),
            ObjectList(attendance_panels, heading=_("Närvaro")),
            ObjectList(minutes_panels, heading=_("Protokoll")),
            ObjectList(lifecycle_panels, heading=_("Justering och anslag")),
            ObjectList(Page.promote_panels, heading=_("Publicering")),
            ObjectList(Page.settings_panels, heading=_("Inställningar")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("place"),
        index.SearchField("agenda"),
        index.SearchField("case_numbers", boost=4),
        index.RelatedFields(
            "paragraphs",
            [
                # A sekretess paragraph gives the record's own hit only the title its editor allows shown.
                index.SearchField("public_title", boost=2),
                index.SearchField("search_text"),
            ],
        ),
        index.FilterField("meeting_date"),
        index.FilterField("status"),
        index.FilterField("adjusted_on"),
    ]

    parent_page_types = ["safety_pages.ForumPage"]
    subpage_types: list[str] = []
    # A copy is a new draft, not justerat: the justering, the anslag and the rättelser belong to the original
    # (its signatures are rows keyed to the original page, so they stay behind too).
    # A copy was not imported from the file either: its digest stays with the original.
    exclude_fields_in_copy = ["adjusted_on", "posted_on", "taken_down_on", "corrections", "import_digest"]

    class Meta:
        verbose_name = _("sammanträdesprotokoll")
        verbose_name_plural = _("sammanträdesprotokoll")
        # Sending the kallelse publishes a planned meeting; a redaktör holds this right without publish_page
        # (access/roles.py `may_send_kallelse`).
        permissions = [("send_kallelse", _("Får skicka kallelse"))]

    def clean(self):
        super().clean()
        errors = meeting_rules.lifecycle_errors(self)
        if errors:
            raise ValidationError(errors)

    # --- the meeting -------------------------------------------------------------------------------

    @cached_property
    def forum(self):
        return ForumPage.objects.filter(path=self.path[: -self.steplen]).first() if self.depth > 1 else None

    @property
    def is_cancelled(self):
        return self.status == MeetingStatus.CANCELLED

    def starts(self):
        """Start as an aware datetime in the site's time zone (None without a date)."""
        if self.meeting_date is None:
            return None
        if self.starts_at is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.meeting_date, self.starts_at))

    def ends(self):
        if self.meeting_date is None or self.ends_at is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.meeting_date, self.ends_at))

    # --- the lifecycle -----------------------------------------------------------------------------

    @property
    def state(self):
        if self.status != MeetingStatus.HELD:
            return RecordState.NONE
        if self.posted_on and self.adjusted_on:
            return RecordState.POSTED
        if self.adjusted_on:
            return RecordState.ADJUSTED
        return RecordState.DRAFT

    def get_state_display(self):
        return RecordState(self.state).label

    @property
    def is_adjusted(self):
        return self.adjusted_on is not None

    @property
    def minutes_closed(self):
        """Minutes that are not yet justerat are read only by the forum's members and editors.

        A planned or cancelled meeting has no minutes: its time, place and agenda are open.
        """
        return self.status == MeetingStatus.HELD and self.adjusted_on is None

    @property
    def appeal_period_ends(self):
        """The last day to appeal: three weeks after the justering was posted, moved past a day off (meeting_rules)."""
        return meeting_rules.appeal_period_end(self.posted_on) if self.posted_on else None

    @property
    def notice_taken_down(self):
        return self.taken_down_on or self.appeal_period_ends

    # --- justering (the protocol of safety_pages/workflows.py) ---------------------------------------

    def _under_review(self):
        return self.get_latest_revision_as_object() if self.pk else self

    def needs_justering(self):
        """The Justering step of Granskning applies while a held meeting's minutes are not justerade.

        Asked of the revision under review: the page row may still hold the last published state. A justering
        date counts only when it came from the signatures, or when the record was published as justerat (an
        imported record, or one justerat before signatures): a date typed into a draft by any other path does
        not make the minutes justerade.
        """
        latest = self._under_review()
        if latest.status != MeetingStatus.HELD:
            return False
        if latest.adjusted_on is None:
            return True
        published = type(self).objects.filter(pk=self.pk, live=True, adjusted_on__isnull=False)
        return not (self.pk and published.exists())

    def justering_signers(self):
        """The chair and each justerare of the attendance under review, each with their user account (or None)."""
        rows = [a for a in self._under_review().attendances.all() if a.function in SIGNING_FUNCTIONS]
        persons = Person.objects.select_related("user").in_bulk([a.person_id for a in rows if a.person_id])
        signers = []
        for row in rows:
            person = persons.get(row.person_id)
            account = person.user if person is not None else None
            signers.append(
                Signer(
                    name=row.display_name,
                    function=row.function,
                    function_label=AttendanceFunction(row.function).label,
                    user=account if account is not None and account.is_active else None,
                )
            )
        return signers

    def justering_users(self):
        """The user accounts of the chair and the justerare: each signs for themselves."""
        ids = [signer.user.pk for signer in self.justering_signers() if signer.user is not None]
        return get_user_model().objects.filter(pk__in=ids, is_active=True)

    def justering_errors(self, on):
        """What stands in the way of justering the revision under review on the day `on` (Swedish messages)."""
        latest = self._under_review()
        return meeting_rules.justering_errors(latest, on, self.justering_signers())

    def justering_text(self):
        """What the signers sign, as data: the meeting, the attendance, every paragraph, and the hashes of the
        documents of their beslutsunderlag. `signatures.text_digest` hashes it."""
        return self._under_review().text_as_signed()

    def text_as_signed(self):
        """`justering_text` of this object as it is in memory (a revision, or a change about to be saved)."""
        latest = self
        paragraphs = list(latest.paragraphs.all())
        document_ids = {doc_id for p in paragraphs for doc_id in p.basis_document_ids()}
        hashes = dict(get_document_model().objects.filter(pk__in=document_ids).values_list("pk", "file_hash"))
        return {
            "meeting": [latest.title, latest.meeting_date, latest.starts_at, latest.ends_at, latest.place],
            "status": latest.status,
            "attendance": [
                [a.person_id, a.name, a.kind, a.function, a.serving_for_id, a.left_at, a.description]
                for a in latest.attendances.all()
            ],
            "paragraphs": [
                {
                    "number": p.number,
                    "case": p.case_id,
                    "text": [getattr(p, name) for name in SIGNED_PARAGRAPH_FIELDS],
                    "basis": [
                        [label, hashes.get(doc_id)]
                        for label, doc_id in (
                            (b["value"].get("label", ""), b["value"].get("document")) for b in p.basis.raw_data
                        )
                    ],
                    "motions": p.motion_items(),
                }
                for p in paragraphs
            ],
        }

    def signature_list(self):
        """The signatures that justerade the record, each with its function's label: shown on the page, the
        extracts and their archive PDFs. Voided ones (given before a change) are not."""
        found = list(
            signatures.signatures_of(self)
            .filter(action=signatures.SignatureAction.SIGNED, voided_at__isnull=True)
            .select_related("user")
        )
        labels = dict(AttendanceFunction.choices)
        for signature in found:
            signature.role_label = labels.get(signature.role, signature.role)
        return found

    @property
    def has_archive_copy(self):
        """The archive PDF exists once the minutes are justerade: before, they may still change."""
        return self.state in (RecordState.ADJUSTED, RecordState.POSTED)

    def text_locked(self):
        """Whether the stored record is justerat: its text then changes only through a rättelse."""
        return record_lock.locked_text(self) is not None

    def save_revision(self, *args, **kwargs):
        # Every path that changes a record saves a revision first (admin form, revert, workflow, importer,
        # rättelse): here the lock after justering holds on each of them, however it was reached.
        error = record_lock.lock_error(self)
        if error:
            raise ValidationError(error)
        return super().save_revision(*args, **kwargs)

    def set_justering(self, user, on):
        """Justering: the last signature's day is the justering date, which locks the text (meeting_forms.py),
        and the anslag is proposed by the rules unless one is already planned. Who signed is in the signatures."""
        self.adjusted_on = on
        if self.posted_on is None:
            self.posted_on = meeting_rules.proposed_anslag_day(on)

    def anslag_starts_at(self):
        """When employees may read the justerade minutes: the start of the anslag day, when one is planned."""
        if self.posted_on is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.posted_on, datetime.time.min))

    # --- visibility --------------------------------------------------------------------------------

    def extra_read_principals(self):
        if not self.minutes_closed:
            return None
        # The same for every record of the forum (its parent): computed once per indexing batch.
        return self.secret_read_principals()

    def secret_read_principals(self):
        """Who reads the text of this record's sekretess paragraphs: the forum's members and editors, the readers
        of minutes not yet justerade (`access.secrecy`). Computed once per forum in an indexing batch."""
        forum_path = self.path[: -self.steplen]
        return visibility.remembered(
            ("closed minutes", forum_path), lambda: readers.closed_record_principals(self.forum)
        )

    def readable_paragraphs(self, request_or_user, number=None):
        """`paragraph_list()` as this reader may read it: a sekretess paragraph outside the forum's members and
        editors is replaced by its sealed form (§ number, allowed title, OSL reference). Every view of the
        paragraphs (the page, the extract, the PDF drawn from their partials) takes them from here."""
        paragraphs = self.paragraph_list(number=number)
        if not any(p.secret for p in paragraphs) or secrecy.may_read_secret(request_or_user, self):
            return paragraphs
        return [p.sealed() if p.secret else p for p in paragraphs]

    def may_read_file(self, request_or_user, file):
        """visibility's rule for a file this record uses: a document used only by its sekretess paragraphs is
        read by those who may read their text; anything else by the record's readers."""
        if not isinstance(file, get_document_model()):
            return True
        secret, shown = set(), set()
        for paragraph in self.paragraphs.all():
            (secret if paragraph.secret else shown).update(paragraph.document_ids())
        if file.pk in secret and file.pk not in shown:
            return secrecy.may_read_secret(request_or_user, self)
        return True

    @classmethod
    def guarded_file_ids(cls, model):
        """visibility's question for file listings: the documents `may_read_file` may refuse (those of sekretess
        paragraphs of live records)."""
        if model is not get_document_model():
            return set()
        paragraphs = Paragraph.objects.filter(secret=True, record__live=True)
        return set().union(set(), *(paragraph.document_ids() for paragraph in paragraphs))

    def search_file_readers(self):
        """{document id: principals} of the documents search must index for fewer readers than the record's:
        those used only by its sekretess paragraphs (search/index/attachments.py)."""
        secret, shown = set(), set()
        for paragraph in self.paragraph_list():
            (secret if paragraph.secret else shown).update(paragraph.document_ids())
        if not secret - shown:
            return {}
        principals = secrecy.secret_principals(self)
        return {doc_id: principals for doc_id in secret - shown}

    @classmethod
    def narrow_visible(cls, queryset, request_or_user):
        """visibility.visible()'s rule for listings: the same readers as `extra_read_principals`, as a subquery."""
        return readers.without_closed_records(cls, queryset, request_or_user)

    def serve(self, request, *args, **kwargs):
        # Wagtail's own view restrictions have been checked already; this adds the record's rule,
        # for the record and for every route under it (the paragraph extracts). The content generation
        # is read first: the rule loads the forum, whose title the cached body shows.
        generation(request)
        if not getattr(request, "is_preview", False) and not visibility.can_view(request, self):
            raise Http404
        return super().serve(request, *args, **kwargs)

    # --- the föredragningslista -------------------------------------------------------------------

    def agenda_list(self):
        """The items of the föredragningslista in order, with their case, föredragande and handlingar, in a fixed
        number of queries."""
        items = list(self.agenda_items.select_related("case", "case__municipality", "presenter"))
        _with_documents(items, {self.pk: self})
        return items

    # --- the paragraphs ----------------------------------------------------------------------------

    def paragraph_list(self, number=None):
        """The paragraphs in order (or the one numbered `number`), with their cases and decision-basis
        documents, in a fixed number of queries (none after `prepare_for_search`)."""
        prepared = self.__dict__.get("_prepared_paragraphs")
        if prepared is not None:
            return [p for p in prepared if number is None or p.number == number]
        paragraphs = self.paragraphs.select_related("case", "case__municipality").order_by("sort_order", "number")
        if number is not None:
            paragraphs = paragraphs.filter(number=number)
        return _with_documents(list(paragraphs), {self.pk: self})

    @classmethod
    def prepare_for_search(cls, records):
        """Read the paragraphs and attendance of many records at once, for the search indexer's batch: each record's
        paragraph_list() and case_numbers() then answer without a query of their own. Returns them as
        the `paragraphs` relation of each record, which the batch then need not read again."""
        by_id = {record.pk: record for record in records}
        paragraphs = (
            Paragraph.objects.filter(record_id__in=list(by_id))
            .select_related("case", "case__municipality")
            .order_by("record_id", "sort_order", "number")
        )
        for record in records:
            record._prepared_paragraphs = []
        for paragraph in _with_documents(list(paragraphs), by_id):
            paragraph.record._prepared_paragraphs.append(paragraph)
        cls.prepare_attendances(records)
        cls._remember_closed_readers(records)
        return {"paragraphs": {record.pk: record._prepared_paragraphs for record in records}}

    @staticmethod
    def _remember_closed_readers(records):
        """Who reads the closed minutes among these records, read for all their forums at once and kept for the
        batch (`secret_read_principals` asks per record)."""
        paths = {record.path[: -record.steplen] for record in records if record.minutes_closed}
        forums = list(ForumPage.objects.filter(path__in=paths)) if paths else []
        by_forum = readers.closed_record_principals_by_forum(forums)
        visibility.remember({("closed minutes", forum.path): by_forum[forum.pk] for forum in forums})

    @classmethod
    def prepare_attendances(cls, records, persons=None):
        """Read the attendance of many records at once (search's batch, the person page), only the rows of
        `persons` (ids) when given: each record's attendance_list() then answers without a query of its own."""
        by_id = {record.pk: record for record in records}
        for record in records:
            record._prepared_attendances = []
        rows = Attendance.objects.filter(record_id__in=list(by_id)).select_related("person")
        if persons is not None:
            rows = rows.filter(person_id__in=list(persons))
        for row in rows.order_by("sort_order", "pk"):
            by_id[row.record_id]._prepared_attendances.append(row)

    # The types of the hits of its own the record gives search (`search_items`), with their label in its type facet.
    search_item_types = {"paragraph": _("protokollsparagraf"), "case": _("ärende"), PERSON_ITEM_TYPE: PERSON_ITEM_LABEL}

    def search_date(self):
        """Search dates a record, and its paragraphs and cases, by the meeting, never by its last edit."""
        return self.meeting_date

    def search_items(self):
        """The numbered paragraphs (§), each a search hit of its own linking to its protokollsutdrag, and the pages
        of the cases they handle: mappings of the fields of search's SearchItem, so that this app imports nothing
        from search."""
        yield from self._paragraph_items()
        yield from self._case_items()
        # Those present from the person register, each a hit of their person page (safety_pages.models.people).
        yield from people_items(self, self.people_roles())

    def attendance_list(self):
        """The attendance rows with their persons (none after `prepare_for_search`)."""
        prepared = self.__dict__.get("_prepared_attendances")
        if prepared is not None:
            return prepared
        return list(self.attendances.select_related("person").order_by("sort_order", "pk"))

    def people_roles(self, persons=None):
        """{person: [Role]} of those present who are in the person register, as the record lists them: their kind
        of attendance or function at the meeting and its description ("handläggare § 35"). Only `persons` (ids)
        when given."""
        roles = {}
        for row in self.attendance_list():
            if row.person_id and (persons is None or row.person_id in persons):
                label = row.get_function_display() if row.function else row.get_kind_display()
                roles.setdefault(row.person, []).append(Role(label, self, description=row.description))
        return roles

    def _case_items(self):
        """The case page (/arenden/<kommun>/<dnr>/) of each case this record handles, as a hit found by the case
        number in any written form, above the paragraphs. Its readers are those of the paragraphs that handle the
        case here: the case page shows a reader the paragraphs they may read and is 404 when there are none
        (meetings.views.case_detail), so the hit is found exactly by those who may find one of these paragraphs.
        Several records handling one case give one hit each (search shows the first of a URL only)."""
        by_case = {}
        for paragraph in self.paragraph_list():
            case = paragraph.case if paragraph.case_id else None
            # The case page lists only the paragraphs of records in the case's own municipality.
            if case is not None and self.path.startswith(case.municipality.path):
                by_case.setdefault(case.pk, (case, []))[1].append(paragraph)
        for case, paragraphs in by_case.values():
            open_ = any(not p.secret for p in paragraphs)
            yield {
                "key": f"case-{case.normalised_number}"[:60],
                # The number alone as the title: a reader who types it means the case page, and a title it fills
                # ranks above the longer ones that also name it (the paragraphs, a missiv); the excerpt gives the
                # ärendemening.
                "title": case.number,
                "url": case.get_absolute_url(),
                "heading": f"{case.number} {case.title}",
                "body": case.title,
                "type": "case",
                "type_label": self.search_item_types["case"],
                "readers": None if open_ else secrecy.secret_principals(self),
            }

    def _paragraph_items(self):
        for paragraph in self.paragraph_list():
            if not paragraph.number:
                continue
            title = f"§ {paragraph.number} {paragraph.title}"
            case = paragraph.case if paragraph.case_id else None
            yield {
                "key": f"p{paragraph.number}",
                "title": title,
                "url": paragraph.get_absolute_url(),
                "heading": " ".join(t for t in (title, getattr(case, "number", ""), getattr(case, "title", "")) if t),
                "body": paragraph.search_text(),
                "type": "paragraph",
                "type_label": self.search_item_types["paragraph"],
                # A sekretess paragraph's hit (its text) is found only by those who may read it; others find the
                # record, under the title its editor allows.
                "readers": secrecy.secret_principals(self) if paragraph.secret else None,
            }

    def case_numbers(self):
        if "_prepared_paragraphs" in self.__dict__:
            paragraphs = self._prepared_paragraphs
        else:
            paragraphs = self.paragraphs.all()
            if hasattr(paragraphs, "select_related"):  # not a preview's in-memory list
                paragraphs = paragraphs.select_related("case")
        # A sekretess paragraph's case is its content: it stays out of the record's own hit.
        return " ".join(f"{p.case.number} {p.case.normalised_number}" for p in paragraphs if p.case_id and not p.secret)

    def feed_urls(self):
        forum = self.forum
        section = SectionPage.objects.ancestor_of(self).first()
        if forum is None or section is None:
            return {}
        args = [section.slug, forum.slug]
        return {
            "section": section,
            "calendar_url": reverse("safety_pages:forum_calendar", args=args),
            "feed_url": reverse("safety_pages:adjusted_records_feed", args=args),
        }

    def quorum(self, attendances=None):
        return meeting_rules.quorum_for(self, attendances)

    def next_free_number(self, forum, year, also_taken=()):
        """The number the next paragraph gets in `forum`'s running sequence for `year`, beside this record's own."""
        return next_free_number(forum, year, exclude_record_id=self.pk, also_taken=also_taken)

    def numbers_used_elsewhere(self, forum, year):
        """{number: record} of the paragraphs of `forum`'s other records in `year` (the running sequence)."""
        if forum is None or year is None:
            return {}
        return numbers_in_use(forum, year, exclude_record_id=self.pk)

    def get_context(self, request, *args, **kwargs):
        """Everything the record shows, each computed at its first use: the record's body is a fragment
        cached under the content generation (meeting_record_page.html), and a hit computes none of it."""
        context = super().get_context(request, *args, **kwargs)
        context["forum"] = Lazy(lambda: self.forum)
        context["agenda_items"] = Lazy(self.agenda_list)
        context["paragraphs"] = Lazy(lambda: self.readable_paragraphs(request))
        # The cached body differs for those who may read sekretess paragraphs (meeting_record_page.html).
        context["secrets_key"] = Lazy(
            lambda: self.paragraphs.filter(secret=True).exists() and secrecy.may_read_secret(request, self)
        )
        attendances = Lazy(lambda: list(self.attendances.select_related("person", "serving_for")))
        context["attendances"] = attendances

        def with_function(function):
            return Lazy(lambda: [a for a in attendances() if a.function == function])

        context["attendance_groups"] = Lazy(
            lambda: [(label, [a for a in attendances() if a.kind == value]) for value, label in AttendanceKind.choices]
        )
        context["chair"] = with_function(AttendanceFunction.CHAIR)
        context["secretary"] = with_function(AttendanceFunction.SECRETARY)
        context["adjusters"] = with_function(AttendanceFunction.ADJUSTER)
        context["corrections"] = Lazy(lambda: list(self.corrections.all()))
        context["signatures"] = Lazy(self.signature_list)

        context["corrections"] = Lazy(lambda: list(self.corrections.select_related("made_by")))
        context["quorum"] = Lazy(lambda: self.quorum(attendances()) if self.status == MeetingStatus.HELD else None)
        feeds = Lazy(self.feed_urls)
        for name in ("section", "calendar_url", "feed_url"):
            context[name] = Lazy(lambda name=name: feeds().get(name))
        return context

    @path("paragraf/<int:number>/", name="extract")
    def extract(self, request, number):
        """One paragraph as a protokollsutdrag, with the record's header; printable on one page."""
        context = self._extract_context(request, number)
        return TemplateResponse(request, "safety_pages/paragraph_extract.html", context)

    def _extract_context(self, request, number):
        paragraph = next(iter(self.readable_paragraphs(request, number=number)), None)
        if paragraph is None:
            raise Http404
        context = self.get_context(request)
        context["paragraphs"] = Lazy(lambda: [paragraph])
        context["paragraph"] = paragraph
        return context

    # The archive copies (archive.py): drawn from the same partials as the page and the extract, under this
    # serve() and its visibility check, like every route here.

    @path("pdf/", name="pdf")
    def pdf(self, request):
        """The justerat protokoll as PDF/A; 404 before justering."""
        if not self.has_archive_copy:
            raise Http404
        return archive.pdf_response(request, self.get_context(request), archive.filename(self))

    @path("paragraf/<int:number>/pdf/", name="extract_pdf")
    def extract_pdf(self, request, number):
        """The protokollsutdrag as PDF/A; 404 before justering."""
        if not self.has_archive_copy:
            raise Http404
        context = self._extract_context(request, number)
        return archive.pdf_response(request, context, archive.filename(self, context["paragraph"]))


# The paragraph's text as signed (besides its number, case, beslutsunderlag and motions).
SIGNED_PARAGRAPH_FIELDS = (
    "title",
    "background",
    "summary",
    "proposal_heading",
    "proposal",
    "decision_heading",
    "decision",
    "reservations",
    "disqualifications",
    "sent_to",
)


class AgendaItem(Orderable):
    """One item of the föredragningslista of a planned meeting: what is to be handled, by whom, with which handlingar.

    Its handlingar are documents used by the record page, so they are read by those who may read the meeting."""

    record = ParentalKey(MeetingRecordPage, related_name="agenda_items", on_delete=models.CASCADE)
    title = models.CharField(_("rubrik"), max_length=300)
    case = models.ForeignKey(
        "safety_pages.Case",
        verbose_name=_("ärende (Dnr)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    presenter = models.ForeignKey(
        "safety_pages.Person",
        verbose_name=_("föredragande"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposal = RichTextField(_("beslutsförslag"), blank=True, features=MINUTES_FEATURES)
    papers = StreamField(
        [("document", DecisionBasisBlock())], verbose_name=_("handlingar"), blank=True, use_json_field=True
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("case")]),
        FieldPanel("presenter"),
        FieldPanel("proposal"),
        FieldPanel("papers"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("punkt på föredragningslistan")
        verbose_name_plural = _("föredragningslista")

    def __str__(self):
        return self.title

    def basis_document_ids(self):
        return _document_ids(self.papers)

    def paper_items(self):
        """(label, document or None) for each handling, from the documents `agenda_list` read for all items."""
        return _labelled_documents(self.papers, getattr(self, "_documents", {}))


class Attendance(Orderable):
    record = ParentalKey(MeetingRecordPage, related_name="attendances", on_delete=models.CASCADE)
    person = models.ForeignKey(
        "safety_pages.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    name = models.CharField(
        _("namn"), max_length=200, blank=True, help_text=_("Bara när personen inte finns i personregistret.")
    )
    description = models.CharField(
        _("titel eller uppdrag"), max_length=200, blank=True, help_text=_("T.ex. ”säkerhetssamordnare”, ”§ 35”.")
    )
    kind = models.CharField(
        _("närvaro som"), max_length=20, choices=AttendanceKind.choices, default=AttendanceKind.MEMBER
    )
    serving_for = models.ForeignKey(
        "safety_pages.Person",
        verbose_name=_("tjänstgör för"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    function = models.CharField(
        _("funktion vid sammanträdet"), max_length=20, choices=AttendanceFunction.choices, blank=True
    )
    left_at = models.TimeField(_("lämnade sammanträdet kl."), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("person"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("function")]),
        FieldRowPanel([FieldPanel("serving_for"), FieldPanel("left_at")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")

    @property
    def display_name(self):
        if self.person_id:
            return str(self.person)
        return self.name

    def __str__(self):
        return f"{self.display_name} ({self.get_kind_display()})"


def _document_ids(stream):
    """The ids of the documents of a stream of `DecisionBasisBlock`s (a paragraph's beslutsunderlag, an agenda
    item's handlingar), read from the raw data: no query."""
    return [
        block["value"].get("document")
        for block in stream.raw_data
        if block.get("type") == "document" and block["value"].get("document")
    ]


def _labelled_documents(stream, documents):
    """(label, document or None) for each block of such a stream, the documents taken from `documents` ({id: doc})."""
    return [
        (block["value"].get("label", ""), documents.get(block["value"].get("document")))
        for block in stream.raw_data
        if block.get("type") == "document"
    ]


def _with_documents(paragraphs, records):
    """These paragraphs with their decision-basis documents (one query for all) and their records
    ({id: record}, whose address each paragraph links from) attached."""
    document_ids = {doc_id for p in paragraphs for doc_id in p.basis_document_ids()}
    documents = {}
    if document_ids:
        documents = get_document_model().objects.in_bulk(document_ids)
    urls = {}
    for paragraph in paragraphs:
        record = records[paragraph.record_id]
        if record.pk not in urls:
            urls[record.pk] = record.url
        paragraph._documents = documents
        paragraph._record_url = urls[record.pk]
        paragraph.record = record
    return paragraphs


SEALED_TITLE = _("Sekretessbelagt ärende")
# A document link in the minutes' rich text, as Wagtail stores it.
DOCUMENT_LINK = re.compile(r'<a[^>]*\blinktype="document"[^>]*\bid="(\d+)"')


def secrecy_notice(reference):
    """“Sekretess enligt OSL 26 kap. 1 §”, whether or not the editor wrote “OSL” in the reference."""
    reference = re.sub(r"^\s*OSL\s*|\s*OSL\s*$", "", reference or "").strip()
    return _("Sekretess enligt OSL %(reference)s") % {"reference": reference}


class SealedParagraph:
    """A sekretess paragraph as those who may not read it see it: its § number, its title if the editor allows
    it (else “Sekretessbelagt ärende”) and the OSL reference; no text, no case, no documents. The templates draw
    it through the same partials as a paragraph (includes/paragraph_body.html shows only the notice)."""

    sealed_paragraph = True
    secret = True
    case = None
    case_id = None

    def __init__(self, paragraph):
        self.pk = paragraph.pk
        self.number = paragraph.number
        self.title = paragraph.public_title
        self.secrecy_notice = paragraph.secrecy_notice
        self.record = paragraph.record
        self._url = paragraph.get_absolute_url()

    def get_absolute_url(self):
        return self._url

    def __str__(self):
        return f"§ {self.number} {self.title}"


class Paragraph(Orderable):
    """One numbered item (§) of the minutes; shown on its own as a protokollsutdrag."""

    record = ParentalKey(MeetingRecordPage, related_name="paragraphs", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(
        _("paragrafnummer"), blank=True, help_text=_("Lämna tomt för nästa lediga nummer i forumets löpande följd.")
    )
    title = models.CharField(_("rubrik"), max_length=300)
    case = models.ForeignKey(
        "safety_pages.Case",
        verbose_name=_("ärende (Dnr)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paragraphs",
    )
    background = RichTextField(_("bakgrund"), blank=True, features=MINUTES_FEATURES)
    summary = RichTextField(_("sammanfattning"), blank=True, features=MINUTES_FEATURES)
    basis = StreamField(
        [("document", DecisionBasisBlock())], verbose_name=_("beslutsunderlag"), blank=True, use_json_field=True
    )
    motions = StreamField([("motion", MotionBlock())], verbose_name=_("yrkanden"), blank=True, use_json_field=True)
    proposal_heading = models.CharField(
        _("rubrik för förslaget"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. ”Kommunstyrelsens förvaltnings förslag till beslut”."),
    )
    proposal = RichTextField(_("förslag till beslut"), blank=True, features=MINUTES_FEATURES)
    decision_heading = models.CharField(
        _("rubrik för beslutet"),
        max_length=300,
        blank=True,
        help_text=_("Tomt: ”Beslut”. För ett beredande organ t.ex. ”Utskottets förslag till kommunstyrelsen”."),
    )
    decision = RichTextField(_("beslut"), blank=True, features=MINUTES_FEATURES)
    reservations = models.TextField(_("reservationer och protokollsanteckningar"), blank=True)
    disqualifications = models.TextField(_("jäv"), blank=True)
    sent_to = models.TextField(_("beslutet skickas till"), blank=True, help_text=_("En mottagare per rad."))
    secret = models.BooleanField(
        _("sekretess"),
        default=False,
        help_text=_(
            "Paragrafens text och handlingar visas bara för forumets ledamöter och redaktörerna. "
            "Andra ser paragrafnumret och sekretesshänvisningen."
        ),
    )
    secrecy_reference = models.CharField(
        _("sekretess enligt OSL"), max_length=100, blank=True, help_text=_("T.ex. ”26 kap. 1 §”.")
    )
    secret_title_shown = models.BooleanField(
        _("rubriken får visas"),
        default=False,
        help_text=_("Annars visas ”Sekretessbelagt ärende” i stället för rubriken för dem som inte får läsa texten."),
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("case")]),
        FieldPanel("title"),
        # Beside the title: whether it may be shown is part of the decision to keep the paragraph secret.
        FieldRowPanel([FieldPanel("secret"), FieldPanel("secrecy_reference"), FieldPanel("secret_title_shown")]),
        FieldPanel("background"),
        FieldPanel("summary"),
        FieldPanel("basis"),
        FieldPanel("motions"),
        FieldPanel("proposal_heading"),
        FieldPanel("proposal"),
        FieldPanel("decision_heading"),
        FieldPanel("decision"),
        FieldRowPanel([FieldPanel("reservations"), FieldPanel("disqualifications")]),
        FieldPanel("sent_to"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")

    def __str__(self):
        return f"§ {self.number} {self.title}"

    def clean(self):
        super().clean()
        if self.secret and not self.secrecy_reference.strip():
            raise ValidationError(
                {
                    "secrecy_reference": _(
                        "Ange sekretessbestämmelsen i OSL, t.ex. ”26 kap. 1 §”, för en paragraf med sekretess."
                    )
                }
            )

    # --- sekretess (access/secrecy.py) ---------------------------------------------------------------

    sealed_paragraph = False

    @property
    def secrecy_notice(self):
        return secrecy_notice(self.secrecy_reference) if self.secret else ""

    @property
    def public_title(self):
        """The title as everyone who may read the record sees it (a sekretess paragraph's only if allowed)."""
        if self.secret and not self.secret_title_shown:
            return str(SEALED_TITLE)
        return self.title

    def sealed(self):
        """What a reader outside the forum's members and editors sees of this sekretess paragraph."""
        return SealedParagraph(self)

    def document_ids(self):
        """The documents this paragraph uses: its beslutsunderlag and the links in its text."""
        ids = set(self.basis_document_ids())
        for name in ("background", "summary", "proposal", "decision"):
            ids.update(int(pk) for pk in DOCUMENT_LINK.findall(getattr(self, name) or ""))
        return ids

    @property
    def recipients(self):
        return [line.strip() for line in normalize_newlines(self.sent_to or "").split("\n") if line.strip()]

    def basis_document_ids(self):
        return _document_ids(self.basis)

    def basis_items(self):
        """(label, document or None) for each decision-basis item, without a query per paragraph."""
        documents = getattr(self, "_documents", None)
        if documents is None:
            return [(b.value["label"], b.value["document"]) for b in self.basis]
        return _labelled_documents(self.basis, documents)

    def motion_items(self):
        return [block["value"] for block in self.motions.raw_data if block.get("type") == "motion"]

    def get_absolute_url(self):
        """The paragraph's own stable address: its protokollsutdrag."""
        base = getattr(self, "_record_url", None) or self.record.url
        if not base:
            return None  # a record outside any site (e.g. a draft being previewed) has no address yet
        return base + self.record.reverse_subpage("extract", kwargs={"number": self.number}).lstrip("/")

    def search_text(self):
        """The paragraph as plain text for the search index: heading, case number, every section.

        As a reader sees it, since search shows a piece of it: the case number as written (search finds it in any
        written form), not the lookup key of its URL ("ks-2017-152")."""
        parts = [f"§ {self.number}", self.title]
        if self.case_id:
            parts.append(self.case.number)
        for html in (self.background, self.summary, self.proposal, self.decision):
            parts.append(strip_tags(html or ""))
        parts += [label for label, _document in self.basis_items()]
        parts += [" ".join(filter(None, (m.get("who"), m.get("party"), m.get("motion")))) for m in self.motion_items()]
        parts += [self.proposal_heading, self.decision_heading, self.reservations, self.disqualifications]
        parts += self.recipients
        return "\n".join(p for p in parts if p)

    def search_principals(self):
        """Who may read this paragraph: who may read its record, and for a sekretess paragraph only those of them
        who may read its text (the reader set search gives its hit)."""
        principals = visibility.page_principals(self.record)
        if self.secret:
            principals = visibility.both(principals, secrecy.secret_principals(self.record))
        return principals


class Correction(Orderable):
    """A rättelse of justerade minutes: what was changed and why, kept with the record and its history."""

    record = ParentalKey(MeetingRecordPage, related_name="corrections", on_delete=models.CASCADE)
    made_on = models.DateField(_("datum"), default=timezone.localdate)
    paragraph_number = models.PositiveIntegerField(_("paragraf"), null=True, blank=True)
    description = models.TextField(_("vad som rättades"))
    reason = models.TextField(_("skäl till rättelsen"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rättat av"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("made_on"), FieldPanel("paragraph_number")]),
        FieldPanel("description"),
        FieldPanel("reason"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")

    def __str__(self):
        return f"{self.made_on}: {self.description}"

    @property
    def made_by_name(self):
        """Who made the rättelse, as the record shows it."""
        user = self.made_by
        return (user.get_full_name() or user.get_username()) if user is not None else ""


# --- the running sequence of paragraph numbers: one per forum and year --------------------------------


def numbers_in_use(forum, year, exclude_record_id=None):
    """{number: record} for the paragraphs of the forum's other records of that year."""
    paragraphs = Paragraph.objects.filter(
        record__path__startswith=forum.path, record__depth=forum.depth + 1, record__meeting_date__year=year
    ).select_related("record")
    if exclude_record_id:
        paragraphs = paragraphs.exclude(record_id=exclude_record_id)
    return {p.number: p.record for p in paragraphs}


def next_free_number(forum, year, exclude_record_id=None, also_taken=()):
    taken = set(numbers_in_use(forum, year, exclude_record_id)) | set(also_taken)
    return max(taken, default=0) + 1
