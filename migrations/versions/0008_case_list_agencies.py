"""Case list agency filter on the case row: the agencies of each case's terlapor, with a
trigram index, filled in for existing cases; the terlapor agency index it replaces goes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from sipansos.models import case_facets

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _trigram_index(name, table, column):
    op.create_index(
        name,
        table,
        [column],
        postgresql_using="gin",
        postgresql_ops={column: "gin_trgm_ops"},
        sqlite_where=sa.text("0"),
    )


def upgrade():
    op.add_column("cases", sa.Column("terlapor_agencies", sa.Text(), nullable=True))
    case_facets.refresh(op.get_bind(), columns=("terlapor_agencies",))
    _trigram_index("ix_cases_terlapor_agencies_trgm", "cases", "terlapor_agencies")
    op.drop_index("ix_terlapor_agency_trgm", table_name="terlapor")


def downgrade():
    _trigram_index("ix_terlapor_agency_trgm", "terlapor", "agency")
    op.drop_index("ix_cases_terlapor_agencies_trgm", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("terlapor_agencies")
