"""One case (Perkara): creating it, its page, editing it, and what it holds — evidence,
terlapor, pelapor and saksi. The procedure's steps are in ``case_actions``."""

import uuid
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..evidence.forms import PLATFORM_LABELS
from ..evidence.media import replay_source
from ..extensions import db
from ..models import Capture, SubjectStatus, Terlapor
from ..models.case import CASE_SOURCES
from ..services import case_records, case_states, deadlines, terlapor
from ..services.case_states import CaseError
from ..services.evidence_queries import get_capture
from . import bp, lookups
from .case_actions import build_action_form
from .forms import (
    DECISION_LABELS,
    PARTY_ROLE_LABELS,
    AddTerlaporForm,
    AttachEvidenceForm,
    EditCaseForm,
    NewCaseForm,
    PartyForm,
    RemoveEvidenceForm,
)
from .messages import explain
from .next_steps import next_deadlines
from .timeline import describe_events


def _day(value):
    """A calendar date (or its ISO text, as event details store it) for people to read."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, "d MMM yyyy") if value else "—"


@bp.context_processor
def case_page_helpers():
    return {
        "day": _day,
        "platform_labels": PLATFORM_LABELS,
        "source_labels": CASE_SOURCES,
        "decision_labels": DECISION_LABELS,
        "party_role_labels": PARTY_ROLE_LABELS,
        "subject_status_label": lambda code: SubjectStatus(code).label if code else "—",
    }


def _case_or_404(case_id):
    case = lookups.load_case(case_id)
    if case is None:
        abort(404)
    return case


def _refused(exc):
    """Undo the refused change and tell the user why, in Indonesian."""
    db.session.rollback()
    flash(explain(exc, current_user), "error")


def _back(case, anchor=None):
    return redirect(url_for(".show_case", case_id=case.id, _anchor=anchor))


def _capture_from_args():
    """The capture named by ``?capture=<uuid>`` (a new case's first evidence), or None."""
    raw = request.values.get("capture", "").strip()
    if not raw:
        return None
    try:
        capture = get_capture(uuid.UUID(raw))
    except ValueError:
        capture = None
    if capture is None:
        flash(_("The capture %(id)s was not found; the case is created without it.", id=raw),
              "error")  # fmt: skip
    elif capture.is_withdrawn:
        flash(_("This capture was withdrawn and cannot be used as evidence."), "error")
        capture = None
    return capture


def _category(form, choices):
    wanted = form.category.data
    return next((c for c in choices if str(c.id) == wanted), None) if wanted else None


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_case():
    """Start a case (Draf), optionally from a capture as its first evidence."""
    capture = _capture_from_args()
    categories = lookups.categories()
    form = NewCaseForm(categories=categories)
    if request.method == "GET" and capture is not None:
        form.capture.data = str(capture.capture_uuid)
        form.title.data = (capture.title or capture.url)[:300]
        form.known_date.data = deadlines.jakarta_date(capture.received_at)
        form.summary.data = capture.post_text
        match = next((c for c in categories if capture.category in (c.code, c.name)), None)
        form.category.data = str(match.id) if match else ""
    elif request.method == "GET":
        form.known_date.data = deadlines.today()
    if form.validate_on_submit():
        try:
            case = case_records.create_case(
                current_user,
                title=form.title.data,
                source=form.source.data,
                category=_category(form, categories),
                known_date=form.known_date.data,
                summary=(form.summary.data or "").strip() or None,
                captures=[capture] if capture is not None else [],
            )
        except CaseError as exc:
            _refused(exc)
        else:
            flash(_("Case created as “Draf”."), "success")
            return redirect(url_for(".show_case", case_id=case.id))
    return render_template("cases/new.html", form=form, capture=capture)


def _may_edit(case):
    try:
        case_records.check_editable(case, current_user)
    except CaseError:
        return False
    return True


def render_case(case, *, failed_action=None, failed_form=None, forms=None):
    """The case page; a form that failed validation is shown open with its errors."""
    actions = case_states.allowed_actions(case, current_user)
    action_forms = {a: build_action_form(a, case) for a in actions}
    if failed_action is not None:
        action_forms[failed_action] = failed_form
    query = request.args.get("terlapor_q", "").strip()
    found = terlapor.search_terlapor(query, limit=20) if query else []
    forms = forms or {}
    return render_template(
        "cases/case.html",
        case=case,
        transitions=case_states.TRANSITIONS,
        action_forms=action_forms,
        failed_action=failed_action,
        deadlines=next_deadlines(case),
        events=describe_events(
            case_records.timeline(case), known=[case.category, case.route, *case.legal_bases]
        ),
        replayable={e.capture_id for e in case.evidence if replay_source(e.capture)},
        may_edit=_may_edit(case),
        may_add_evidence=case.state not in case_states.CLOSED_STATES,
        may_make_letters=current_user.has_role(*case_states.KOORDINATOR_UP)
        and case.state not in case_states.CLOSED_STATES,
        attach_form=forms.get("attach") or AttachEvidenceForm(formdata=None),
        remove_form=RemoveEvidenceForm(formdata=None),
        party_form=forms.get("party") or PartyForm(formdata=None, source=case.source),
        terlapor_query=query,
        terlapor_found=[p for p in found if p not in case.terlapor],
        pelapor=[p for p in case.parties if p.role == "pelapor"],
        saksi=[p for p in case.parties if p.role == "saksi"],
    )


@bp.route("/<int:case_id>")
@login_required
def show_case(case_id):
    """The case: summary, next step and its deadline, evidence, checklist, timeline."""
    return render_case(_case_or_404(case_id))


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@login_required
def edit_case(case_id):
    """Change the case's fields and legal bases (operators: drafts only)."""
    case = _case_or_404(case_id)
    try:
        case_records.check_editable(case, current_user)
    except CaseError as exc:
        _refused(exc)
        return _back(case)
    categories = lookups.categories(case.category)
    bases = lookups.legal_bases(case.legal_bases)
    form = EditCaseForm(obj=case, categories=categories, legal_bases=bases)
    if request.method == "GET":
        form.category.data = str(case.category_id or "")
        form.legal_bases.data = [b.id for b in case.legal_bases]
    if form.validate_on_submit():
        chosen = [b for b in bases if b.id in set(form.legal_bases.data or [])]
        try:
            changed = case_records.update_case(
                case,
                current_user,
                title=form.title.data.strip(),
                category=_category(form, categories),
                known_date=form.known_date.data,
                received_date=form.received_date.data,
                summary=(form.summary.data or "").strip() or None,
                kajian_notes=(form.kajian_notes.data or "").strip() or None,
            )
            if {b.id for b in chosen} != {b.id for b in case.legal_bases}:
                case_records.set_legal_bases(case, current_user, chosen)
                changed.append("legal_bases")
        except CaseError as exc:
            _refused(exc)
            return _back(case)
        flash(_("Changes saved.") if changed else _("Nothing changed."), "success")
        return _back(case)
    return render_template("cases/edit.html", case=case, form=form)


@bp.route("/<int:case_id>/evidence", methods=["POST"])
@login_required
def attach_evidence(case_id):
    """Use a stored capture as evidence, found by its ID, evidence page or post URL."""
    case = _case_or_404(case_id)
    form = AttachEvidenceForm()
    if not form.validate_on_submit():
        flash(_("Give the capture ID or the URL of the capture to attach."), "error")
        return render_case(case, forms={"attach": form}), 400
    capture = lookups.find_capture(form.capture.data)
    if capture is None:
        flash(_("No stored capture matches “%(text)s”.", text=form.capture.data.strip()), "error")
        return render_case(case, forms={"attach": form}), 400
    try:
        case_records.add_evidence(
            case, current_user, capture, note=(form.note.data or "").strip() or None
        )
    except CaseError as exc:
        _refused(exc)
    else:
        flash(_("Evidence attached: %(url)s", url=capture.url), "success")
    return _back(case, "evidence")


@bp.route("/<int:case_id>/evidence/<int:capture_id>/remove", methods=["POST"])
@login_required
def remove_evidence(case_id, capture_id):
    """Take a capture out of the case's evidence, with a reason; the capture stays stored."""
    case = _case_or_404(case_id)
    capture = db.get_or_404(Capture, capture_id)
    form = RemoveEvidenceForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for removing the evidence."), "error")
        return _back(case, "evidence")
    try:
        case_records.remove_evidence(case, current_user, capture, reason=form.reason.data)
    except CaseError as exc:
        _refused(exc)
    else:
        flash(_("Evidence removed from the case; the capture itself stays stored."), "success")
    return _back(case, "evidence")


@bp.route("/<int:case_id>/terlapor", methods=["POST"])
@login_required
def add_terlapor(case_id):
    """Name a known reported person in the case."""
    case = _case_or_404(case_id)
    form = AddTerlaporForm()
    person = None
    if form.validate_on_submit() and form.terlapor_id.data.isdigit():
        person = db.session.get(Terlapor, int(form.terlapor_id.data))
    if person is None:
        flash(_("Choose a terlapor from the search results."), "error")
        return _back(case, "terlapor")
    try:
        case_records.add_terlapor(case, current_user, person)
    except CaseError as exc:
        _refused(exc)
    else:
        flash(_("%(name)s added as terlapor.", name=person.name), "success")
    return _back(case, "terlapor")


@bp.route("/<int:case_id>/terlapor/<int:terlapor_id>/remove", methods=["POST"])
@login_required
def remove_terlapor(case_id, terlapor_id):
    case = _case_or_404(case_id)
    person = db.get_or_404(Terlapor, terlapor_id)
    try:
        case_records.remove_terlapor(case, current_user, person)
    except CaseError as exc:
        _refused(exc)
    else:
        flash(_("%(name)s is no longer a terlapor in this case.", name=person.name), "success")
    return _back(case, "terlapor")


@bp.route("/<int:case_id>/parties", methods=["POST"])
@login_required
def add_party(case_id):
    """Record the pelapor (a Laporan's reporter) or a saksi."""
    case = _case_or_404(case_id)
    form = PartyForm(source=case.source)
    if not form.validate_on_submit():
        flash(_("The pelapor/saksi was not added: check the form below."), "error")
        return render_case(case, forms={"party": form}), 400
    fields = {
        key: (getattr(form, key).data or "").strip() or None
        for key in ("identity_number", "address", "phone", "notes")
    }
    try:
        party = case_records.add_party(case, current_user, form.role.data, form.name.data,
                                       **fields)  # fmt: skip
    except CaseError as exc:
        _refused(exc)
    else:
        flash(_("%(name)s added.", name=party.name), "success")
    return _back(case, "parties")
