"""The one typed settings object (env prefix ``MICROCRED_``), created at start-up and passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


class Settings(BaseSettings):
    """Everything microcred can be configured with; read from ``MICROCRED_*`` variables."""

    model_config = SettingsConfigDict(env_prefix="MICROCRED_", extra="ignore", frozen=True)

    environment: Environment = "development"
    database_url: str = Field(
        default="sqlite:///microcred.db",
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db",
    )
    data_dir: Path | None = Field(
        default=None, description="Folder of pre-downloaded reference data (offline mode)."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str | None = Field(default=None, description="Base URL users reach us at.")
    cookie_secure: bool = False
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    login_max_failures: int = Field(
        default=10, ge=1, le=1000, description="Failed logins per email before a pause."
    )
    login_pause_minutes: int = Field(default=15, ge=1, le=24 * 60)
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    default_language: Literal["en", "fr"] = "en"
    sql_echo: bool = False
    semantic: bool | None = Field(
        default=None,
        description="Sentence embeddings in the skills engine: on when the `semantic` extra "
        "is installed (unset), or forced on/off.",
    )
    search_index_dir: Path | None = Field(
        default=None,
        description="Folder of the embedded search index. SQLite: default beside the "
        "database file, named after it with `.search`. PostgreSQL: unset, searches use "
        "PostgreSQL's full-text table; set (a local folder on each machine, shared by its "
        "workers), the machine keeps an embedded replica that answers once built.",
    )
    key_secret: SecretStr | None = Field(
        default=None,
        description="Fernet key (urlsafe base64 of 32 bytes) encrypting issuers' signing keys "
        "at rest. Required in production; elsewhere one is generated and kept in "
        "`<database>.keysecret` (or `microcred.keysecret` for PostgreSQL), mode 0600.",
    )
    issuer_did: Literal["key", "web"] = Field(
        default="key",
        description="Issuer identities: did:key (self-contained), or did:web under "
        "MICROCRED_PUBLIC_URL (did:web:<host>:issuers:<slug>, served at "
        "/issuers/<slug>/did.json, so keys can rotate under one identifier).",
    )
    root_issuer: str | None = Field(
        default=None,
        description="With did:web issuers, the slug of the one provider whose DID is the host "
        "itself (did:web:<host>, served at /.well-known/did.json) — for a portal that issues "
        "in a single institution's name.",
    )
    fetch_remote: bool = Field(
        default=True,
        description="Verify other issuers' credentials by fetching their did:web documents, "
        "https key documents and status lists (https only, public addresses only, no "
        "redirects, 512 KB and 5 s at most, cached 5 minutes).",
    )
    fetch_insecure: bool = Field(
        default=False,
        description="Testing only: also fetch plain http and private or loopback addresses. "
        "Refused in production.",
    )
    argon2_time_cost: int = Field(default=3, ge=1, le=20, description="Argon2id iterations.")
    argon2_memory_kib: int = Field(
        default=65536, ge=1024, le=4 * 1024 * 1024, description="Argon2id memory in KiB."
    )

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        # Insecure defaults are fine on a laptop, never behind a public address.
        if self.environment == "production" and not self.cookie_secure:
            raise ValueError(
                "MICROCRED_COOKIE_SECURE must be true when MICROCRED_ENVIRONMENT=production"
            )
        if self.environment == "production" and (
            self.argon2_time_cost < 3 or self.argon2_memory_kib < 65536
        ):
            raise ValueError("production needs Argon2id time cost >= 3 and memory >= 65536 KiB")
        if self.issuer_did == "web" and not (self.public_url or "").startswith(
            ("https://", "http://")
        ):
            raise ValueError("MICROCRED_ISSUER_DID=web needs MICROCRED_PUBLIC_URL (https://host)")
        if self.environment == "production" and self.fetch_insecure:
            raise ValueError("MICROCRED_FETCH_INSECURE is for tests; it is refused in production")
        if self.environment == "production" and self.key_secret is None:
            raise ValueError(
                "MICROCRED_KEY_SECRET must be set in production (a Fernet key: "
                'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")'
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        """True when the store is an SQLite file or memory database."""
        return self.database_url.startswith("sqlite")
