"""Letters: admin-editable letter templates, the letters generated for a case, and case
documents that belong to the case itself (a generated letter is on no checklist item).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 02:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from sipansos.services.reference import load_default_letter_templates

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    # Every document so far hangs on a checklist item: its case is the item's.
    with op.batch_alter_table("case_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE case_documents SET case_id = (SELECT case_checklist_items.case_id "
        "FROM case_checklist_items WHERE case_checklist_items.id = case_documents.item_id)"
    )
    with op.batch_alter_table("case_documents", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("item_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_case_documents_case_id_cases"), "cases", ["case_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_case_documents_case_id"), ["case_id"], unique=False)

    op.create_table(
        "letter_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("letterhead", sa.Text(), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("classification", sa.String(length=50), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("closing", sa.Text(), nullable=True),
        sa.Column("signer_title", sa.Text(), nullable=True),
        sa.Column("signer_name", sa.String(length=200), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_templates")),
        sa.UniqueConstraint("code", name=op.f("uq_letter_templates_code")),
    )
    op.create_table(
        "case_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("template_name", sa.String(length=200), nullable=False),
        sa.Column("number", sa.String(length=200), nullable=True),
        sa.Column("letter_date", sa.Date(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("copies", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("docx_document_id", sa.Integer(), nullable=False),
        sa.Column("pdf_document_id", sa.Integer(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_letters_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["docx_document_id"],
            ["case_documents.id"],
            name=op.f("fk_case_letters_docx_document_id_case_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["generated_by_id"], ["users.id"], name=op.f("fk_case_letters_generated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["pdf_document_id"],
            ["case_documents.id"],
            name=op.f("fk_case_letters_pdf_document_id_case_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["letter_templates.id"],
            name=op.f("fk_case_letters_template_id_letter_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_letters")),
    )
    with op.batch_alter_table("case_letters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_letters_case_id"), ["case_id"], unique=False)

    load_default_letter_templates(op.get_bind())


def downgrade():
    with op.batch_alter_table("case_letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_letters_case_id"))
    op.drop_table("case_letters")
    op.drop_table("letter_templates")
    # Documents of generated letters have no checklist item to stay on.
    op.execute("DELETE FROM case_documents WHERE item_id IS NULL")
    with op.batch_alter_table("case_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_documents_case_id"))
        batch_op.drop_constraint(batch_op.f("fk_case_documents_case_id_cases"), type_="foreignkey")
        batch_op.alter_column("item_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("case_id")
