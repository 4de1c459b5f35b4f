"""The editorial workflow (Plone-style): draft → Granskning → (Justering for records) → published.

One Wagtail workflow, "Granskning", is attached to the intranet's start page
and so applies to every safety page type below it:

1. Granskning – a member of Granskare approves, or requests changes with a comment;
2. Justering – only for page types that take part in justering (meeting
   records); other pages pass it as skipped. The record's justerare or the
   forum's justerargrupp approve; approval sets the justering date, locks the
   text and, when the workflow finishes, publishes. A record with an anslag date
   in the future is scheduled (go-live) for that day instead of published at once.

Every transition is a Wagtail log entry (who, when, comment) in the page history.

The justering protocol (implemented by the record model, found by duck typing):
- `needs_justering()` → bool: True while the record is not justerat;
- `justering_users()` → iterable of users (the justerare with user accounts);
- `set_justering(user, on)` → record the justering (date, by whom) and lock the text;
- optional `anslag_starts_at()` → aware datetime or None: when employees may read it.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Task, Workflow, WorkflowPage, WorkflowTask

from safety_pages.access import roles

WORKFLOW_NAME = "Granskning"
REVIEW_TASK_NAME = "Granskning"
JUSTERING_TASK_NAME = "Justering"

WORKFLOW_LABEL = _("Granskning")


def takes_part_in_justering(page):
    needs = getattr(page, "needs_justering", None)
    return callable(needs) and bool(needs())


def _forum_of(page):
    from safety_pages.models import ForumPage

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
        from safety_pages.models import ForumLocalRoles

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


def ensure_workflows(root):
    """Create the workflow "Granskning" with its tasks and attach it to `root`; safe to run again."""
    from safety_pages.models import JusteringTask

    groups = roles.ensure_groups(root)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    review = GroupApprovalTask.objects.filter(name=REVIEW_TASK_NAME).first()
    if review is None:
        review = GroupApprovalTask.objects.create(name=REVIEW_TASK_NAME)
    review.groups.add(groups[roles.REVIEWERS])
    justering = JusteringTask.objects.filter(name=JUSTERING_TASK_NAME).first()
    if justering is None:
        justering = JusteringTask.objects.create(name=JUSTERING_TASK_NAME)
    for order, task in enumerate((review, justering)):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=Task.objects.get(pk=task.pk), defaults={"sort_order": order}
        )
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow
