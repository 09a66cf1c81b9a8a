"""Reported persons pages (Terlapor): the list and search, one person, creating and editing."""

from flask import Blueprint

bp = Blueprint("terlapor", __name__, url_prefix="/terlapor")

# The view module registers its routes on ``bp``.
from . import views  # noqa: E402,F401
