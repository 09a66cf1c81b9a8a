"""Admin pages: user management and the audit log."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.loader import role_required
from ..extensions import db
from ..models import ApiToken, Role, User
from ..services import accounts, tokens
from ..services import audit as audit_service
from ..services.case_states import TRANSITIONS
from .forms import (
    AUDIT_ACTION_LABELS,
    ROLE_LABELS,
    ResetPasswordForm,
    UserCreateForm,
    UserEditForm,
)

bp = Blueprint("admin", __name__)


@bp.before_request
@role_required(Role.ADMIN)
def require_admin():
    """Every admin page is for admins only."""


@bp.route("/users")
def list_users():
    query = request.args.get("q", "").strip()
    role = request.args.get("role") or None
    if role not in (None, *ROLE_LABELS):
        role = None
    status = request.args.get("status")
    active = {"active": True, "inactive": False}.get(status)
    page = request.args.get("page", 1, type=int)
    users = accounts.search_users(query, role=role, active=active, page=page)
    return render_template(
        "admin/users.html",
        users=users,
        query=query,
        role=role,
        status=status,
        role_labels=ROLE_LABELS,
    )


@bp.route("/users/new", methods=["GET", "POST"])
def create_user():
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                current_user,
                username=form.username.data,
                full_name=form.full_name.data,
                email=form.email.data,
                role=form.role.data,
                password=form.password.data,
                ip=request.remote_addr,
            )
        except accounts.AccountError as exc:
            flash(str(exc), "error")
        else:
            flash(_("User %(username)s created.", username=user.username), "success")
            return redirect(url_for("admin.get_user", user_id=user.id))
    return render_template("admin/user_new.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def get_user(user_id):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    if form.validate_on_submit():
        try:
            changes = accounts.update_user(
                current_user,
                user,
                full_name=form.full_name.data,
                email=form.email.data,
                role=form.role.data,
                ip=request.remote_addr,
            )
        except accounts.AccountError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(_("Changes saved.") if changes else _("Nothing changed."), "success")
            return redirect(url_for("admin.get_user", user_id=user.id))
    return render_template(
        "admin/user.html",
        user=user,
        form=form,
        reset_form=ResetPasswordForm(),
        tokens=tokens.active_tokens(user),
        role_labels=ROLE_LABELS,
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def set_user_active(user_id):
    user = db.get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    try:
        accounts.set_active(current_user, user, active, ip=request.remote_addr)
    except accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(
            _("Account reactivated.")
            if active
            else _("Account deactivated: its sessions and tokens no longer work."),
            "success",
        )
    return redirect(url_for("admin.get_user", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def reset_password(user_id):
    user = db.get_or_404(User, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(current_user, user, form.password.data, ip=request.remote_addr)
        except accounts.AccountError as exc:
            flash(str(exc), "error")
        else:
            flash(
                _(
                    "Password reset. Give the temporary password to the user in person; they "
                    "must change it at next sign-in."
                ),
                "success",
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("admin.get_user", user_id=user.id))


@bp.route("/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_user_token(user_id, token_id):
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != user_id:
        abort(404)
    tokens.revoke_token(current_user, token, ip=request.remote_addr)
    flash(_("Token “%(name)s” revoked.", name=token.name), "success")
    return redirect(url_for("admin.get_user", user_id=user_id))


# Case transitions are audited as ``case_<action>``; their button labels are already Indonesian.
TRANSITION_AUDIT_LABELS = {f"case_{t.action}": t.label for t in TRANSITIONS.values()}


def _render_audit(*, action=None, actor=None, page=1, report=None):
    return render_template(
        "admin/audit.html",
        events=audit_service.search_events(action=action, actor=actor, page=page),
        action=action,
        actor=actor,
        actions=audit_service.known_actions(),
        action_labels=AUDIT_ACTION_LABELS | TRANSITION_AUDIT_LABELS,
        report=report,
    )


@bp.route("/audit")
def list_audit_events():
    return _render_audit(
        action=request.args.get("action") or None,
        actor=request.args.get("actor", "").strip() or None,
        page=request.args.get("page", 1, type=int),
    )


@bp.route("/audit/verify", methods=["POST"])
def verify_audit_chain():
    return _render_audit(report=audit_service.verify_chain())


# The reference-data pages (Referensi) register their routes on ``bp``, behind the same guard.
from . import letter_templates, reference  # noqa: E402,F401
