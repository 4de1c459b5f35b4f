"""The personal-data and sekretess check (issue 20, item 4): what in a text may not be published.

Pure functions over text (`scan_text`), and the sources of a page (`page_sources`: its fields, its child rows
such as a record's paragraphs, and the text of the documents it uses). Municipal guidance is that every
protokoll is checked for these before publishing; the admin (safety_pages.editing.personal_data) shows the
findings and refuses Granskning and publishing while one is neither resolved nor acknowledged.

What is found:
- personnummer and samordningsnummer (day + 60), 12 or 10 digits, with "-", "+" or no separator, only when
  the date exists and the check digit (Luhn) is right: a wrong check digit is a typo or another number, and
  flagging every ten digits would drown the editor;
- Swedish phone numbers (phonenumbers, region SE, only numbers valid for their number range);
- e-mail addresses, except those of persons in the persons register (their address is published with their
  consent as members) and functional addresses (registrator@…, info@…): those name a function, not a person;
- sekretess markers: "sekretess enligt", "sekretessbelagd", "OSL", "offentlighets- och sekretesslagen",
  "21 kap." (OSL's chapter on personal circumstances; other chapters, e.g. kommunallagen 13 kap., are not
  markers).

Case numbers (KS/2017:152, KS2007/0459-10, Dnr 2026/123), dates, § numbers, amounts and postcodes are not
personal data and must not be flagged: the patterns below require a valid checksum, a valid phone range or
word boundaries that these forms never meet (the corpus in tests/safety_pages/models/test_personal_data.py).

A finding's fingerprint is its kind, its normalised value and its place: an acknowledgement holds for that
number in that place, and a new occurrence elsewhere is a new finding.
"""

import datetime
import hashlib
import html
import re
from dataclasses import dataclass

import phonenumbers
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel, get_all_child_relations
from stdnum import luhn
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, ReferenceIndex

from safety_pages.access.signals import document_texts_wanted
from safety_pages.models.registers import Person

PERSONAL_IDENTITY_NUMBER = "personnummer"
COORDINATION_NUMBER = "samordningsnummer"
PHONE = "telefon"
EMAIL = "epost"
SECRECY = "sekretess"

KIND_LABELS = {
    PERSONAL_IDENTITY_NUMBER: _("Personnummer"),
    COORDINATION_NUMBER: _("Samordningsnummer"),
    PHONE: _("Telefonnummer"),
    EMAIL: _("E-postadress"),
    SECRECY: _("Sekretessmarkering"),
}

# 12 or 10 digits with an optional "-" or "+" before the last four; not part of a longer number, a case number
# (KS2007/0459-10: "/" and "-" neighbours) or a date (2026-12-03 has no four-digit tail).
IDENTITY_NUMBER = re.compile(r"(?<![\w/:.-])((?:19|20)?\d{6})([-+]?)(\d{4})(?![\w/:-])")
EMAIL_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")
SECRECY_MARKERS = re.compile(
    r"sekretess\s+enligt|sekretessbelag\w*|offentlighets-\s+och\s+sekretesslag\w*|\bOSL\b|\b21\s+kap\.",
    re.IGNORECASE,
)
# Local parts that name a function, not a person. Why: such an address is the organisation's, published on
# its own web site; it is no personal data.
FUNCTIONAL_LOCAL_PARTS = frozenset(
    {
        "registrator",
        "registratur",
        "diariet",
        "kommun",
        "kommunen",
        "kommunstyrelsen",
        "info",
        "information",
        "kontakt",
        "kundtjanst",
        "kontaktcenter",
        "servicecenter",
        "medborgarservice",
        "press",
        "växel",
        "vaxel",
        "trygghet",
        "sakerhet",
        "noreply",
        "no-reply",
    }
)
SNIPPET_CONTEXT = 30
# Child rows whose fields are no text of the page (the page's history and its ordering).
SKIPPED_RELATIONS = frozenset({"comments", "wagtail_admin_comments"})
# Page fields that are never the page's text (addresses, search settings).
SKIPPED_FIELDS = frozenset({"slug", "url_path", "seo_title", "search_description", "draft_title", "path"})


