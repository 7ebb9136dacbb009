"""``Planner`` (``mc.planner``): suggested moves and optimised, dated, costed learning plans."""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from scipy import sparse
from sqlalchemy import select

from microcred.errors import InvalidInput, Problem
from microcred.planner import eligibility, index, moves, pathways
from microcred.planner.costs import Fee, costs
from microcred.planner.model import (
    GapLine,
    LearnerProfile,
    Plan,
    SolverReport,
    Step,
)
from microcred.planner.optimize import Problem as Model
from microcred.planner.optimize import solve
from microcred.planner.schedule import Course, schedule
from microcred.reference import active
from microcred.skills.engine import GapReport, Skills
from microcred.skills.profiles import GapItem
from microcred.store.engine import Store
from microcred.store.schema import listings, organizations, ref_outlooks

REFRESH = 1.0  # seconds between checks for other processes' catalogue changes
PER_SKILL = 20  # best listings kept per missing skill
BY_VALUE = 40  # best listings kept by weighted coverage per unit of cost and time
MAX_STACK = 8  # larger credentials with more members left than this are not aimed for
ROUNDS = 6  # solves at most, when a schedule finds no room for a listing (see _solve)
DECLARED_LEVEL = 4.0  # an OaSIS skill the person declares counts as held at this level
# What a listing covers counts fully when it names the target among the occupations it
# prepares for; NEAR when it names one of the target's closest unit groups in skills (the
# NEAREST most similar); OFF_TARGET otherwise: a skill taught for another trade transfers
# only in part.
NEAR = 0.75
NEAREST = 10
OFF_TARGET = 0.35
# A listing must close at least this share of the weighted gap to be considered: one that
# touches a single minor skill in passing is noise in a plan, however cheap.
MIN_SHARE = 0.02


