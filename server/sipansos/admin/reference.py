"""Reference data pages (Referensi): categories, legal bases, agencies, routes with their
checklist templates and copies, and holidays. Admin only (the blueprint's guard).

Every change goes through ``services.reference``, which checks the role and writes the audit
log. Cases copy a route's checklist when they choose it, so template edits here never rewrite
an open case.
"""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import db
from ..models import (
    Agency,
    HariLibur,
    LegalBasis,
    LetterTemplate,
    Route,
    RouteChecklistItem,
    ViolationCategory,
)
from ..models.reference import SUBJECT_STATUS_LABELS
from ..services import reference as service
from ..services.case_states import CaseError
from . import bp
from .reference_forms import (
    ANCHOR_LABELS,
    CHANNEL_LABELS,
    UNIT_LABELS,
    AgencyForm,
    CategoryForm,
    CopyForm,
    HolidayForm,
    LegalBasisForm,
    RouteForm,
    RouteItemForm,
)


@dataclass(frozen=True)
class Kind:
    """A kind of reference row edited with the generic list and edit pages."""

    model: type
    form: type
    title: str
    create: object  # the service function that adds a row


SIMPLE_KINDS = {
    "categories": Kind(
        ViolationCategory, CategoryForm, _l("Violation categories"), service.create_category
    ),
    "legal-bases": Kind(LegalBasis, LegalBasisForm, _l("Legal bases"), service.create_legal_basis),
    "agencies": Kind(Agency, AgencyForm, _l("Agencies and recipients"), service.create_agency),
}
# Kinds whose rows carry a "verified" flag an admin can set from a list.
VERIFIABLE = {
    "legal-bases": LegalBasis,
    "agencies": Agency,
    "routes": Route,
    "route-items": RouteChecklistItem,
    "holidays": HariLibur,
    "letter-templates": LetterTemplate,
}


@bp.context_processor
def reference_labels():
    return {
        "channel_labels": CHANNEL_LABELS,
        "unit_labels": UNIT_LABELS,
        "anchor_labels": ANCHOR_LABELS,
        "status_labels": {s.value: label for s, label in SUBJECT_STATUS_LABELS.items()},
    }


def refusal(exc):
    """A translated message for a ``ReferenceDataError`` (or another ``CaseError``)."""
    code = getattr(exc, "code", None)
    params = getattr(exc, "params", {})
    if code == "deadline_rule":
        return _(
            "A deadline needs a whole number of days (0 or more), the unit and the date it "
            "counts from."
        )
    if code == "holiday_exists":
        return _("%(date)s is already a holiday.", date=params["date"].isoformat())
    if code == "required":
        return _("Fill in the required fields.")
    if code == "copy_exists":
        return _("%(name)s already receives a copy.", **params)
    if code == "copy_is_recipient":
        return _("%(name)s is the route's recipient; it cannot also be a copy.", **params)
    return _("The change was refused: %(reason)s", reason=str(exc))


def _apply(change, success):
    """Run a service call; flash its outcome. Returns False when it was refused."""
    try:
        result = change()
    except CaseError as exc:
        db.session.rollback()
        flash(refusal(exc), "error")
        return False
    # update_reference returns its changes ({} for none), move_route_item False for none.
    flash(_("Nothing changed.") if result in ({}, False) else success, "success")
    return True


def _flash_errors(form):
    for field, errors in form.errors.items():
        label = getattr(form, field).label.text if hasattr(form, field) else ""
        for error in errors:
            flash(f"{label}: {error}" if label else error, "error")


def _kind(kind):
    if kind not in SIMPLE_KINDS:
        abort(404)
    return SIMPLE_KINDS[kind]


@bp.route("/reference")
def reference_index():
    return render_template(
        "admin/reference.html",
        counts=service.overview(),
        kinds=SIMPLE_KINDS,
    )


@bp.route("/reference/<kind>", methods=["GET", "POST"])
def reference_list(kind):
    """The rows of one kind, and a form to add one."""
    spec = _kind(kind)
    form = spec.form(prefix="new")
    if form.validate_on_submit():
        if _apply(lambda: spec.create(current_user, **form.create_values()), _("Added.")):
            return redirect(url_for(".reference_list", kind=kind))
    return render_template(
        "admin/reference_list.html",
        kind=kind,
        spec=spec,
        rows=service.list_rows(spec.model),
        form=form,
    )


@bp.route("/reference/<kind>/<int:row_id>", methods=["GET", "POST"])
def reference_edit(kind, row_id):
    spec = _kind(kind)
    row = db.get_or_404(spec.model, row_id)
    form = spec.form(obj=row)
    if form.validate_on_submit():
        if _apply(lambda: service.update_reference(current_user, row, **form.values()),
                  _("Changes saved.")):  # fmt: skip
            return redirect(url_for(".reference_list", kind=kind))
    return render_template("admin/reference_edit.html", kind=kind, spec=spec, row=row, form=form)


@bp.route("/reference/<kind>/<int:row_id>/verify", methods=["POST"])
def reference_verify(kind, row_id):
    """Mark a row that came unverified with the defaults as checked against its source."""
    if kind not in VERIFIABLE:
        abort(404)
    row = db.get_or_404(VERIFIABLE[kind], row_id)
    _apply(
        lambda: service.update_reference(current_user, row, verified=True),
        _("Marked as verified."),
    )
    return redirect(_back(kind, row))


def _back(kind, row):
    """The page a verify button was on."""
    if kind == "route-items":
        return url_for(".reference_route", route_id=row.route_id)
    if kind == "routes":
        return url_for(".reference_route", route_id=row.id)
    if kind == "holidays":
        return url_for(".reference_holidays")
    if kind == "letter-templates":
        return url_for(".reference_letter_templates")
    return url_for(".reference_list", kind=kind)


