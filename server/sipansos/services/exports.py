"""Exports of evidence for use outside SIPANSOS; each one is audited before it is handed out."""

import hashlib

from ..extensions import db
from ..models.types import utcnow
from ..storage import get_store
from . import audit
from .dossier import render_dossier
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


def case_dossier(actor, case, *, ip=None):
    """The case dossier PDF (``Dossier``: an open temporary file and its page count).

    The audit event keeps the PDF's SHA-256, so a printed dossier can later be matched to
    the export it came from.
    """
    dossier = render_dossier(case, store=get_store(), generated_by=actor, generated_at=utcnow())
    try:
        digest = hashlib.file_digest(dossier.file, "sha256").hexdigest()
        dossier.file.seek(0)
        audit.record(
            "case_dossier_exported",
            actor=actor,
            target=case,
            details={
                "format": "pdf",
                "pages": dossier.pages,
                "sha256": digest,
                "captures": [str(link.capture.capture_uuid) for link in case.evidence],
            },
            ip=ip,
        )
        db.session.commit()
    except BaseException:
        dossier.file.close()  # no unaudited dossier leaves, and no temporary file is left
        raise
    return dossier
