"""PostgreSQL with embedded replicas: each machine's index follows every committed change, late
commits included, is built in the background while PostgreSQL answers, and is rebuilt when
lost or damaged."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from microcred import Microcred, Settings
from microcred.domain.account import User
from microcred.domain.vocab import ListingStatus
from microcred.search.model import SearchRequest
from microcred.search.replica import POSITION
from tests.search import test_search
from tests.search.conftest import REPLICA

admin = test_search.admin
catalogue = test_search.catalogue
search = test_search.search


@pytest.fixture(params=[REPLICA])
def variant(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_change_whose_transaction_commits_after_a_sync_began_is_applied(
    mc: Microcred, catalogue: dict[str, int], settings: Settings
) -> None:
    weld = catalogue["WELD"]
    assert search(mc, "welding") == [weld]
    with mc.store.write() as conn:  # still running while the replica syncs
        conn.execute(text("UPDATE listings SET status = 'archived' WHERE id = :i"), {"i": weld})
        writer = int(conn.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar())
        mc.search.sync()
        position = (settings.search_index_dir / POSITION).read_text()  # type: ignore[operator]
        _, xmax, running = position.split(":")  # this writer is seen still running
        assert writer >= int(xmax) or str(writer) in running.split(",")
    assert search(mc, "welding") == []


def test_each_machine_keeps_its_own_replica(
    mc: Microcred, catalogue: dict[str, int], admin: User, settings: Settings, tmp_path: Path
) -> None:
    other = settings.model_copy(update={"search_index_dir": tmp_path / "other-machine"})
    with Microcred(other) as second:
        second.search.sync()
        assert second.search.engine == "replica"
        mc.catalog.set_listing_status(catalogue["PM"], ListingStatus.ARCHIVED, actor=admin)
        for machine in (mc, second):
            machine.search.sync()
            assert search(machine, "project") == []
            assert machine.search.query(SearchRequest("")).total == 2
            assert machine.search.pending() == 0


def test_a_new_replica_is_built_in_the_background_while_postgresql_answers(
    mc: Microcred, catalogue: dict[str, int], settings: Settings, tmp_path: Path
) -> None:
    fresh = settings.model_copy(update={"search_index_dir": tmp_path / "new-machine"})
    with Microcred(fresh) as worker:
        assert worker.search.engine == "postgresql"
        assert search(worker, "welding") == [catalogue["WELD"]]  # starts the build
        for _ in range(600):  # the build runs on its own thread
            if worker.search.engine == "replica":
                break
            time.sleep(0.05)
        assert worker.search.engine == "replica"
        assert search(worker, "welding") == [catalogue["WELD"]]


def test_a_lost_or_damaged_replica_is_rebuilt_from_the_store(
    mc: Microcred, catalogue: dict[str, int], settings: Settings
) -> None:
    folder = settings.search_index_dir
    assert folder is not None
    mc.search.sync()
    mc.close()
    shutil.rmtree(folder)
    with Microcred(settings) as again:
        assert again.search.engine == "postgresql"
        assert again.search.pending() == 3  # the whole catalogue, for the new replica
        assert again.search.sync() == 3
        assert search(again, "welding") == [catalogue["WELD"]]
        # Damaged: its position is unreadable, and a listing was archived with no trace in
        # the change list. The catalogue is indexed again from nothing: nothing stale stays.
        (folder / POSITION).write_text("garbage")
        with again.store.write() as conn:
            archive = text("UPDATE listings SET status = 'archived' WHERE id = :i")
            conn.execute(archive, {"i": catalogue["WELD"]})
            conn.execute(text("DELETE FROM search_changes"))
        assert again.search.sync() == 3  # every listing, whatever the change list says
        assert search(again, "welding") == []
        assert again.search.query(SearchRequest("")).total == 2
        assert again.search.rebuild() == 3
        assert again.search.engine == "replica"
