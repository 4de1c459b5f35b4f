"""The content generation: one counter in the database, bumped by every save of anything pages show.

Fragments that are slow to draw are cached under a key that includes it (see
safety_pages/fragments.py), so a cache hit costs one tiny query instead of
loading what the fragment shows, and an edit on any app server is seen by the
next request on every other one: the counter lives in the database, not in a
process.
"""

from django.db import models


class ContentGeneration(models.Model):
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "content generation"
        default_permissions = ()

    def __str__(self):
        return str(self.value)
