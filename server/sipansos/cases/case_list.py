"""The case list (Kasus)."""

from flask import render_template
from flask_login import login_required

from . import bp


@bp.route("")
@login_required
def list_cases():
    return render_template("cases/list.html")
