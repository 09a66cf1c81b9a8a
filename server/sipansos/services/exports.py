"""Exports of evidence for use outside SIPANSOS; each one is audited before it is handed out."""

from ..extensions import db
from ..storage import get_store
from . import audit
from .wacz import build_wacz


def capture_package(actor, capture, *, public_key, ip=None):
    """A WACZ of one capture (an open temporary file)."""
    package = build_wacz(
        [capture],
        store=get_store(),
        public_key=public_key,
        title=f"Bukti {capture.capture_uuid}",
        description=capture.url,
    )
    audit.record(
        "capture_exported",
        actor=actor,
        target=capture,
        details={"format": "wacz", "capture_id": str(capture.capture_uuid)},
        ip=ip,
    )
    db.session.commit()
    return package


def case_package(actor, case, *, public_key, ip=None):
    """A WACZ of every capture linked to a case, in the order they were added."""
    captures = [link.capture for link in case.evidence]
    label = case.number or f"#{case.id}"
    package = build_wacz(
        captures,
        store=get_store(),
        public_key=public_key,
        title=f"Bukti perkara {label}",
        description=case.title,
    )
    audit.record(
        "case_exported",
        actor=actor,
        target=case,
        details={
            "format": "wacz",
            "captures": [str(c.capture_uuid) for c in captures],
        },
        ip=ip,
    )
    db.session.commit()
    return package
