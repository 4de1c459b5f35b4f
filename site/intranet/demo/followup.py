"""Demo citizen dialogues and steering documents (fixtures/demo/followup.json).

Runs after the forum step: it links to forums by slug and creates a minimal
stand-in only for a forum that step has not made. Relations (parties, forums,
feedback and actions) are compared before they are written, so a second run
writes no revision.
"""

import datetime
import json

from django.db import models

from intranet.demo.pages import upsert_child
from safety_pages.models import (
    CitizenDialogueIndexPage,
    CitizenDialogueReportPage,
    Decision,
    DialogueAction,
    FeedbackItem,
    ForumIndexPage,
    ForumPage,
    Organisation,
    SteeringDocumentIndexPage,
    SteeringDocumentPage,
)

FORUM_INDEX_SLUG = "organisation"
FORUM_INDEX_TITLE = "Organisation för trygghet och säkerhet"


def _typed(model, fields, lookups):
    """Fixture values as the model holds them: ISO dates as dates, keys of forums/decisions as objects."""
    result = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.DateField) and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        elif isinstance(field, models.ForeignKey) and isinstance(value, str):
            value = lookups[field.related_model][value]
        result[name] = value
    return result


def _ensure_forums(context, data):
    forums = {}
    for section_slug, entries in data.items():
        if section_slug.startswith("_"):
            continue
        section = context.sections[section_slug]
        index = section.get_children().filter(slug=FORUM_INDEX_SLUG).first()
        if index is None:
            index, _created = upsert_child(section, ForumIndexPage, FORUM_INDEX_SLUG, title=FORUM_INDEX_TITLE)
        for entry in entries:
            forum = index.get_children().filter(slug=entry["slug"]).first()
            if forum is None:
                forum, _created = upsert_child(
                    index, ForumPage, entry["slug"], title=entry["title"], kind=entry["kind"], level=entry["level"]
                )
            forums[(section_slug, entry["slug"])] = forum.specific
    return forums


def _ensure_decision(entry):
    date = datetime.date.fromisoformat(entry["date"])
    if entry["case_number"]:
        existing = Decision.objects.filter(case_number=entry["case_number"], paragraph=entry["paragraph"]).first()
    else:
        existing = Decision.objects.filter(date=date, paragraph=entry["paragraph"], body=entry["body"]).first()
    if existing:
        return existing
    return Decision.objects.create(**{**entry, "date": date})


def _sync_relations(page, many=None, children=None):
    """Set many-to-many and child rows when they differ from the live page; publish once if anything changed."""
    changed = False
    for name, objects in (many or {}).items():
        if {o.pk for o in getattr(page, name).all()} != {o.pk for o in objects}:
            setattr(page, name, objects)
            changed = True
    for name, (model, rows) in (children or {}).items():
        current = [
            {key: getattr(child, f"{key}_id" if key.startswith("responsible_") else key) for key in row}
            for child, row in zip(getattr(page, name).all(), rows, strict=False)
        ]
        wanted = [{key: getattr(value, "pk", value) for key, value in row.items()} for row in rows]
        if getattr(page, name).count() != len(rows) or current != wanted:
            setattr(page, name, [model(**row) for row in rows])
            changed = True
    if changed:
        page.save_revision().publish()
    return changed


def load(context):
    data = json.loads((context.fixtures_dir / "followup.json").read_text(encoding="utf-8"))
    forums = _ensure_forums(context, data["forums"])
    organisations = {}
    for entry in data["organisations"]:
        organisation, _created = Organisation.objects.get_or_create(
            name=entry["name"], defaults={"kind": entry["kind"], "internal": entry["internal"]}
        )
        organisations[entry["name"]] = organisation
    decisions = {key: _ensure_decision(entry) for key, entry in data["decisions"].items()}

    for section_slug, spec in data["dialogues"].items():
        section = context.sections[section_slug]
        lookups = {Decision: decisions}
        index, _created = upsert_child(
            section, CitizenDialogueIndexPage, spec["slug"], **_typed(CitizenDialogueIndexPage, spec["fields"], lookups)
        )
        for report_spec in spec["reports"]:
            report, _created = upsert_child(
                index,
                CitizenDialogueReportPage,
                report_spec["slug"],
                **_typed(CitizenDialogueReportPage, report_spec["fields"], lookups),
            )
            section_forums = {slug: forum for (sec, slug), forum in forums.items() if sec == section_slug}
            actions = []
            for row in report_spec["actions"]:
                row = dict(row)
                if "responsible_forum" in row:
                    row["responsible_forum"] = section_forums[row["responsible_forum"]]
                if "responsible_organisation" in row:
                    row["responsible_organisation"] = organisations[row["responsible_organisation"]]
                row.setdefault("responsible_forum", None)
                row.setdefault("responsible_organisation", None)
                row["due_on"] = datetime.date.fromisoformat(row["due_on"])
                actions.append(row)
            _sync_relations(
                CitizenDialogueReportPage.objects.get(pk=report.pk),
                many={
                    "partners": [organisations[name] for name in report_spec["partners"]],
                    "handling_forums": [section_forums[slug] for slug in report_spec["handling_forums"]],
                },
                children={
                    "feedback_items": (FeedbackItem, report_spec["feedback_items"]),
                    "actions": (DialogueAction, actions),
                },
            )
            context.registry.setdefault("dialogue_reports", {})[(section_slug, report_spec["slug"])] = report

    for section_slug, spec in data["steering"].items():
        section = context.sections[section_slug]
        index, _created = upsert_child(
            section, SteeringDocumentIndexPage, spec["slug"], **_typed(SteeringDocumentIndexPage, spec["fields"], {})
        )
        section_forums = {slug: forum for (sec, slug), forum in forums.items() if sec == section_slug}
        lookups = {Decision: decisions, ForumPage: section_forums}
        documents = {}
        for doc_spec in spec["documents"]:
            documents[doc_spec["slug"]], _created = upsert_child(
                index,
                SteeringDocumentPage,
                doc_spec["slug"],
                **_typed(SteeringDocumentPage, doc_spec["fields"], lookups),
            )
        # Relations after all pages exist: a new document names the older ones it replaces.
        for doc_spec in spec["documents"]:
            _sync_relations(
                SteeringDocumentPage.objects.get(pk=documents[doc_spec["slug"]].pk),
                many={
                    "parties": [organisations[name] for name in doc_spec.get("parties", [])],
                    "supersedes": [documents[slug] for slug in doc_spec.get("supersedes", [])],
                },
            )
        context.registry.setdefault("steering_documents", {}).update(
            {(section_slug, slug): page for slug, page in documents.items()}
        )
