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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry, Task, TaskState

from safety_pages.access.roles import grant_justering_login
from safety_pages.models import signatures
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


def justering_viewers(page):
    """Users who see the record awaiting justering (the justerargrupp of its forum) without signing for anyone."""
    forum = _forum_of(page)
    if forum is None:
        return get_user_model().objects.none()
    reviewer_group_id = (
        ForumLocalRoles.objects.filter(forum_id=forum.pk).values_list("reviewer_group_id", flat=True).first()
    )
    if not reviewer_group_id:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(groups__pk=reviewer_group_id, is_active=True)


def justering_approvers(page):
    """Users who may see `page` awaiting justering: its signers and the members of its forum's justerargrupp."""
    user_ids = set(_signer_ids(page)) | set(justering_viewers(page).values_list("pk", flat=True))
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)


def _signer_ids(page):
    users = getattr(page, "justering_users", None)
    return {user.pk for user in users() if user is not None} if callable(users) else set()


def outstanding_signers(page):
    """Ids of the signers whose signature on the text under review is still missing."""
    return _signer_ids(page) - signatures.valid_signers(page, signatures.text_digest(page))


def justering_errors(page, on):
    errors = getattr(page, "justering_errors", None)
    return list(errors(on)) if callable(errors) else []


def justering_url(page):
    # The read-only justering view (safety_pages.meetings.justering), by name: the models know no feature.
    return reverse("safety_pages_justering", args=[page.pk])


def apply_justering(task_state, user):
    """Record the justering on a new revision of the page under review and return that revision."""
    page = task_state.workflow_state.content_object.specific.get_latest_revision_as_object()
    # Only an anslag day planned before justering delays publishing; the one the justering proposes does not.
    starts_at = getattr(page, "anslag_starts_at", None)
    starts_at = starts_at() if callable(starts_at) else None
    page.set_justering(user, timezone.localdate())
    if starts_at is not None and starts_at > timezone.now():
        page.go_live_at = starts_at
    return page.save_revision(user=user, log_action=True)


def _log(page, action, user, signature):
    PageLogEntry.objects.log_action(
        page,
        action,
        user=user,
        data={"comment": signature.comment, "signature": signature.pk, "digest": signature.digest},
    )


class JusteringTask(Task):
    fallback_groups = models.ManyToManyField(
        Group,
        verbose_name=_("grupper som alltid ser justeringen"),
        blank=True,
        related_name="+",
        help_text=_(
            "Utöver forumets justerargrupp, t.ex. kommunens registratorer. De ser protokollen som väntar på "
            "justering men justerar inte: det gör ordföranden och justerarna själva."
        ),
    )

    admin_form_fields = Task.admin_form_fields + ["fallback_groups"]

    class Meta:
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")

    @classmethod
    def get_description(cls):
        return _(
            "Ordföranden och varje justerare justerar var för sig; när den sista har justerat är texten låst och "
            "protokollet publiceras."
        )

    def _page(self, obj):
        return getattr(obj, "specific", obj)

    def may_approve(self, obj, user):
        """A signature is personal: only a signer who has not yet signed this text, superusers not excepted."""
        if not (user and user.is_authenticated and user.is_active):
            return False
        return user.pk in outstanding_signers(self._page(obj))

    def may_see(self, obj, user):
        if not (user and user.is_authenticated and user.is_active):
            return False
        if self.may_approve(obj, user) or self.fallback_groups.filter(pk__in=user.groups.values("pk")).exists():
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
        # Signers read the record and sign in the justering view; nobody edits what they sign (issue 20, defect 3).
        return False

    def locked_for_user(self, obj, user):
        # The text under justering is what the signers sign: a change goes back to the secretary (Begär ändring).
        return True

    def get_actions(self, obj, user):
        if self.may_approve(obj, user):
            return [
                ("reject", _("Begär ändring"), True),
                ("approve", _("Justera"), False),
            ]
        return []

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        page = self._page(task_state.workflow_state.content_object)
        if action_name == "approve":
            return self._sign(task_state, page, user, **kwargs)
        if action_name == "reject":
            self._request_change(page, user, kwargs.get("comment", ""))
            super().on_action(task_state, user, action_name, **kwargs)
            return None
        return super().on_action(task_state, user, action_name, **kwargs)

    def _sign(self, task_state, page, user, **kwargs):
        """One signer's signature; the last one's justerar the record. Refused (no signature, back to the
        justering view, which says why) while something stands in the way, e.g. a meeting still ahead."""
        if not self.may_approve(page, user) or justering_errors(page, timezone.localdate()):
            return justering_url(page)
        signature = signatures.JusteringSignature.objects.create(
            page=page,
            user=user,
            signer_name=str(getattr(getattr(user, "person", None), "name", "") or user.get_full_name() or user),
            role=_signer_role(page, user),
            action=signatures.SignatureAction.SIGNED,
            comment=kwargs.get("comment", ""),
            digest=signatures.text_digest(page),
            revision=page.get_latest_revision(),
        )
        _log(page, SIGN_ACTION, user, signature)
        if outstanding_signers(page):
            return justering_url(page)
        task_state.revision = apply_justering(task_state, user)
        task_state.save(update_fields=["revision"])
        super().on_action(task_state, user, "approve", **kwargs)
        return justering_url(page)

    def _request_change(self, page, user, comment):
        signatures.void_signatures(page)
        signature = signatures.JusteringSignature.objects.create(
            page=page,
            user=user,
            signer_name=str(getattr(getattr(user, "person", None), "name", "") or user),
            role=_signer_role(page, user),
            action=signatures.SignatureAction.CHANGE_REQUESTED,
            comment=comment,
            digest=signatures.text_digest(page),
            revision=page.get_latest_revision(),
        )
        _log(page, CHANGE_ACTION, user, signature)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("workflow_state")
        allowed = [state.pk for state in states if self.may_see(state.workflow_state.content_object, user)]
        return TaskState.objects.filter(pk__in=allowed)


# Log actions of the justering (registered with their labels by safety_pages.meetings.admin).
SIGN_ACTION = "safety_pages.justering.sign"
CHANGE_ACTION = "safety_pages.justering.request_change"


def _signer_role(page, user):
    signers = getattr(page, "justering_signers", None)
    if not callable(signers):
        return ""
    return next((s.function for s in signers() if s.user is not None and s.user.pk == user.pk), "")
