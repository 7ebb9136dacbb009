"""A listing: one offering of a micro-credential, carrying every element the frameworks ask for.

Element sources: CICan National Framework for Microcredentials (2021); eCampusOntario
Micro-certification Principles and Framework (2020); Council Recommendation of
16 June 2022 on a European approach to micro-credentials (2022/C 243/02), Annex I.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from microcred.domain.vocab import (
    AssessmentType,
    CredentialKind,
    DeliveryMode,
    ListingStatus,
    Proficiency,
    Province,
    SkillScheme,
)

MAX_TARGET_OCCUPATIONS = 3
_OASIS_CODE = re.compile(r"^[A-Z]\d{2}[a-z]\d{2}$")
_PLACE_NEEDED = frozenset(("in_person", "hybrid"))
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
LanguageCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z]{2}$")
]
# NOC 2021 unit groups: five digits, the second being the TEER category 0-5.
NocCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d[0-5]\d{3}$")]
CipCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{2}\.\d{4}$")]


class SkillRef(BaseModel):
    """A reference to a concept in a skills taxonomy, with an optional proficiency level."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    scheme: SkillScheme
    id: str = Field(min_length=1, max_length=300, description="Code (F01a01) or concept URI.")
    label: str | None = Field(default=None, max_length=300)
    proficiency: Proficiency | None = None

    @model_validator(mode="after")
    def _id_fits_scheme(self) -> SkillRef:
        # Compared by value: attribute access on Enum members is slow in big imports.
        if self.scheme == "esco" and not self.id.startswith("http://data.europa.eu/esco/"):
            raise PydanticCustomError(
                "skill_id", "ESCO skill id {id!r} must be an ESCO concept URI", {"id": self.id}
            )
        if self.scheme == "oasis" and not _OASIS_CODE.match(self.id):
            raise PydanticCustomError(
                "skill_id",
                "OaSIS skill id {id!r} must be a descriptor code like F01a01",
                {"id": self.id},
            )
        return self


