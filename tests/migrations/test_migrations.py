"""The Alembic migrations build the schema on both databases and agree with the models."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from sipansos.extensions import db
from tests.conftest import DATABASES, build_app


@pytest.fixture(params=DATABASES)
def fresh_app(request, make_database, s3_settings):
    app = build_app(make_database(request.param), s3_settings)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_upgrade_from_empty_to_head_and_back(fresh_app):
    with fresh_app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"users", "api_tokens", "audit_events", "alembic_version"} <= tables
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()


def test_models_and_migrations_agree(fresh_app):
    with fresh_app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"autogenerate finds differences: {diff}"
