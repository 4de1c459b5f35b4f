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

The justering protocol (implemented by the record model, found by duck typing; the
task and its rules are `safety_pages.models.workflow_tasks`):
- `needs_justering()` → bool: True while the record is not justerat;
- `justering_users()` → iterable of users (the justerare with user accounts);
- `set_justering(user, on)` → record the justering (date, by whom) and lock the text;
- optional `anslag_starts_at()` → aware datetime or None: when employees may read it.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, Task, Workflow, WorkflowPage, WorkflowTask

from safety_pages.access import roles
from safety_pages.models import JusteringTask

WORKFLOW_NAME = "Granskning"
REVIEW_TASK_NAME = "Granskning"
JUSTERING_TASK_NAME = "Justering"

WORKFLOW_LABEL = _("Granskning")


def ensure_workflows(root):
    """Create the workflow "Granskning" with its tasks and attach it to `root`; safe to run again."""
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
