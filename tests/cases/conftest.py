"""Fixtures of the case tests: an app context, the default reference data, users and cases.

The shared ``app`` fixture empties every table after each test, so the reference data that
migration 0003 seeded is gone after the first test: ``reference`` loads it again (the loader is
idempotent, so the first test is not different from the others).
"""

import hashlib
import uuid
from datetime import date

import pytest

from sipansos.extensions import db
from sipansos.models import Capture, User, ViolationCategory
from sipansos.models.types import utcnow
from sipansos.services import cases, reference
from sipansos.services.reference import load_default_reference_data


@pytest.fixture
def ctx(app):
    """An application context for the whole test; its session is closed before cleanup."""
    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def reference_data(ctx):
    load_default_reference_data()
    return reference


@pytest.fixture
def users(ctx, make_user):
    """One active user per role, plus an inactive koordinator: ``users["koordinator"]``."""
    ids = {role: make_user(role, role=role) for role in ("operator", "koordinator", "admin")}
    ids["inactive"] = make_user("pensiun", role="koordinator", active=False)
    return {name: db.session.get(User, user_id) for name, user_id in ids.items()}


def category(code):
    return db.session.scalar(db.select(ViolationCategory).where(ViolationCategory.code == code))


@pytest.fixture
def make_case(reference_data, users):
    """``make_case(source="temuan", **fields)``: a draft case created by the operator."""

    def make(source="temuan", category_code="netralitas_asn", **fields):
        fields.setdefault("known_date", date(2026, 11, 2))
        return cases.create_case(
            users["operator"],
            title=fields.pop("title", "Kepala sekolah mengunggah dukungan"),
            source=source,
            category=category(category_code) if category_code else None,
            **fields,
        )

    return make


@pytest.fixture
def make_capture(users):
    """``make_capture(url=…)``: a stored Capture row (no artifacts; enough to link to a case)."""

    def make(url="https://www.facebook.com/someone/posts/123", **fields):
        digest = hashlib.sha256(url.encode()).hexdigest()
        capture = Capture(
            capture_uuid=uuid.uuid4(),
            source="extension",
            request_sha256=digest,
            url=url,
            post_key=digest,
            platform="facebook",
            received_at=utcnow(),
            uploader=users["operator"],
            client_info={},
            manifest_sha256=digest,
            signature="0" * 128,
            signing_key_id="test",
            **fields,
        )
        db.session.add(capture)
        db.session.commit()
        return capture

    return make
