"""The procedure's steps on the case page: one form per action of ``case_states.TRANSITIONS``,
each posted to ``/cases/<id>/actions/<action>`` and handed to its service function."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Route
from ..services import case_states, reference
from ..services import cases as case_service
from ..services.case_states import CaseError
from . import bp, lookups
from .forms import ACTION_FORMS, DecideForm, ForwardForm, StartKajianForm
from .messages import explain


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _letter_parties(names):
    """Names as typed, each replaced by its agency when one is called exactly that."""
    known = lookups.agencies_by_name(names)
    return [known.get(name.lower(), name) for name in names]


def _default_letter_parties(case, kind):
    names = [r.name for r in case.recipients if r.kind == kind]
    if names or case.route is None:
        return names
    if kind == "recipient":
        return [case.route.recipient.name] if case.route.recipient else []
    return [copy.agency.name for copy in case.route.copies]


def build_action_form(action, case, formdata=None):
    """The form of ``action`` for ``case``; without ``formdata`` it is prefilled for the page."""
    form_class = ACTION_FORMS[action]
    kwargs = {"prefix": action}
    if formdata is None:
        kwargs["formdata"] = None
    if form_class is DecideForm:
        suggested = reference.suggest_routes_for_case(case)
        kwargs["suggested"] = suggested
        kwargs["other_routes"] = [r for r in lookups.active_routes() if r not in suggested]
        kwargs["legal_bases"] = lookups.legal_bases(case.legal_bases)
        if formdata is None:
            kwargs["data"] = {
                "route": str(suggested[0].id) if suggested else "",
                "pleno_result": case.pleno_result,
                "legal_bases": [b.id for b in case.legal_bases],
            }
    elif form_class is ForwardForm and formdata is None:
        # The letter being sent is usually the last one made here (Buat Surat).
        made = next((letter for letter in reversed(case.letters) if letter.recipients), None)
        kwargs["data"] = {
            "recipients": "\n".join(_default_letter_parties(case, "recipient")),
            "copies": "\n".join(_default_letter_parties(case, "copy")),
        }
        if made is not None:
            kwargs["data"] = {
                "letter_number": made.number,
                "letter_date": made.letter_date,
                "recipients": "\n".join(made.recipients),
                "copies": "\n".join(made.copies),
            }
    elif form_class is StartKajianForm and formdata is None:
        kwargs["data"] = {"notes": case.kajian_notes}
    return form_class(**kwargs)


def _route(form):
    return db.session.get(Route, int(form.route.data)) if form.route.data else None


def _run(action, case, actor, form):
    """Call the service function of ``action`` with what its form collected."""
    f = form
    calls = {
        "submit": lambda: case_service.submit_case(case, actor),
        "receive_report": lambda: case_service.receive_report(
            case, actor, received_date=f.received_date.data
        ),
        "establish_finding": lambda: case_service.establish_finding(
            case, actor, pleno_date=f.pleno_date.data, note=(f.note.data or "").strip() or None
        ),
        "discontinue": lambda: case_service.discontinue_case(case, actor, reason=f.reason.data),
        "request_completion": lambda: case_service.request_completion(
            case, actor, missing=f.missing.data
        ),
        "complete_report": lambda: case_service.complete_report(case, actor),
        "reject_report": lambda: case_service.reject_report(case, actor, reason=f.reason.data),
        "register": lambda: case_service.register_case(
            case, actor, registered_date=f.registered_date.data
        ),
        "start_clarification": lambda: case_service.start_clarification(case, actor),
        "start_kajian": lambda: case_service.start_kajian(
            case, actor, notes=(f.notes.data or "").strip() or None
        ),
        "decide": lambda: case_service.decide(
            case,
            actor,
            f.decision.data,
            route=_route(f),
            decision_date=f.decision_date.data,
            pleno_result=(f.pleno_result.data or "").strip() or None,
            legal_bases=[
                b
                for b in lookups.legal_bases(case.legal_bases)
                if b.id in set(f.legal_bases.data or [])
            ],
        ),  # fmt: skip
        "forward": lambda: case_service.forward_case(
            case,
            actor,
            letter_number=f.letter_number.data,
            letter_date=f.letter_date.data,
            dispatch_date=f.dispatch_date.data,
            recipients=_letter_parties(_lines(f.recipients.data)),
            copies=_letter_parties(_lines(f.copies.data)),
        ),
        "record_follow_up": lambda: case_service.record_follow_up(
            case,
            actor,
            followed_up=f.followed_up.data == "1",
            outcome=f.outcome.data,
            reference_number=f.reference_number.data,
            reference_date=f.reference_date.data,
        ),
        "close": lambda: case_service.close_case(
            case, actor, note=(f.note.data or "").strip() or None
        ),
        "archive": lambda: case_service.archive_case(case, actor),
    }
    calls[action]()


@bp.route("/<int:case_id>/actions/<action>", methods=["POST"])
@login_required
def perform_action(case_id, action):
    """Take one step of the procedure; a refusal changes nothing and says why."""
    if action not in case_states.TRANSITIONS:
        abort(404)
    case = lookups.load_case(case_id)
    if case is None:
        abort(404)
    label = case_states.TRANSITIONS[action].label
    refused = case_states.refusal(case, current_user, action)
    if refused is not None:
        flash(explain(refused, current_user), "error")
        return redirect(url_for(".show_case", case_id=case.id))
    form = build_action_form(action, case, formdata=True)
    if not form.validate_on_submit():
        from .case_page import render_case  # here: case_page imports this module

        flash(_("“%(action)s” was not done: check the form below.", action=label), "error")
        return render_case(case, failed_action=action, failed_form=form), 400
    try:
        _run(action, case, current_user, form)
    except CaseError as exc:
        db.session.rollback()
        flash(explain(exc, current_user), "error")
    else:
        flash(
            _("Done: “%(action)s”. The case is now “%(state)s”.", action=label,
              state=case.state_label),
            "success",
        )  # fmt: skip
    return redirect(url_for(".show_case", case_id=case.id))
