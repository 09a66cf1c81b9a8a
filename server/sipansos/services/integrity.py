"""Integrity checks: every stored object re-read and re-hashed (capture artifacts and case
documents: uploaded follow-up documents and generated letters), manifests and signatures
checked against the database, and the audit chain recomputed. Each discrepancy is named."""

import json
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Capture, CaseDocument
from ..storage import DigestMismatch, ObjectNotFound, get_store
from . import audit
from .captures import canonical_json, manifest_document
from .signing import key_id, verify_manifest_signature


@dataclass
class IntegrityReport:
    captures_checked: int = 0
    documents_checked: int = 0
    objects_checked: int = 0
    problems: list[str] = field(default_factory=list)
    audit_events_checked: int = 0

    @property
    def ok(self):
        return not self.problems


def _read_object(store, sha256):
    """The object's bytes, or None with the reason when it is missing or altered."""
    try:
        with store.open(sha256) as reader:
            return reader.read(), None
    except ObjectNotFound:
        return None, "missing from the evidence store"
    except DigestMismatch:
        return None, "altered in the evidence store (its bytes no longer hash to its name)"


def _manifest_differences(stored, expected):
    """Which parts of the signed manifest the database no longer agrees with."""
    differences = []
    for key in sorted(set(stored) | set(expected)):
        if key == "artifacts":
            continue
        if stored.get(key) != expected.get(key):
            differences.append(f"field '{key}'")
    stored_artifacts = {a["name"]: a for a in stored.get("artifacts", [])}
    expected_artifacts = {a["name"]: a for a in expected.get("artifacts", [])}
    for name in sorted(set(stored_artifacts) | set(expected_artifacts)):
        before, now = stored_artifacts.get(name), expected_artifacts.get(name)
        if before is None or now is None:
            differences.append(f"artifact '{name}' {'added' if before is None else 'removed'}")
            continue
        for attribute in sorted(set(before) | set(now)):
            if before.get(attribute) != now.get(attribute):
                differences.append(f"artifact '{name}' {attribute}")
    return differences


def _object_problem(store, sha256, verified_objects):
    """Why the object ``sha256`` is not intact, or None; each object is read once per run
    (``verified_objects`` remembers the answers, objects being shared by content)."""
    if sha256 not in verified_objects:
        try:
            intact = store.verify(sha256)
            verified_objects[sha256] = (
                None
                if intact
                else "altered in the evidence store (its bytes no longer hash to its name)"
            )
        except ObjectNotFound:
            verified_objects[sha256] = "missing from the evidence store"
        except ValueError:
            verified_objects[sha256] = "has a malformed SHA-256 in the database"
    return verified_objects[sha256]


def verify_case_document(document, *, store, verified_objects):
    """Problems of one case document: its stored bytes must still hash to its recorded SHA-256."""
    reason = _object_problem(store, document.sha256, verified_objects)
    if not reason:
        return []
    case = document.case.number or f"#{document.case_id}"
    return [f"case {case}: document '{document.filename}' ({document.sha256}) {reason}"]


def verify_capture(capture, *, store=None, public_key=None, verified_objects=None):
    """Every problem with one capture (empty when intact)."""
    store = store or get_store()
    public_key = public_key or current_app.extensions["receipt_key"].public_key()
    verified_objects = {} if verified_objects is None else verified_objects
    label = f"capture {capture.capture_uuid}"
    problems = []

    manifest_bytes, reason = _read_object(store, capture.manifest_sha256)
    if reason:
        problems.append(f"{label}: signed manifest {capture.manifest_sha256} {reason}")
    else:
        expected = canonical_json(manifest_document(capture))
        if manifest_bytes != expected:
            differences = _manifest_differences(json.loads(manifest_bytes), json.loads(expected))
            problems.append(
                f"{label}: database record differs from the signed manifest: "
                + (", ".join(differences) or "formatting")
            )
    if capture.signing_key_id != key_id(public_key):
        problems.append(f"{label}: signed with unknown key {capture.signing_key_id}")
    elif not verify_manifest_signature(public_key, capture.manifest_sha256, capture.signature):
        problems.append(f"{label}: receipt signature does not verify")

    for artifact in capture.artifacts:
        reason = _object_problem(store, artifact.sha256, verified_objects)
        if reason:
            problems.append(f"{label}: artifact '{artifact.name}' ({artifact.sha256}) {reason}")
    return problems


def verify_everything():
    """Check all captures (withdrawn ones too), all case documents and the audit chain."""
    report = IntegrityReport()
    store = get_store()
    public_key = current_app.extensions["receipt_key"].public_key()
    verified_objects = {}
    for capture in db.session.scalars(select(Capture).order_by(Capture.id)):
        report.captures_checked += 1
        report.problems += verify_capture(
            capture, store=store, public_key=public_key, verified_objects=verified_objects
        )
    documents = (
        select(CaseDocument).options(joinedload(CaseDocument.case)).order_by(CaseDocument.id)
    )
    for document in db.session.scalars(documents):
        report.documents_checked += 1
        report.problems += verify_case_document(
            document, store=store, verified_objects=verified_objects
        )
    report.objects_checked = len(verified_objects) + report.captures_checked
    chain = audit.verify_chain()
    report.audit_events_checked = chain.checked
    report.problems += [f"audit log: {problem}" for problem in chain.problems]
    return report
