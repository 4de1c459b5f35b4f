"""Cache keys of page fragments that take long to draw: a digest of exactly what the fragment shows.

Templates cache such a fragment with `{% cache %}` under this digest (and the
language), so nothing needs invalidating: an edit to anything shown makes a
new key, and the old entry ages out. Only fragments that are the same for
every reader who may open the page are keyed here (the page itself is checked
by visibility.py before any of it is drawn). One gap is accepted and bounded
by the cache timeout in the templates (10 minutes): rich text stores links to
pages by id, so a linked page that moves keeps its old address in a cached
fragment until then.
"""

import hashlib

from django.apps import apps
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Collection, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from safety_pages.models.content_generation import ContentGeneration


def digest(parts):
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def paragraph_body_key(paragraph):
    """Everything includes/paragraph_body.html draws of one paragraph, its basis documents included."""
    if paragraph.sealed_paragraph:  # a sekretess paragraph drawn for one who may not read it: its notice only
        return digest(["sealed", paragraph.pk, str(paragraph.secrecy_notice)])
    documents = [
        (label, document.pk, document.title, document.file.name) if document else (label,)
        for label, document in paragraph.basis_items()
    ]
    return digest(
        [
            paragraph.pk,
            paragraph.background,
            paragraph.summary,
            documents,
            paragraph.motions.raw_data,
            paragraph.proposal_heading,
            paragraph.proposal,
            paragraph.decision_heading,
            paragraph.decision,
            paragraph.reservations,
            paragraph.disqualifications,
            paragraph.sent_to,
            paragraph.secret,
            paragraph.secrecy_reference,
        ]
    )


def members_key(members_by_role, seats):
    """Everything the members section of a forum page draws: seats, and each active member as shown."""
    rows = []
    for role, label, members in members_by_role:
        rows.append((role, str(label)))
        for m in members:
            person = m.person
            rows.append(
                (
                    m.pk,
                    m.substitute_order,
                    m.note,
                    str(person) if person else None,
                    person.title if person else None,
                    str(m.organisation) if m.organisation_id else None,
                )
            )
    return digest([rows, seats])


# --- the content generation ----------------------------------------------------------------------
#
# Fragments that need many rows to compute a digest of (a whole record, a forum's
# page) are keyed instead by the content generation: one counter row, bumped in
# the saving transaction by every save or delete of anything a page may show
# (`connect_generation`, below). A cache hit then costs one query. The counter is read once per
# request, before anything it shows is loaded (GenerationPageMixin.serve, and
# the case view), so a fragment drawn from rows older than a change can never
# be stored under the generation that change made.

GENERATION_ATTR = "_content_generation"


def read_generation():
    return ContentGeneration.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def generation(request):
    """The content generation of this request, read once (by the middleware, or at the first ask)."""
    if request is None:
        return read_generation()
    if not hasattr(request, GENERATION_ATTR):
        setattr(request, GENERATION_ATTR, read_generation())
    return getattr(request, GENERATION_ATTR)


def bump_generation():
    """Make every fragment keyed by the generation stale: called inside the transaction that changes content."""
    if not ContentGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        ContentGeneration.objects.get_or_create(pk=1, defaults={"value": 1})


class GenerationPageMixin:
    """For page types whose templates cache fragments under the generation: read it before serving.

    serve() runs after routing and Wagtail's own access checks, before the page's visibility rule
    and its context load anything the page shows. The page's own row was loaded by routing, before
    this; a fragment that shows the page's fields names `page.live_revision_id` in its key, so a row
    older than a publish can never fill the entry that fresh readers use.
    """

    def serve(self, request, *args, **kwargs):
        generation(request)
        return super().serve(request, *args, **kwargs)


# Fragments under the generation are stale after the next change anyway; the timeout bounds memory.
GENERATION_TIMEOUT = 600


class Lazy:
    """A context value computed at its first use (templates call it), so a cached fragment never computes it."""

    def __init__(self, compute):
        self.compute = compute

    def __call__(self):
        if not hasattr(self, "value"):
            self.value = self.compute()
        return self.value


# --- what bumps it ------------------------------------------------------------------------------

# Models whose rows pages show: every page type, our registers and child objects, files, tags, and
# what decides visibility. Not per-visit state (sessions, logins, revisions, the search queue, image
# renditions), which would empty the caches for nothing.
GENERATION_APPS = {"safety_pages", "wagtaildocs", "wagtailimages", "taggit"}
NOT_CONTENT = {
    "safety_pages.contentgeneration",
    "safety_pages.calendarsubscription",
    "wagtailimages.rendition",
}


def _content_changed(sender, **kwargs):
    bump_generation()


def generation_models():
    for model in apps.get_models():
        if model._meta.label_lower in NOT_CONTENT or model._meta.proxy:
            continue
        if (
            model._meta.app_label in GENERATION_APPS
            or issubclass(model, Page)
            or model in (PageViewRestriction, Site, Collection)
        ):
            yield model


def connect_generation():
    """Bump the generation on every save, delete and many-to-many change of a content model (from `ready()`).

    Connected per model, not for all senders: a receiver for every model would turn
    Django's fast bulk deletes (expired sessions, login attempts) into row-by-row ones.
    """
    for model in generation_models():
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"generation-save-{model._meta.label}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"generation-delete-{model._meta.label}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_content_changed, sender=through, dispatch_uid=f"generation-m2m-{through._meta.label}")
    # A restriction's groups, and what Wagtail does with bulk updates (a move rewrites descendants'
    # url_path) or after its saves: publishing and unpublishing end with a bump of their own.
    m2m_changed.connect(_content_changed, sender=PageViewRestriction.groups.through, dispatch_uid="generation-pvr")
    post_page_move.connect(_content_changed, dispatch_uid="generation-move")
    page_published.connect(_content_changed, dispatch_uid="generation-publish")
    page_unpublished.connect(_content_changed, dispatch_uid="generation-unpublish")
