"""Pages every signed-in user sees: dashboard, own API tokens, language switch."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..evidence.forms import PLATFORM_LABELS
from ..extensions import db
from ..models import ApiToken
from ..services import dashboard as figures
from ..services import tokens
from .forms import CreateTokenForm
from .urls import is_safe_next_url

bp = Blueprint("web", __name__)


@bp.route("/")
@login_required
def dashboard():
    """Dasbor: open cases by state and category, captures per day, follow-up deadlines."""
    by_state = figures.open_cases_by_state()
    captures = figures.captures_per_platform_per_day()
    platform_names = {p: str(PLATFORM_LABELS.get(p, p)) for p in captures.counts}
    day_labels = [format_date(day, "d MMM") for day in captures.days]
    # Read by static/dashboard.js from a JSON block (the CSP allows no inline script).
    chart_data = {
        "day_label": _("Day"),
        "days": [day.isoformat() for day in captures.days],
        "series": [
            {"label": platform_names[p], "values": values} for p, values in captures.counts.items()
        ],
    }
    return render_template(
        "web/dashboard.html",
        active_tokens=tokens.active_tokens(current_user),
        by_state=by_state,
        open_total=sum(count for _state, count in by_state),
        by_category=figures.open_cases_by_category(),
        captures=captures,
        platform_names=platform_names,
        day_labels=day_labels,
        chart_data=chart_data,
        deadlines=figures.checklist_deadlines(),
    )


@bp.route("/language/<lang>", methods=["POST"])
def set_language(lang):
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = lang
    next_url = request.form.get("next")
    return redirect(next_url if is_safe_next_url(next_url) else url_for("web.dashboard"))


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def list_tokens():
    form = CreateTokenForm()
    new_secret = None
    if form.validate_on_submit():
        try:
            token, new_secret = tokens.create_token(
                current_user, form.name.data, ip=request.remote_addr
            )
        except tokens.TokenError as exc:
            flash(str(exc), "error")
        else:
            flash(
                _(
                    "Token “%(name)s” created. Copy it now: it will not be shown again.",
                    name=token.name,
                ),
                "success",
            )
            form = CreateTokenForm(formdata=None)
    return render_template(
        "web/tokens.html",
        form=form,
        new_secret=new_secret,
        tokens=tokens.active_tokens(current_user),
    )


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id:
        abort(404)
    tokens.revoke_token(current_user, token, ip=request.remote_addr)
    flash(
        _("Token “%(name)s” revoked. The browser using it is signed out.", name=token.name),
        "success",
    )
    return redirect(url_for("web.list_tokens"))
