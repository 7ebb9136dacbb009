"""Learning plans over HTTP: compute one (no account needed), suggested moves, saved plans
(owner only), and read-only links."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from microcred.planner.model import LearnerProfile
from microcred.planner.saved import SavedPlan
from microcred.planner.serialize import move_json, plan_json
from microcred.web.api.deps import MicrocredDep, UserDep

router = APIRouter(tags=["plans"])


class SaveRequest(BaseModel):
    profile: dict[str, Any] = Field(description="A learner profile, as for /plans/compute.")
    title: str = Field(default="", max_length=200)
    client: str | None = Field(default=None, max_length=120, description="Practitioners only.")
    consent: bool = Field(default=False, description="The client agreed to the plan being kept.")


class ShareRequest(BaseModel):
    days: int = Field(default=30, ge=1, le=90)


def _saved_json(saved: SavedPlan) -> dict[str, Any]:
    return {
        "id": saved.id,
        "title": saved.title,
        "client": saved.client,
        "consent": saved.consent,
        "profile": saved.profile.model_dump(mode="json"),
        "plan": plan_json(saved.plan),
        "shared_until": saved.shared_until.isoformat() if saved.shared_until else None,
        "created_at": saved.created_at.isoformat(),
        "updated_at": saved.updated_at.isoformat(),
    }


@router.post("/plans/compute")
def compute_plan(mc: MicrocredDep, body: dict[str, Any]) -> dict[str, Any]:
    """The optimised plan for a learner profile (current occupation or skills, target,
    province, languages, modes, budget, hours a week, dates, credentials held, Canada
    Training Credit facts, weights). Writes nothing."""
    return plan_json(mc.planner.plan(LearnerProfile.parse(body)))


@router.get("/moves")
def suggested_moves(
    mc: MicrocredDep,
    current: Annotated[str, Query(alias="from", min_length=1, max_length=300)],
    top: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[dict[str, Any]]:
    """Occupations to move to from a NOC code or job title: similar in skills, ranked with
    their COPS outlook, each with what carries over and what is missing."""
    return [move_json(m) for m in mc.planner.suggest(current, top=top)]


@router.post("/plans", status_code=201)
def save_plan(mc: MicrocredDep, user: UserDep, body: SaveRequest) -> dict[str, Any]:
    """Compute a plan and keep it for the caller."""
    profile = LearnerProfile.parse(body.profile)
    saved = mc.plans.create(
        profile, actor=user, title=body.title, client=body.client, consent=body.consent
    )
    return _saved_json(saved)


@router.get("/plans")
def list_plans(mc: MicrocredDep, user: UserDep) -> list[dict[str, Any]]:
    """The caller's saved plans, most recent first."""
    return [_saved_json(s) for s in mc.plans.list(actor=user)]


@router.get("/plans/{plan_id}")
def get_plan(mc: MicrocredDep, user: UserDep, plan_id: int) -> dict[str, Any]:
    """One of the caller's saved plans."""
    return _saved_json(mc.plans.get(plan_id, actor=user))


@router.put("/plans/{plan_id}")
def update_plan(mc: MicrocredDep, user: UserDep, plan_id: int, body: SaveRequest) -> dict[str, Any]:
    """Re-plan a saved plan with a changed profile."""
    profile = LearnerProfile.parse(body.profile)
    saved = mc.plans.update(
        plan_id,
        profile,
        actor=user,
        title=body.title or None,
        client=body.client,
        consent=body.consent,
    )
    return _saved_json(saved)


@router.delete("/plans/{plan_id}", status_code=204)
def delete_plan(mc: MicrocredDep, user: UserDep, plan_id: int) -> Response:
    """Delete a saved plan and its link."""
    mc.plans.delete(plan_id, actor=user)
    return Response(status_code=204)


@router.post("/plans/{plan_id}/share")
def share_plan(
    request: Request, mc: MicrocredDep, user: UserDep, plan_id: int, body: ShareRequest
) -> dict[str, Any]:
    """A read-only link to the plan, without personal data, expiring after ``days``."""
    token, expires = mc.plans.share(plan_id, actor=user, days=body.days)
    return {
        "url": str(request.url_for("shared_plan", token=token)),
        "expires_at": expires.isoformat(),
    }


@router.delete("/plans/{plan_id}/share", status_code=204)
def unshare_plan(mc: MicrocredDep, user: UserDep, plan_id: int) -> Response:
    """Withdraw the plan's read-only link."""
    mc.plans.unshare(plan_id, actor=user)
    return Response(status_code=204)


@router.get("/shared/plans/{token}")
def shared_plan_json(mc: MicrocredDep, token: str) -> dict[str, Any]:
    """A shared plan, without personal data."""
    title, plan, expires = mc.plans.shared(token)
    return {"title": title, "plan": plan_json(plan), "expires_at": expires.isoformat()}
