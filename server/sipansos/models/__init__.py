"""Database models, one module per aggregate."""

from .audit import AuditEvent
from .user import ApiToken, Role, User

__all__ = ["ApiToken", "AuditEvent", "Role", "User"]
