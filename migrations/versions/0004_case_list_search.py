"""Case list: the search document of each case (full-text search on PostgreSQL) and the indexes
the list's sorts and filters use; existing cases get their search document.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 16:35:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from sipansos.models import case_search

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "cases",
        sa.Column(
            "search_document",
            postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"),
            nullable=True,
        ),
    )
    # GIN on PostgreSQL; on SQLite (LIKE search, no use for it) an always-empty partial index.
    op.create_index(
        "ix_cases_search_document",
        "cases",
        ["search_document"],
        postgresql_using="gin",
        sqlite_where=sa.text("0"),
    )
    # (state, id) replaces (state): the status counts read it alone, the state sort pages by it.
    op.drop_index(op.f("ix_cases_state"), table_name="cases")
    op.create_index("ix_cases_state_id", "cases", ["state", "id"])
    op.create_index("ix_cases_updated_at_id", "cases", ["updated_at", "id"])
    op.create_index("ix_cases_number_id", "cases", ["number_year", "number_seq", "id"])
    op.create_index("ix_cases_known_date_id", "cases", ["known_date", "id"])
    op.create_index("ix_cases_title_id", "cases", ["title", "id"])
    op.create_index(op.f("ix_cases_category_id"), "cases", ["category_id"])
    op.create_index(
        "ix_case_evidence_added_by_id_case_id", "case_evidence", ["added_by_id", "case_id"]
    )
    # (created_by_id, id) replaces (created_by_id): the operator filter reads only the index.
    op.drop_index(op.f("ix_cases_created_by_id"), table_name="cases")
    op.create_index("ix_cases_created_by_id_id", "cases", ["created_by_id", "id"])
    op.create_index(op.f("ix_terlapor_employment_status"), "terlapor", ["employment_status"])
    case_search.refresh(op.get_bind())


def downgrade():
    op.drop_index(op.f("ix_terlapor_employment_status"), table_name="terlapor")
    op.drop_index("ix_cases_created_by_id_id", table_name="cases")
    op.create_index(op.f("ix_cases_created_by_id"), "cases", ["created_by_id"])
    op.drop_index("ix_case_evidence_added_by_id_case_id", table_name="case_evidence")
    op.drop_index(op.f("ix_cases_category_id"), table_name="cases")
    op.drop_index("ix_cases_title_id", table_name="cases")
    op.drop_index("ix_cases_known_date_id", table_name="cases")
    op.drop_index("ix_cases_number_id", table_name="cases")
    op.drop_index("ix_cases_updated_at_id", table_name="cases")
    op.drop_index("ix_cases_state_id", table_name="cases")
    op.create_index(op.f("ix_cases_state"), "cases", ["state"])
    op.drop_index("ix_cases_search_document", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("search_document")