class Planner:
    """Plans from a person's situation to a target occupation through the catalogue."""

    def __init__(self, store: Store, skills: Skills) -> None:
        self.store = store
        self.skills = skills
        self._lock = threading.Lock()
        self._index: tuple[tuple[Any, ...], index.CatalogIndex] | None = None
        self._seen_commits = -1
        self._checked_at = 0.0
        self._refreshing = False

    # -- the catalogue index -----------------------------------------------------------

    def catalog_index(self) -> index.CatalogIndex:
        """The active catalogue as arrays; rebuilt when it changes.

        This process's own writes are seen at once. Other processes' writes are noticed
        within a second and picked up by a rebuild in the background, while plans keep
        using the previous index (their listings are re-read when a plan is shown)."""
        current = self._index
        own = self.store.commits != self._seen_commits
        if current is not None and not own and time.monotonic() - self._checked_at < REFRESH:
            return current[1]
        commits = self.store.commits
        with self.store.read() as conn:
            fingerprint = index.fingerprint(conn)
        self._checked_at = time.monotonic()
        if current is not None and current[0] == fingerprint:
            self._seen_commits = commits
            return current[1]
        if current is not None and not own:
            self._refresh_in_background()
            return current[1]
        with self._lock:
            with self.store.read() as conn:
                fingerprint = index.fingerprint(conn)
                built = index.build(conn)
            self._index, self._seen_commits = (fingerprint, built), commits
        return built

    def _refresh_in_background(self) -> None:
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True

        def work() -> None:
            try:
                with self.store.read() as conn:
                    fingerprint = index.fingerprint(conn)
                    built = index.build(conn)
                self._index = (fingerprint, built)
            finally:
                self._refreshing = False

        self.store.spawn(work, "planner-index")

    # -- suggested moves ---------------------------------------------------------------

    def suggest(self, current: str, *, top: int = 10) -> list[moves.Move]:
        """Occupations to move to from ``current`` (a NOC code or a job title)."""
        unit = self.skills.unit_of(current)
        titles = {c: (u.label_en, u.label_fr) for c, u in self.skills.unit_groups().items()}
        return moves.suggest(
            self.skills.profiles(), unit, titles, self._outlooks(), top=max(1, min(top, 50))
        )

    def _outlooks(self) -> dict[str, str]:
        with self.store.read() as conn:
            loads = active.load_ids(conn)
            if "cops" not in loads:
                return {}
            o = ref_outlooks
            rows = conn.execute(
                select(o.c.code, o.c.future_conditions).where(o.c.load_id == loads["cops"])
            )
            return {code: outlook for code, outlook in rows if outlook}

    # -- plans -------------------------------------------------------------------------

    def plan(self, profile: LearnerProfile, *, today: date | None = None) -> Plan:
        """The best plan toward ``profile.target`` under the profile's constraints."""
        setup = self._prepare(profile, today)
        catalogue, rows, model = setup.catalogue, setup.rows, setup.model
        chosen, slots, solver = self._solve(
            catalogue, rows, model, profile, setup.window, int(setup.ok.sum())
        )
        plan = self._assemble(profile, setup, chosen, slots, solver)
        if len(plan.steps) == 0 or plan.coverage < 0.999:
            plan.relaxations = eligibility.relaxations(
                catalogue, setup.found, setup.teaches, setup.window, profile
            )
        return plan

    def problem(self, profile: LearnerProfile, *, today: date | None = None) -> Model:
        """The mixed-integer program ``plan`` solves first (for benchmarks and debugging)."""
        return self._prepare(profile, today).model

    def _prepare(self, profile: LearnerProfile, today: date | None) -> _Setup:
        if profile.target is None:
            message = "choose a target occupation (or ask for suggested moves)"
            raise InvalidInput(message, [Problem("target", message)])
        report = self._gap(profile)
        window = eligibility.Window(
            profile.start(today or date.today()),
            profile.latest_finish,
            float(profile.hours_per_week),
        )
        catalogue = self.catalog_index()
        gap = [item for item in report.items if item.code in catalogue.columns]
        cols = [catalogue.columns[item.code] for item in gap]
        weight = np.array([item.weight for item in gap])
        cover_all = catalogue.skills[:, cols] if cols else None
        teaches = np.zeros(catalogue.size, dtype=bool)
        weighted = cover_all
        if cover_all is not None:
            value = np.asarray(cover_all @ weight).ravel()
            teaches = value >= MIN_SHARE * float(sum(i.weight for i in report.items))
            weighted = sparse.diags(self._context(catalogue, report.target)) @ cover_all
        found = eligibility.masks(catalogue, profile, window)
        ok = eligibility.eligible(found, teaches)
        rows = self._candidates(catalogue, ok, weighted, weight, profile, window)
        held_rows = {catalogue.row_of[i] for i in profile.held if i in catalogue.row_of}
        stack_members = pathways.completable(
            catalogue,
            pathways.touched(catalogue, rows),
            ok,
            held_rows,
            max_members=MAX_STACK,
        )
        rows = sorted(set(rows) | {r for m in stack_members.values() for r in m})
        model = self._model(catalogue, rows, weighted, weight, stack_members, profile, window)
        coverage = (
            np.minimum(cover_all[rows].toarray(), 1.0)
            if rows and cover_all is not None
            else np.zeros((0, len(gap)))
        )
        return _Setup(
            report, window, catalogue, gap, teaches, found, ok, rows, held_rows, model, coverage
        )

    def _context(self, catalogue: index.CatalogIndex, target: str) -> np.ndarray:
        """How much each listing's skills count toward ``target`` (see OFF_TARGET)."""
        context = np.full(catalogue.size, OFF_TARGET)
        for near in self.skills.similar(target, top=NEAREST):
            context[catalogue.aimed_at.get(near.id, [])] = NEAR
        context[catalogue.aimed_at.get(target, [])] = 1.0
        return context

    def _gap(self, profile: LearnerProfile) -> GapReport:
        declared = {
            code: (DECLARED_LEVEL if not code.startswith("http") else 1.0)
            for code in profile.skills
        }
        return self.skills.gap(
            profile.target or "",
            current=profile.current,
            skills=declared,
            text=profile.resume,
        )

    def _candidates(
        self,
        catalogue: index.CatalogIndex,
        ok: np.ndarray,
        cover_all: Any,
        weight: np.ndarray,
        profile: LearnerProfile,
        window: eligibility.Window,
    ) -> list[int]:
        """The listings the model chooses among: for each missing skill the ones teaching
        it best and cheapest, and the best by coverage for their cost and time."""
        eligible_rows = np.flatnonzero(ok)
        if not eligible_rows.size:
            return []
        cover = cover_all[eligible_rows]
        cost = catalogue.cost_cents[eligible_rows] / 100
        hours = catalogue.hours[eligible_rows]
        keep: set[int] = set()
        for j in range(cover.shape[1]):
            column = cover[:, j].tocoo()
            if not column.nnz:
                continue
            order = np.lexsort((hours[column.row], cost[column.row], -column.data))
            keep.update(int(eligible_rows[column.row[k]]) for k in order[:PER_SKILL])
        value = np.asarray(cover @ weight).ravel()
        w = profile.weights
        price = w.cost * cost / _cost_scale(profile) + w.time * hours / _hours_scale(window)
        efficiency = value / (price + 1e-3)
        best = np.argsort(-efficiency)[:BY_VALUE]
        keep.update(int(eligible_rows[k]) for k in best if value[k] > 0)
        return sorted(keep)

    def _model(
        self,
        catalogue: index.CatalogIndex,
        rows: list[int],
        cover_all: Any,
        weight: np.ndarray,
        stack_members: dict[index.StackKey, list[int]],
        profile: LearnerProfile,
        window: eligibility.Window,
    ) -> Model:
        position = {r: i for i, r in enumerate(rows)}
        cover = cover_all[rows].toarray() if rows and cover_all is not None else np.zeros((0, 0))
        capacity = None if window.weeks is None else window.weeks * window.hours_per_week
        return Model(
            cost=catalogue.cost_cents[rows] / 100 if rows else np.zeros(0),
            hours=catalogue.hours[rows] if rows else np.zeros(0),
            # Levels in steps of 0.05: far fewer distinct levels for the model, no loss
            # a plan could show.
            cover=np.round(np.minimum(cover, 1.0) * 20) / 20,
            weight=weight if weight.size else np.ones(0),
            weights=profile.weights,
            budget=float(profile.budget) if profile.budget is not None else None,
            capacity=capacity,
            cost_scale=_cost_scale(profile),
            hours_scale=_hours_scale(window),
            stacks=[[position[r] for r in members] for members in stack_members.values()],
        )

    def _solve(
        self,
        catalogue: index.CatalogIndex,
        rows: list[int],
        model: Model,
        profile: LearnerProfile,
        window: eligibility.Window,
        eligible: int,
    ) -> tuple[list[int], list[Any], SolverReport]:
        """Solve, then schedule. A listing that finds no room (weekly hours, intakes, the
        finish date) may not be taken together with the listings it clashed with: add that
        cut and solve again. After ROUNDS, what still finds no room is left out."""
        started = time.perf_counter()
        rounds, status, gap = 0, "optimal", 0.0
        chosen: list[int] = []
        slots: list[Any] = []
        while rounds < ROUNDS:
            rounds += 1
            remaining = max(0.05, profile.time_limit - (time.perf_counter() - started))
            solution = solve(model, time_limit=remaining)
            chosen, status, gap = solution.chosen, solution.status, solution.gap
            slots = schedule(
                [self._course(catalogue, rows[i]) for i in chosen],
                hours_per_week=window.hours_per_week,
                start=window.start,
            )
            clashes = _clashes(chosen, slots, window.finish)
            if not clashes:
                break
            model.excluded.extend(clashes)
        report = SolverReport(
            "HiGHS (scipy.optimize.milp)",
            status if chosen or status != "optimal" else ("optimal" if rows else "empty"),
            status == "optimal" and rounds == 1,
            round(gap, 6),
            round(time.perf_counter() - started, 4),
            len(rows),
            eligible,
            rounds,
        )
        return chosen, slots, report

    @staticmethod
    def _course(catalogue: index.CatalogIndex, row: int) -> Course:
        weeks = float(catalogue.weeks[row])
        return Course(
            float(catalogue.hours[row]),
            None if np.isnan(weeks) else weeks,
            tuple(catalogue.starts[row]),
        )

    def _assemble(
        self,
        profile: LearnerProfile,
        setup: _Setup,
        chosen: list[int],
        slots: list[Any],
        solver: SolverReport,
    ) -> Plan:
        report, gap, catalogue = setup.report, setup.gap, setup.catalogue
        rows, model, held_rows = setup.rows, setup.model, setup.held_rows
        units = self.skills.unit_groups()
        finish = setup.window.finish
        placed = [
            (rows[i], i, s)
            for i, s in zip(chosen, slots, strict=True)
            if s is not None and (finish is None or s.finish <= finish)
        ]
        placed.sort(key=lambda p: (p[2].start, p[0]))
        details = self._details([int(catalogue.ids[r]) for r, _, _ in placed])
        steps = []
        for row, i, slot in placed:
            listing_id = int(catalogue.ids[row])
            doc, provider = details[listing_id]
            covers = [gap[j].code for j in np.flatnonzero(model.cover[i] > 0)]
            steps.append(
                Step(
                    listing_id=listing_id,
                    title_en=doc.get("title_en"),
                    title_fr=doc.get("title_fr"),
                    provider=provider,
                    cost=Decimal(int(catalogue.cost_cents[row])) / 100,
                    hours=float(catalogue.hours[row]),
                    weeks=round((slot.finish - slot.start).days / 7 + 1 / 7, 1),
                    mode=str(doc.get("delivery_mode")),
                    province=doc.get("province"),
                    languages=list(doc.get("languages", [])),
                    start=slot.start,
                    finish=slot.finish,
                    fixed_intake=slot.fixed,
                    ctc_eligible=bool(catalogue.ctc[row]),
                    covers=covers,
                    prerequisites=doc.get("prerequisites"),
                    url=doc.get("url"),
                    credit_transfer=doc.get("credit_transfer"),
                )
            )
        picked = [i for _, i, _ in placed]
        closed = setup.coverage[picked].max(axis=0) if picked else None
        lines = []
        for j, item in enumerate(gap):
            by = [s.listing_id for s in steps if item.code in s.covers]
            covered = float(closed[j]) if closed is not None else 0.0
            lines.append(GapLine(**asdict(item), covered=round(covered, 3), by=by))
        lines += [
            GapLine(**asdict(item), covered=0.0, by=[])
            for item in report.items
            if item.code not in catalogue.columns
        ]
        total = sum(line.weight for line in lines) or 1.0
        coverage = sum(line.weight * line.covered for line in lines) / total
        names = self._provider_names(
            {int(catalogue.org[r]) for r in [p[0] for p in placed] + list(held_rows)}
        )
        fees = [
            Fee(
                s.listing_id,
                str(catalogue.org[catalogue.row_of[s.listing_id]]),
                s.start.year,
                s.cost,
                s.ctc_eligible,
            )
            for s in steps
        ]
        cost_report = costs(fees, profile.ctc())
        target = units[report.target]
        current = units.get(report.current) if report.current else None
        plan = Plan(
            target=report.target,
            target_title_en=target.label_en,
            target_title_fr=target.label_fr,
            current=report.current,
            current_title_en=current.label_en if current else None,
            current_title_fr=current.label_fr if current else None,
            gap=lines,
            steps=steps,
            stacks=pathways.progress(catalogue, {p[0] for p in placed}, held_rows, names),
            costs=cost_report,
            coverage=round(coverage, 4),
            solver=solver,
        )
        plan.notes = _notes(plan, report, profile)
        return plan

    def _details(self, ids: list[int]) -> dict[int, tuple[dict[str, Any], str]]:
        if not ids:
            return {}
        li, o = listings, organizations
        with self.store.read() as conn:
            rows = conn.execute(
                select(li.c.id, li.c.document, o.c.name_en, o.c.name_fr)
                .join(o, o.c.id == li.c.organization_id)
                .where(li.c.id.in_(ids))
            ).all()
        return {r[0]: (r[1], r[2] or r[3] or "") for r in rows}

    def _provider_names(self, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        o = organizations
        with self.store.read() as conn:
            rows = conn.execute(select(o.c.id, o.c.name_en, o.c.name_fr).where(o.c.id.in_(ids)))
            return {r[0]: r[1] or r[2] or "" for r in rows}


@dataclass
class _Setup:
    """Everything a plan is computed from."""

    report: GapReport
    window: eligibility.Window
    catalogue: index.CatalogIndex
    gap: list[GapItem]
    teaches: np.ndarray
    found: dict[str, np.ndarray]
    ok: np.ndarray
    rows: list[int]
    held_rows: set[int]
    model: Model
    coverage: np.ndarray  # candidates × gap skills, as tagged (the model's is weighted)


def _clashes(chosen: list[int], slots: list[Any], finish: date | None) -> list[list[int]]:
    """For each listing without a slot in time, it and the placed listings it overlaps."""
    placed = [(i, s) for i, s in zip(chosen, slots, strict=True) if s is not None]
    out = []
    for i, slot in zip(chosen, slots, strict=True):
        if slot is not None and (finish is None or slot.finish <= finish):
            continue
        if slot is None:  # no room at any intake: every placed listing may be in the way
            out.append(sorted({i, *(j for j, _ in placed)}))
        else:  # placed, but too late: what took the earlier weeks
            out.append(sorted({i, *(j for j, other in placed if other.start < slot.start)}))
    return out


def _cost_scale(profile: LearnerProfile) -> float:
    return float(profile.budget) if profile.budget else 10_000.0


def _hours_scale(window: eligibility.Window) -> float:
    weeks = window.weeks if window.weeks is not None else 52.0
    return max(1.0, weeks * window.hours_per_week)


def _notes(plan: Plan, report: GapReport, profile: LearnerProfile) -> list[str]:
    notes = []
    if not report.items:
        notes.append("no_gap")
    if plan.solver.status == "time_limit":
        notes.append("time_limit")
    if plan.solver.rounds > 1 and profile.latest_finish and plan.finish is None:
        notes.append("overrun")
    if report.items and plan.coverage < 0.999:
        notes.append("partial")
    if not profile.ctc_known and plan.steps:
        notes.append("ctc_unknown")
    elif any(y.estimated for y in plan.costs.years):
        notes.append("estimated_ctc")
    if plan.costs.tuition_credit > 0:
        notes.append("non_refundable")
    return notes
