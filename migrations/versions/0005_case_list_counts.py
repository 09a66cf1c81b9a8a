"""Case list filters at scale: a trigram index for the terlapor agency filter (a substring
match) and a partial index of open checklist items for the overdue filter.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 17:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension since PostgreSQL 13: the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # GIN trigram index on PostgreSQL (ILIKE '%…%' uses it); on SQLite an always-empty index.
    op.create_index(
        "ix_terlapor_agency_trgm",
        "terlapor",
        ["agency"],
        postgresql_using="gin",
        postgresql_ops={"agency": "gin_trgm_ops"},
        sqlite_where=sa.text("0"),
    )
    op.create_index(
        "ix_case_checklist_items_open_case_id_due_date",
        "case_checklist_items",
        ["case_id", "due_date"],
        postgresql_where=sa.text("NOT done"),
        sqlite_where=sa.text("NOT done"),
    )


def downgrade():
    op.drop_index("ix_case_checklist_items_open_case_id_due_date", "case_checklist_items")
    op.drop_index("ix_terlapor_agency_trgm", table_name="terlapor")
    # pg_trgm stays: other objects may use it, and it costs nothing unused.
