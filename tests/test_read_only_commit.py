"""How a request's transaction ends: a read-only one commits (PostgreSQL keeps its prepared
statements), anything that wrote, failed or left changes pending is rolled back."""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from sipansos.extensions import db
from sipansos.models import Role, User
from tests.conftest import build_app


@pytest.fixture
def probe_app(app, s3_settings):
    """A second app on the test database, with routes that read, write or fail."""
    probe = build_app(app.config["SQLALCHEMY_DATABASE_URI"], s3_settings, WTF_CSRF_ENABLED=False)

    def add_user(name):
        db.session.add(User(username=name, full_name=name, role=Role.OPERATOR, password_hash="x"))
        db.session.flush()

    @probe.get("/_probe/users")
    def count_users():
        return str(db.session.scalar(select(func.count()).select_from(User)))

    @probe.post("/_probe/flush/<name>")
    def flush_without_commit(name):
        add_user(name)
        return "flushed"

    @probe.post("/_probe/fail/<name>")
    def flush_then_fail(name):
        add_user(name)
        raise RuntimeError("failed after writing")

    @probe.post("/_probe/bad-sql/<name>")
    def write_then_bad_statement(name):
        add_user(name)
        try:
            db.session.execute(text("SELECT no_such_column FROM users"))
        except DBAPIError:
            return "error swallowed"
        return "unreachable"

    yield probe
    with probe.app_context():
        db.session.remove()
        db.engine.dispose()


def test_writes_never_committed_by_the_request_are_lost(probe_app):
    client = probe_app.test_client()
    assert client.post("/_probe/flush/flushed").text == "flushed"
    with pytest.raises(RuntimeError):
        client.post("/_probe/fail/failed")
    assert client.post("/_probe/bad-sql/bad").text == "error swallowed"
    assert client.get("/_probe/users").text == "0"


def test_read_only_requests_keep_prepared_statements(probe_app, db_kind):
    if db_kind != "postgresql":
        pytest.skip("prepared statements are a PostgreSQL (psycopg) matter")
    with probe_app.app_context():
        db.engine.dispose()  # one connection serves the requests below, and the check after
    client = probe_app.test_client()
    # psycopg prepares a statement on its fifth execution; a ROLLBACK would forget it.
    for _ in range(7):
        assert client.get("/_probe/users").text == "0"
    with probe_app.app_context():
        assert db.engine.pool.checkedin() == 1  # so the check runs on the requests' connection
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared >= 1
