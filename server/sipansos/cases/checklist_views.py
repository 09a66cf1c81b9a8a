"""A case's follow-up checklist (Tindak Lanjut): tick a step done, reopen it, attach documents,
add a step, and download an attached document.

The checklist is shown on the case page by ``cases/_checklist.html``, which needs only ``case``;
what it computes comes from the template helpers registered here. Every change goes through
``services.checklists`` (roles, closed cases, audit and timeline) and lands back on the case page.
"""

import logging
import unicodedata
import urllib.parse
from pathlib import PurePosixPath

from flask import abort, current_app, flash, redirect, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.loader import role_required
from ..extensions import db
from ..models import Case, CaseChecklistItem, CaseDocument
from ..services import checklists, deadlines
from ..services.case_states import (
    CLOSED_STATES,
    KOORDINATOR_UP,
    CaseError,
    PermissionDenied,
)
from ..services.sniff import SNIFF_BYTES, sniff
from ..storage import ObjectNotFound, StorageError, TooLarge, get_store
from . import bp
from .checklist_forms import (
    ANCHOR_LABELS,
    UNIT_LABELS,
    AddItemForm,
    CompleteItemForm,
    DocumentForm,
    ReopenItemForm,
)

# Office documents have no signature of their own in ``sniff`` (they are ZIP or OLE files):
# the file name's extension names them when the bytes have the right container.
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OFFICE_TYPES = {
    ".docx": (_ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".odt": (_ZIP, "application/vnd.oasis.opendocument.text"),
    ".ods": (_ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
    ".doc": (_OLE, "application/msword"),
    ".xls": (_OLE, "application/vnd.ms-excel"),
}
# Types a browser could run or render as a page are always downloaded as opaque bytes.
_ACTIVE_TYPES = {"text/html", "multipart/related", "image/svg+xml", "application/xhtml+xml"}
DOWNLOAD_CSP = "default-src 'none'; sandbox"

log = logging.getLogger(__name__)


@bp.app_context_processor
def checklist_helpers():
    """What ``cases/_checklist.html`` computes, so that it renders from ``case`` alone."""
    return {
        "checklist_progress": checklist_progress,
        "checklist_item_status": checklists.item_status,
        "checklist_can_edit": checklist_can_edit,
        "checklist_is_closed": lambda case: case.state in CLOSED_STATES,
        "checklist_today": deadlines.today,
        "checklist_date": lambda value: format_date(value, "d MMM yyyy") if value else "—",
        "checklist_unit_labels": UNIT_LABELS,
        "checklist_anchor_labels": ANCHOR_LABELS,
        "checklist_max_mib": checklists.MAX_DOCUMENT_BYTES // (1024 * 1024),
    }


def checklist_progress(case):
    """``{"done", "total", "percent"}`` of the case's checklist."""
    done, total = checklists.progress(case)
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 0}


def checklist_can_edit(case):
    """Whether the signed-in user may change this checklist now (the services decide too)."""
    return (
        current_user.is_authenticated
        and current_user.has_role(*KOORDINATOR_UP)
        and case.state not in CLOSED_STATES
    )


def _case_or_404(case_id):
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    return case


def _item_or_404(case_id, item_id):
    """The item, if it is on the case in the URL."""
    item = db.session.get(CaseChecklistItem, item_id)
    if item is None or item.case_id != case_id:
        abort(404)
    return item


def _back(case_id):
    return redirect(f"{request.script_root}/cases/{case_id}#checklist")


def _flash_form_errors(form):
    for field in form:
        for error in field.errors:
            flash(_("%(field)s: %(error)s", field=field.label.text, error=error), "error")


def _refusal(exc, case):
    """An Indonesian message for a refusal of ``services.checklists`` (its text is English)."""
    if isinstance(exc, PermissionDenied):
        return _("Only a koordinator or an admin may change the checklist.")
    if case.state in CLOSED_STATES:
        return _(
            "The case is “%(state)s”: its checklist can no longer change.", state=case.state_label
        )
    return _("The change was refused: %(reason)s", reason=str(exc))


def _refused(exc, case):
    db.session.rollback()
    flash(_refusal(exc, case), "error")


@bp.route("/<int:case_id>/checklist/<int:item_id>/done", methods=["POST"])
@role_required(*KOORDINATOR_UP)
def complete_checklist_item(case_id, item_id):
    """Tandai selesai: the step happened on a date, perhaps with a letter."""
    item = _item_or_404(case_id, item_id)
    form = CompleteItemForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(case_id)
    if item.done:
        flash(_("“%(title)s” is already done.", title=item.title), "error")
        return _back(case_id)
    try:
        checklists.complete_item(item, current_user, **form.values())
    except CaseError as exc:
        _refused(exc, item.case)
    else:
        flash(_("Step done: “%(title)s”", title=item.title), "success")
    return _back(case_id)


@bp.route("/<int:case_id>/checklist/<int:item_id>/reopen", methods=["POST"])
@role_required(*KOORDINATOR_UP)
def reopen_checklist_item(case_id, item_id):
    """Buka kembali: a step marked done by mistake, or whose outcome fell through."""
    item = _item_or_404(case_id, item_id)
    form = ReopenItemForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(case_id)
    if not item.done:
        flash(_("“%(title)s” is not done.", title=item.title), "error")
        return _back(case_id)
    try:
        checklists.reopen_item(item, current_user, reason=form.reason.data)
    except CaseError as exc:
        _refused(exc, item.case)
    else:
        flash(_("Step reopened: “%(title)s”", title=item.title), "success")
    return _back(case_id)


def document_filename(filename):
    """The name to keep: the last path part, NFC, without control characters (header-safe)."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf")).strip()
    return name[:255] or "dokumen"


def document_media_type(filename, head):
    """The media type the bytes show (never the browser's claim), or octet-stream."""
    found = sniff(head)
    if found:
        return found
    signature, media_type = OFFICE_TYPES.get(PurePosixPath(filename).suffix.lower(), (None, None))
    if signature and head.startswith(signature):
        return media_type
    return "application/octet-stream"


@bp.route("/<int:case_id>/checklist/<int:item_id>/documents", methods=["POST"])
@role_required(*KOORDINATOR_UP)
def attach_checklist_document(case_id, item_id):
    """Unggah dokumen: proof of dispatch, a reply letter or a decree, kept by its SHA-256."""
    item = _item_or_404(case_id, item_id)
    form = DocumentForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(case_id)
    upload = form.file.data
    stream = upload.stream
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    name = document_filename(upload.filename)
    if not head:
        flash(_("“%(name)s” is empty.", name=name), "error")
        return _back(case_id)
    try:
        document = checklists.attach_document(
            item,
            current_user,
            stream,
            filename=name,
            content_type=document_media_type(name, head),
        )
    except TooLarge:
        db.session.rollback()
        flash(
            _(
                "“%(name)s” is larger than %(mib)d MB and was not stored.",
                name=name,
                mib=checklists.MAX_DOCUMENT_BYTES // (1024 * 1024),
            ),
            "error",
        )
    except StorageError:
        db.session.rollback()
        current_app.logger.exception("evidence store failed while storing a case document")
        flash(_("The evidence store is not available right now. Try again later."), "error")
    except CaseError as exc:
        _refused(exc, item.case)
    else:
        flash(
            _(
                "Document “%(name)s” stored (SHA-256 %(digest)s).",
                name=document.filename,
                digest=document.sha256,
            ),
            "success",
        )
    return _back(case_id)


@bp.route("/<int:case_id>/checklist", methods=["POST"])
@role_required(*KOORDINATOR_UP)
def add_checklist_item(case_id):
    """Tambah langkah: a step for this case only (the route's template is not changed)."""
    case = _case_or_404(case_id)
    form = AddItemForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(case_id)
    try:
        item = checklists.add_item(case, current_user, **form.values())
    except CaseError as exc:
        _refused(exc, case)
    else:
        flash(_("Step added: “%(title)s”", title=item.title), "success")
    return _back(case_id)


def _content_disposition(filename):
    # RFC 6266: an ASCII fallback for old clients and the exact name in ``filename*``.
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
        return {
            "filename": simple or "dokumen",
            "filename*": "UTF-8''" + urllib.parse.quote(filename),
        }
    return {"filename": filename}


@bp.route("/<int:case_id>/documents/<int:document_id>")
@login_required
def download_case_document(case_id, document_id):
    """A document of the case (a checklist attachment or a generated letter), byte for byte,
    as a download; every download is in the audit log."""
    document = db.session.get(CaseDocument, document_id)
    if document is None or document.case_id != case_id:
        abort(404)
    try:
        reader = get_store().open(document.sha256)
    except ObjectNotFound:
        current_app.logger.error("case document %s (%s) is missing", document.id, document.sha256)
        message = _("The stored file of this document is missing. Tell the administrator.")
        return render_template("errors/error.html", status=500, message=message), 500
    except StorageError:
        current_app.logger.exception("evidence store failed while reading a case document")
        message = _("The evidence store is not available right now. Try again later.")
        return render_template("errors/error.html", status=503, message=message), 503

    checklists.record_download(document, current_user, ip=request.remote_addr)
    document_id, sha256 = document.id, document.sha256

    def chunks():
        # Runs after the request has ended: no app context, only what was read above.
        try:
            yield from reader
        except StorageError:
            # Headers are sent already; the short body tells the client the download failed.
            log.error("case document %s (%s) failed its SHA-256 check", document_id, sha256)

    media_type = document.media_type
    mimetype = "application/octet-stream" if media_type in _ACTIVE_TYPES else media_type
    response = current_app.response_class(chunks(), mimetype=mimetype, direct_passthrough=True)
    response.call_on_close(reader.close)
    response.content_length = document.size
    response.headers.set(
        "Content-Disposition", "attachment", **_content_disposition(document.filename)
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["Cache-Control"] = "private, no-transform"
    return response
