"""Titles made from another job's title (``skills/roles.py``): what NOC does with the
foremen and helpers of a trade, learnt from example titles written here."""

from __future__ import annotations

from collections import Counter

import numpy as np

from microcred.skills.lexical import TitleIndex
from microcred.skills.roles import MIN_HEAD, Roles
from microcred.skills.text import clean_title

# Sheet metal trades and machining trades are supervised by one class (72010), welders by
# another (72014); every trade's helpers are labourers (95101).
TRADES = {
    "72102": ["coppersmith", "tinsmith", "sheet metal worker", "duct maker", "metal roofer"],
    "72100": ["machinist", "tool maker", "lathe hand", "millwright machinist", "honer"],
    "72106": ["welder", "brazer", "solderer", "tack welder", "spot welder"],
}
SUPERVISORS = {"72102": "72010", "72100": "72010", "72106": "72014"}
SETTINGS = ("shipyard", "pipeline", "factory")


def titles() -> list[tuple[str, str]]:
    out = []
    for trade_class, trades in TRADES.items():
        for trade in trades:
            out.append((trade, trade_class))
            for setting in SETTINGS:
                out.append((f"{trade} - {setting}", trade_class))
                out.append((f"{setting} {trade} helper", "95101"))
            if trade != "coppersmith":  # the title to find
                out.append((f"{trade} foreman/woman", SUPERVISORS[trade_class]))
    return out


def built() -> tuple[TitleIndex, Roles]:
    texts, labels = zip(*titles(), strict=True)
    index = TitleIndex([clean_title(t) for t in texts], labels)
    index.use_model(index.train_model())
    roles = Roles.build(
        texts,
        index.example_class.tolist(),
        len(index.classes),
        lambda cores: index.margins_of([clean_title(c) for c in cores]),
    )
    return index, roles


def test_a_title_s_key_and_core() -> None:
    _, roles = built()
    assert roles.heads["helper"] >= MIN_HEAD  # a head word of its own
    assert roles.split("pipeline welder helper") == ("helper", "pipeline welder")
    # "foreman" is too rare a head here: the kind of job its cue says
    assert roles.split("coppersmith foreman/woman") == ("cue:0", "coppersmith")
    assert roles.split("Chief engineer") == ("cue:0", "engineer")  # the first kind: a chief
    assert roles.split("coppersmith") is None
    # with enough foremen, "foreman" is a key, whether or not the title says "/woman"
    foremen = Roles(Counter({"foreman": MIN_HEAD}), {})
    assert foremen.split("coppersmith foreman/woman") == ("foreman", "coppersmith")
    assert foremen.split("Tinsmith Foreman/Woman - roofing") == ("foreman", "tinsmith roofing")
    assert roles.core("foreman") == ""


def test_the_relation_leads_a_foreman_to_the_class_that_supervises_his_trade() -> None:
    index, roles = built()
    position = {c: i for i, c in enumerate(index.classes)}
    order = np.array([position[c] for c in ("72014", "72010", "72102", "95101")])
    title = "coppersmith foreman/woman"
    core = roles.core(title)
    assert core == "coppersmith"
    columns = roles.columns(
        roles.belief(title, index.margins(index.vector(clean_title(core)))), order
    )
    led, own = columns[:, 0], columns[:, 2]
    assert int(np.argmax(led)) == 1  # 72010, which supervises sheet metal workers
    assert columns[1, 1] == 0 and (columns[:, 1] <= 0).all()
    assert int(np.argmax(own)) == 2  # the core itself is a sheet metal worker's title
    assert 0 < columns[0, 3] <= 1  # the share of the core's belief the relation knows


def test_a_title_without_a_key_or_known_core_gets_no_relation() -> None:
    index, roles = built()
    order = np.arange(len(index.classes))
    for title, core in [("coppersmith", None), ("zzzz foreman", None)]:
        columns = roles.columns(roles.belief(title, core), order)
        assert (columns[:, 2] == -1).all() and (columns[:, [0, 1, 3]] == 0).all()
    empty = Roles.build([], [], len(index.classes), index.margins_of)
    assert empty.relations == {}
    core = index.margins(index.vector("welder"))
    columns = empty.columns(
        empty.belief("welder foreman", core), order
    )  # a key no relation was learnt for
    assert (columns[:, 0] == 0).all() and columns[:, 2].max() > 0