class Assessment(BaseModel):
    """How achievement is assessed (EU Annex I: type of assessment)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    type: AssessmentType
    description: str | None = Field(default=None, max_length=2000)
    summative: bool = True


_OPTIONAL_TEXT = frozenset(
    (
        "external_id",
        "title_en",
        "title_fr",
        "description_en",
        "description_fr",
        "city",
        "cost_includes",
        "prerequisites",
        "credit_transfer",
        "quality_assurance",
        "cip_code",
        "url",
    )
)


class ListingData(BaseModel):
    """Everything a provider states about one offering; validated before it is ever stored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    external_id: str | None = Field(default=None, max_length=200)
    title_en: str | None = Field(default=None, max_length=300)
    title_fr: str | None = Field(default=None, max_length=300, validate_default=True)
    description_en: LongText | None = None
    description_fr: LongText | None = None
    kind: CredentialKind = CredentialKind.MICRO_CREDENTIAL
    learning_outcomes: list[ShortText] = Field(default_factory=list, max_length=50)
    skills: list[SkillRef] = Field(default_factory=list, max_length=100)
    assessment: Assessment | None = None
    hours: Decimal = Field(gt=0, le=2000, decimal_places=1, description="Notional workload.")
    weeks: Decimal | None = Field(default=None, gt=0, le=156, decimal_places=1)
    delivery_mode: DeliveryMode
    languages: list[LanguageCode] = Field(min_length=1, max_length=5)
    province: Province | None = Field(default=None, validate_default=True)
    city: str | None = Field(default=None, max_length=120)
    cost_cad: Decimal = Field(ge=0, le=100_000, decimal_places=2)
    cost_includes: str | None = Field(default=None, max_length=500)
    start_dates: list[date] = Field(default_factory=list, max_length=24)
    prerequisites: str | None = Field(default=None, max_length=2000)
    credits: Decimal | None = Field(default=None, ge=0, le=120, decimal_places=2)
    stacks_into: list[ShortText] = Field(default_factory=list, max_length=10)
    credit_transfer: str | None = Field(default=None, max_length=1000)
    industry_partners: list[ShortText] = Field(default_factory=list, max_length=20)
    quality_assurance: str | None = Field(default=None, max_length=1000)
    target_nocs: list[NocCode] = Field(default_factory=list, max_length=MAX_TARGET_OCCUPATIONS)
    cip_code: CipCode | None = None
    osap_eligible: bool = False
    ctc_eligible: bool = False
    url: HttpUrl | None = None
    status: ListingStatus = ListingStatus.ACTIVE

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        # Forms and spreadsheets send "" for "not stated". One plain loop over the input is
        # much cheaper than a validator per field on big imports.
        if not isinstance(data, dict):
            return data
        blanks = [k for k in _OPTIONAL_TEXT if type(v := data.get(k)) is str and not v.strip()]
        if blanks:
            data = {**data, **dict.fromkeys(blanks)}
        return data

    @model_validator(mode="after")
    def _tidy_lists(self) -> ListingData:
        # Duplicates dropped and dates sorted, in place: BaseModel.__setattr__ is costly and
        # there is nothing to validate again.
        fields = self.__dict__
        for name in ("languages", "target_nocs", "stacks_into", "industry_partners"):
            values = fields[name]
            if len(values) > 1 and len(set(values)) != len(values):
                fields[name] = list(dict.fromkeys(values))
        if len(fields["start_dates"]) > 1:
            fields["start_dates"] = sorted(set(fields["start_dates"]))
        return self

    # Field validators (not a model validator) so that these are reported even when other
    # fields are invalid too; each sees the fields declared before it in ``info.data``.
    @field_validator("title_fr", mode="after")
    @classmethod
    def _needs_a_title(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not (value or info.data.get("title_en")):
            raise PydanticCustomError(
                "title_missing",
                "a listing needs a title in English or French (title_en or title_fr)",
                {"field": "title_en"},
            )
        return value

    @field_validator("province", mode="after")
    @classmethod
    def _place_for_in_person(cls, value: Province | None, info: ValidationInfo) -> Province | None:
        if value is None and info.data.get("delivery_mode") in _PLACE_NEEDED:
            raise PydanticCustomError(
                "province_needed",
                "an in-person or hybrid listing needs its province or territory",
                {"field": "province"},
            )
        return value

    def title(self, language: str) -> str:
        """The title in the asked language, falling back to the other one."""
        if language == "fr":
            return self.title_fr or self.title_en or ""
        return self.title_en or self.title_fr or ""

    def title_language(self, language: str) -> str:
        """The language ``title(language)`` is actually in (for ``lang`` attributes)."""
        if language == "fr":
            return "fr" if self.title_fr else "en"
        return "en" if self.title_en else "fr"

    def description_language(self, language: str) -> str:
        """The language ``description(language)`` is actually in."""
        if language == "fr":
            return "fr" if self.description_fr else "en"
        return "en" if self.description_en else "fr"

    def description(self, language: str) -> str:
        """The description in the asked language, falling back to the other one."""
        if language == "fr":
            return self.description_fr or self.description_en or ""
        return self.description_en or self.description_fr or ""

    def canonical_json(self) -> str:
        """The content as compact JSON in field order, without unstated (None) fields: what is
        stored, and what is hashed."""
        include = None if type(self) is ListingData else _CONTENT_FIELDS
        return self.model_dump_json(include=include, exclude_none=True)  # absent = not stated

    def content_hash(self) -> str:
        """A digest of the content, so that re-importing identical data writes nothing."""
        return content_digest(self.canonical_json())


_CONTENT_FIELDS = set(ListingData.model_fields)


def content_digest(canonical_json: str) -> str:
    """SHA-256 of a listing's canonical JSON."""
    return hashlib.sha256(canonical_json.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ListingDigest:
    """What storage needs of a validated listing: canonical JSON, its hash, and query facts.

    Plain values only, so that bulk imports can validate in worker processes and send
    digests back cheaply (pickling pydantic models costs more than validating them).
    """

    external_id: str | None
    document_json: str
    content_hash: str
    title_en: str | None
    title_fr: str | None
    kind: str
    delivery_mode: str
    province: str | None
    hours: float
    weeks: float | None
    cost_cents: int
    status: str
    osap_eligible: bool
    ctc_eligible: bool

    @classmethod
    def of(cls, data: ListingData) -> ListingDigest:
        """Digest a validated listing."""
        document = data.canonical_json()
        return cls(
            external_id=data.external_id,
            document_json=document,
            content_hash=content_digest(document),
            title_en=data.title_en,
            title_fr=data.title_fr,
            # str() of a StrEnum member is its value, without the slow Enum descriptor.
            kind=str(data.kind),
            delivery_mode=str(data.delivery_mode),
            province=str(data.province) if data.province else None,
            hours=float(data.hours),
            weeks=float(data.weeks) if data.weeks is not None else None,
            cost_cents=int(data.cost_cad * 100),
            status=str(data.status),
            osap_eligible=data.osap_eligible,
            ctc_eligible=data.ctc_eligible,
        )


class Provenance(BaseModel):
    """Where a listing came from (source, the provider's own id, when we took it in)."""

    source: str = Field(max_length=40, description="web, api, csv, jsonl, demo, edx, udemy…")
    imported_at: datetime


class Listing(ListingData):
    """A stored listing, owned by one organization."""

    id: int
    organization_id: int
    organization_slug: str
    provenance: Provenance
    is_demo: bool = False
    created_at: datetime
    updated_at: datetime

    def content(self) -> ListingData:
        """Just what the provider states (without ids, owner and timestamps)."""
        return ListingData.model_validate(self.model_dump(include=_CONTENT_FIELDS))


LISTING_FIELDS: set[str] = _CONTENT_FIELDS
