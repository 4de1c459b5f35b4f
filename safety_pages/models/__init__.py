"""Page types and registers, split by concern (one module per part of the domain)."""

from .calendar_subscriptions import CalendarSubscription
from .cases import Case, CaseStatus, normalise_case_number
from .content_generation import ContentGeneration
from .dialogues import (
    ActionStatus,
    CitizenDialogueIndexPage,
    CitizenDialogueReportPage,
    DialogueAction,
    DialogueMethod,
    FeedbackItem,
)
from .forums import (
    ForumIndexPage,
    ForumKind,
    ForumLevel,
    ForumPage,
    ForumStatus,
    MemberRole,
    Membership,
    ModelRole,
)
from .instructions import InstructionPage, InstructionStatus, QuorumRule
from .local_roles import ForumLocalRoles
from .meetings import (
    Attendance,
    AttendanceFunction,
    AttendanceKind,
    Correction,
    MeetingRecordPage,
    MeetingStatus,
    Paragraph,
    RecordState,
)
from .registers import Decision, Organisation, Person
from .site import HomePage, SectionPage
from .steering import (
    SteeringDocumentAttachment,
    SteeringDocumentIndexPage,
    SteeringDocumentKind,
    SteeringDocumentPage,
    SteeringDocumentStatus,
)
from .tags import (
    CitizenDialogueIndexPageTag,
    CitizenDialogueReportPageTag,
    ForumPageTag,
    InstructionPageTag,
    SteeringDocumentIndexPageTag,
    SteeringDocumentPageTag,
)
from .workflow_tasks import JusteringTask

__all__ = [
    "ActionStatus",
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
    "SectionPage",
]
