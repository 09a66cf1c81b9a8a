"""Capture → case: attach a capture to an open case, or start a new draft case from it.

The case page belongs to the cases blueprint; links to it are plain ``/cases/<id>`` paths.
"""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..services import capture_cases
from ..services.case_states import CLOSED_STATES, CaseError, PermissionDenied
from . import _capture_or_404, bp
from .forms import AttachCaseForm, StartCaseForm


def case_label(case):
    """How a case is named in messages: its register number, else its draft number."""
    return case.number or _("Draft #%(id)d", id=case.id)


def case_path(case):
    return url_for("cases.show_case", case_id=case.id)


def context(capture):
    """What the capture page shows about cases: the capture's cases and the two forms."""
    search = (request.args.get("case_q") or "").strip()[:100]
    suggested = capture_cases.category_by_code(capture.category)
    return {
        "capture_cases": capture_cases.cases_of(capture),
        "candidate_cases": capture_cases.candidate_cases(capture, search),
        "case_search": search,
        "attach_form": AttachCaseForm(formdata=None),
        "start_form": StartCaseForm(
            formdata=None,
            categories=capture_cases.active_categories(),
            data={
                "title": capture_cases.default_title(capture),
                "category": suggested.code if suggested else "",
            },
        ),
        "case_path": case_path,
    }


def _back(capture):
    return redirect(url_for(".get_capture", capture_uuid=capture.capture_uuid, _anchor="cases"))


def _refusal(exc, capture, case):
    """The Indonesian message for a refused attach (the service's text is English)."""
    if isinstance(exc, PermissionDenied):
        return _("Your role may not attach evidence to cases.")
    if case is not None and case.state_enum in CLOSED_STATES:
        return _(
            "Case %(case)s is “%(state)s”: a finished case takes no more evidence.",
            case=case_label(case),
            state=case.state_label,
        )
    if capture.is_withdrawn:
        return _("Withdrawn evidence cannot be attached to a case.")
    if case is not None and capture_cases.is_linked(case, capture):
        return _("This evidence is already in case %(case)s.", case=case_label(case))
    return _("The evidence could not be attached: %(reason)s", reason=str(exc))


@bp.route("/evidence/<uuid:capture_uuid>/cases", methods=["POST"])
@login_required
def attach_to_case(capture_uuid):
    """Add the capture to an open case chosen from the list or by its register number."""
    capture = _capture_or_404(capture_uuid)
    form = AttachCaseForm()
    if not form.validate_on_submit() or not (form.case_id.data or (form.number.data or "").strip()):
        flash(_("Choose a case from the list or type its register number."), "error")
        return _back(capture)
    case = capture_cases.find_case(form.case_id.data, form.number.data)
    if case is None:
        if (form.number.data or "").strip():
            message = _("No case has the register number “%(number)s”.", number=form.number.data)
        else:
            message = _("That case does not exist (any more).")
        flash(message, "error")
        return _back(capture)
    try:
        capture_cases.attach(current_user, capture, case)
    except CaseError as exc:
        flash(_refusal(exc, capture, case), "error")
    else:
        flash(_("Evidence attached to case %(case)s.", case=case_label(case)), "success")
    return _back(capture)


@bp.route("/evidence/<uuid:capture_uuid>/cases/new", methods=["POST"])
@login_required
def start_case(capture_uuid):
    """Start a draft case (Temuan) with this capture as evidence and open its page."""
    capture = _capture_or_404(capture_uuid)
    form = StartCaseForm(categories=capture_cases.active_categories())
    if not form.validate_on_submit():
        flash(_("The new case could not be started: check the title and category."), "error")
        return _back(capture)
    try:
        case = capture_cases.start_case(
            current_user,
            capture,
            title=form.title.data,
            category=capture_cases.category_by_code(form.category.data),
        )
    except PermissionDenied:
        flash(_("Your role may not start cases."), "error")
    except CaseError as exc:
        flash(_refusal(exc, capture, None), "error")
    else:
        flash(
            _("Draft case %(case)s started with this evidence.", case=case_label(case)),
            "success",
        )
        return redirect(case_path(case))
    return _back(capture)
