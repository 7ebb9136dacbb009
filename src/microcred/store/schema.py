"""The relational schema (SQLAlchemy Core). Changes here need an Alembic migration."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both engines (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value
        return stored.replace(tzinfo=UTC) if stored.tzinfo is None else stored.astimezone(UTC)


Document = JSON().with_variant(JSONB(), "postgresql")


def _organization_id() -> Column[int]:
    """The organization (provider) a row belongs to; it cannot be deleted under it."""
    return Column(
        "organization_id",
        Integer,
        ForeignKey("organizations.id", ondelete="RESTRICT"),
        nullable=False,
    )


organizations = Table(
    "organizations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("name_en", String(300)),
    Column("name_fr", String(300)),
    Column("kind", String(40), nullable=False),
    Column("province", String(2)),
    Column("website", String(2000)),
    # "ctid" is a PostgreSQL system column name, hence the prefix.
    Column("registry_ctid", String(40), unique=True),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

listings = Table(
    "listings",
    metadata,
    Column("id", Integer, primary_key=True),
    _organization_id(),
    Column("external_id", String(200)),
    Column("source", String(40), nullable=False),
    # Denormalised columns for listing, filtering and sorting; `document` is the source of truth.
    Column("title_en", String(300)),
    Column("title_fr", String(300)),
    Column("kind", String(40), nullable=False),
    Column("delivery_mode", String(20), nullable=False),
    Column("province", String(2)),
    Column("hours", Float, nullable=False),
    Column("weeks", Float),
    Column("cost_cents", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("osap_eligible", Boolean, nullable=False),
    Column("ctc_eligible", Boolean, nullable=False),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("document", Document, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("imported_at", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # external_id leads so that bulk upserts can look keys up by external id in batches.
    UniqueConstraint("external_id", "organization_id"),
    Index("ix_listings_status_id", "status", "id"),  # browse: newest active listings first
    Index("ix_listings_organization_id_id", "organization_id", "id"),  # a provider's listings
    Index("ix_listings_updated_at", "updated_at"),  # the planner's catalogue fingerprint
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("role", String(20), nullable=False),
    Column("organization_id", Integer, ForeignKey("organizations.id", ondelete="RESTRICT")),
    Column("password_hash", Text, nullable=False),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    # sha256 of the cookie value: a stolen database does not yield live sessions.
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_used_at", UTCDateTime),
    Column("revoked_at", UTCDateTime),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    # Lower-cased email as typed, whether or not an account exists (no enumeration).
    Column("email", String(254), nullable=False),
    Column("failed_at", UTCDateTime, nullable=False),
    Index("ix_login_failures_email_failed_at", "email", "failed_at"),
)

# --- Reference data (NOC, OaSIS, COPS, ESCO, O*NET, crosswalks) -------------------------
# Every row belongs to one load of one dataset. A new version is written beside the active
# one and switched in a single transaction (state 'loading' -> 'active', old -> 'retired').

reference_loads = Table(
    "reference_loads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset", String(20), nullable=False),
    Column("version", String(60), nullable=False),
    Column("state", String(10), nullable=False),  # loading | active | retired
    Column("source", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),  # sha256 over the input files
    Column("counts", JSON, nullable=False),
    Column("notes", JSON, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Index("ix_reference_loads_dataset_state", "dataset", "state"),
)


def _load_id() -> Column[int]:
    return Column(
        "load_id", Integer, ForeignKey("reference_loads.id", ondelete="CASCADE"), nullable=False
    )


ref_occupations = Table(
    "ref_occupations",
    metadata,
    _load_id(),
    Column("scheme", String(8), nullable=False),  # noc | oasis | esco | isco | onet
    Column("code", String(120), nullable=False),
    Column("parent", String(120)),
    Column("level", Integer, nullable=False),
    Column("title_en", Text, nullable=False),
    Column("title_fr", Text),
    Column("description_en", Text),
    Column("description_fr", Text),
    Column("data", JSON),
    Index("ix_ref_occupations_load_id_code", "load_id", "code", unique=True),
    Index("ix_ref_occupations_load_id_parent", "load_id", "parent"),
)

ref_skills = Table(
    "ref_skills",
    metadata,
    _load_id(),
    Column("scheme", String(8), nullable=False),  # oasis | esco | onet
    Column("code", String(120), nullable=False),
    Column("parent", String(120)),
    Column("kind", String(40), nullable=False),
    Column("label_en", Text, nullable=False),
    Column("label_fr", Text),
    Column("alt_en", Text),  # newline-separated
    Column("alt_fr", Text),
    Column("description_en", Text),
    Column("data", JSON),
    Index("ix_ref_skills_load_id_code", "load_id", "code", unique=True),
)

ref_titles = Table(
    "ref_titles",
    metadata,
    _load_id(),
    Column("scheme", String(8), nullable=False),
    Column("occupation", String(120), nullable=False),
    Column("unit_group", String(5)),  # the NOC 2021 unit group, where the scheme is Canadian
    Column("lang", String(2), nullable=False),
    Column("kind", String(12), nullable=False),  # preferred | example | alternate | label
    Column("title", Text, nullable=False),
    Column("key", Text, nullable=False),  # title_key(title)
    Index("ix_ref_titles_key", "key"),
    # occupation first: lookups by key must not be tempted by a load_id index.
    Index("ix_ref_titles_occupation_load_id", "occupation", "load_id"),
)

ref_labels = Table(
    "ref_labels",
    metadata,
    _load_id(),
    Column("skill", String(120), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("label", Text, nullable=False),
    Column("key", Text, nullable=False),
    Index("ix_ref_labels_key", "key"),
)

ref_ratings = Table(
    "ref_ratings",
    metadata,
    _load_id(),
    Column("occupation", String(120), nullable=False),
    Column("skill", String(120), nullable=False),
    Column("relation", String(10), nullable=False),  # rating | essential | optional | importance
    Column("score", Float, nullable=False),
    Column("level", Float),
    Index("ix_ref_ratings_load_id_occupation", "load_id", "occupation"),
    Index("ix_ref_ratings_load_id_skill_score", "load_id", "skill", "score"),
)

ref_texts = Table(
    "ref_texts",
    metadata,
    _load_id(),
    Column("occupation", String(120), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_ref_texts_load_id_occupation", "load_id", "occupation"),
)

ref_outlooks = Table(
    "ref_outlooks",
    metadata,
    _load_id(),
    Column("code", String(10), nullable=False),
    Column("title_en", Text, nullable=False),
    Column("title_fr", Text),
    Column("recent_conditions", String(40)),
    Column("future_conditions", String(40)),
    Column("data", JSON, nullable=False),
    Index("ix_ref_outlooks_load_id_code", "load_id", "code", unique=True),
)

ref_crosswalk = Table(
    "ref_crosswalk",
    metadata,
    _load_id(),
    Column("source_scheme", String(8), nullable=False),
    Column("source_code", String(120), nullable=False),
    Column("target_scheme", String(8), nullable=False),
    Column("target_code", String(120), nullable=False),
    Column("path", String(60), nullable=False),
    Column("confidence", Float, nullable=False),
    Index("ix_ref_crosswalk_load_id_source_code", "load_id", "source_code"),
    Index("ix_ref_crosswalk_load_id_target_code", "load_id", "target_code"),
)

# -- skills engine (issue 4) -----------------------------------------------------------

engine_cache = Table(
    "engine_cache",
    metadata,
    Column("name", String(80), primary_key=True),  # e.g. "vectors:esco-skills"
    Column("fingerprint", String(64), nullable=False),  # what the payload was computed from
    Column("created_at", UTCDateTime, nullable=False),
    Column("payload", LargeBinary, nullable=False),
)

listing_skills = Table(
    "listing_skills",
    metadata,
    Column("listing_id", Integer, ForeignKey("listings.id", ondelete="CASCADE"), nullable=False),
    Column("scheme", String(8), nullable=False),  # esco | oasis
    Column("code", String(120), nullable=False),
    Column("score", Float, nullable=False),  # 1.0 when declared; match confidence when inferred
    Column("provenance", String(10), nullable=False),  # declared | inferred
    Column("tagged_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("listing_id", "scheme", "code"),
    Index("ix_listing_skills_scheme_code_score", "scheme", "code", "score"),
    Index("ix_listing_skills_tagged_at", "tagged_at"),
)

# Durable outbox of the search index: database triggers (migration 0005) add a row, in the
# writing transaction, whenever a listing, its provider or its skill tags change; the search
# index applies the rows and deletes them. A crash between the two only replays rows.
search_outbox = Table(
    "search_outbox",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("listing_id", Integer, nullable=False),
)
# PostgreSQL also has ``listing_search`` (migration 0005): the full-text documents, which use
# PostgreSQL-only types and so are not declared here (see microcred.search.postgres); and
# ``search_changes`` (migration 0009), which embedded index replicas follow
# (microcred.search.replica).
POSTGRES_ONLY_TABLES = frozenset({"listing_search", "search_changes"})

# -- planner (issue 6) -------------------------------------------------------------------

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("client", String(120)),  # a practitioner's name for the client; never shared
    Column("consent", Boolean, nullable=False),  # the client agreed to the plan being kept
    Column("title", String(200), nullable=False),
    Column("request", JSON, nullable=False),  # the learner profile the plan was made for
    Column("result", JSON, nullable=False),  # the plan as computed
    Column("share_hash", String(64), unique=True),  # sha256 of the read-only link's token
    Column("share_expires_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_plans_owner_id_updated_at", "owner_id", "updated_at"),
)

# -- credentials (issue 7) ---------------------------------------------------------------


issuer_keys = Table(
    "issuer_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    _organization_id(),
    Column("algorithm", String(20), nullable=False),  # Ed25519
    Column("verification_method", String(300), nullable=False, unique=True),
    Column("public_key", Text, nullable=False),  # publicKeyMultibase
    Column("secret_encrypted", LargeBinary, nullable=False),  # Fernet token; never returned
    Column("created_at", UTCDateTime, nullable=False),
    Column("retired_at", UTCDateTime),  # rotated out: still verifies, never signs
    Index("ix_issuer_keys_organization_id_retired_at", "organization_id", "retired_at"),
)

status_lists = Table(
    "status_lists",
    metadata,
    Column("id", Integer, primary_key=True),
    _organization_id(),
    Column("purpose", String(20), nullable=False),  # revocation | suspension
    Column("size", Integer, nullable=False),  # entries (bits)
    Column("allocated", Integer, nullable=False),  # indices handed out so far
    Column("bits", LargeBinary, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_status_lists_organization_id_purpose", "organization_id", "purpose"),
)

issued_credentials = Table(
    "issued_credentials",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("credential_id", String(80), nullable=False, unique=True),  # urn:uuid:…
    _organization_id(),
    Column("listing_id", Integer, ForeignKey("listings.id", ondelete="RESTRICT"), nullable=False),
    Column("recipient", String(300), nullable=False),  # DID, or sha256$… of the salted email
    Column("issuance_key", String(200), nullable=False),  # the caller's idempotency key
    Column("status_list_id", Integer, nullable=False),
    Column("status_index", Integer, nullable=False),
    Column("suspension_list_id", Integer, nullable=False),
    Column("suspension_index", Integer, nullable=False),
    Column("state", String(12), nullable=False),  # active | revoked | suspended
    Column("document", JSON, nullable=False),  # the signed credential, as delivered
    Column("issued_by", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    UniqueConstraint("listing_id", "recipient", "issuance_key"),
    UniqueConstraint("status_list_id", "status_index"),
    UniqueConstraint("suspension_list_id", "suspension_index"),
)

json_schemas = Table(
    "json_schemas",
    metadata,
    Column("url", String(500), primary_key=True),  # the schema's published URL ($id)
    Column("document", JSON, nullable=False),
    Column("sha256", String(64), nullable=False),  # of the bytes as fetched
    Column("source", String(500), nullable=False),  # where they were fetched from
    Column("fetched_at", UTCDateTime, nullable=False),
)
