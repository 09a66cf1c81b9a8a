"""The case list (Kasus): filters, status tabs, sortable columns, pages."""

from flask import render_template, request, url_for
from flask_babel import format_decimal
from flask_login import login_required
from sqlalchemy import select

from ..extensions import db
from ..models import CaseState, ViolationCategory
from ..models.reference import SUBJECT_STATUS_LABELS
from ..services import case_queries as queries
from . import bp
from .list_forms import CaseFilterForm


def categories():
    """The violation categories in their listed order (the category filter's choices)."""
    return db.session.scalars(
        select(ViolationCategory).order_by(ViolationCategory.position, ViolationCategory.name)
    ).all()


@bp.route("")
@login_required
def list_cases():
    """The cases matching the query-string filters, one page, with counts per status."""
    form = CaseFilterForm(request.args, categories=categories(), operators=queries.operators())
    form.validate()
    filters = form.filters()
    sort = form.sort_value()
    counts = queries.bounded_counts(filters)
    # The status counts hold the number of matching cases (up to their limit): no second count.
    page = queries.list_cases(
        filters, sort, page=request.args.get("page", 1, type=int), counts=counts
    )
    args = {key: value for key, value in request.args.items() if value != "" and key != "page"}

    def list_url(**changes):
        """This list with ``changes`` applied to its query string (None removes a key)."""
        merged = {**args, **changes}
        return url_for(".list_cases", **{k: v for k, v in merged.items() if v is not None})

    return render_template(
        "cases/list.html",
        form=form,
        filters=filters,
        sort=sort,
        counts=counts,
        page=page,
        list_url=list_url,
        number=format_decimal,
        all_states=list(CaseState),
        subject_status_labels=SUBJECT_STATUS_LABELS,
    )
