"""Cases: reference data (categories, legal bases, agencies, routes with checklist templates,
holidays), reported persons and their accounts, cases with evidence, parties, recipients,
follow-up checklists, documents and timeline; then the default reference data is loaded.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:38:35.583557

"""

import sqlalchemy as sa
from alembic import op

from sipansos.services.reference import load_default_reference_data

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("code", name=op.f("uq_agencies_code")),
    )
    op.create_table(
        "hari_libur",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hari_libur")),
        sa.UniqueConstraint("date", name=op.f("uq_hari_libur_date")),
    )
    op.create_table(
        "legal_bases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("regulation", sa.String(length=300), nullable=False),
        sa.Column("article", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_bases")),
        sa.UniqueConstraint("code", name=op.f("uq_legal_bases_code")),
    )
    op.create_table(
        "violation_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_violation_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_violation_categories_code")),
    )
    op.create_table(
        "routes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("subject_status", sa.String(length=32), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["violation_categories.id"],
            name=op.f("fk_routes_category_id_violation_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["agencies.id"], name=op.f("fk_routes_recipient_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routes")),
        sa.UniqueConstraint("code", name=op.f("uq_routes_code")),
    )
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_routes_subject_status"), ["subject_status"], unique=False
        )

    op.create_table(
        "terlapor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_normalised", sa.String(length=200), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=True),
        sa.Column("rank_grade", sa.String(length=100), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("agency", sa.String(length=300), nullable=True),
        sa.Column("employment_status", sa.String(length=32), nullable=False),
        sa.Column("responsible_ppk", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_terlapor_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terlapor")),
        sa.UniqueConstraint("nip", name=op.f("uq_terlapor_nip")),
    )
    with op.batch_alter_table("terlapor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_terlapor_name_normalised"), ["name_normalised"], unique=False
        )

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=True),
        sa.Column("number_year", sa.Integer(), nullable=True),
        sa.Column("number_seq", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("known_date", sa.Date(), nullable=True),
        sa.Column("received_date", sa.Date(), nullable=True),
        sa.Column("registered_date", sa.Date(), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("dispatch_date", sa.Date(), nullable=True),
        sa.Column("kajian_notes", sa.Text(), nullable=True),
        sa.Column("pleno_result", sa.Text(), nullable=True),
        sa.Column("decision", sa.String(length=32), nullable=True),
        sa.Column("route_id", sa.Integer(), nullable=True),
        sa.Column("letter_number", sa.String(length=200), nullable=True),
        sa.Column("letter_date", sa.Date(), nullable=True),
        sa.Column("follow_up_outcome", sa.Text(), nullable=True),
        sa.Column("follow_up_reference", sa.String(length=200), nullable=True),
        sa.Column("follow_up_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["violation_categories.id"],
            name=op.f("fk_cases_category_id_violation_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_cases_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["route_id"], ["routes.id"], name=op.f("fk_cases_route_id_routes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("number", name=op.f("uq_cases_number")),
        sa.UniqueConstraint("number_year", "number_seq", name=op.f("uq_cases_number_year")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_created_by_id"), ["created_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_state"), ["state"], unique=False)

    op.create_table(
        "route_checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("deadline_days", sa.Integer(), nullable=True),
        sa.Column("deadline_unit", sa.String(length=16), nullable=True),
        sa.Column("deadline_anchor", sa.String(length=32), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["route_id"], ["routes.id"], name=op.f("fk_route_checklist_items_route_id_routes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route_checklist_items")),
    )
    with op.batch_alter_table("route_checklist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_route_checklist_items_route_id"), ["route_id"], unique=False
        )

    op.create_table(
        "route_copies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("route_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_route_copies_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["route_id"], ["routes.id"], name=op.f("fk_route_copies_route_id_routes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_route_copies")),
        sa.UniqueConstraint("route_id", "agency_id", name=op.f("uq_route_copies_route_id")),
    )
    with op.batch_alter_table("route_copies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_route_copies_route_id"), ["route_id"], unique=False)

    op.create_table(
        "terlapor_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("terlapor_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.Column("handle_normalised", sa.String(length=200), nullable=False),
        sa.Column("profile_url", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["terlapor_id"], ["terlapor.id"], name=op.f("fk_terlapor_accounts_terlapor_id_terlapor")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terlapor_accounts")),
    )
    with op.batch_alter_table("terlapor_accounts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_terlapor_accounts_handle_normalised"),
            ["handle_normalised"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_terlapor_accounts_terlapor_id"), ["terlapor_id"], unique=False
        )

    op.create_table(
        "case_checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("template_item_id", sa.Integer(), nullable=True),
        sa.Column("route_code", sa.String(length=48), nullable=True),
        sa.Column("deadline_days", sa.Integer(), nullable=True),
        sa.Column("deadline_unit", sa.String(length=16), nullable=True),
        sa.Column("deadline_anchor", sa.String(length=32), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("letter_number", sa.String(length=200), nullable=True),
        sa.Column("letter_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_checklist_items_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_case_checklist_items_done_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_checklist_items")),
    )
    with op.batch_alter_table("case_checklist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_checklist_items_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_checklist_items_due_date"), ["due_date"], unique=False
        )

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_case_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("act_kind", sa.String(length=64), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_case_evidence_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_case_evidence_capture_id_captures")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_evidence_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_evidence")),
        sa.UniqueConstraint("case_id", "capture_id", name=op.f("uq_case_evidence_case_id")),
    )
    with op.batch_alter_table("case_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_evidence_capture_id"), ["capture_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_case_evidence_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_legal_bases",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("legal_basis_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_legal_bases_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["legal_basis_id"],
            ["legal_bases.id"],
            name=op.f("fk_case_legal_bases_legal_basis_id_legal_bases"),
        ),
        sa.PrimaryKeyConstraint("case_id", "legal_basis_id", name=op.f("pk_case_legal_bases")),
    )
    op.create_table(
        "case_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("identity_number", sa.String(length=32), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_parties_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_parties")),
    )
    with op.batch_alter_table("case_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_parties_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_case_recipients_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_recipients_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_recipients")),
    )
    with op.batch_alter_table("case_recipients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_recipients_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_terlapor",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("terlapor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_terlapor_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["terlapor_id"], ["terlapor.id"], name=op.f("fk_case_terlapor_terlapor_id_terlapor")
        ),
        sa.PrimaryKeyConstraint("case_id", "terlapor_id", name=op.f("pk_case_terlapor")),
    )
    with op.batch_alter_table("case_terlapor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_terlapor_terlapor_id"), ["terlapor_id"], unique=False
        )

    op.create_table(
        "case_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["case_checklist_items.id"],
            name=op.f("fk_case_documents_item_id_case_checklist_items"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_case_documents_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_documents")),
    )
    with op.batch_alter_table("case_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_documents_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_documents_sha256"), ["sha256"], unique=False)

    # Seed rows through the migration's own connection: a second connection would not see the
    # new tables (PostgreSQL) or would wait for this transaction's lock (SQLite).
    load_default_reference_data(op.get_bind())


