"""The Alembic migrations build the schema on both databases and agree with the models."""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from sipansos.extensions import db
from sipansos.services import case_queries as queries
from sipansos.services.case_queries import CaseFilters


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


def _insert(conn, table, **values):
    """A row of ``table`` with ``values`` and a placeholder in every other required column."""
    columns = sa.inspect(conn).get_columns(table)
    placeholders = {
        sa.Integer: 1,
        sa.Boolean: False,
        sa.DateTime: datetime(2026, 1, 5, tzinfo=UTC),
        sa.Date: date(2026, 1, 5),
        sa.JSON: [],
    }
    row = {}
    for column in columns:
        name = column["name"]
        if name in values or name == "id" or column["nullable"] or column.get("default"):
            continue
        kind = type(column["type"])
        row[name] = next(
            (value for base, value in placeholders.items() if issubclass(kind, base)),
            f"{table}-{name}",
        )
    row.update(values)
    statement = sa.text(
        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + n for n in row)})"
    )
    conn.execute(statement, row)


def test_0006_gives_every_checklist_document_the_case_of_its_item(fresh_app):
    """Documents stored before letters hang on a checklist item; after 0006 they belong to that
    item's case, and downgrading keeps them."""
    with fresh_app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as conn:
            _insert(conn, "users", id=1, username="k", role="koordinator")
            for case_id in (1, 2):
                _insert(conn, "cases", id=case_id, created_by_id=1, title=f"case {case_id}")
                _insert(conn, "case_checklist_items", id=case_id * 10, case_id=case_id)
                _insert(conn, "case_documents", id=case_id * 100, item_id=case_id * 10)
        upgrade(revision="0006")
        with db.engine.connect() as conn:
            owners = conn.execute(
                sa.text("SELECT id, case_id, item_id FROM case_documents ORDER BY id")
            ).all()
        assert [tuple(row) for row in owners] == [(100, 1, 10), (200, 2, 20)]
        downgrade(revision="0005")
        with db.engine.connect() as conn:
            kept = conn.execute(sa.text("SELECT id, item_id FROM case_documents ORDER BY id"))
            assert [tuple(row) for row in kept] == [(100, 10), (200, 20)]


def test_0007_fills_in_the_facets_and_next_due_date_of_existing_cases(fresh_app):
    """Cases from before 0007 get their filter facets and next due date; on PostgreSQL the
    platform lexemes of 0004 leave the search document, and come back on downgrade."""
    with fresh_app.app_context():
        upgrade(revision="0006")
        db_kind = db.engine.dialect.name
        with db.engine.begin() as conn:
            for user_id in (1, 2):
                _insert(conn, "users", id=user_id, username=f"u{user_id}", role="operator")
            _insert(conn, "terlapor", id=1, employment_status="kepala_desa")
            _insert(conn, "captures", id=1, platform="tiktok", client_info="{}",
                    capture_uuid="6f1c0d5e-8f61-4a55-9d0a-3b1d8f2e7c41")  # fmt: skip
            for case_id in (1, 2):
                _insert(conn, "cases", id=case_id, created_by_id=1, title=f"case {case_id}")
            _insert(conn, "case_terlapor", case_id=1, terlapor_id=1)
            _insert(conn, "case_evidence", case_id=1, capture_id=1, added_by_id=2)
            for item_id, due, done in ((1, date(2026, 3, 1), True), (2, date(2026, 4, 1), False),
                                       (3, date(2026, 5, 1), False)):  # fmt: skip
                _insert(conn, "case_checklist_items", id=item_id, case_id=1, position=item_id,
                        due_date=due, done=done)  # fmt: skip
            if db_kind == "postgresql":  # as 0004 left it: with the platform lexeme
                old_document = "to_tsvector('simple', title) || '~platform~tiktok'::tsvector"
                conn.execute(sa.text(f"UPDATE cases SET search_document = {old_document}"))
        upgrade(revision="0007")
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT id, facets, next_due_date FROM cases ORDER BY id")
            ).all()
            document = None
            if db_kind == "postgresql":
                document = conn.scalar(sa.text("SELECT search_document FROM cases WHERE id = 1"))
        # The state labels come from the same code, since 0009.
        facets = {
            row.id: {
                f
                for f in (row.facets if db_kind == "postgresql" else row.facets.split())
                if not f.startswith("state:")
            }
            for row in rows
        }
        assert facets == {
            1: {"platform:tiktok", "status:kepala_desa", "operator:1", "operator:2"},
            2: {"operator:1"},
        }
        if db_kind == "sqlite":
            assert rows[0].facets.startswith(" ") and rows[0].facets.endswith(" ")
        next_due = [row.next_due_date for row in rows]
        assert [str(d) if d else None for d in next_due] == ["2026-04-01", None]
        if db_kind == "postgresql":
            assert document == "'1':2 'case':1"
        downgrade(revision="0006")
        if db_kind == "postgresql":
            with db.engine.connect() as conn:
                document = conn.scalar(sa.text("SELECT search_document FROM cases WHERE id = 1"))
            assert document == "'1':2 'case':1 '~platform~tiktok'"