# Routes and their checklist templates


def _route_form(**kwargs):
    categories = service.list_rows(ViolationCategory)
    agencies = service.list_rows(Agency)
    return RouteForm(categories=categories, agencies=agencies, **kwargs)


@bp.route("/reference/routes")
def reference_routes():
    return render_template("admin/reference_routes.html", routes=service.list_rows(Route))


@bp.route("/reference/routes/new", methods=["GET", "POST"])
def reference_route_new():
    form = _route_form()
    if form.validate_on_submit():
        try:
            route = service.create_route(current_user, **form.create_values())
        except CaseError as exc:
            db.session.rollback()
            flash(refusal(exc), "error")
        else:
            flash(_("Route added. Now add its checklist items and copies."), "success")
            return redirect(url_for(".reference_route", route_id=route.id))
    return render_template("admin/reference_route_new.html", form=form)


def _route_or_404(route_id):
    return db.get_or_404(Route, route_id)


@bp.route("/reference/routes/<int:route_id>", methods=["GET", "POST"])
def reference_route(route_id):
    """One route: its fields, copies and checklist template."""
    route = _route_or_404(route_id)
    form = _route_form(obj=route)
    if form.validate_on_submit():
        if _apply(lambda: service.update_reference(current_user, route, **form.values()),
                  _("Changes saved.")):  # fmt: skip
            return redirect(url_for(".reference_route", route_id=route.id))
    return render_template(
        "admin/reference_route.html",
        route=route,
        form=form,
        copy_form=CopyForm(agencies=service.list_rows(Agency)),
        item_form=RouteItemForm(prefix="item"),
    )


@bp.route("/reference/routes/<int:route_id>/copies", methods=["POST"])
def reference_route_add_copy(route_id):
    route = _route_or_404(route_id)
    form = CopyForm(agencies=service.list_rows(Agency))
    if form.validate_on_submit():
        agency = db.get_or_404(Agency, form.agency_id.data)
        _apply(lambda: service.add_route_copy(current_user, route, agency), _("Copy added."))
    else:
        _flash_errors(form)
    return redirect(url_for(".reference_route", route_id=route.id) + "#copies")


@bp.route("/reference/routes/<int:route_id>/copies/<int:copy_id>/remove", methods=["POST"])
def reference_route_remove_copy(route_id, copy_id):
    route = _route_or_404(route_id)
    copy = next((c for c in route.copies if c.id == copy_id), None)
    if copy is None:
        abort(404)
    _apply(lambda: service.remove_route_copy(current_user, route, copy), _("Copy removed."))
    return redirect(url_for(".reference_route", route_id=route.id) + "#copies")


@bp.route("/reference/routes/<int:route_id>/items", methods=["POST"])
def reference_route_add_item(route_id):
    route = _route_or_404(route_id)
    form = RouteItemForm(prefix="item")
    if form.validate_on_submit():
        values = form.values()
        _apply(
            lambda: service.add_route_item(
                current_user,
                route,
                title=values["title"],
                actor_label=values["actor"],
                days=values["deadline_days"],
                unit=values["deadline_unit"],
                anchor=values["deadline_anchor"],
                note=values["note"],
                verified=values["verified"],
            ),
            _("Checklist item added."),
        )
    else:
        _flash_errors(form)
    return redirect(url_for(".reference_route", route_id=route.id) + "#items")


def _item_or_404(route_id, item_id):
    item = db.get_or_404(RouteChecklistItem, item_id)
    if item.route_id != route_id:
        abort(404)
    return item


@bp.route("/reference/routes/<int:route_id>/items/<int:item_id>", methods=["GET", "POST"])
def reference_route_item(route_id, item_id):
    item = _item_or_404(route_id, item_id)
    form = RouteItemForm(obj=item)
    if form.validate_on_submit():
        if _apply(lambda: service.update_reference(current_user, item, **form.values()),
                  _("Changes saved.")):  # fmt: skip
            return redirect(url_for(".reference_route", route_id=route_id) + "#items")
    return render_template("admin/reference_route_item.html", item=item, form=form)


@bp.route("/reference/routes/<int:route_id>/items/<int:item_id>/move", methods=["POST"])
def reference_route_move_item(route_id, item_id):
    item = _item_or_404(route_id, item_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction"))
    if offset is None:
        abort(400)
    _apply(lambda: service.move_route_item(current_user, item, offset), _("Item moved."))
    return redirect(url_for(".reference_route", route_id=route_id) + "#items")


@bp.route("/reference/routes/<int:route_id>/items/<int:item_id>/remove", methods=["POST"])
def reference_route_remove_item(route_id, item_id):
    item = _item_or_404(route_id, item_id)
    _apply(lambda: service.remove_route_item(current_user, item), _("Item removed."))
    return redirect(url_for(".reference_route", route_id=route_id) + "#items")


# Holidays


@bp.route("/reference/holidays", methods=["GET", "POST"])
def reference_holidays():
    form = HolidayForm()
    if form.validate_on_submit():
        if _apply(
            lambda: service.add_holiday(
                current_user, form.date.data, form.name.data, verified=form.verified.data
            ),
            _("Holiday added; working-day deadlines computed from now on skip it."),
        ):
            return redirect(url_for(".reference_holidays"))
    return render_template(
        "admin/reference_holidays.html", holidays=service.list_rows(HariLibur), form=form
    )


@bp.route("/reference/holidays/<int:holiday_id>/remove", methods=["POST"])
def reference_holiday_remove(holiday_id):
    holiday = db.get_or_404(HariLibur, holiday_id)
    _apply(lambda: service.remove_holiday(current_user, holiday), _("Holiday removed."))
    return redirect(url_for(".reference_holidays"))
