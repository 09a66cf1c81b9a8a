"""Writing and verifying the hash-chained audit log."""

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, text

from ..extensions import db
from ..models import AuditEvent
from ..models.audit import GENESIS_HASH
from ..models.types import utcnow

# Arbitrary constant naming the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK_KEY = 0x5191A5


def event_digest(event):
    """SHA-256 over the previous hash and a canonical JSON form of the event's fields."""
    body = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "action": event.action,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "ip_address": event.ip_address,
        "details": event.details or {},
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((event.prev_hash + canonical).encode()).hexdigest()


def record(action, *, actor=None, target=None, details=None, ip=None, actor_username=None):
    """Add an audit event to the current transaction; the caller commits.

    ``target`` is a model instance (its table name and id are recorded) or None.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    head = db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    if target is not None:
        db.session.flush()  # a freshly added target needs its id
    event = AuditEvent(
        seq=(head.seq + 1) if head else 1,
        prev_hash=head.hash if head else GENESIS_HASH,
        occurred_at=utcnow(),
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_username=actor.username if actor is not None else actor_username,
        target_type=target.__tablename__ if target is not None else None,
        target_id=str(target.id) if target is not None else None,
        ip_address=ip,
        details=details or {},
    )
    event.hash = event_digest(event)
    db.session.add(event)
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problems: list[str]
    head_hash: str


def verify_chain():
    """Recompute the whole chain and report every broken link."""
    problems = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for event in rows:
        checked += 1
        if event.seq != expected_seq:
            problems.append(
                f"event #{event.id}: sequence {event.seq}, expected {expected_seq} "
                "(events missing before it)"
            )
        if event.prev_hash != expected_prev:
            problems.append(f"event #{event.id} (seq {event.seq}): link to previous event broken")
        if event_digest(event) != event.hash:
            problems.append(f"event #{event.id} (seq {event.seq}): content was altered")
        expected_prev = event.hash
        expected_seq = event.seq + 1
    return ChainReport(ok=not problems, checked=checked, problems=problems, head_hash=expected_prev)


def search_events(*, action=None, actor=None, page=1, per_page=50):
    """Audit events, newest first, optionally by action and actor username."""
    stmt = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor:
        stmt = stmt.where(AuditEvent.actor_username == actor.strip().lower())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def known_actions():
    """The distinct actions present in the log, for the filter menu."""
    return db.session.scalars(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
