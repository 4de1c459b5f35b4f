"""Page types and registers, split by concern (one module per part of the domain)."""

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
from .registers import Decision, Organisation, Person
from .site import HomePage, SectionPage
from .tags import ForumPageTag, InstructionPageTag

__all__ = [
    "Decision",
    "ForumIndexPage",
    "ForumKind",
    "ForumLevel",
    "ForumPage",
    "ForumPageTag",
    "ForumStatus",
    "HomePage",
    "InstructionPage",
    "InstructionPageTag",
    "InstructionStatus",
    "MemberRole",
    "Membership",
    "ModelRole",
    "Organisation",
    "Person",
    "QuorumRule",
    "SectionPage",
]