@dataclass(frozen=True)
class Finding:
    kind: str
    value: str  # as written
    place: str  # a stable key: "field:agenda", "paragraphs:12:background", "document:5"
    place_label: str  # what the editor reads: "§ 12 – Bakgrund", "Bilaga: Missiv.pdf"
    snippet: str  # the value with some text around it

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def fingerprint(self):
        if self.kind in (EMAIL, SECRECY):
            normal = re.sub(r"\s+", " ", self.value).lower()
        elif self.kind == PHONE:
            normal = _digits(self.value).removeprefix("46").lstrip("0")
        else:
            normal = _digits(self.value)[-10:]  # with or without the century
        return hashlib.sha256(f"{self.kind}|{normal}|{self.place}".encode()).hexdigest()[:24]

    @property
    def masked(self):
        """The value with most of it hidden, for the log (which must not become a copy of the personal data)."""
        if self.kind == SECRECY:
            return self.value
        keep = 3 if self.kind == EMAIL else 4
        return self.value[:keep] + "…"


def _digits(value):
    return re.sub(r"\D", "", value)


# --- the text scanner --------------------------------------------------------------------------------


def identity_number_kind(digits10):
    """PERSONAL_IDENTITY_NUMBER, COORDINATION_NUMBER or None for ten digits YYMMDDNNNC."""
    if len(digits10) != 10 or not luhn.is_valid(digits10):
        return None
    month, day = int(digits10[2:4]), int(digits10[4:6])
    kind = PERSONAL_IDENTITY_NUMBER
    if day > 60:
        day, kind = day - 60, COORDINATION_NUMBER
    try:
        # A leap year, so that 29 February passes whatever the century.
        datetime.date(2000, month, day)
    except ValueError:
        return None
    return kind


def _identity_numbers(text):
    for match in IDENTITY_NUMBER.finditer(text):
        # The check digit is over the ten digits without the century.
        kind = identity_number_kind(match.group(1)[-6:] + match.group(3))
        if kind is not None:
            yield kind, match.start(), match.end()


def _phones(text, taken):
    for match in phonenumbers.PhoneNumberMatcher(text, "SE", leniency=phonenumbers.Leniency.VALID):
        end = match.start + len(match.raw_string)
        if any(start < end and match.start < stop for start, stop in taken):
            continue  # part of an identity number already found
        yield PHONE, match.start, end


def _emails(text, known):
    for match in EMAIL_ADDRESS.finditer(text):
        address = match.group(0).lower()
        local = address.split("@", 1)[0]
        if address in known or local in FUNCTIONAL_LOCAL_PARTS:
            continue
        yield EMAIL, match.start(), match.end()


def _snippet(text, start, end):
    before = text[max(0, start - SNIPPET_CONTEXT) : start]
    after = text[end : end + SNIPPET_CONTEXT]
    prefix = "…" if start > SNIPPET_CONTEXT else ""
    suffix = "…" if end + SNIPPET_CONTEXT < len(text) else ""
    return re.sub(r"\s+", " ", f"{prefix}{before}{text[start:end]}{after}{suffix}").strip()


def scan_text(text, place="", place_label="", known_emails=frozenset()):
    """The findings in a plain text, in order of place in the text. `known_emails`: lower-case addresses that are
    not findings (the persons register's)."""
    if not text:
        return []
    spans = list(_identity_numbers(text))
    taken = [(start, end) for _kind, start, end in spans]
    spans += _phones(text, taken)
    spans += _emails(text, known_emails)
    spans += [(SECRECY, m.start(), m.end()) for m in SECRECY_MARKERS.finditer(text)]
    return [
        Finding(kind, text[start:end], place, str(place_label), _snippet(text, start, end))
        for kind, start, end in sorted(spans, key=lambda span: span[1])
    ]


def registered_emails():
    """The persons register's addresses, lower case: a member's address is not a finding."""
    return frozenset(e.lower() for e in Person.objects.exclude(email="").values_list("email", flat=True))


# --- the sources of a page --------------------------------------------------------------------------


def _as_text(field, value):
    if value is None:
        return ""
    if isinstance(field, StreamField):
        return "\n".join(_stream_strings(value.raw_data if hasattr(value, "raw_data") else value))
    if isinstance(field, RichTextField):
        # Block ends become line ends, so that two paragraphs' numbers never join into one.
        return html.unescape(strip_tags(re.sub(r"</(p|li|h\d|td|tr)>|<br\s*/?>", "\n", str(value))))
    return str(value)


def _stream_strings(data):
    """Every string in a StreamField's raw data (labels, texts), but not its block types and ids."""
    if isinstance(data, str):
        yield html.unescape(strip_tags(data))
    elif isinstance(data, dict):
        for key, item in data.items():
            if key not in ("type", "id"):
                yield from _stream_strings(item)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _stream_strings(item)