def test_0008_fills_in_the_terlapor_agencies_of_existing_cases(fresh_app):
    """Cases from before 0008 get the agencies of their terlapor (each once, blank ones left
    out), which the agency filter then finds; downgrade drops the column again."""
    with fresh_app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as conn:
            _insert(conn, "users", id=1, username="u1", role="operator")
            for terlapor_id, agency in ((1, "Dinas Pendidikan"), (2, "Pemerintah Desa Maju"),
                                        (3, "Dinas Pendidikan"), (4, "")):  # fmt: skip
                _insert(conn, "terlapor", id=terlapor_id, agency=agency)
            for case_id in (1, 2):
                _insert(conn, "cases", id=case_id, created_by_id=1, title=f"case {case_id}")
            for terlapor_id in (1, 2, 3, 4):
                _insert(conn, "case_terlapor", case_id=1, terlapor_id=terlapor_id)
        upgrade(revision="0008")
        with db.engine.connect() as conn:
            agencies = conn.execute(
                sa.text("SELECT id, terlapor_agencies FROM cases ORDER BY id")
            ).all()
        assert agencies == [(1, "Dinas Pendidikan\nPemerintah Desa Maju"), (2, None)]
        assert [c.id for c in next(queries.iter_matching(CaseFilters(agency="desa ma")))] == [1]
        db.session.remove()  # its transaction would hold a lock the downgrade waits for
        downgrade(revision="0007")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("cases")}
        assert "terlapor_agencies" not in columns


def test_0009_adds_the_state_facet_and_covering_indexes(fresh_app):
    """0009 gives each case a ``state:`` facet and, on PostgreSQL, the list's indexes carry
    the columns it filters, counts and sorts on; downgrade takes both back."""
    with fresh_app.app_context():
        upgrade(revision="0008")
        db_kind = db.engine.dialect.name
        with db.engine.begin() as conn:
            _insert(conn, "users", id=1, username="u1", role="operator")
            _insert(conn, "cases", id=1, created_by_id=1, title="case 1", state="temuan")

        def facets_and_index():
            with db.engine.connect() as conn:
                facets = conn.scalar(sa.text("SELECT facets FROM cases WHERE id = 1"))
                index = None
                if db_kind == "postgresql":
                    index = conn.scalar(
                        sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                        {"name": "ix_cases_category_id_state"},
                    )
            if facets is None:  # a row written by SQL, as before 0007's backfill
                return None, index
            return set(facets if db_kind == "postgresql" else facets.split()), index

        assert facets_and_index()[0] is None
        upgrade(revision="0009")
        facets, index = facets_and_index()
        assert facets == {"operator:1", "state:temuan"}
        if db_kind == "postgresql":
            assert index.endswith(
                "(category_id, state) INCLUDE (id, known_date, next_due_date, updated_at)"
            )
        downgrade(revision="0008")
        facets, index = facets_and_index()
        assert facets == {"operator:1"}
        if db_kind == "postgresql":
            assert "INCLUDE" not in index
