"""Case list filters as tests of the case row: the facets of each case (platforms of its
captures, its terlapor's statuses, the users who created it or added evidence) and the due date
of its next open checklist item, filled in for existing cases; the platform lexemes leave the
search document.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 10:00:00.000000

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from sipansos.models import case_facets

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column(
        "cases",
        sa.Column(
            "facets", postgresql.ARRAY(sa.Text()).with_variant(sa.Text(), "sqlite"), nullable=True
        ),
    )
    op.add_column("cases", sa.Column("next_due_date", sa.Date(), nullable=True))
    case_facets.refresh(op.get_bind(), columns=("facets", "next_due_date"))
    op.create_index(
        "ix_cases_facets", "cases", ["facets"], postgresql_using="gin", sqlite_where=sa.text("0")
    )
    op.create_index("ix_cases_next_due_date_state", "cases", ["next_due_date", "state"])
    # (category_id, state) replaces (category_id): the status tabs count from the index alone.
    op.create_index("ix_cases_category_id_state", "cases", ["category_id", "state"])
    op.drop_index(op.f("ix_cases_category_id"), table_name="cases")
    if postgres:
        # What 0004 put into each search document: one lexeme per platform of its captures.
        op.execute(
            "UPDATE cases SET search_document = ts_delete(search_document, "
            "(SELECT coalesce(array_agg(DISTINCT '~platform~' || platform), '{}') FROM captures)) "
            "WHERE search_document IS NOT NULL"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE cases SET search_document = search_document || coalesce(array_to_tsvector("
            "(SELECT array_agg(DISTINCT '~platform~' || captures.platform) FROM case_evidence "
            "JOIN captures ON captures.id = case_evidence.capture_id "
            "WHERE case_evidence.case_id = cases.id)), ''::tsvector) "
            "WHERE search_document IS NOT NULL"
        )
    op.create_index(op.f("ix_cases_category_id"), "cases", ["category_id"])
    op.drop_index("ix_cases_category_id_state", table_name="cases")
    op.drop_index("ix_cases_next_due_date_state", table_name="cases")
    op.drop_index("ix_cases_facets", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("next_due_date")
        batch.drop_column("facets")
