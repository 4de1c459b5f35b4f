"""Tags on every safety page type: one through-model per page type, as Wagtail's ClusterTaggableManager wants."""

from django.apps import apps
from django.db import models
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.models import Page

from safety_pages.access.visibility import visible


class ForumPageTag(TaggedItemBase):
    content_object = ParentalKey("safety_pages.ForumPage", related_name="tagged_items", on_delete=models.CASCADE)


class InstructionPageTag(TaggedItemBase):
    content_object = ParentalKey("safety_pages.InstructionPage", related_name="tagged_items", on_delete=models.CASCADE)


class CitizenDialogueIndexPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "safety_pages.CitizenDialogueIndexPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class CitizenDialogueReportPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "safety_pages.CitizenDialogueReportPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class SteeringDocumentPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "safety_pages.SteeringDocumentPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class SteeringDocumentIndexPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "safety_pages.SteeringDocumentIndexPage", related_name="tagged_items", on_delete=models.CASCADE
    )


def tagged_page_types():
    """Every safety page type with tags; a new page type with a `tags` manager is listed without changes here."""
    return [
        model
        for model in apps.get_app_config("safety_pages").get_models()
        if issubclass(model, Page) and hasattr(model, "tagged_items") and hasattr(model, "tags")
    ]


def readable_pages_with_tag(tag, reader, **filters):
    """The pages with this tag (filtered further by `filters`) that the reader (a request or a user) may see: the
    tag page lists them, and the bevakningar of a tag tell of them."""
    pages = []
    for model in tagged_page_types():
        pages += visible(model.objects.filter(tags=tag, **filters), reader).distinct()
    return pages
