"""Fixtures of the evidence page tests: captures stored through the real API."""

import re
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sipansos.extensions import db
from sipansos.models import Capture, User
from sipansos.services import tokens
from tests.capture_helpers import build_capture, post_capture

ROW_LINK = re.compile(r'href="/evidence/([0-9a-f-]{36})" class="post-title"')


def listed(client, query=""):
    """The capture ids shown as rows of the evidence list for a query string."""
    response = client.get(f"/evidence?{query}")
    assert response.status_code == 200
    return ROW_LINK.findall(response.get_data(as_text=True))


@pytest.fixture
def api_secret(app, make_user):
    """``api_secret(username, role)``: an API token of a new user, as the extension holds."""

    def issue(username="operator1", role="operator"):
        user_id = make_user(username, role=role)
        with app.app_context():
            _token, secret = tokens.create_token(db.session.get(User, user_id), "Chrome")
        return secret

    return issue


@pytest.fixture
def store_capture(client):
    """``store_capture(secret, files=None, **manifest fields)``: upload one capture via the API.

    Returns ``(manifest, files)`` of the stored capture.
    """

    def store(secret, files=None, **fields):
        manifest, data = build_capture(files, **fields)
        response = post_capture(client, secret, manifest, data)
        assert response.status_code == 201, response.json
        return manifest, data

    return store


def capture_row(app, capture_id):
    """The stored Capture row (detached, with its artifacts loaded)."""
    with app.app_context():
        capture = db.session.scalar(
            select(Capture)
            .where(Capture.capture_uuid == uuid.UUID(capture_id))
            .options(selectinload(Capture.artifacts))
        )
        db.session.expunge_all()
        return capture
