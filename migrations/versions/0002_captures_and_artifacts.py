"""Captures and their artifacts (the evidence vault).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:59:38.502587

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capture_uuid", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("request_sha256", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("post_key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("client_captured_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploader_id", sa.Integer(), nullable=False),
        sa.Column("client_info", sa.JSON(), nullable=False),
        sa.Column("post_author_name", sa.Text(), nullable=True),
        sa.Column("post_author_handle", sa.String(length=200), nullable=True),
        sa.Column("post_author_url", sa.Text(), nullable=True),
        sa.Column("post_id", sa.String(length=200), nullable=True),
        sa.Column("post_posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("post_text", sa.Text(), nullable=True),
        sa.Column("post_permalink", sa.Text(), nullable=True),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("signing_key_id", sa.String(length=32), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["uploader_id"], ["users.id"], name=op.f("fk_captures_uploader_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"], ["users.id"], name=op.f("fk_captures_withdrawn_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_captures")),
        sa.UniqueConstraint("capture_uuid", name=op.f("uq_captures_capture_uuid")),
    )
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_captures_platform"), ["platform"], unique=False)
        batch_op.create_index(batch_op.f("ix_captures_post_key"), ["post_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_captures_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_captures_uploader_id"), ["uploader_id"], unique=False)

    op.create_table(
        "capture_artifacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("capture_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"], ["captures.id"], name=op.f("fk_capture_artifacts_capture_id_captures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture_artifacts")),
        sa.UniqueConstraint("capture_id", "name", name=op.f("uq_capture_artifacts_capture_id")),
    )
    with op.batch_alter_table("capture_artifacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_capture_artifacts_capture_id"), ["capture_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_capture_artifacts_sha256"), ["sha256"], unique=False)


def downgrade():
    with op.batch_alter_table("capture_artifacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capture_artifacts_sha256"))
        batch_op.drop_index(batch_op.f("ix_capture_artifacts_capture_id"))

    op.drop_table("capture_artifacts")
    with op.batch_alter_table("captures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_captures_uploader_id"))
        batch_op.drop_index(batch_op.f("ix_captures_received_at"))
        batch_op.drop_index(batch_op.f("ix_captures_post_key"))
        batch_op.drop_index(batch_op.f("ix_captures_platform"))

    op.drop_table("captures")