def downgrade():
    with op.batch_alter_table("case_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_documents_sha256"))
        batch_op.drop_index(batch_op.f("ix_case_documents_item_id"))

    op.drop_table("case_documents")
    with op.batch_alter_table("case_terlapor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_terlapor_terlapor_id"))

    op.drop_table("case_terlapor")
    with op.batch_alter_table("case_recipients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_recipients_case_id"))

    op.drop_table("case_recipients")
    with op.batch_alter_table("case_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_parties_case_id"))

    op.drop_table("case_parties")
    op.drop_table("case_legal_bases")
    with op.batch_alter_table("case_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_evidence_case_id"))
        batch_op.drop_index(batch_op.f("ix_case_evidence_capture_id"))

    op.drop_table("case_evidence")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))

    op.drop_table("case_events")
    with op.batch_alter_table("case_checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_checklist_items_due_date"))
        batch_op.drop_index(batch_op.f("ix_case_checklist_items_case_id"))

    op.drop_table("case_checklist_items")
    with op.batch_alter_table("terlapor_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_terlapor_accounts_terlapor_id"))
        batch_op.drop_index(batch_op.f("ix_terlapor_accounts_handle_normalised"))

    op.drop_table("terlapor_accounts")
    with op.batch_alter_table("route_copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_route_copies_route_id"))

    op.drop_table("route_copies")
    with op.batch_alter_table("route_checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_route_checklist_items_route_id"))

    op.drop_table("route_checklist_items")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_state"))
        batch_op.drop_index(batch_op.f("ix_cases_created_by_id"))

    op.drop_table("cases")
    with op.batch_alter_table("terlapor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_terlapor_name_normalised"))

    op.drop_table("terlapor")
    with op.batch_alter_table("routes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routes_subject_status"))

    op.drop_table("routes")
    op.drop_table("violation_categories")
    op.drop_table("legal_bases")
    op.drop_table("hari_libur")
    op.drop_table("agencies")
