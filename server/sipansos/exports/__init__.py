"""Downloads that leave SIPANSOS (Unduhan): evidence packages for other institutions and courts.

Every download is recorded in the audit log: who exported what, when.
"""

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user, login_required

from ..cases.case_list import categories
from ..cases.list_forms import CaseFilterForm
from ..cases.lookups import load_case
from ..evidence import list_filters as evidence_list_filters
from ..services import case_queries, deadlines, evidence_queries, exports, sheets
from ..services.case_records import get_case

bp = Blueprint("exports", __name__)
CHUNK = 1024 * 1024


@bp.route("/evidence/<uuid:capture_uuid>/export.wacz")
@login_required
def capture_wacz(capture_uuid):
    """One capture as a WACZ evidence package."""
    capture = evidence_queries.get_capture(capture_uuid)
    if capture is None:
        abort(404)
    package = exports.capture_package(current_user, capture, **_signing())
    return _download(package, f"sipansos-bukti-{capture.capture_uuid}.wacz")


@bp.route("/cases/<int:case_id>/export.wacz")
@login_required
def case_wacz(case_id):
    """All evidence of a case as one WACZ evidence package."""
    case = get_case(case_id)
    if case is None:
        abort(404)
    package = exports.case_package(current_user, case, **_signing())
    return _download(package, f"sipansos-perkara-{case.id}.wacz")


@bp.route("/cases/<int:case_id>/dossier.pdf")
@login_required
def case_dossier(case_id):
    """The case dossier (Berkas Perkara) as a PDF."""
    case = load_case(case_id)
    if case is None:
        abort(404)
    dossier = exports.case_dossier(current_user, case, ip=request.remote_addr)
    return _download(
        dossier.file, f"sipansos-berkas-perkara-{case.id}.pdf", mimetype="application/pdf"
    )


@bp.route("/cases/export.xlsx", defaults={"fmt": "xlsx"})
@bp.route("/cases/export.csv", defaults={"fmt": "csv"})
@login_required
def cases_sheet(fmt):
    """Every case matching the case list's filters (same query string) as XLSX or CSV."""
    form = CaseFilterForm(request.args, categories=categories(), operators=case_queries.operators())
    form.validate()  # a refused filter is left out, as on the list
    sheet = sheets.export_cases(current_user, form.filters(), fmt, ip=request.remote_addr)
    return _sheet_download(sheet, "sipansos-rekap-perkara", fmt)


@bp.route("/evidence/export.xlsx", defaults={"fmt": "xlsx"})
@bp.route("/evidence/export.csv", defaults={"fmt": "csv"})
@login_required
def evidence_sheet(fmt):
    """Every row of the evidence list for its filters (same query string) as XLSX or CSV."""
    _, filters = evidence_list_filters()
    sheet = sheets.export_evidence(current_user, filters, fmt, ip=request.remote_addr)
    return _sheet_download(sheet, "sipansos-rekap-bukti", fmt)


SHEET_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",  # Werkzeug adds "; charset=utf-8"
}


def _sheet_download(sheet, stem, fmt):
    today = deadlines.today().isoformat()
    return _download(sheet.file, f"{stem}-{today}.{fmt}", mimetype=SHEET_TYPES[fmt])


def _signing():
    return {
        "public_key": current_app.extensions["receipt_key"].public_key(),
        "ip": request.remote_addr,
    }


def _download(package, filename, mimetype="application/zip"):
    """Stream the package and close (delete) it once sent or when the client goes away."""
    size = package.seek(0, 2)
    package.seek(0)

    def chunks():
        with package:
            while chunk := package.read(CHUNK):
                yield chunk

    # Names are ASCII (ids and numbers), so they are safe inside the quotes.
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Content-Length": str(size),
    }
    return Response(chunks(), mimetype=mimetype, headers=headers)
