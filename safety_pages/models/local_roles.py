"""Local roles (Plone's term): who edits, reviews and reads one forum, beside the site-wide groups.

Kept in a model of its own, one row per forum, so that granting rights is an
administrator's task (a snippet with its own permissions) and not something
any editor of the forum page can change on the page itself.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.models import GroupPagePermission

# A forum's own editors create and edit its pages; publishing goes through Granskning.
FORUM_EDITOR_RIGHTS = ("add_page", "change_page", "lock_page")


class ForumLocalRolesQuerySet(models.QuerySet):
    def naming_any_of(self, group_ids):
        """The forums' local roles in which one of these groups holds a role (any of GROUP_FIELDS)."""
        group_ids = list(group_ids)
        condition = Q()
        for name in ForumLocalRoles.GROUP_FIELDS:
            condition |= Q(**{f"{name}_id__in": group_ids})
        return self.filter(condition)


class ForumLocalRoles(models.Model):
    # Every role that opens the forum's closed content (its records before justering) to a group's members.
    GROUP_FIELDS = ("reader_group", "editor_group", "reviewer_group")

    forum = models.OneToOneField(
        "safety_pages.ForumPage",
        verbose_name=_("forum"),
        on_delete=models.CASCADE,
        related_name="local_roles",
    )
    editor_group = models.ForeignKey(
        Group,
        verbose_name=_("redaktörsgrupp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Gruppen får skapa och redigera sidor i just det här forumet, inte i andra forum."),
    )
    reviewer_group = models.ForeignKey(
        Group,
        verbose_name=_("justerargrupp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Får justera forumets protokoll i stället för protokollets utsedda justerare."),
    )
    reader_group = models.ForeignKey(
        Group,
        verbose_name=_("läsargrupp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Hålls i takt med forumets aktiva medlemskap (personer med användarkonto) av "
            "kommandot sync_forum_readers. Lämna tom så skapas gruppen automatiskt."
        ),
    )

    panels = [
        HelpPanel(
            content=_(
                "Lokala roller gäller bara det valda forumet och dess undersidor. Läsargruppen får läsa "
                "forumets ojusterade protokoll; dess medlemmar ändras automatiskt efter medlemskapen."
            )
        ),
        FieldPanel("forum"),
        FieldPanel("editor_group"),
        FieldPanel("reviewer_group"),
        FieldPanel("reader_group"),
    ]

    objects = ForumLocalRolesQuerySet.as_manager()

    class Meta:
        verbose_name = _("lokala roller för forum")
        verbose_name_plural = _("lokala roller för forum")

    def __str__(self):
        return str(self.forum)

    def save(self, *args, **kwargs):
        previous_editor_group_id = None
        if self.pk:
            previous_editor_group_id = (
                type(self).objects.filter(pk=self.pk).values_list("editor_group_id", flat=True).first()
            )
        super().save(*args, **kwargs)
        self.grant_forum_editor_rights(previous_editor_group_id)
        self.grant_justering_access()

    def group_ids(self):
        """The groups holding one of the forum's roles."""
        return {gid for gid in (getattr(self, f"{name}_id") for name in self.GROUP_FIELDS) if gid}

    def grant_forum_editor_rights(self, previous_editor_group_id=None):
        """Give the forum's editor group edit rights on the forum's subtree only; take them from a replaced group."""
        permissions = list(
            Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=FORUM_EDITOR_RIGHTS)
        )
        if previous_editor_group_id and previous_editor_group_id != self.editor_group_id:
            GroupPagePermission.objects.filter(
                group_id=previous_editor_group_id, page_id=self.forum_id, permission__in=permissions
            ).delete()
        if self.editor_group_id:
            for permission in permissions:
                GroupPagePermission.objects.get_or_create(
                    group_id=self.editor_group_id, page_id=self.forum_id, permission=permission
                )
            # The forum's secretary sends its kallelser; the right counts only where the group may edit. Kept when
            # the group is replaced: without edit rights on a meeting it opens nothing.
            self.editor_group.permissions.add(
                Permission.objects.get(content_type__app_label="safety_pages", codename="send_kallelse")
            )

    def grant_justering_access(self):
        """A justerargrupp approves records in the admin's workflow view, so it may log in to the admin.

        Nothing more: which records it may justera is the Justering task's rule (workflow_tasks.py).
        """
        if self.reviewer_group_id:
            access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
            self.reviewer_group.permissions.add(access_admin)
