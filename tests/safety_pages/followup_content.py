"""Content made for the follow-up tests: steering documents and dialogue reports under a demo section."""

import datetime
import itertools

from intranet.demo.pages import upsert_child
from safety_pages.models import (
    CitizenDialogueIndexPage,
    CitizenDialogueReportPage,
    DialogueAction,
    SteeringDocumentIndexPage,
    SteeringDocumentPage,
)

_numbers = itertools.count(1)


def steering_index(section, slug="test-styrdokument"):
    page, _created = upsert_child(section, SteeringDocumentIndexPage, slug, title="Teststyrdokument")
    return page


def document(index, title, **fields):
    fields.setdefault("kind", "handlingsplan")
    page, _created = upsert_child(index, SteeringDocumentPage, f"dok-{next(_numbers)}", title=title, **fields)
    return page


def dialogue_index(section, slug="test-dialog", **fields):
    page, _created = upsert_child(section, CitizenDialogueIndexPage, slug, title="Testdialoger", **fields)
    return page


def report(index, title, actions=(), held_from=datetime.date(2026, 4, 1), **fields):
    page, _created = upsert_child(
        index, CitizenDialogueReportPage, f"rapport-{next(_numbers)}", title=title, held_from=held_from, **fields
    )
    if actions:
        page.actions = [DialogueAction(**action) for action in actions]
        page.save_revision().publish()
    return page
