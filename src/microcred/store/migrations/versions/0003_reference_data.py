"""reference data

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "reference_loads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=20), nullable=False),
        sa.Column("version", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_loads")),
    )
    with op.batch_alter_table("reference_loads", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reference_loads_dataset_state", ["dataset", "state"], unique=False
        )

    op.create_table(
        "ref_crosswalk",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("source_scheme", sa.String(length=8), nullable=False),
        sa.Column("source_code", sa.String(length=120), nullable=False),
        sa.Column("target_scheme", sa.String(length=8), nullable=False),
        sa.Column("target_code", sa.String(length=120), nullable=False),
        sa.Column("path", sa.String(length=60), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["reference_loads.id"],
            name=op.f("fk_ref_crosswalk_load_id_reference_loads"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("ref_crosswalk", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ref_crosswalk_load_id_source_code", ["load_id", "source_code"], unique=False
        )
        batch_op.create_index(
            "ix_ref_crosswalk_load_id_target_code", ["load_id", "target_code"], unique=False
        )

    op.create_table(
        "ref_labels",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(length=120), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["reference_loads.id"],
            name=op.f("fk_ref_labels_load_id_reference_loads"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("ref_labels", schema=None) as batch_op:
        batch_op.create_index("ix_ref_labels_key", ["key"], unique=False)

    op.create_table(
        "ref_occupations",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("parent", sa.String(length=120), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("title_fr", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_fr", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["reference_loads.id"],
            name=op.f("fk_ref_occupations_load_id_reference_loads"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("ref_occupations", schema=None) as batch_op:
        batch_op.create_index("ix_ref_occupations_load_id_code", ["load_id", "code"], unique=True)
        batch_op.create_index(
            "ix_ref_occupations_load_id_parent", ["load_id", "parent"], unique=False
        )

    op.create_table(
        "ref_outlooks",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("title_fr", sa.Text(), nullable=True),
        sa.Column("recent_conditions", sa.String(length=40), nullable=True),
        sa.Column("future_conditions", sa.String(length=40), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["reference_loads.id"],
            name=op.f("fk_ref_outlooks_load_id_reference_loads"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("ref_outlooks", schema=None) as batch_op:
        batch_op.create_index("ix_ref_outlooks_load_id_code", ["load_id", "code"], unique=True)

    op.create_table(
        "ref_ratings",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("occupation", sa.String(length=120), nullable=False),
        sa.Column("skill", sa.String(length=120), nullable=False),
        sa.Column("relation", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("level", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["reference_loads.id"],
            name=op.f("fk_ref_ratings_load_id_reference_loads"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("ref_ratings", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ref_ratings_load_id_occupation", ["load_id", "occupation"], unique=False
        )
        batch_op.create_index(
            "ix_ref_ratings_load_id_skill_score", ["load_id", "skill", "score"], unique=False
        )

    op.create_table(
        "ref_skills",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("parent", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("label_fr", sa.Text(), nullable=True),
        sa.Column("alt_en", sa.Text(), nullable=True),
        sa.Column("alt_fr", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["reference_loads.id"],
            name=op.f("fk_ref_skills_load_id_reference_loads"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("ref_skills", schema=None) as batch_op:
        batch_op.create_index("ix_ref_skills_load_id_code", ["load_id", "code"], unique=True)

    op.create_table(
        "ref_texts",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("occupation", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["reference_loads.id"],
            name=op.f("fk_ref_texts_load_id_reference_loads"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("ref_texts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ref_texts_load_id_occupation", ["load_id", "occupation"], unique=False
        )

    op.create_table(
        "ref_titles",
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=8), nullable=False),
        sa.Column("occupation", sa.String(length=120), nullable=False),
        sa.Column("unit_group", sa.String(length=5), nullable=True),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["load_id"],
            ["reference_loads.id"],
            name=op.f("fk_ref_titles_load_id_reference_loads"),
            ondelete="CASCADE",
        ),
    )
    with op.batch_alter_table("ref_titles", schema=None) as batch_op:
        batch_op.create_index("ix_ref_titles_key", ["key"], unique=False)
        batch_op.create_index(
            "ix_ref_titles_occupation_load_id", ["occupation", "load_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("ref_titles", schema=None) as batch_op:
        batch_op.drop_index("ix_ref_titles_occupation_load_id")
        batch_op.drop_index("ix_ref_titles_key")

    op.drop_table("ref_titles")
    with op.batch_alter_table("ref_texts", schema=None) as batch_op:
        batch_op.drop_index("ix_ref_texts_load_id_occupation")

    op.drop_table("ref_texts")
    with op.batch_alter_table("ref_skills", schema=None) as batch_op:
        batch_op.drop_index("ix_ref_skills_load_id_code")

    op.drop_table("ref_skills")
    with op.batch_alter_table("ref_ratings", schema=None) as batch_op:
        batch_op.drop_index("ix_ref_ratings_load_id_skill_score")
        batch_op.drop_index("ix_ref_ratings_load_id_occupation")

    op.drop_table("ref_ratings")
    with op.batch_alter_table("ref_outlooks", schema=None) as batch_op:
        batch_op.drop_index("ix_ref_outlooks_load_id_code")

    op.drop_table("ref_outlooks")
    with op.batch_alter_table("ref_occupations", schema=None) as batch_op:
        batch_op.drop_index("ix_ref_occupations_load_id_parent")
        batch_op.drop_index("ix_ref_occupations_load_id_code")

    op.drop_table("ref_occupations")
    with op.batch_alter_table("ref_labels", schema=None) as batch_op:
        batch_op.drop_index("ix_ref_labels_key")

    op.drop_table("ref_labels")
    with op.batch_alter_table("ref_crosswalk", schema=None) as batch_op:
        batch_op.drop_index("ix_ref_crosswalk_load_id_target_code")
        batch_op.drop_index("ix_ref_crosswalk_load_id_source_code")

    op.drop_table("ref_crosswalk")
    with op.batch_alter_table("reference_loads", schema=None) as batch_op:
        batch_op.drop_index("ix_reference_loads_dataset_state")

    op.drop_table("reference_loads")
