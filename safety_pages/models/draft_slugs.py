"""A new page whose address is taken by the editor's own autosaved, never published draft.

Wagtail 8 autosaves a new page by creating it as a draft. An editor who leaves that tab and starts the same
record again met "Sluggen … används redan" on the Publicering tab, with no hint that the clash is her own
draft. Her own draft of the same page type now takes the new form (editing/autosaved_drafts.py); for one of
another type the form says so above the form, with a link to carry on with that draft.
"""

from django.forms.forms import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _


def own_draft_with_slug(parent, slug, user, exclude_pk=None):
    """The never published child of `parent` at `slug` whose latest revision `user` saved, or None."""
    if parent is None or not slug or user is None:
        return None
    drafts = parent.get_children().filter(slug=slug, live=False, first_published_at__isnull=True)
    draft = drafts.exclude(pk=exclude_pk).select_related("latest_revision").first()
    if draft is None or draft.latest_revision is None or draft.latest_revision.user_id != user.pk:
        return None
    return draft


class OwnDraftSlugMixin:
    """For a WagtailAdminPageForm: a slug clash with the editor's own draft is explained, with a link to it."""

    def clean(self):
        cleaned_data = super().clean()
        if "slug" not in self.errors:
            return cleaned_data
        slug = self.data.get(self.add_prefix("slug"))
        draft = own_draft_with_slug(self.parent_page, slug, self.for_user, exclude_pk=self.instance.pk)
        if draft is None:
            return cleaned_data
        message = format_html(
            _(
                "Du har redan påbörjat ”{title}” med adressen ”{slug}”; det sparades automatiskt {when} men har "
                'aldrig publicerats. <a href="{url}">Fortsätt på det utkastet</a> eller ta bort det och börja om.'
            ),
            title=draft.draft_title or draft.title,
            slug=slug,
            when=date_format(localtime(draft.latest_revision.created_at), "Y-m-d H.i"),
            url=reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        )
        # Replaces Wagtail's bare message on the slug field, and is repeated above the form, whatever the tab.
        self.errors["slug"] = self.error_class([message])
        self.errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield")).append(message)
        return cleaned_data
