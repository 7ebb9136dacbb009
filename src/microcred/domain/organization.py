"""Providers of micro-credentials."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator
from pydantic_core import PydanticCustomError

from microcred.domain.vocab import OrganizationKind, Province

# CTDL identifiers: "ce-" followed by a UUID (https://credreg.net/registry/handbook#ctid).
CTID_PATTERN = r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def slugify(text: str) -> str:
    """Turn a provider name into a stable, ASCII, URL-safe key."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or "provider"


class OrganizationData(BaseModel):
    """What a provider says about itself."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    slug: str = Field(default="", max_length=80, description="Stable key; derived from the name.")
    name_en: str | None = Field(default=None, max_length=300)
    name_fr: str | None = Field(default=None, max_length=300)
    kind: OrganizationKind
    province: Province | None = None
    website: HttpUrl | None = None
    ctid: str | None = Field(default=None, pattern=CTID_PATTERN)
    is_demo: bool = False

    @field_validator("name_en", "name_fr", "ctid", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _needs_a_name(self) -> OrganizationData:
        if not (self.name_en or self.name_fr):
            raise PydanticCustomError(
                "name_missing",
                "a provider needs a name in English or French (name_en or name_fr)",
                {"field": "name_en"},
            )
        if not self.slug:
            self.slug = slugify(self.name_en or self.name_fr or "")
        elif not re.match(SLUG_PATTERN, self.slug):
            raise ValueError(f"slug {self.slug!r} must be lowercase letters, digits and hyphens")
        return self

    def name(self, language: str) -> str:
        """The name in the asked language, falling back to the other one."""
        first, second = (
            (self.name_fr, self.name_en)
            if language == "fr"
            else (
                self.name_en,
                self.name_fr,
            )
        )
        return first or second or self.slug


class Organization(OrganizationData):
    """A stored provider."""

    id: int
    created_at: datetime


ORGANIZATION_FIELDS: set[str] = set(OrganizationData.model_fields)
