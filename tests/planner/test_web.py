"""Plans over HTTP: the API (compute, moves, saved plans, links) and the pages. Saved plans
are their owner's alone; shared links show no personal data and expire."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from microcred.app import Microcred
from microcred.domain.vocab import Role
from microcred.planner.model import LearnerProfile
from microcred.store.schema import plans
from tests.conftest import make_user
from tests.web.conftest import csrf_of, log_in

PROFILE = {
    "current": "72106",
    "target": "21231",
    "province": "ON",
    "languages": ["en"],
    "birth_year": 1985,
}


@pytest.fixture
def people(mc: Microcred) -> dict[str, Any]:
    found: dict[str, Any] = {
        "learner": make_user(mc, Role.LEARNER),
        "other": make_user(mc, Role.LEARNER),
        "practitioner": make_user(mc, Role.PRACTITIONER),
    }
    for name in list(found):
        found[f"{name}_auth"] = {
            "Authorization": f"Bearer {mc.accounts.issue_token(found[name].id, 't').secret}"
        }
    return found


def test_compute_returns_the_plan(client: TestClient, world: dict[str, int]) -> None:
    body = client.post("/api/v1/plans/compute", json=PROFILE).json()
    assert [s["listing_id"] for s in body["steps"]] == [world["reading"], world["listening"]]
    assert body["coverage"] == 1.0 and body["solver"]["optimal"]
    assert body["costs"]["net"] == "387.00" and body["costs"]["years"][0]["ctc"] == "450.00"
    assert body["gap"][0]["reason"].startswith("OaSIS 2023 rates")


@pytest.mark.parametrize(
    ("change", "where"),
    [({"budget": "lots"}, "budget"), ({"target": None}, "target"), ({"unknown": 1}, "unknown")],
)
def test_compute_refuses_bad_profiles_precisely(
    client: TestClient, world: dict[str, int], change: dict[str, Any], where: str
) -> None:
    response = client.post("/api/v1/plans/compute", json={**PROFILE, **change})
    assert response.status_code == 422
    assert where in response.text


def test_moves_from_a_title(client: TestClient, world: dict[str, int]) -> None:
    moves = client.get("/api/v1/moves", params={"from": "welder"}).json()
    assert moves[0]["code"] == "21231" and moves[0]["missing"]


def test_saved_plans_belong_to_their_owner(
    client: TestClient, mc: Microcred, world: dict[str, int], people: dict[str, Any]
) -> None:
    assert client.post("/api/v1/plans", json={"profile": PROFILE}).status_code == 401
    created = client.post(
        "/api/v1/plans",
        json={"profile": PROFILE, "title": "To software"},
        headers=people["learner_auth"],
    )
    assert created.status_code == 201
    plan_id = created.json()["id"]
    assert [
        p["id"] for p in client.get("/api/v1/plans", headers=people["learner_auth"]).json()
    ] == [plan_id]
    assert client.get("/api/v1/plans", headers=people["other_auth"]).json() == []
    for method in ("get", "delete"):
        response = getattr(client, method)(f"/api/v1/plans/{plan_id}", headers=people["other_auth"])
        assert response.status_code == 404
    assert (
        client.post(
            f"/api/v1/plans/{plan_id}/share", json={}, headers=people["other_auth"]
        ).status_code
        == 404
    )
    updated = client.put(
        f"/api/v1/plans/{plan_id}",
        json={"profile": {**PROFILE, "budget": "50"}},
        headers=people["learner_auth"],
    ).json()
    assert updated["plan"]["steps"] == [] and updated["title"] == "To software"
    assert (
        client.delete(f"/api/v1/plans/{plan_id}", headers=people["learner_auth"]).status_code == 204
    )
    assert mc.plans.list(actor=people["learner"]) == []


def test_a_client_plan_needs_consent(
    client: TestClient, world: dict[str, int], people: dict[str, Any]
) -> None:
    body = {"profile": PROFILE, "client": "A. Client"}
    refused = client.post("/api/v1/plans", json=body, headers=people["practitioner_auth"])
    assert refused.status_code == 422 and "consent" in refused.text
    kept = client.post(
        "/api/v1/plans", json={**body, "consent": True}, headers=people["practitioner_auth"]
    )
    assert kept.status_code == 201 and kept.json()["client"] == "A. Client"


def test_shared_links_hide_personal_data_and_expire(
    client: TestClient, mc: Microcred, world: dict[str, int], people: dict[str, Any]
) -> None:
    auth = people["practitioner_auth"]
    plan_id = client.post(
        "/api/v1/plans",
        json={"profile": PROFILE, "client": "Jo Tremblay", "consent": True},
        headers=auth,
    ).json()["id"]
    assert (
        client.post(f"/api/v1/plans/{plan_id}/share", json={"days": 91}, headers=auth).status_code
        == 422
    )
    link = client.post(f"/api/v1/plans/{plan_id}/share", json={"days": 7}, headers=auth).json()[
        "url"
    ]
    token = link.rsplit("/", 1)[1]
    page = client.get(link)
    assert (
        page.status_code == 200
        and "Jo Tremblay" not in page.text
        and "Reading for Work" in page.text
    )
    assert "Welding" not in page.text  # the person's current occupation
    shared = client.get(f"/api/v1/shared/plans/{token}").json()
    assert shared["plan"]["current"] is None
    assert shared["plan"]["costs"]["ctc"] == "0" and shared["plan"]["costs"]["tuition"] == "900"
    with mc.store.write() as conn:
        conn.execute(
            update(plans).values(share_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert client.get(link).status_code == 404
    client.post(f"/api/v1/plans/{plan_id}/share", json={}, headers=auth)
    client.delete(f"/api/v1/plans/{plan_id}/share", headers=auth)
    assert client.get(f"/api/v1/shared/plans/{token}").status_code == 404
    assert client.get("/plans/shared/" + "x" * 200).status_code == 404


def test_the_plan_page_plans_saves_compares_and_shares(
    client: TestClient, mc: Microcred, world: dict[str, int], people: dict[str, Any]
) -> None:
    assert client.get("/plan?from=welder&to=21231").status_code == 200
    token = csrf_of(client, "/plan")
    form = {
        "csrf_token": token,
        "current": "72106",
        "target": "21231",
        "province": "ON",
        "languages": "en",
        "hours_per_week": "8",
        "birth_year": "1985",
    }
    shown = client.post("/plan", data=form)
    assert shown.status_code == 200 and "Reading for Work" in shown.text
    assert "Log in to save" in shown.text
    moves = client.post("/plan", data={**form, "target": ""})
    assert (
        "Occupations close to yours" in moves.text and "/plan?from=72106&amp;to=21231" in moves.text
    )
    bad = client.post(
        "/plan", data={**form, "latest_finish": "2020-01-01", "earliest_start": "2021-01-01"}
    )
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    assert client.post("/plan", data={**form, "csrf_token": "forged"}).status_code == 403

    csrf = log_in(client, people["learner"])
    page = client.post("/plan", data={**form, "csrf_token": csrf})
    profile = page.text.split('name="profile" value="', 1)[1].split('"', 1)[0]
    for title in ("First", "Second"):
        saved = client.post(
            "/plans",
            data={"csrf_token": csrf, "profile": html.unescape(profile), "title": title},
            follow_redirects=False,
        )
        assert saved.status_code == 303
    first, second = sorted(s.id for s in mc.plans.list(actor=people["learner"]))
    assert "First" in client.get("/plans").text
    compared = client.get(f"/plans/compare?a={first}&b={second}")
    assert compared.status_code == 200 and compared.text.count("Reading for Work") == 2
    shared = client.post(f"/plans/{first}/share", data={"csrf_token": csrf, "days": "3"})
    assert "/plans/shared/" in shared.text
    assert (
        client.post(
            f"/plans/{first}/replan", data={"csrf_token": csrf}, follow_redirects=False
        ).status_code
        == 303
    )
    edit = client.get(f"/plans/{first}/edit")
    assert edit.status_code == 200 and 'value="72106"' in edit.text
    data = {**form, "csrf_token": csrf, "budget": "50", "editing": str(first)}
    changed = client.post("/plan", data=data)
    assert f'action="/plans/{first}/update"' in changed.text
    posted = changed.text.split('name="profile" value="', 1)[1].split('"', 1)[0]
    update = {"csrf_token": csrf, "profile": html.unescape(posted)}
    redirect = client.post(f"/plans/{first}/update", data=update, follow_redirects=False)
    assert redirect.status_code == 303
    assert mc.plans.get(first, actor=people["learner"]).plan.steps == []
    assert (
        client.post(
            f"/plans/{first}/delete", data={"csrf_token": csrf}, follow_redirects=False
        ).status_code
        == 303
    )
    assert client.get(f"/plans/{first}").status_code == 404


def test_other_peoples_plans_and_logged_out_pages(
    client: TestClient, mc: Microcred, world: dict[str, int], people: dict[str, Any]
) -> None:
    mine = mc.plans.create(LearnerProfile.parse(PROFILE), actor=people["other"])
    assert client.get("/plans", follow_redirects=False).status_code == 303
    csrf = log_in(client, people["learner"])
    assert client.get(f"/plans/{mine.id}").status_code == 404
    assert client.post(f"/plans/{mine.id}/delete", data={"csrf_token": csrf}).status_code == 404
    assert mc.plans.get(mine.id, actor=people["other"]).id == mine.id


def test_the_plan_page_in_french(client: TestClient, world: dict[str, int]) -> None:
    client.get("/lang/fr")
    page = client.get("/plan")
    assert "Planifier" in page.text or "plan" in page.text.lower()
