"""Storage behaviour on both engines: schema, transactions, constraints."""

import threading
import time

import pytest
from sqlalchemy import func, select, text

from microcred import Microcred
from microcred.domain.listing import ListingData
from microcred.errors import ConfigurationError, Conflict, NotFound
from microcred.store import Store, listings, migrate, organizations
from microcred.store.engine import normalise_url
from microcred.store.listings import NewListing
from microcred.store.schema import listings as listings_table
from tests.conftest import listing_payload, make_org


def test_the_schema_is_at_the_newest_migration(mc: Microcred) -> None:
    assert migrate.current_revision(mc.store) == migrate.head_revision()
    mc.check_schema()


def test_upgrading_twice_changes_nothing(mc: Microcred) -> None:
    mc.migrate()
    assert migrate.current_revision(mc.store) == migrate.head_revision()


def test_an_empty_database_is_refused_until_upgraded(tmp_path: object) -> None:
    from microcred import Settings

    with Microcred(Settings(database_url=f"sqlite:///{tmp_path}/empty.db")) as fresh:
        with pytest.raises(ConfigurationError, match="microcred db upgrade"):
            fresh.check_schema()
        fresh.migrate()
        fresh.check_schema()


def test_listing_round_trips_through_the_store(mc: Microcred) -> None:
    org = make_org(mc)
    data = ListingData.model_validate(listing_payload())
    with mc.store.write() as conn:
        stored = listings.create(conn, NewListing.of(org.id, data, "api"))
    assert stored.content_hash() == data.content_hash()
    assert stored.organization_slug == org.slug
    assert stored.provenance.source == "api"
    assert stored.created_at.tzinfo is not None
    with mc.store.read() as conn:
        assert listings.get(conn, stored.id) == stored


def test_a_failed_transaction_leaves_nothing_behind(mc: Microcred) -> None:
    org = make_org(mc)
    data = ListingData.model_validate(listing_payload())
    with pytest.raises(RuntimeError), mc.store.write() as conn:
        listings.create(conn, NewListing.of(org.id, data, "api"))
        raise RuntimeError("boom")
    with mc.store.read() as conn:
        assert conn.execute(select(func.count()).select_from(listings_table)).scalar_one() == 0


def test_external_ids_are_unique_per_organization(mc: Microcred) -> None:
    from sqlalchemy.exc import IntegrityError

    org, other = make_org(mc), make_org(mc, "Other College")
    data = ListingData.model_validate(listing_payload())
    with mc.store.write() as conn:
        listings.create(conn, NewListing.of(org.id, data, "api"))
        listings.create(conn, NewListing.of(other.id, data, "api"))  # same id, other provider: fine
    with pytest.raises(IntegrityError), mc.store.write() as conn:
        listings.create(conn, NewListing.of(org.id, data, "api"))


def test_foreign_keys_are_enforced(mc: Microcred) -> None:
    from sqlalchemy.exc import IntegrityError

    data = ListingData.model_validate(listing_payload())
    with pytest.raises(IntegrityError), mc.store.write() as conn:
        listings.create(conn, NewListing.of(999_999, data, "api"))


def test_organization_slugs_and_ctids_are_unique(mc: Microcred) -> None:
    make_org(mc, ctid="ce-11111111-2222-3333-4444-555555555555")
    with pytest.raises(Conflict, match="slug"):
        make_org(mc)
    with pytest.raises(Conflict, match="CTID"):
        make_org(mc, "Else", ctid="ce-11111111-2222-3333-4444-555555555555")


def test_missing_rows_raise_not_found(mc: Microcred) -> None:
    with mc.store.read() as conn:
        with pytest.raises(NotFound, match="no listing with id 42"):
            listings.get(conn, 42)
        with pytest.raises(NotFound):
            organizations.get_by_slug(conn, "nobody")


def test_sqlite_runs_in_wal_mode_with_foreign_keys(mc: Microcred) -> None:
    if mc.store.dialect != "sqlite":
        pytest.skip("SQLite only")
    with mc.store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_urls_are_normalised_to_psycopg_3() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
    with pytest.raises(ConfigurationError, match="unsupported database URL"):
        normalise_url("mysql://u@h/db")


def test_the_migrations_build_exactly_the_declared_schema(mc: Microcred) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from microcred.store.schema import POSTGRES_ONLY_TABLES, metadata

    with mc.store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # Tables with PostgreSQL-only types are created by the migration alone.
    assert [d for d in diff if not _about(d, POSTGRES_ONLY_TABLES)] == []


def _about(diff: object, tables: frozenset[str]) -> bool:
    _kind, subject, *_ = diff if isinstance(diff, tuple) else diff[0]
    table = getattr(subject, "table", subject)
    return getattr(table, "name", None) in tables


def test_bulk_inserts_store_timestamps_like_single_inserts(mc: Microcred) -> None:
    org = make_org(mc)
    data = ListingData.model_validate(listing_payload())
    other = ListingData.model_validate(listing_payload(external_id="TEST-2"))
    with mc.store.write() as conn:
        single = listings.create(conn, NewListing.of(org.id, data, "api"))
        listings.insert_many(conn, [NewListing.of(org.id, other, "csv")])
        raw = conn.exec_driver_sql("SELECT created_at FROM listings").scalars().all()
    bulk = mc.catalog.listings()[0][0]
    assert bulk.created_at.tzinfo is not None and single.created_at.tzinfo is not None
    assert bulk.content_hash() == other.content_hash()
    # The same stored form (on SQLite: the same text format, without a UTC offset suffix).
    assert len({(type(value), len(str(value))) for value in raw}) == 1


def test_upgrading_drops_the_retired_linear_title_models(tmp_path: object) -> None:
    """Stored linear models (``linear:*``) are no longer read: migration 0010 drops them
    and leaves every other cache entry."""
    from datetime import UTC, datetime

    from microcred import Settings
    from microcred.store.schema import engine_cache

    with Microcred(Settings(database_url=f"sqlite:///{tmp_path}/old.db")) as old:
        migrate.upgrade(old.store, "0009")
        now = datetime.now(UTC)
        with old.store.write() as conn:
            for name in ("linear:noc-titles", "linear:noc-titles:rerank", "model:noc-titles"):
                conn.execute(
                    engine_cache.insert().values(
                        name=name, fingerprint="f", created_at=now, payload=b"x"
                    )
                )
        old.migrate()
        with old.store.read() as conn:
            names = set(conn.execute(select(engine_cache.c.name)).scalars())
    assert names == {"model:noc-titles"}


def test_closing_waits_for_background_work_and_leaves_no_connection_open(
    database_url: str,
) -> None:
    store = Store.from_url(database_url)
    started, read = threading.Event(), []

    def work() -> None:
        started.set()
        time.sleep(0.2)  # still at work when the store is closed
        with store.read() as conn:
            read.append(conn.execute(text("SELECT 1")).scalar_one())

    thread = store.spawn(work, "test-work")
    started.wait()
    store.dispose()
    assert read == [1] and not thread.is_alive()
    assert store.engine.pool.checkedin() == 0 and store.engine.pool.checkedout() == 0


def test_closing_does_not_wait_forever_and_says_what_still_runs(
    mc: Microcred, caplog: pytest.LogCaptureFixture
) -> None:
    release = threading.Event()
    thread = mc.store.spawn(release.wait, "test-stuck")
    mc.store.dispose(wait=0.05)
    assert thread.is_alive() and "test-stuck" in caplog.text
    release.set()
    thread.join()
