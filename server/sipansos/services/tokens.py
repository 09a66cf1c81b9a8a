"""Bearer tokens for the browser extension: created once, shown once, stored as a hash."""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken
from ..models.types import utcnow
from . import audit

TOKEN_PREFIX = "sps_"  # noqa: S105 - a marker, not a secret
# last_used_at is written at most this often, so API calls do not each cost a write.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    """The token request was refused; the message is shown to the user."""


def hash_token(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user, name, *, ip=None, via="web"):
    """Create a named token for ``user``; returns ``(token, secret)``. The secret is not kept."""
    name = (name or "").strip()
    if not name:
        raise TokenError(_l("Give the token a name, e.g. the browser or device it is for."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=secret[:12], token_hash=hash_token(secret))
    db.session.add(token)
    audit.record(
        "token_created", actor=user, target=token, details={"name": token.name, "via": via}, ip=ip
    )
    db.session.commit()
    return token, secret


def active_tokens(user):
    return db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())
    ).all()


def revoke_token(actor, token, *, ip=None):
    """Revoke a token; owners revoke their own, admins anyone's."""
    if token.user_id != actor.id and not actor.is_admin:
        raise PermissionError("not your token")
    if token.is_revoked:
        return
    token.revoked_at = utcnow()
    audit.record(
        "token_revoked",
        actor=actor,
        target=token,
        details={"name": token.name, "owner": token.user.username},
        ip=ip,
    )
    db.session.commit()


def authenticate_token(secret):
    """The live token for a bearer secret (its user active), or None."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.is_revoked or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return token
