"""Case pages (Kasus): the case list, one case with its procedure, and its follow-up checklist."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")

# The view modules register their routes on ``bp``.
from . import case_actions, case_list, case_page, checklist_views, letter_views  # noqa: E402,F401
