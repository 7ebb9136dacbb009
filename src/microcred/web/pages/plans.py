"""Learning plan pages: the planner form and result, saved plans, two plans side by side,
and read-only shared links. Everything works without JavaScript and prints cleanly."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from microcred.domain.vocab import DeliveryMode
from microcred.errors import InvalidInput, MicrocredError, Problem
from microcred.planner import explain
from microcred.planner.model import LearnerProfile
from microcred.planner.moves import Move
from microcred.web.pages.dashboard import FormDep
from microcred.web.pages.forms import field_errors
from microcred.web.pages.public import ViewerDep
from microcred.web.render import render, translate
from microcred.web.security import Viewer, check_csrf, microcred

router = APIRouter()
TEXT_FIELDS = (
    "current",
    "target",
    "province",
    "budget",
    "hours_per_week",
    "earliest_start",
    "latest_finish",
    "birth_year",
    "ctc_limit",
    "ctc_limit_year",
    "ctc_eligible_years",
    "resume",
)
WEIGHTS = ("cost", "time", "stacks")


def profile_from_form(form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """The raw profile a form describes, and the form values to show again."""
    values = {name: str(form.get(name) or "").strip() for name in TEXT_FIELDS}
    raw: dict[str, Any] = {k: v for k, v in values.items() if v}
    for name in ("languages", "modes"):
        chosen = [str(v) for v in form.getlist(name)][:10]
        values[name] = ",".join(chosen)
        if chosen:  # none ticked: no preference
            raw[name] = chosen
    held = str(form.get("held") or "")
    values["held"] = held
    raw["held"] = [int(p) for p in held.replace(",", " ").split() if p.isdigit()][:200]
    weights = {}
    for name in WEIGHTS:
        value = str(form.get(f"weight_{name}") or "").strip()
        values[f"weight_{name}"] = value
        if value:
            weights[name] = value
    raw["weights"] = weights
    return raw, values


def _posted_profile(form: FormData) -> dict[str, Any]:
    try:
        raw = json.loads(str(form.get("profile") or "{}"))
    except json.JSONDecodeError:
        raw = None
    if not isinstance(raw, dict) or not raw:
        raise InvalidInput("the plan to save is missing; make the plan again")
    return raw


def form_values(profile: LearnerProfile) -> dict[str, str]:
    """A saved profile as the form's values."""
    data = profile.model_dump(mode="json")
    values = {k: "" if data.get(k) is None else str(data[k]) for k in TEXT_FIELDS}
    values["languages"] = ",".join(profile.languages)
    values["modes"] = ",".join(m.value for m in profile.modes)
    values["held"] = ", ".join(str(i) for i in profile.held)
    for name in WEIGHTS:
        values[f"weight_{name}"] = str(getattr(profile.weights, name))
    return values


def _defaults(request: Request, who: Viewer) -> dict[str, str]:
    query = request.query_params
    return {
        "current": query.get("from", "")[:300],
        "target": query.get("to", "")[:5],
        "province": query.get("province", "")[:2],
        "hours_per_week": "8",
        "languages": "en,fr" if who.language == "fr" else "en",
        "modes": ",".join(m.value for m in DeliveryMode),
        "held": "",
    }


def _page(request: Request, who: Viewer, **context: Any) -> Response:
    gettext = _translator(who)
    context.setdefault("values", _defaults(request, who))
    context.setdefault("problems", [])
    context.setdefault("plan", None)
    context.setdefault("moves", None)
    context.setdefault("editing", None)
    context["errors"] = field_errors(context["problems"], who.language)
    return render(request, who, "plan.html", explain=explain, tr=gettext, **context)


def _translator(who: Viewer) -> Any:
    return lambda message: translate(who.language, message)


@router.get("/plan", response_class=HTMLResponse)
def plan_form(request: Request, who: ViewerDep) -> Response:
    """The planner form (``?from=&to=&province=`` fill it in)."""
    return _page(request, who)


@router.post("/plan", response_class=HTMLResponse)
def make_plan(request: Request, who: ViewerDep, form: FormDep) -> Response:
    """A plan toward the target, or suggested moves when there is none."""
    check_csrf(request, str(form.get("csrf_token") or ""))
    raw, values = profile_from_form(form)
    mc = microcred(request)
    try:
        if not raw.get("target"):
            current = str(raw.get("current") or "")
            if not current:
                message = "say where you are now: a job title or NOC code"
                raise InvalidInput(message, [Problem("current", message, code="missing")])
            moves: list[Move] = mc.planner.suggest(current)
            return _page(request, who, values=values, moves=moves)
        profile = LearnerProfile.parse(raw)
        plan = mc.planner.plan(profile)
    except InvalidInput as error:
        return _page(request, who, values=values, problems=error.problems, status=422)
    except MicrocredError as error:
        problem = Problem("target", error.message, code=error.code)
        return _page(request, who, values=values, problems=[problem], status=error.http_status)
    profile_json = json.dumps(profile.model_dump(mode="json"), ensure_ascii=False)
    editing = str(form.get("editing") or "")
    return _page(
        request,
        who,
        values=values,
        plan=plan,
        profile_json=profile_json,
        editing=int(editing) if editing.isdigit() else None,
    )


