"""Shared fixtures: every app test runs on SQLite and on PostgreSQL, with a real SeaweedFS."""

import os
import re
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

pytest_plugins = ("tests.s3_fixtures",)

DATABASES = [
    name.strip()
    for name in os.environ.get("SIPANSOS_TEST_DATABASES", "sqlite,postgresql").split(",")
    if name.strip()
]
POSTGRES_ADMIN_URL = os.environ.get(
    "SIPANSOS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Debian's Chromium (never a downloaded browser) and the flags a closed network needs.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
PASSWORD = "correct horse battery"  # noqa: S105 - test accounts only

_CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"'
)


@pytest.fixture(scope="session", autouse=True)
def _instance_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("instance")
    os.environ["SIPANSOS_INSTANCE_PATH"] = str(path)
    return path


@pytest.fixture(scope="session")
def postgres_admin_engine():
    """Connection to the server's ``test`` database, used to create throw-away databases.

    The PostgreSQL leg is never skipped: an unreachable server fails the run.
    """
    # No pool: the database teardown may connect again after this fixture has ended.
    engine = sa.create_engine(
        POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc}", pytrace=False)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def make_database(request, tmp_path_factory):
    """Factory for an empty database of the given kind; dropped at the end of the session."""
    created = []
    admin = {}

    def make(kind):
        if kind == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / 'sipansos.db'}"
        engine = admin.setdefault("engine", request.getfixturevalue("postgres_admin_engine"))
        name = f"sipansos_test_{uuid.uuid4().hex[:12]}"
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return engine.url.set(database=name).render_as_string(hide_password=False)

    yield make
    if created:
        with admin["engine"].connect() as conn:
            for name in created:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def playwright():
    """One Playwright driver for the whole run: its sync API cannot be started twice at once."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def build_app(database_url, s3_settings, **overrides):
    from sipansos import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": database_url,
            **s3_settings,
            **overrides,
        }
    )


@pytest.fixture(params=DATABASES)
def fresh_app(request, make_database, s3_settings):
    """An app on a new, empty database of each kind (no migrations applied yet)."""
    from sipansos.extensions import db

    app = build_app(make_database(request.param), s3_settings)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def migrated_app(request, make_database, s3_settings):
    """One app per database kind, its schema built by the Alembic migrations."""
    app = build_app(make_database(request.param), s3_settings)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        from sipansos.extensions import db

        db.engine.dispose()


@pytest.fixture
def app(migrated_app):
    """The app with empty tables and a fresh rate limiter for each test."""
    from sipansos.extensions import db, limiter

    yield migrated_app
    with migrated_app.app_context():
        db.session.remove()
        with as_database_owner() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        limiter.reset()


@contextmanager
def as_database_owner():
    """A connection that can change the append-only audit table, as only a database owner can:
    the guard triggers are dropped for the transaction and put back before it commits."""
    from sipansos.extensions import db
    from sipansos.models import audit_guard

    with db.engine.begin() as conn:

        def execute(sql):
            conn.execute(sa.text(sql))

        audit_guard.remove(execute, conn.dialect.name)
        yield conn
        audit_guard.install(execute, conn.dialect.name)


@pytest.fixture
def db_kind(app):
    with app.app_context():
        from sipansos.extensions import db

        return db.engine.dialect.name


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create an account that can sign in straight away."""
    from sipansos.services import accounts

    def make(username, role="operator", password=PASSWORD, active=True):
        with app.app_context():
            user = accounts.create_user(
                None,
                username=username,
                full_name=username.title(),
                role=role,
                password=password,
                must_change_password=False,
            )
            if not active:
                from sipansos.extensions import db

                user.active = False
                db.session.commit()
            return user.id

    return make


def csrf_token(client, path="/login"):
    """The CSRF token of the client's session, read from a page's form."""
    html = client.get(path).get_data(as_text=True)
    match = _CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def login(client, username, password=PASSWORD):
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def post_form(client, path, data=None, token_page="/"):
    """POST a form the way a browser does: with the session's CSRF token."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, token_page)})


@pytest.fixture
def login_as(client, make_user):
    """Sign the test client in as a new user with ``role``; returns the user id."""

    def sign_in(role, username=None):
        username = username or f"{role}1"
        user_id = make_user(username, role=role)
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id

    return sign_in
