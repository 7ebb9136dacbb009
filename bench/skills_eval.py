"""Evaluate the skills engine on real labelled data. Prints JSON.

    python bench/skills_eval.py [--data ../shared/data] [--database URL] [--modes lexical,semantic]
        [--validation]

(a) Skill ranking on the Decorte et al. validation splits (TECH, HOUSE): for each sentence
    with at least one ESCO label, rank all ESCO skills; R-Precision@5, MRR, Recall@10
    (percent). Labels are ESCO v1.1.0 preferred labels, matched to the loaded ESCO's.
(b) Title → NOC unit group on a fixed 80/20 split of the OaSIS example titles (seed 2026):
    the index is built without the held-out 20%; Accuracy@1 and @5 on the held-out part.
    With --validation, a further seeded 20% of the other titles is kept out as well and
    measured instead: choose settings there, never on the held-out part.
(c) Latency per query (ms): titles and sentences.
(d) French: how many of the titles in french_titles.tsv (common French job titles with
    their unit groups, written for this check) the same title matcher places first and
    among the five best.

Without --database, a temporary SQLite store is loaded from --data first (about 25 s).
``semantic`` mode needs ``pip install 'microcred[semantic]'``; its label embeddings are
cached in the store, so the first semantic run takes minutes and later ones seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from microcred.app import Microcred
from microcred.settings import Settings
from microcred.skills import semantic
from microcred.skills.corpus import Example
from microcred.skills.engine import Skills
from microcred.skills.matchers import TitleMatcher
from microcred.store.schema import ref_skills, ref_titles

SEED = 2026
HELD_OUT = 0.2
SPLITS = ("tech", "house")
IGNORED = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def latency(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 0.5),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
    }


def title_split(
    mc: Microcred, validation: bool = False
) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
    """(unit group, title) pairs kept out of the index, and the list to measure on, in a
    fixed order: the held-out 20%; or, with ``validation``, a further seeded 20% of the
    rest (kept out too), for choosing settings without looking at the held-out part."""
    t = ref_titles
    with mc.store.read() as conn:
        rows = sorted(
            set(
                conn.execute(
                    select(t.c.unit_group, t.c.title).where(
                        t.c.scheme == "oasis", t.c.kind == "example"
                    )
                ).all()
            )
        )
    random.Random(SEED).shuffle(rows)
    cut = int(len(rows) * HELD_OUT)
    held = [(str(u), str(title)) for u, title in rows[:cut]]
    if not validation:
        return set(held), held
    rest = [(str(u), str(title)) for u, title in rows[cut:]]
    random.Random(SEED + 1).shuffle(rest)
    tuning = rest[: int(len(rest) * HELD_OUT)]
    return set(held) | set(tuning), tuning


def eval_titles(skills: Skills, mc: Microcred, validation: bool = False) -> dict[str, object]:
    held, ordered = title_split(mc, validation)

    def keep(example: Example) -> bool:
        return (example.occupation, example.text) not in held

    started = time.perf_counter()
    matcher = skills.title_matcher("noc", keep=keep)
    build = time.perf_counter() - started
    at1, at5, times = placed(skills, matcher, ordered)
    french = french_titles()
    fr1, fr5, _ = placed(skills, matcher, french)
    return {
        "held_out": len(ordered),
        "indexed": matcher.size,
        "accuracy_at_1": round(100 * at1 / len(ordered), 1),
        "accuracy_at_5": round(100 * at5 / len(ordered), 1),
        "build_seconds": round(build, 1),
        "latency_ms": latency(times),
        "french_titles": {"titles": len(french), "first": fr1, "among_five": fr5},
    }


def placed(
    skills: Skills, matcher: TitleMatcher, titles: list[tuple[str, str]]
) -> tuple[int, int, list[float]]:
    """How many (unit group, title) pairs come first, how many among the five best, and
    each query's milliseconds."""
    at1 = at5 = 0
    times = []
    for unit, title in titles:
        t0 = time.perf_counter()
        found = skills.match_occupation(title, top=5, matcher=matcher, threshold=0.0)
        times.append((time.perf_counter() - t0) * 1000)
        ids = [m.id for m in found]
        at1 += bool(ids) and ids[0] == unit
        at5 += unit in ids
    return at1, at5, times


