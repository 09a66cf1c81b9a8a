"""Database models, one module per aggregate."""

from . import case_facets, case_search  # noqa: F401 - register their flush hooks
from .audit import AuditEvent
from .case import (
    Case,
    CaseChecklistItem,
    CaseDocument,
    CaseEvent,
    CaseEvidence,
    CaseParty,
    CaseRecipient,
    CaseState,
    Terlapor,
    TerlaporAccount,
)
from .evidence import Artifact, Capture
from .letter import CaseLetter, LetterTemplate
from .reference import (
    Agency,
    HariLibur,
    LegalBasis,
    Route,
    RouteChecklistItem,
    RouteCopy,
    SubjectStatus,
    ViolationCategory,
)
from .user import ApiToken, Role, User

__all__ = [
    "Agency",
    "ApiToken",
    "Artifact",
    "AuditEvent",
    "Capture",
    "Case",
    "CaseChecklistItem",
    "CaseDocument",
    "CaseEvent",
    "CaseEvidence",
    "CaseLetter",
    "CaseParty",
    "CaseRecipient",
    "CaseState",
    "HariLibur",
    "LegalBasis",
    "LetterTemplate",
    "Role",
    "Route",
    "RouteChecklistItem",
    "RouteCopy",
    "SubjectStatus",
    "Terlapor",
    "TerlaporAccount",
    "User",
    "ViolationCategory",
]
