"""Workflow tasks of our own: justering of meeting records.

The task works with any page type that takes part in justering, recognised by
duck typing (see `safety_pages/editing/workflows.py`, "The justering protocol"), so
the workflow can be set up before or without the record model. Pages of other
types pass the task as skipped, which lets one workflow, "Granskning", serve
every safety page type.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from safety_pages.access.roles import grant_justering_login
from safety_pages.models.forums import ForumPage
from safety_pages.models.local_roles import ForumLocalRoles


def takes_part_in_justering(page):
    needs = getattr(page, "needs_justering", None)
    return callable(needs) and bool(needs())


def _forum_of(page):
    forum = getattr(page, "forum", None)
    if isinstance(forum, ForumPage):
        return forum
    return ForumPage.objects.ancestor_of(page).order_by("-depth").first()


def justering_approvers(page):
    """Users who may justera `page`: its justerare and the members of its forum's justerargrupp."""
    user_ids = set()
    users = getattr(page, "justering_users", None)
    if callable(users):
        user_ids |= {user.pk for user in users() if user is not None}
    forum = _forum_of(page)
    if forum is not None:
        reviewer_group_id = (
            ForumLocalRoles.objects.filter(forum_id=forum.pk).values_list("reviewer_group_id", flat=True).first()
        )
        if reviewer_group_id:
            user_ids |= set(get_user_model().objects.filter(groups__pk=reviewer_group_id).values_list("pk", flat=True))
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)


def apply_justering(task_state, user):
    """Record the justering on a new revision of the page under review and return that revision."""
    page = task_state.workflow_state.content_object.specific.get_latest_revision_as_object()
    page.set_justering(user, timezone.localdate())
    starts_at = getattr(page, "anslag_starts_at", None)
    starts_at = starts_at() if callable(starts_at) else None
    if starts_at is not None and starts_at > timezone.now():
        page.go_live_at = starts_at
    return page.save_revision(user=user, log_action=True)


class JusteringTask(Task):
    fallback_groups = models.ManyToManyField(
        Group,
        verbose_name=_("grupper som alltid får justera"),
        blank=True,
        related_name="+",
        help_text=_("Utöver protokollets justerare och forumets justerargrupp, t.ex. kommunens registratorer."),
    )

    admin_form_fields = Task.admin_form_fields + ["fallback_groups"]

    class Meta:
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")

    @classmethod
    def get_description(cls):
        return _(
            "Protokollets justerare eller forumets justerargrupp justerar; justeringen låser texten och publicerar."
        )

    def _page(self, obj):
        return getattr(obj, "specific", obj)

    def may_approve(self, obj, user):
        if not (user and user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        if self.fallback_groups.filter(pk__in=user.groups.values("pk")).exists():
            return True
        return justering_approvers(self._page(obj)).filter(pk=user.pk).exists()

    def start(self, workflow_state, user=None):
        page = self._page(workflow_state.content_object)
        if takes_part_in_justering(page):
            grant_justering_login(page.justering_users())
            return super().start(workflow_state, user=user)
        # Not a record: nothing to justera. A skipped state lets the workflow go on to publishing.
        task_state = self.get_task_state_class()(workflow_state=workflow_state)
        task_state.status = TaskState.STATUS_SKIPPED
        task_state.revision = workflow_state.content_object.get_latest_revision()
        task_state.task = self
        task_state.save()
        return task_state

    def user_can_access_editor(self, obj, user):
        return self.may_approve(obj, user)

    def locked_for_user(self, obj, user):
        # While the record awaits justering its text is what the justerare sign: only they may touch it.
        return not self.may_approve(obj, user)

    def get_actions(self, obj, user):
        if self.may_approve(obj, user):
            return [
                ("reject", _("Begär ändringar"), True),
                ("approve", _("Justera"), False),
                ("approve", _("Justera med kommentar"), True),
            ]
        return []

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            task_state.revision = apply_justering(task_state, user)
            task_state.save(update_fields=["revision"])
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("workflow_state")
        allowed = [state.pk for state in states if self.may_approve(state.workflow_state.content_object, user)]
        return TaskState.objects.filter(pk__in=allowed)