def french_titles() -> list[tuple[str, str]]:
    """(unit group, title) pairs of ``french_titles.tsv``, beside this script."""
    lines = (Path(__file__).with_name("french_titles.tsv").read_text("utf-8")).splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return [(unit, title) for title, unit in rows]


def eval_skills(skills: Skills, mc: Microcred, data: Path) -> dict[str, object]:
    with mc.store.read() as conn:
        by_label = {
            label: code
            for code, label in conn.execute(
                select(ref_skills.c.code, ref_skills.c.label_en).where(
                    ref_skills.c.scheme == "esco", ref_skills.c.kind != "group"
                )
            )
        }
    skills.skill_matcher("esco")
    out: dict[str, object] = {}
    times: list[float] = []
    unknown: set[str] = set()
    rp5s = []
    for split in SPLITS:
        gold: dict[str, set[str]] = defaultdict(set)
        path = data / "eval" / "skill-extraction" / f"{split}_validation_annotations.csv"
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["label"] in IGNORED:
                    continue
                if row["label"] in by_label:
                    gold[row["sentence"]].add(by_label[row["label"]])
                else:
                    unknown.add(row["label"])
        rp5 = mrr = r10 = 0.0
        for sentence, relevant in gold.items():
            t0 = time.perf_counter()
            ranked = skills.rank_skills(sentence, top=10)
            times.append((time.perf_counter() - t0) * 1000)
            rp5 += len(set(ranked[:5]) & relevant) / min(5, len(relevant))
            mrr += next((1 / (i + 1) for i, c in enumerate(ranked) if c in relevant), 0.0)
            r10 += len(set(ranked) & relevant) / len(relevant)
        n = len(gold)
        rp5s.append(100 * rp5 / n)
        out[split] = {
            "sentences": n,
            "rp_at_5": round(100 * rp5 / n, 1),
            "mrr": round(100 * mrr / n, 1),
            "recall_at_10": round(100 * r10 / n, 1),
        }
    out["mean_rp_at_5"] = round(statistics.mean(rp5s), 1)
    out["labels_not_in_loaded_esco"] = sorted(unknown)
    out["latency_ms"] = latency(times)
    return out


def run(mc: Microcred, data: Path, modes: list[str], validation: bool = False) -> dict[str, object]:
    results: dict[str, object] = {}
    for mode in modes:
        if mode == "semantic" and not semantic.available():
            results[mode] = {"skipped": "pip install 'microcred[semantic]'"}
            continue
        skills = Skills(mc.store, semantic_mode=mode == "semantic")
        results[mode] = {
            "titles_to_noc": eval_titles(skills, mc, validation),
            "skills_esco": eval_skills(skills, mc, data),
        }
        print(json.dumps({mode: results[mode]}), file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    parser.add_argument("--database", help="a store with the reference data already loaded")
    parser.add_argument("--modes", default="lexical,semantic")
    parser.add_argument(
        "--validation",
        action="store_true",
        help="measure titles on a further 20%% of the training titles (for tuning), not the"
        " held-out 20%%",
    )
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if args.database:
        with Microcred(Settings(database_url=args.database)) as mc:
            mc.migrate()
            report = run(mc, args.data, modes, args.validation)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'eval.db'}"
            with Microcred(Settings(database_url=url)) as mc:
                mc.migrate()
                mc.reference_loader.load(args.data)
                report = run(mc, args.data, modes, args.validation)
    split = {"measured_on": "validation" if args.validation else "held_out"}
    print(json.dumps({"seed": SEED, "held_out_share": HELD_OUT, **split, **report}, indent=2))


if __name__ == "__main__":
    main()
