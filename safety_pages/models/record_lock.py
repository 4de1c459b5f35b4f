"""The lock after justering: once justerat, a record's text changes only through a rättelse (issue 20, item 2).

Every path that changes a record saves a revision first: the admin form, a revert to an older revision, the
workflow, the importer and `safety_pages.meetings.corrections`. So the record's `save_revision` asks
`lock_error` and refuses what would change the justerat text without a new rättelse, whichever path it came
by; the admin form (`meeting_forms.py`) and the revert view (`safety_pages.editing.locks`) say the same
earlier, on the form. Below the record model: these functions get the record, never import it.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safety_pages.models import signatures
from safety_pages.models.autosave_rows import normalised

LOCKED_MESSAGE = gettext_lazy(
    "Protokollet är justerat och texten är låst. Lägg till en rättelse med skäl under fliken "
    "”Justering och anslag” för att ändra det."
)


def locked_text(record):
    """The justerat record as its latest revision when its text is locked, else None.

    `record` is the stored record (not an unsaved change to it). Justerat means a justering date on the
    latest revision that came from the signatures (standing ones: a begärd ändring voids them; a rättelse
    after justering changes the text but not that it was justerat) or that was published: a date typed into
    a draft by some other path locks nothing (`needs_justering`).
    """
    if not record.pk:
        return None
    revision = record.get_latest_revision()
    if revision is not None and not revision.content.get("adjusted_on"):
        return None  # the common case, a draft: answered without building the revision's object
    latest = revision.as_object() if revision is not None else record
    if latest.adjusted_on is None:
        return None
    published = (
        type(record).objects.filter(pk=record.pk, adjusted_on__isnull=False, last_published_at__isnull=False).exists()
    )
    signed = signatures.signatures_of(record).filter(action=signatures.SignatureAction.SIGNED, voided_at__isnull=True)
    if published or signed.exists():
        return latest
    return None


def _correction_rows(page):
    # By content, not by id: a rättelse saved with its revision has no id in that revision's content yet.
    return [
        (str(c.made_on), c.paragraph_number, c.description.strip(), c.reason.strip()) for c in page.corrections.all()
    ]


def lock_error(page):
    """Why saving `page` (a record in memory, about to become a revision) would break the lock, or None."""
    stored = type(page).objects.filter(pk=page.pk).first() if page.pk else None
    locked = locked_text(stored) if stored is not None else None
    if locked is None:
        return None
    if page.adjusted_on != locked.adjusted_on:
        return _("Justeringsdatumet sätts av justeringen och kan varken ändras eller tas bort.")
    before, after = _correction_rows(locked), _correction_rows(page)
    remaining = list(after)
    for row in before:
        if row not in remaining:
            return _("En registrerad rättelse kan varken ändras eller tas bort.")
        remaining.remove(row)
    if any(reason for _made_on, _number, _description, reason in remaining):
        return None  # a new rättelse with its reason: the change is recorded
    if normalised(page.text_as_signed()) != normalised(locked.text_as_signed()):
        return str(LOCKED_MESSAGE)
    return None