def _text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | StreamField)
        and not field.choices
        and field.name not in SKIPPED_FIELDS
        and (field.model is not Page or field.name == "title")
    ]


def _child_label(relation, child):
    if getattr(child, "number", None):
        return f"§ {child.number}"
    return str(relation.related_model._meta.verbose_name).capitalize()


def _object_sources(obj, place, label):
    for field in _text_fields(type(obj)):
        text = _as_text(field, field.value_from_object(obj))
        if text.strip():
            field_label = str(field.verbose_name)
            yield f"{place}{field.name}", f"{label} – {field_label}" if label else field_label.capitalize(), text


def page_sources(page):
    """(place, place label, text) for each text field of the page and of its child rows (paragraphs, attendance,
    corrections…), in form order. Works on an unsaved in-memory page (the admin form's)."""
    yield from _object_sources(page, "field:", "")
    if not isinstance(page, ClusterableModel):
        return
    for relation in get_all_child_relations(page):
        name = relation.get_accessor_name()
        if name in SKIPPED_RELATIONS:
            continue
        for index, child in enumerate(getattr(page, name).all()):
            yield from _object_sources(child, f"{name}:{_row_key(child, index)}:", _child_label(relation, child))


def _secret_rows(page):
    """The places ("paragraphs:7") of the child rows marked sekretess (the paragraphs' `secret` flag)."""
    if not isinstance(page, ClusterableModel):
        return set()
    rows = set()
    for relation in get_all_child_relations(page):
        name = relation.get_accessor_name()
        if name in SKIPPED_RELATIONS:
            continue
        for index, child in enumerate(getattr(page, name).all()):
            if getattr(child, "secret", False) is True:
                rows.add(f"{name}:{_row_key(child, index)}")
    return rows


def _row_key(child, index):
    return getattr(child, "number", None) or child.pk or f"new{index}"


def page_documents(page):
    """The documents the page uses (choosers, rich-text links, attachment rows), read from the page as it is in
    memory: the reference index of the saved page would miss what the editor just added."""
    document_model = get_document_model()
    document_type = ContentType.objects.get_for_model(document_model).pk
    # Wagtail's own extractor of references, so that what counts as "used" is what its index and our
    # download rule (visibility.can_view_document) count.
    ids = {
        int(object_id)
        for type_id, object_id, _model_path, _content_path in ReferenceIndex._extract_references_from_object(page)
        if type_id == document_type and str(object_id).isdigit()
    }
    return sorted(document_model.objects.filter(pk__in=ids), key=lambda d: (d.title, d.pk))


def document_texts(documents):
    """{document id: extracted text}, from whoever extracts it (search's extractor listens; safety_pages works
    without search, and then checks no attachments)."""
    texts = {}
    for _receiver, response in document_texts_wanted.send(sender=Page, documents=list(documents)):
        texts.update(response or {})
    return texts


def scan_page(page, known_emails=None):
    """Every finding of the page: its text and its attachments' text."""
    known = registered_emails() if known_emails is None else known_emails
    findings = []
    secret_rows = _secret_rows(page)
    for place, label, text in page_sources(page):
        found = scan_text(text, place, label, known)
        if place.rsplit(":", 1)[0] in secret_rows:
            # A row the editor has marked sekretess names its OSL ground on purpose, and its text is shown only
            # to its readers (the Paragraph's `secret` flag): its markers are expected, its numbers still count.
            found = [finding for finding in found if finding.kind != SECRECY]
        findings += found
    documents = page_documents(page)
    texts = document_texts(documents)
    for document in documents:
        label = str(_("Bilaga: %(name)s") % {"name": Truncator(document.title).chars(80)})
        findings += _scan_attachment(texts.get(document.pk, ""), f"document:{document.pk}", label, known)
    return findings


# Findings of attachment texts already scanned in this process, by the text's digest: a file's text is up to
# 100 000 characters (about 0.7 s to scan) and the edit form, its panel and the submit each scan the page again.
_attachment_scans = {}
MAX_REMEMBERED_SCANS = 256


def _scan_attachment(text, place, label, known):
    key = (hashlib.sha256(text.encode()).hexdigest(), place, label, frozenset(known))
    if key not in _attachment_scans:
        if len(_attachment_scans) >= MAX_REMEMBERED_SCANS:
            _attachment_scans.clear()
        _attachment_scans[key] = scan_text(text, place, label, known)
    return list(_attachment_scans[key])
