"""Rättelse: the only way to change a justerat record, recorded with date, reason and who made it."""

from django.utils import timezone
from django.utils.translation import gettext as _

from safety_pages.models import Correction


class RecordLocked(Exception):
    pass


def correct(record, *, description, reason, change, user=None, paragraph_number=None, publish=True):
    """Change a justerat record through a rättelse: the change and its reason land in one new revision.

    `change(page)` edits the latest revision of the record in memory. Returns the new revision.
    """
    if not (reason or "").strip():
        raise RecordLocked(_("En rättelse måste ha ett skäl."))
    page = record.get_latest_revision_as_object()
    for relation in ("paragraphs", "attendances", "corrections"):
        # In memory, so `change` edits the rows that this revision will hold.
        setattr(page, relation, list(getattr(page, relation).all()))
    change(page)
    page.corrections.add(
        Correction(
            made_on=timezone.localdate(),
            paragraph_number=paragraph_number,
            description=description,
            reason=reason,
            made_by=user,
        )
    )
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return revision
