"""Cases for the extension: the open cases a capture can go into, the violation categories, and
attaching an uploaded capture to a case. (Starting or choosing a case while uploading is the
``case`` field of ``POST /captures``.)"""

from flask import g, url_for
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort

from ..errors import error_response
from ..schemas.cases import (
    AttachEvidenceSchema,
    CaseLinkSchema,
    CaseListArgsSchema,
    CaseListSchema,
    CategoryListSchema,
)
from ..services import capture_cases, captures, case_records
from .auth import token_required

bp = Blueprint("api_cases", __name__, description="Cases a capture can be evidence in")

# HTTP status of each CaseLinkFailed code on the attach endpoint.
_STATUS = {
    "case_not_found": 404,
    "forbidden": 403,
    "case_closed": 409,
    "capture_withdrawn": 409,
    "unknown_category": 409,
    "case_refused": 409,
}


def case_url(case):
    """The case page, for the extension's receipt."""
    return url_for("cases.show_case", case_id=case.id, _external=True)


def case_summary(case, **extra):
    return {
        "id": case.id,
        "number": case.number,
        "title": case.title,
        "state": case.state,
        "state_label": case.state_label,
        "category": case.category.code if case.category else None,
        "created_at": case.created_at,
        "url": case_url(case),
        **extra,
    }


def case_error_message(failure):
    """The operator's sentence (Indonesian) for a failed case request."""
    messages = {
        "case_not_found": _("The chosen case no longer exists."),
        "case_closed": _(
            "The case is “%(state)s” and takes no more evidence.",
            state=failure.case.state_label if failure.case else "",
        ),
        "forbidden": _("Your role may not add evidence to this case."),
        "unknown_category": _("The chosen category is not known to the server."),
        "capture_withdrawn": _("A withdrawn capture cannot be used as evidence."),
    }
    return messages.get(
        failure.code, _("The case could not be changed: %(reason)s", reason=failure.message)
    )


@bp.route("/cases")
@bp.doc(security=[{"bearer": []}])
@bp.arguments(CaseListArgsSchema, location="query")
@bp.response(200, CaseListSchema)
@token_required()
def list_cases(args):
    """Open cases (not Selesai/Arsip) a capture can be attached to, newest first."""
    found = capture_cases.open_cases(args["q"], args["limit"])
    return {"cases": [case_summary(case) for case in found]}


@bp.route("/categories")
@bp.doc(security=[{"bearer": []}])
@bp.response(200, CategoryListSchema)
@token_required()
def list_categories():
    """Violation categories (Referensi) in the admin's order: code and Indonesian name."""
    return {"categories": capture_cases.active_categories()}


@bp.route("/cases/<int:case_id>/evidence", methods=["POST"])
@bp.doc(security=[{"bearer": []}])
@bp.arguments(AttachEvidenceSchema)
@bp.response(201, CaseLinkSchema)
@bp.alt_response(200, schema=CaseLinkSchema, description="The capture was already in the case")
@token_required()
def attach_capture(payload, case_id):
    """Attach an uploaded capture to a case (operators, coordinators and admins)."""
    case = case_records.get_case(case_id)
    if case is None:
        abort(404, message="No such case.")
    capture = captures.find_capture(payload["capture_id"])
    if capture is None:
        abort(404, message="No such capture.")
    already = any(link.capture_id == capture.id for link in case.evidence)
    try:
        link = capture_cases.link_existing(g.api_user, case, capture)
    except capture_cases.CaseLinkFailed as failure:
        return error_response(_STATUS[failure.code], failure.code, case_error_message(failure))
    return case_summary(link.case, created=False), 200 if already else 201
