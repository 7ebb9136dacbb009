"""Suggested moves: occupations close to a person's current one in skills, with good outlooks.

Candidates are the unit groups most similar to the current one on their skills profiles
(OaSIS ratings and ESCO skills; see ``microcred.skills.profiles``), the transferable-skills
approach of career-transition research, on Canada's own data. Each is re-ranked by its COPS
2024–2033 projected labour-market conditions: a shortage raises it, a surplus lowers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from microcred.skills.profiles import REQUIRED_LEVEL, GapItem, Profiles

OUTLOOK_BONUS = {
    "Strong risk of Shortage": 0.06,
    "Moderate risk of Shortage": 0.03,
    "Balance": 0.0,
    "Moderate risk of Surplus": -0.03,
    "Strong risk of Surplus": -0.06,
}
POOL = 40  # most similar unit groups considered before re-ranking
SHOWN = 5  # skills listed as carried over / missing


@dataclass(frozen=True)
class Move:
    """A suggested target occupation."""

    code: str
    title_en: str
    title_fr: str | None
    similarity: float
    outlook: str | None
    score: float
    carries_over: list[tuple[str, str | None]]  # (label EN, label FR)
    missing: list[GapItem]

    def title(self, lang: str) -> str:
        return (self.title_fr if lang == "fr" else None) or self.title_en


def carried_over(profiles: Profiles, current: str, target: str) -> list[tuple[str, str | None]]:
    """The target's required OaSIS skills the current occupation already has, strongest first."""
    have = profiles.profile(current).oasis
    want = profiles.profile(target).oasis
    shared = [
        (code, level)
        for code, level in want.items()
        if level >= REQUIRED_LEVEL and have.get(code, 0.0) >= level
    ]
    shared.sort(key=lambda pair: (-pair[1], pair[0]))
    return [profiles.label(code) for code, _ in shared[:SHOWN]]


def suggest(
    profiles: Profiles,
    current: str,
    titles: dict[str, tuple[str, str | None]],
    outlooks: dict[str, str],
    *,
    top: int = 10,
) -> list[Move]:
    """The best moves from ``current``, by similarity adjusted for outlook."""
    ranked = sorted(profiles.similarities(current).items(), key=lambda kv: (-kv[1], kv[0]))
    moves = []
    for code, similarity in ranked[:POOL]:
        if code not in titles:
            continue
        outlook = outlooks.get(code)
        score = similarity + OUTLOOK_BONUS.get(outlook or "", 0.0)
        gap = profiles.gap(code, current=current, target_title=titles[code][0])
        moves.append(
            Move(
                code,
                titles[code][0],
                titles[code][1],
                round(similarity, 3),
                outlook,
                round(score, 3),
                carried_over(profiles, current, code),
                gap[:SHOWN],
            )
        )
    moves.sort(key=lambda m: (-m.score, m.code))
    return moves[:top]
