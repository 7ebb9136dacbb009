"""The JSON API on both engines: reads, writes, errors, limits."""

from fastapi.testclient import TestClient

from microcred import Microcred
from tests.conftest import listing_payload
from tests.formats.test_csv_template import HEADER, row
from tests.web.conftest import World


def create(
    client: TestClient, world: World, who: str = "staff", **overrides: object
) -> dict[str, object]:
    body = {"organization_id": world.own.id, "listing": listing_payload(**overrides)}
    response = client.post("/api/v1/listings", json=body, headers=world.bearer(who))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_health_reports_the_database(client: TestClient, mc: Microcred) -> None:
    for path in ("/health", "/api/v1/health"):
        body = client.get(path).json()
        assert body["status"] == "ok" and body["database"] == mc.store.dialect


def test_openapi_document_lists_the_catalogue(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/listings", "/api/v1/listings/{listing_id}", "/api/v1/import"} <= set(paths)


def test_create_read_update_archive_a_listing(client: TestClient, world: World) -> None:
    created = create(client, world)
    assert created["organization_id"] == world.own.id and created["is_demo"] is False
    assert created["provenance"]["source"] == "api"
    listing_id = created["id"]
    fetched = client.get(f"/api/v1/listings/{listing_id}").json()
    assert fetched["title_fr"] == "Fondements de l'analytique"
    changed = client.put(
        f"/api/v1/listings/{listing_id}",
        json=listing_payload(hours="40"),
        headers=world.bearer("staff"),
    )
    assert changed.status_code == 200 and changed.json()["hours"] == "40"
    archived = client.post(
        f"/api/v1/listings/{listing_id}/status",
        json={"status": "archived"},
        headers=world.bearer("staff"),
    )
    assert archived.json()["status"] == "archived"
    page = client.get("/api/v1/listings", params={"status": "active"}).json()
    assert page["total"] == 0


def test_validation_errors_use_the_stable_error_shape(client: TestClient, world: World) -> None:
    body = {
        "organization_id": world.own.id,
        "listing": listing_payload(cost_cad="abc", title_en=None, title_fr=None),
    }
    response = client.post("/api/v1/listings", json=body, headers=world.bearer("staff"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    locations = {p["location"] for p in error["problems"]}
    assert "body.listing.cost_cad" in locations


def test_duplicate_external_ids_are_a_clear_error(client: TestClient, world: World) -> None:
    create(client, world)
    body = {"organization_id": world.own.id, "listing": listing_payload()}
    response = client.post("/api/v1/listings", json=body, headers=world.bearer("staff"))
    assert response.status_code == 422
    assert "already used" in response.json()["error"]["problems"][0]["message"]


def test_unknown_ids_are_404s(client: TestClient, world: World) -> None:
    assert client.get("/api/v1/listings/424242").json()["error"]["code"] == "not_found"
    response = client.put(
        "/api/v1/listings/424242", json=listing_payload(), headers=world.bearer("admin")
    )
    assert response.status_code == 404


def test_pagination_is_bounded(client: TestClient) -> None:
    assert client.get("/api/v1/listings", params={"limit": 1000}).status_code == 422
    assert client.get("/api/v1/listings", params={"offset": 10_000}).json()["items"] == []


def test_import_endpoint_reports_rejected_rows(client: TestClient, world: World) -> None:
    text = (
        HEADER
        + "\n"
        + row(provider_name_en="Tamarack College")
        + row(external_id="X2", cost_cad="abc")
    )
    response = client.post("/api/v1/import", content=text.encode(), headers=world.bearer("staff"))
    assert response.status_code == 200
    report = response.json()
    assert report["inserted"] == 1 and report["rejected"][0]["line"] == 3


def test_import_refuses_oversized_bodies(client: TestClient, world: World) -> None:
    huge = b"x" * (300 * 1024)
    response = client.post("/api/v1/import", content=huge, headers=world.bearer("admin"))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_import_refuses_oversized_chunked_bodies(
    client: TestClient, world: World, mc: Microcred
) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 10_000

    response = client.post("/api/v1/import", content=chunks(), headers=world.bearer("admin"))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert mc.catalog.listings()[1] == 0


def test_import_refuses_invalid_utf8_without_writing(
    client: TestClient, world: World, mc: Microcred
) -> None:
    body = (HEADER + "\n").encode() + row().encode().replace(b"Welding", b"Soud\xe9")
    response = client.post("/api/v1/import", content=body, headers=world.bearer("admin"))
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["line"] == 2
    assert mc.catalog.listings()[1] == 0


def test_export_round_trips_through_import(client: TestClient, world: World) -> None:
    create(client, world)
    for fmt in ("csv", "jsonl"):
        exported = client.get("/api/v1/export", params={"format": fmt})
        assert exported.status_code == 200
        again = client.post(
            "/api/v1/import",
            params={"format": fmt},
            content=exported.content,
            headers=world.bearer("admin"),
        ).json()
        assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 1)


def test_me_shows_the_caller_without_secrets(client: TestClient, world: World) -> None:
    me = client.get("/api/v1/me", headers=world.bearer("staff")).json()
    assert me["email"] == world.staff.email and "password_hash" not in me
    assert client.get("/api/v1/me").json() is None
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer mct_nope"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"


def test_security_headers_are_set(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
