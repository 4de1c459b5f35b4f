"""Page types and registers, split by concern (one module per part of the domain).

Dependency direction inside this package, bottom to top (a module imports only those below it, and never this
package's `__init__`, which imports them all):
- plain helpers that read no rows of ours: choices, rich_text, schedule, routing, compare, diagram, archive, contrast,
  people;
- registers and small models: tags, registers, cases, content_generation (+ generation), calendar_subscriptions,
  signatures, personal_data, branding;
- autosave_rows, site, instructions, forum_forms, forums, memberships, forum_index, local_roles, readers, lookups,
  personal_data_review, meeting_rules, meeting_forms, meetings, notices, follows, dispatch, dialogues, steering,
  workflow_tasks.
"""

from safety_pages.models.branding import Branding
from safety_pages.models.calendar_subscriptions import CalendarSubscription
from safety_pages.models.cases import Case, CaseStatus, normalise_case_number
from safety_pages.models.choices import (
    AttendanceFunction,
    AttendanceKind,
    ForumKind,
    ForumLevel,
    ForumStatus,
    InstructionStatus,
    MeetingStatus,
    MemberRole,
    ModelRole,
    QuorumRule,
    RecordState,
)
from safety_pages.models.content_generation import ContentGeneration
from safety_pages.models.dialogues import (
    ActionStatus,
    CitizenDialogueIndexPage,
    CitizenDialogueReportPage,
    DialogueAction,
    DialogueMethod,
    FeedbackItem,
)
from safety_pages.models.dispatch import Dispatch, DispatchMethod
from safety_pages.models.follows import Follow, FollowDelivery, FollowKind, Frequency
from safety_pages.models.forum_index import ForumIndexPage
from safety_pages.models.forums import ForumPage
from safety_pages.models.instructions import InstructionPage
from safety_pages.models.local_roles import ForumLocalRoles
from safety_pages.models.mail import DeliveryStatus
from safety_pages.models.meetings import AgendaItem, Attendance, Correction, MeetingRecordPage, Paragraph
from safety_pages.models.memberships import Membership
from safety_pages.models.notices import Absence, CallIn, NoticeDelivery, NoticeKind
from safety_pages.models.registers import Decision, Organisation, Person
from safety_pages.models.signatures import JusteringSignature, SignatureAction
from safety_pages.models.site import HomePage, SectionMenuItem, SectionPage
from safety_pages.models.steering import (
    SteeringDocumentAttachment,
    SteeringDocumentIndexPage,
    SteeringDocumentKind,
    SteeringDocumentPage,
    SteeringDocumentStatus,
)
from safety_pages.models.tags import (
    CitizenDialogueIndexPageTag,
    CitizenDialogueReportPageTag,
    ForumPageTag,
    InstructionPageTag,
    SteeringDocumentIndexPageTag,
    SteeringDocumentPageTag,
)
from safety_pages.models.workflow_tasks import JusteringTask

__all__ = [
    "Absence",
    "AgendaItem",
    "CallIn",
    "DeliveryStatus",
    "Dispatch",
    "Follow",
    "FollowDelivery",
    "FollowKind",
    "Frequency",
    "DispatchMethod",
    "NoticeDelivery",
    "NoticeKind",
    "ActionStatus",
    "Branding",
    "CitizenDialogueIndexPage",
    "ContentGeneration",
    "CitizenDialogueIndexPageTag",
    "CitizenDialogueReportPage",
    "CitizenDialogueReportPageTag",
    "DialogueAction",
    "DialogueMethod",
    "FeedbackItem",
    "SteeringDocumentAttachment",
    "SteeringDocumentIndexPage",
    "SteeringDocumentKind",
    "SteeringDocumentIndexPageTag",
    "SteeringDocumentPage",
    "SteeringDocumentPageTag",
    "SteeringDocumentStatus",
    "Attendance",
    "JusteringSignature",
    "SignatureAction",
    "AttendanceFunction",
    "AttendanceKind",
    "CalendarSubscription",
    "Case",
    "CaseStatus",
    "Correction",
    "MeetingRecordPage",
    "MeetingStatus",
    "Paragraph",
    "RecordState",
    "normalise_case_number",
    "Decision",
    "ForumIndexPage",
    "ForumKind",
    "ForumLocalRoles",
    "ForumLevel",
    "ForumPage",
    "ForumPageTag",
    "ForumStatus",
    "HomePage",
    "InstructionPage",
    "InstructionPageTag",
    "InstructionStatus",
    "JusteringTask",
    "MemberRole",
    "Membership",
    "ModelRole",
    "Organisation",
    "Person",
    "QuorumRule",
    "SectionMenuItem",
    "SectionPage",
]
