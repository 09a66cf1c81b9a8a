"""Capture ingest for the extension, receipts, and the public key that checks them."""

import json

from flask import current_app, g, request, url_for
from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from ..errors import error_response
from ..models import Role
from ..schemas.captures import ReceiptSchema
from ..schemas.cases import CaseLinkRequestSchema
from ..services import capture_cases, captures
from ..services.signing import key_id, public_key_pem
from ..storage import StorageError, get_store
from .auth import token_required
from .cases import case_error_message, case_summary

bp = Blueprint("api_captures", __name__, description="Evidence captures and receipts")

_MULTIPART_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["manifest"],
                    "properties": {
                        "manifest": {
                            "type": "string",
                            "description": "CaptureManifest as JSON (see the CaptureManifest "
                            "schema); every artifact it names is sent as a file part whose "
                            "field name is the artifact name",
                        },
                        "case": {
                            "type": "string",
                            "description": "Optional, not part of the signed manifest: "
                            'CaseLinkRequest as JSON, `{"case_id": 12}` to attach the '
                            'capture to an open case or `{"new_case": {"title": …, '
                            '"category": …}}` to start a draft case with it. Malformed: '
                            "400 `invalid_case` and nothing is stored. A case that cannot take "
                            "it (closed, missing, not allowed): the capture is stored all the "
                            "same and the receipt carries `case_error`. Retries with the same "
                            "capture id link once and start at most one case.",
                        },
                    },
                    "additionalProperties": {"type": "string", "format": "binary"},
                }
            }
        },
    }
}


def _receipt_body(capture):
    receipt = captures.receipt_for(capture)
    return {
        **receipt.__dict__,
        "evidence_url": url_for(
            "evidence.get_capture", capture_uuid=capture.capture_uuid, _external=True
        ),
    }


def _read_manifest():
    text = request.form.get("manifest")
    if text is None and "manifest" in request.files:
        text = request.files["manifest"].read().decode("utf-8", errors="replace")
    if text is None:
        raise captures.CaptureRejected(
            400, "missing_manifest", "The form field 'manifest' is missing."
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise captures.CaptureRejected(
            400, "invalid_json", f"The manifest is not valid JSON: {exc.msg} at {exc.pos}"
        ) from exc


def _read_case_request():
    """The optional ``case`` form field, checked before anything is stored."""
    text = request.form.get("case")
    if text is None or not text.strip():
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise captures.CaptureRejected(
            400, "invalid_case", f"The case field is not valid JSON: {exc.msg} at {exc.pos}"
        ) from exc
    if not isinstance(value, dict):
        raise captures.CaptureRejected(400, "invalid_case", "The case field must be an object.")
    try:
        return CaseLinkRequestSchema().load(value)
    except ValidationError as exc:
        raise captures.CaptureRejected(
            400, "invalid_case", "The case field is not valid.", exc.normalized_messages()
        ) from exc


def _link_case(capture, case_request):
    """The receipt's case part; a case that cannot take the capture never loses the capture."""
    try:
        link = capture_cases.link_capture(g.api_user, capture, case_request)
    except capture_cases.CaseLinkFailed as failure:
        current_app.logger.info("capture %s: case not linked: %s", capture.capture_uuid, failure)
        return {"case_error": {"code": failure.code, "message": case_error_message(failure)}}
    return {"case": case_summary(link.case, created=link.created)}


def _visible_capture(capture_uuid):
    """A capture the token's user may see: their own, or any for coordinators and admins."""
    capture = captures.find_capture(capture_uuid)
    if capture is None or (
        capture.uploader_id != g.api_user.id
        and not g.api_user.has_role(Role.ADMIN, Role.KOORDINATOR)
    ):
        abort(404, message="No such capture.")
    return capture


@bp.route("/captures", methods=["POST"])
@bp.doc(security=[{"bearer": []}], **_MULTIPART_DOC)
@bp.response(201, ReceiptSchema)
@bp.alt_response(200, schema=ReceiptSchema, description="A retry of a stored capture")
@token_required()
def create_capture():
    """Upload one capture: a JSON manifest plus every artifact it names (multipart), and
    optionally the case it goes into."""
    try:
        raw_manifest = _read_manifest()
        case_request = _read_case_request()
        files = {}
        for name, storage in request.files.items(multi=True):
            if name == "manifest":
                continue
            if name in files:
                raise captures.CaptureRejected(
                    400, "duplicate_artifact", f"The file part {name!r} was sent twice."
                )
            files[name] = storage.stream
        capture, created = captures.ingest(
            g.api_user,
            raw_manifest,
            files,
            signing_key=current_app.extensions["receipt_key"],
            ip=request.remote_addr,
        )
    except captures.CaptureRejected as exc:
        return error_response(exc.status, exc.code, exc.message, exc.details)
    except StorageError as exc:
        current_app.logger.exception("evidence store failed during ingest")
        return error_response(
            503, "storage_unavailable", f"The evidence store is not available; retry later ({exc})."
        )
    body = _receipt_body(capture)
    if case_request is not None:
        body.update(_link_case(capture, case_request))
    return body, 201 if created else 200


@bp.route("/captures/<uuid:capture_uuid>")
@bp.doc(security=[{"bearer": []}])
@bp.response(200, ReceiptSchema)
@token_required()
def get_capture_receipt(capture_uuid):
    """The receipt of a stored capture (its uploader, coordinators and admins)."""
    return _receipt_body(_visible_capture(capture_uuid))


@bp.route("/captures/<uuid:capture_uuid>/manifest")
@bp.doc(security=[{"bearer": []}])
@token_required()
def get_capture_manifest(capture_uuid):
    """The signed canonical manifest, byte for byte as stored (its SHA-256 is in the receipt)."""
    capture = _visible_capture(capture_uuid)
    with get_store().open(capture.manifest_sha256) as reader:
        body = reader.read()
    return current_app.response_class(body, mimetype="application/json")


@bp.route("/keys")
@bp.response(200)
def list_keys():
    """The public key that checks receipts offline (PEM, Ed25519)."""
    public_key = current_app.extensions["receipt_key"].public_key()
    return {
        "keys": [
            {
                "key_id": key_id(public_key),
                "algorithm": "Ed25519",
                "public_key_pem": public_key_pem(public_key),
            }
        ]
    }