@router.post("/plans", response_class=HTMLResponse)
def save_plan(request: Request, who: ViewerDep, form: FormDep) -> Response:
    """Keep the plan just made (recomputed from its profile) for the logged-in person."""
    check_csrf(request, str(form.get("csrf_token") or ""))
    mc = microcred(request)
    raw = _posted_profile(form)
    saved = mc.plans.create(
        LearnerProfile.parse(raw),
        actor=who.user,
        title=str(form.get("title") or "")[:200],
        client=str(form.get("client") or "").strip()[:120] or None,
        consent=form.get("consent") == "yes",
    )
    return RedirectResponse(f"/plans/{saved.id}", status_code=303)


@router.get("/plans", response_class=HTMLResponse)
def my_plans(request: Request, who: ViewerDep) -> Response:
    """The logged-in person's saved plans."""
    saved = microcred(request).plans.list(actor=who.user)
    return render(request, who, "plans.html", saved=saved)


@router.get("/plans/compare", response_class=HTMLResponse)
def compare_plans(
    request: Request,
    who: ViewerDep,
    a: Annotated[int, Query(ge=1)],
    b: Annotated[int, Query(ge=1)],
) -> Response:
    """Two saved plans side by side."""
    plans = microcred(request).plans
    pair = [plans.get(a, actor=who.user), plans.get(b, actor=who.user)]
    return render(request, who, "plans_compare.html", pair=pair, explain=explain)


@router.get("/plans/shared/{token}", response_class=HTMLResponse, name="shared_plan")
def shared_plan(request: Request, who: ViewerDep, token: str) -> Response:
    """A plan shared by link: read-only, without personal data."""
    title, plan, expires = microcred(request).plans.shared(token)
    response = render(
        request,
        who,
        "plan_shared.html",
        title=title,
        plan=plan,
        expires=expires,
        explain=explain,
        tr=_translator(who),
    )
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/plans/{plan_id}/edit", response_class=HTMLResponse)
def edit_plan(request: Request, who: ViewerDep, plan_id: int) -> Response:
    """The planner form filled in with a saved plan's profile; saving updates that plan."""
    saved = microcred(request).plans.get(plan_id, actor=who.user)
    return _page(request, who, values=form_values(saved.profile), editing=saved.id)


@router.get("/plans/{plan_id}", response_class=HTMLResponse)
def saved_plan(request: Request, who: ViewerDep, plan_id: int) -> Response:
    """One saved plan, with re-plan, share and delete."""
    return _saved_page(request, who, plan_id, link=None)


def _saved_page(request: Request, who: Viewer, plan_id: int, *, link: str | None) -> Response:
    saved = microcred(request).plans.get(plan_id, actor=who.user)
    return render(
        request,
        who,
        "plan_saved.html",
        saved=saved,
        plan=saved.plan,
        link=link,
        explain=explain,
        tr=_translator(who),
    )


@router.post("/plans/{plan_id}/{action}", response_class=HTMLResponse)
def plan_action(
    request: Request, who: ViewerDep, form: FormDep, plan_id: int, action: str
) -> Response:
    """replan (against today's catalogue), update (with a changed profile), share, unshare
    or delete."""
    check_csrf(request, str(form.get("csrf_token") or ""))
    plans = microcred(request).plans
    if action == "replan":
        saved = plans.get(plan_id, actor=who.user)
        plans.update(plan_id, saved.profile, actor=who.user)
    elif action == "update":
        raw = _posted_profile(form)
        plans.update(plan_id, LearnerProfile.parse(raw), actor=who.user)
    elif action == "share":
        days = str(form.get("days") or "30")
        token, _ = plans.share(plan_id, actor=who.user, days=int(days) if days.isdigit() else 0)
        # Shown once, in this response: the token is not kept and never put in a URL we log.
        link = str(request.url_for("shared_plan", token=token))
        return _saved_page(request, who, plan_id, link=link)
    elif action == "unshare":
        plans.unshare(plan_id, actor=who.user)
    elif action == "delete":
        plans.delete(plan_id, actor=who.user)
        return RedirectResponse("/plans", status_code=303)
    else:
        raise InvalidInput(f"unknown action {action!r}")
    return RedirectResponse(f"/plans/{plan_id}", status_code=303)
