"""Fixtures of the terlapor page tests.

Pages are requested through the test client, which pushes its own application context per
request; setup and checks run in short ``with app.app_context()`` blocks (see ``in_app``), so
no state leaks between a test's code and the requests it makes.
"""

from contextlib import contextmanager

import pytest

from sipansos.extensions import db
from sipansos.models import User
from sipansos.services import terlapor
from sipansos.services.reference import load_default_reference_data
from tests.conftest import login

NIP = "198001152005011003"


@contextmanager
def in_app(app):
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def user_ids(app, make_user):
    """One user per role (``user_ids["koordinator"]``) and the default reference data."""
    with in_app(app):
        load_default_reference_data()
    return {role: make_user(role, role=role) for role in ("operator", "koordinator", "admin")}


@pytest.fixture
def sign_in(client, user_ids):
    def sign(role="operator"):
        assert login(client, role).status_code == 302
        return user_ids[role]

    return sign


def user(role_or_id):
    if isinstance(role_or_id, int):
        return db.session.get(User, role_or_id)
    return db.session.scalar(db.select(User).where(User.username == role_or_id))


@pytest.fixture
def budi_id(app, user_ids):
    """A known person with a NIP and two accounts."""
    with in_app(app):
        person = terlapor.create_terlapor(
            user("operator"),
            name="Drs. Budi Santoso, M.Pd.",
            nip=NIP,
            employment_status="pns",
            position="Kepala Sekolah",
            agency="SMPN 1 Manggar",
            accounts=[
                {"platform": "facebook", "handle": "@budi.s", "profile_url": "https://fb.com/b"},
                {"platform": "tiktok", "handle": "budisantoso80"},
            ],
        )
        return person.id
