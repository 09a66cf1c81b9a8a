"""Reported persons: list and search, one person with accounts and cases, create and edit.

Every signed-in user may view; creating and editing is for operators, koordinators and admins
(the service checks the role and writes the audit log).
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..evidence.forms import PLATFORM_LABELS
from ..extensions import db
from ..models import Case, Terlapor
from ..models.case import STATE_LABELS, CaseState
from ..models.reference import SUBJECT_STATUS_LABELS
from ..services import case_records
from ..services import terlapor as service
from ..services.case_states import CaseError, PermissionDenied
from . import bp
from .forms import AccountForm, NewTerlaporForm, TerlaporForm
from .messages import match_reason, refusal


@bp.context_processor
def terlapor_labels():
    """Labels the terlapor templates show for stored codes."""
    return {
        "status_labels": {s.value: label for s, label in SUBJECT_STATUS_LABELS.items()},
        "state_labels": {s.value: label for s, label in STATE_LABELS.items()},
        "platform_labels": PLATFORM_LABELS,
        "match_reason": match_reason,
        "level_labels": {
            "certain": _("certain"),
            "likely": _("likely"),
            "possible": _("possible"),
        },
    }


@bp.route("")
@login_required
def list_terlapor():
    """All reported persons by name, or those whose name, NIP or handle contains ``q``."""
    query = request.args.get("q", "").strip()[:200]
    people = service.list_terlapor(query, page=request.args.get("page", 1, type=int))
    return render_template(
        "terlapor/list.html",
        people=people,
        query=query,
        counts=service.case_counts(people.items),
    )


def _case_from_args():
    """The case named by ``?case=`` (the person is added to it after creation), or None."""
    case_id = request.args.get("case", type=int)
    if case_id is None:
        return None
    return db.get_or_404(Case, case_id)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create_terlapor():
    """A new person with accounts; possible duplicates are shown before anything is saved."""
    case = _case_from_args()
    form = NewTerlaporForm()
    matches = []
    if form.validate_on_submit():
        accounts = form.account_values()
        matches = service.find_duplicates(name=form.name.data, nip=form.nip.data, accounts=accounts)
        certain = [m for m in matches if m.level == "certain"]
        unseen = {m.terlapor.id for m in matches} - form.seen_match_ids()
        if certain:
            form.nip.errors.append(refusal(_nip_taken(certain[0])))
        elif matches and (unseen or not form.save_anyway.data):
            flash(
                _(
                    "This person may already be recorded. Check the list below; if it is "
                    "a different person, tick “save anyway” and save again."
                ),
                "error",
            )
        else:
            return _save_new(form, accounts, case)
        form.seen_matches.data = ",".join(str(m.terlapor.id) for m in matches)
        form.save_anyway.data = False
    return render_template("terlapor/new.html", form=form, matches=matches, case=case)


def _nip_taken(match):
    person = match.terlapor
    return service.TerlaporError(
        "NIP taken", code="nip_taken", nip=person.nip, name=person.name, id=person.id
    )


def _save_new(form, accounts, case):
    try:
        person = service.create_terlapor(current_user, accounts=accounts, **form.values())
    except CaseError as exc:
        db.session.rollback()
        flash(refusal(exc), "error")
        return render_template("terlapor/new.html", form=form, matches=[], case=case)
    flash(_("Terlapor %(name)s saved.", name=person.name), "success")
    if case is None:
        return redirect(url_for(".get_terlapor", terlapor_id=person.id))
    try:
        case_records.add_terlapor(case, current_user, person)
    except CaseError as exc:
        db.session.rollback()
        flash(
            _(
                "%(name)s was saved but not added to the case: %(reason)s",
                name=person.name,
                reason=_case_refusal(exc, case),
            ),
            "error",
        )
        return redirect(url_for(".get_terlapor", terlapor_id=person.id))
    flash(_("%(name)s is now named in the case.", name=person.name), "success")
    # The case page belongs to the cases blueprint; its path is stable.
    return redirect(url_for("cases.show_case", case_id=case.id))


def _case_refusal(exc, case):
    if isinstance(exc, PermissionDenied):
        return _(
            "the case is “%(state)s”; only a koordinator or an admin may change it now.",
            state=case.state_label,
        )
    if case.state in (CaseState.SELESAI, CaseState.ARSIP):
        return _("the case is “%(state)s” and can no longer be changed.", state=case.state_label)
    return refusal(exc)


def _person_or_404(terlapor_id):
    return db.get_or_404(Terlapor, terlapor_id)


@bp.route("/<int:terlapor_id>")
@login_required
def get_terlapor(terlapor_id):
    """One person: identity, accounts and the cases naming them."""
    person = _person_or_404(terlapor_id)
    return render_template("terlapor/detail.html", person=person, account_form=AccountForm())


@bp.route("/<int:terlapor_id>/edit", methods=["GET", "POST"])
@login_required
def edit_terlapor(terlapor_id):
    person = _person_or_404(terlapor_id)
    form = TerlaporForm(obj=person)
    if form.validate_on_submit():
        try:
            changes = service.update_terlapor(current_user, person, **form.values())
        except service.TerlaporError as exc:
            db.session.rollback()
            target = form.nip if exc.code and exc.code.startswith("nip") else None
            if target is not None:
                target.errors.append(refusal(exc))
            else:
                flash(refusal(exc), "error")
        except CaseError as exc:
            db.session.rollback()
            flash(refusal(exc), "error")
        else:
            flash(_("Changes saved.") if changes else _("Nothing changed."), "success")
            return redirect(url_for(".get_terlapor", terlapor_id=person.id))
    return render_template("terlapor/edit.html", form=form, person=person)


@bp.route("/<int:terlapor_id>/accounts", methods=["POST"])
@login_required
def add_account(terlapor_id):
    person = _person_or_404(terlapor_id)
    form = AccountForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for(".get_terlapor", terlapor_id=person.id))
    try:
        account = service.add_account(
            current_user,
            person,
            platform=form.platform.data,
            handle=form.handle.data,
            profile_url=form.profile_url.data or None,
        )
    except CaseError as exc:
        db.session.rollback()
        flash(refusal(exc), "error")
    else:
        flash(_("Account @%(handle)s added.", handle=account.handle_normalised), "success")
        others = service.find_similar(
            handle=account.handle, platform=account.platform, exclude_id=person.id
        )
        for match in others:
            flash(
                _(
                    "The same account is also recorded for %(name)s (terlapor #%(id)d): "
                    "check whether they are the same person.",
                    name=match.terlapor.name,
                    id=match.terlapor.id,
                ),
                "info",
            )
    return redirect(url_for(".get_terlapor", terlapor_id=person.id))
