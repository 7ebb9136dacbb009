"""Log in, edit a listing, switch language and see a validation error — in a real browser."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from microcred.domain.vocab import Role
from tests.browser.conftest import AXE, Site
from tests.conftest import PASSWORD, make_user
from tests.planner.conftest import LISTENING, READING, add
from tests.reference import fixture_data

pytestmark = pytest.mark.browser


def log_in(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site.url}/login")
    page.get_by_label("Email").fill(site.staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site.url}/dashboard")


def test_log_in_and_edit_a_listing(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    log_in(page, site)
    page.get_by_role("link", name="Edit Data Analytics Foundations").click()
    page.get_by_label("Title in English").fill("Applied Data Analytics")
    page.get_by_label("Cost in Canadian dollars").fill("1399.99")
    page.get_by_role("button", name="Save listing").click()
    assert page.get_by_role("status").inner_text() == "Your changes were saved."
    page.goto(f"{site.url}/listings/{site.listing_id}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Applied Data Analytics")
    assert "$1,399.99" in page.content()
    assert site.mc.catalog.listing(site.listing_id).title_en == "Applied Data Analytics"


def test_a_validation_error_is_shown_and_nothing_is_saved(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    log_in(page, site)
    page.goto(f"{site.url}/dashboard/listings/{site.listing_id}/edit")
    page.get_by_label("Cost in Canadian dollars").fill("free-ish")
    page.get_by_label("Title in English").fill("")
    page.get_by_label("Title in French").fill("")
    page.get_by_role("button", name="Save listing").click()
    summary = page.get_by_role("alert")
    assert "There are 2 problems with this listing" in summary.inner_text()
    summary.get_by_role("link", name="'free-ish' is not a number", exact=False).click()
    assert page.evaluate("document.activeElement.id") == "cost_cad"
    assert page.locator("#cost_cad").get_attribute("aria-invalid") == "true"
    assert site.mc.catalog.listing(site.listing_id).title_en == "Data Analytics Foundations"


def test_switch_language(page, site: Site) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{site.url}/listings/{site.listing_id}")
    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Fondements de l'analytique")
    )
    assert page.get_by_role("link", name="Parcourir les microtitres").is_visible()
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"


def _axe(page) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}))"
    )
    return [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pages_have_no_serious_accessibility_violations(page, site: Site, language: str) -> None:  # type: ignore[no-untyped-def]
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` at the repository root")
    log_in(page, site)
    page.goto(f"{site.url}/lang/{language}?next=/")
    paths = [
        "/",
        "/guide",
        "/listings",
        f"/listings/{site.listing_id}",
        "/dashboard",
        "/dashboard/listings/new",
        f"/dashboard/listings/{site.listing_id}/edit",
        "/explore",
        "/search?q=data&province=ON",
        "/search?q=zzzz",
        "/search?cost_max=abc",
        f"/compare?id={site.listing_id}",
    ]
    found = {}
    for path in paths:
        page.goto(site.url + path)
        found[path] = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in _axe(page)
        ]
    # The editor with validation errors showing.
    page.goto(f"{site.url}/dashboard/listings/{site.listing_id}/edit")
    page.locator("#cost_cad").fill("abc")
    page.locator("button[type=submit]").last.click()
    found["editor with errors"] = [(v["id"], v["help"]) for v in _axe(page)]
    # The skills finder after a submission (no reference data here: a notice shows).
    page.goto(f"{site.url}/explore")
    page.locator("#text").fill("welder")
    page.locator("main button[type=submit]").click()
    found["explore submitted"] = [(v["id"], v["help"]) for v in _axe(page)]
    # Searching from the form, then picking a result to compare.
    page.goto(f"{site.url}/search")
    page.locator("#q").fill("analytics")
    page.locator(".search-box button[type=submit]").click()
    page.locator(".compare-pick input").first.check()
    page.locator(".results button[type=submit]").click()
    assert page.locator("table.compare").count() == 1
    found["compare from search"] = [(v["id"], v["help"]) for v in _axe(page)]
    page.context.clear_cookies()
    page.goto(f"{site.url}/lang/{language}?next=/login")
    found["/login"] = [(v["id"], v["help"]) for v in _axe(page)]
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_plan_pages_have_no_serious_accessibility_violations(  # type: ignore[no-untyped-def]
    page, site: Site, tmp_path, language: str
) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` at the repository root")
    site.mc.reference_loader.load(fixture_data.write_all(tmp_path / "data"))
    org = site.mc.catalog.listing(site.listing_id).organization_id
    admin = make_user(site.mc, Role.ADMIN)
    soon, later = (str(date.today() + timedelta(days=d)) for d in (30, 120))
    add(
        site.mc,
        org,
        admin,
        "R1",
        title_en="Reading for Work",
        skills=[READING],
        stacks_into=["Certificate in Communication"],
        start_dates=[soon],
    )
    add(
        site.mc,
        org,
        admin,
        "L1",
        title_en="Listening at Work",
        skills=[LISTENING],
        stacks_into=["Certificate in Communication"],
        start_dates=[later],
    )
    log_in(page, site)
    page.goto(f"{site.url}/lang/{language}?next=/plan")
    found = {"/plan": [(v["id"], v["help"]) for v in _axe(page)]}
    page.locator("#current").fill("72106")
    page.locator("#birth_year").fill("1985")
    page.locator("form.plan-form button[type=submit]").click()
    found["suggested moves"] = [(v["id"], v["help"]) for v in _axe(page)]
    page.locator("#target").fill("21231")
    page.locator("form.plan-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".timeline li").count() == 2, page.locator("main").inner_text()
    found["plan"] = [(v["id"], v["help"]) for v in _axe(page)]
    for title in ("A", "B"):
        page.locator("#title").fill(title)
        page.locator("form.save-plan button[type=submit]").click()
        found[f"saved {title}"] = [(v["id"], v["help"]) for v in _axe(page)]
        if title == "A":
            page.go_back()
    page.locator("#days").fill("5")
    page.locator("#days").press("Enter")
    link = page.locator(".notice a").first.get_attribute("href")
    found["share created"] = [(v["id"], v["help"]) for v in _axe(page)]
    page.goto(f"{site.url}/plans")
    found["/plans"] = [(v["id"], v["help"]) for v in _axe(page)]
    page.locator("main form button[type=submit]").click()
    assert page.locator("table.compare").count() == 1
    found["compare"] = [(v["id"], v["help"]) for v in _axe(page)]
    page.context.clear_cookies()
    page.goto(str(link))
    found["shared"] = [(v["id"], v["help"]) for v in _axe(page)]
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_credential_pages_have_no_serious_accessibility_violations(  # type: ignore[no-untyped-def]
    page, site: Site, language: str
) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` at the repository root")
    from microcred.catalog import policy
    from microcred.credentials.ob3 import Recipient

    issued = site.mc.credentials.issue(
        site.listing_id, Recipient.parse("learner@example.ca"), actor=policy.operator()
    )
    uuid = issued.credential_id.removeprefix("urn:uuid:")
    page.goto(f"{site.url}/lang/{language}?next=/verify")
    found = {"/verify": [(v["id"], v["help"]) for v in _axe(page)]}
    page.locator("#credential").fill(json.dumps(issued.document))
    page.locator("form.verify-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("table.checks").count() == 1
    found["verify report"] = [(v["id"], v["help"]) for v in _axe(page)]
    page.goto(f"{site.url}/badges/{uuid}")
    assert page.locator("svg").count() >= 1
    found["badge"] = [(v["id"], v["help"]) for v in _axe(page)]
    assert {k: v for k, v in found.items() if v} == {}
