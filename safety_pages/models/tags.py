"""Tags on every safety page type: one through-model per page type, as Wagtail's ClusterTaggableManager wants."""

from django.db import models
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase


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
