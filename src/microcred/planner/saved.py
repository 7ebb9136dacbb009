"""Saved plans: learners keep their own; career practitioners keep their clients', with consent.

Only a plan's owner reads, updates, shares or deletes it (an administrator does not: plans
hold personal data). A read-only link carries a random token of which only the SHA-256 is
stored; it expires, can be withdrawn, and shows the plan without the person's details
(client name, age, tax figures, résumé, current occupation).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from microcred.domain.account import User
from microcred.domain.vocab import Role
from microcred.errors import InvalidInput, NotFound, Problem, Unauthorized
from microcred.planner.costs import CostReport, YearCosts
from microcred.planner.model import LearnerProfile, Plan
from microcred.planner.serialize import plan_from_json, plan_json
from microcred.planner.service import Planner
from microcred.store.engine import Store
from microcred.store.schema import plans

MAX_SHARE_DAYS = 90
MAX_PLANS = 500  # per owner


@dataclass(frozen=True)
class SavedPlan:
    id: int
    owner_id: int
    title: str
    client: str | None
    consent: bool
    profile: LearnerProfile
    plan: Plan
    shared_until: datetime | None
    created_at: datetime
    updated_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _owner(actor: User | None) -> User:
    if actor is None:
        raise Unauthorized("log in to save plans")
    return actor


def _check_consent(actor: User, client: str | None, consent: bool) -> bool:
    if actor.role == Role.PRACTITIONER and client and not consent:
        message = "a client's plan is kept only with their consent: tick the consent box"
        raise InvalidInput(message, [Problem("consent", message)])
    return consent or not client


def public_view(plan: Plan) -> Plan:
    """The plan without what identifies or describes the person."""
    tuition_only = [YearCosts(y.year, tuition=y.tuition, rate=y.rate) for y in plan.costs.years]
    return replace(
        plan,
        current=None,
        # The reason's "; you: <occupation> n/5" part describes the person.
        gap=[replace(g, reason=g.reason.split("; you:")[0]) for g in plan.gap],
        current_title_en=None,
        current_title_fr=None,
        costs=CostReport(tuition_only),
        notes=[
            *(n for n in plan.notes if n not in ("estimated_ctc", "ctc_unknown", "non_refundable")),
            "shared_costs",
        ],
    )


class SavedPlans:
    """Create, list, read, update, share and delete saved plans."""

    def __init__(self, store: Store, planner: Planner) -> None:
        self.store = store
        self.planner = planner

    def create(
        self,
        profile: LearnerProfile,
        *,
        actor: User | None,
        title: str = "",
        client: str | None = None,
        consent: bool = False,
        today: date | None = None,
    ) -> SavedPlan:
        """Compute a plan and keep it for its owner."""
        owner = _owner(actor)
        kept = _check_consent(owner, client, consent)
        plan = self.planner.plan(profile, today=today)
        now = datetime.now(UTC)
        with self.store.write() as conn:
            count = len(conn.execute(select(plans.c.id).where(plans.c.owner_id == owner.id)).all())
            if count >= MAX_PLANS:
                message = f"you have {count} saved plans, the most kept; delete some first"
                raise InvalidInput(message, [Problem("plans", message)])
            new_id = conn.execute(
                plans.insert()
                .values(
                    owner_id=owner.id,
                    client=client or None,
                    consent=kept,
                    title=(title or _title(plan))[:200],
                    request=profile.model_dump(mode="json"),
                    result=plan_json(plan),
                    created_at=now,
                    updated_at=now,
                )
                .returning(plans.c.id)
            ).scalar_one()
        return self.get(new_id, actor=owner)

    def list(self, *, actor: User | None) -> list[SavedPlan]:
        """The actor's plans, most recently updated first."""
        owner = _owner(actor)
        with self.store.read() as conn:
            rows = conn.execute(
                select(plans)
                .where(plans.c.owner_id == owner.id)
                .order_by(plans.c.updated_at.desc(), plans.c.id.desc())
            ).all()
        return [_saved(r) for r in rows]

    def get(self, plan_id: int, *, actor: User | None) -> SavedPlan:
        """One of the actor's plans (NotFound for anyone else's: no hint it exists)."""
        owner = _owner(actor)
        with self.store.read() as conn:
            row = conn.execute(select(plans).where(plans.c.id == plan_id)).one_or_none()
        if row is None or row.owner_id != owner.id:
            raise NotFound(f"no saved plan {plan_id}")
        return _saved(row)

    def update(
        self,
        plan_id: int,
        profile: LearnerProfile,
        *,
        actor: User | None,
        title: str | None = None,
        client: str | None = None,
        consent: bool | None = None,
        today: date | None = None,
    ) -> SavedPlan:
        """Re-plan with a changed profile (or against today's catalogue)."""
        saved = self.get(plan_id, actor=actor)
        owner = _owner(actor)
        client = saved.client if client is None else (client or None)
        kept = _check_consent(owner, client, saved.consent if consent is None else consent)
        plan = self.planner.plan(profile, today=today)
        with self.store.write() as conn:
            conn.execute(
                update(plans)
                .where(plans.c.id == plan_id, plans.c.owner_id == owner.id)
                .values(
                    title=(title or saved.title)[:200],
                    client=client,
                    consent=kept,
                    request=profile.model_dump(mode="json"),
                    result=plan_json(plan),
                    updated_at=datetime.now(UTC),
                )
            )
        return self.get(plan_id, actor=actor)

    def delete(self, plan_id: int, *, actor: User | None) -> None:
        """Delete a plan (and any link to it)."""
        self.get(plan_id, actor=actor)
        with self.store.write() as conn:
            conn.execute(delete(plans).where(plans.c.id == plan_id))

    def share(self, plan_id: int, *, actor: User | None, days: int = 30) -> tuple[str, datetime]:
        """A new read-only link token (replacing any earlier one) and when it expires."""
        if not 1 <= days <= MAX_SHARE_DAYS:
            message = f"a link lasts 1 to {MAX_SHARE_DAYS} days, not {days}"
            raise InvalidInput(message, [Problem("days", message)])
        self.get(plan_id, actor=actor)
        token = secrets.token_urlsafe(24)
        expires = datetime.now(UTC) + timedelta(days=days)
        with self.store.write() as conn:
            conn.execute(
                update(plans)
                .where(plans.c.id == plan_id)
                .values(share_hash=_digest(token), share_expires_at=expires)
            )
        return token, expires

    def unshare(self, plan_id: int, *, actor: User | None) -> None:
        """Withdraw the read-only link."""
        self.get(plan_id, actor=actor)
        with self.store.write() as conn:
            conn.execute(
                update(plans)
                .where(plans.c.id == plan_id)
                .values(share_hash=None, share_expires_at=None)
            )

    def shared(self, token: str) -> tuple[str, Plan, datetime]:
        """The plan behind a live link, without personal data: (title, plan, expiry)."""
        if not token or len(token) > 100:
            raise NotFound("this link is unknown or has expired")
        with self.store.read() as conn:
            row = conn.execute(
                select(plans.c.result, plans.c.share_expires_at).where(
                    plans.c.share_hash == _digest(token)
                )
            ).one_or_none()
        if row is None or row.share_expires_at is None or row.share_expires_at < datetime.now(UTC):
            raise NotFound("this link is unknown or has expired")
        plan = public_view(plan_from_json(row.result))
        return _title(plan), plan, row.share_expires_at


def _title(plan: Plan) -> str:
    return f"{plan.target} {plan.target_title_en}"


def _saved(row: Any) -> SavedPlan:
    return SavedPlan(
        id=row.id,
        owner_id=row.owner_id,
        title=row.title,
        client=row.client,
        consent=row.consent,
        profile=LearnerProfile.model_validate(row.request),
        plan=plan_from_json(row.result),
        shared_until=row.share_expires_at
        if row.share_expires_at and row.share_expires_at > datetime.now(UTC)
        else None,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
