"""Sign-in, sign-out and the user's own password."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..services import accounts
from ..services.passwords import MIN_PASSWORD_LENGTH
from ..web.urls import is_safe_next_url
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__)


def _login_limit():
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data, ip=request.remote_addr)
        if user is None:
            flash(_("Wrong username or password, or the account is deactivated."), "error")
        else:
            login_user(user, remember=form.remember.data)
            accounts.record_login(user, ip=request.remote_addr)
            next_url = request.args.get("next")
            return redirect(next_url if is_safe_next_url(next_url) else url_for("web.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.record_logout(current_user, ip=request.remote_addr)
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                ip=request.remote_addr,
            )
        except accounts.AccountError as exc:
            flash(str(exc), "error")
        else:
            # The session id rotated with the password; sign this browser in again under it.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("web.dashboard"))
    return render_template("auth/change_password.html", form=form, min_length=MIN_PASSWORD_LENGTH)


@bp.before_app_request
def require_password_change():
    """Users with a temporary password must set their own before doing anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint
        not in ("auth.change_password", "auth.logout", "static", "web.set_language")
        and not request.path.startswith("/api/")
    ):
        flash(_("Set your own password before you continue."), "info")
        return redirect(url_for("auth.change_password"))
    return None
