"""People who log in, and what each role may do."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from microcred.domain.vocab import Role

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MIN_PASSWORD_LENGTH = 10


class UserData(BaseModel):
    """What an administrator sets when creating an account."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    display_name: str = Field(min_length=1, max_length=120)
    role: Role
    organization_id: int | None = None

    @model_validator(mode="after")
    def _provider_needs_organization(self) -> UserData:
        self.email = self.email.lower()
        if self.role is Role.PROVIDER and self.organization_id is None:
            raise ValueError("provider staff must belong to an organization")
        if self.role is not Role.PROVIDER and self.organization_id is not None:
            raise ValueError("only provider staff belong to an organization")
        return self


class User(UserData):
    """A stored account (never carries the password hash)."""

    id: int
    is_active: bool = True
    created_at: datetime

    def may_edit_organization(self, organization_id: int) -> bool:
        """Admins edit everything; provider staff only their own organization."""
        if self.role is Role.ADMIN:
            return True
        return self.role is Role.PROVIDER and self.organization_id == organization_id
