"""Case list read from indexes alone: the indexes of its filters and sorts carry the other small
columns it filters, counts and sorts on (PostgreSQL INCLUDE), and each case's facets get its
state, so a state tab with other facets is one index lookup.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 15:00:00.000000

"""

from alembic import op

from sipansos.models import case_facets

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

LISTED = ("id", "state", "category_id", "known_date", "next_due_date", "updated_at")
INDEXES = {
    "ix_cases_state_id": ("state", "id"),
    "ix_cases_updated_at_id": ("updated_at", "id"),
    "ix_cases_known_date_id": ("known_date", "id"),
    "ix_cases_next_due_date_state": ("next_due_date", "state"),
    "ix_cases_category_id_state": ("category_id", "state"),
}


def _recreate_indexes(covering):
    for name, keys in INDEXES.items():
        included = [column for column in LISTED if column not in keys] if covering else []
        op.drop_index(name, table_name="cases")
        op.create_index(name, "cases", list(keys), postgresql_include=included)


def upgrade():
    case_facets.refresh(op.get_bind(), columns=("facets",))
    if op.get_bind().dialect.name == "postgresql":
        _recreate_indexes(covering=True)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _recreate_indexes(covering=False)
        op.execute("UPDATE cases SET facets = array_remove(facets, 'state:' || state)")
    else:
        op.execute("UPDATE cases SET facets = replace(facets, ' state:' || state || ' ', ' ')")
