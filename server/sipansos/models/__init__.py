"""Database models, one module per aggregate."""

from .audit import AuditEvent
from .evidence import Artifact, Capture
from .user import ApiToken, Role, User

__all__ = ["ApiToken", "Artifact", "AuditEvent", "Capture", "Role", "User"]
