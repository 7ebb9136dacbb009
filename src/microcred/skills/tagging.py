"""Tag listings with skills: what the provider declared, and what their text implies.

Each listing's tags are replaced in one transaction, so tagging twice gives the same
rows and a crash leaves the previous tags whole. Declared skills score 1.0; inferred
ones carry the engine's confidence and never override a declared one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from microcred.errors import InvalidInput
from microcred.skills.engine import Skills
from microcred.store.schema import listing_skills, listings

INFERRED = {"esco": 15, "oasis": 10}  # at most this many inferred tags per taxonomy
MIN_INFERRED = 0.35
BATCH = 200


def listing_text(document: dict[str, Any]) -> str:
    """The words of a listing that say what it teaches."""
    parts = [
        document.get("title_en"),
        document.get("title_fr"),
        document.get("description_en"),
        document.get("description_fr"),
        *document.get("learning_outcomes", []),
    ]
    return "\n".join(p for p in parts if p)


def tags_for(skills: Skills, document: dict[str, Any]) -> dict[tuple[str, str], tuple[float, str]]:
    """(scheme, code) → (score, provenance) for one listing document."""
    tags: dict[tuple[str, str], tuple[float, str]] = {}
    text = listing_text(document)
    if text.strip():
        for taxonomy, count in INFERRED.items():
            try:
                found = skills.extract(text, taxonomy=taxonomy, top=count).skills
            except InvalidInput:
                break  # text that is not text (e.g. only digits): nothing to infer
            for match in found:
                if match.score >= MIN_INFERRED:
                    tags[(taxonomy, match.id)] = (match.score, "inferred")
    for ref in document.get("skills", []):
        if ref.get("scheme") in INFERRED:
            tags[(ref["scheme"], ref["id"])] = (1.0, "declared")
    return tags


def tag_listings(
    skills: Skills,
    *,
    listing_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """(Re)tag listings (all, or ``listing_ids``); counts of listings and tags written."""
    store = skills.store
    query = select(listings.c.id).order_by(listings.c.id)
    if listing_ids is not None:
        query = query.where(listings.c.id.in_(list(listing_ids)))
    with store.read() as conn:
        ids = list(conn.execute(query).scalars())
    written = {"listings": 0, "declared": 0, "inferred": 0}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with store.read() as conn:
            documents = dict(
                conn.execute(
                    select(listings.c.id, listings.c.document).where(listings.c.id.in_(chunk))
                ).all()
            )
        rows = []
        now = datetime.now(UTC)
        for listing_id in chunk:
            for (scheme, code), (score, provenance) in tags_for(
                skills, documents[listing_id]
            ).items():
                rows.append(
                    {
                        "listing_id": listing_id,
                        "scheme": scheme,
                        "code": code,
                        "score": round(score, 3),
                        "provenance": provenance,
                        "tagged_at": now,
                    }
                )
                written[provenance] += 1
        with store.write() as conn:
            conn.execute(delete(listing_skills).where(listing_skills.c.listing_id.in_(chunk)))
            if rows:
                conn.execute(listing_skills.insert(), rows)
        written["listings"] += len(chunk)
        if progress:
            progress(written["listings"], len(ids))
    return written


def listing_tags(skills: Skills, listing_id: int) -> list[dict[str, Any]]:
    """A listing's stored tags, best first."""
    t = listing_skills
    with skills.store.read() as conn:
        rows = conn.execute(
            select(t.c.scheme, t.c.code, t.c.score, t.c.provenance)
            .where(t.c.listing_id == listing_id)
            .order_by(t.c.provenance, t.c.score.desc(), t.c.code)
        ).all()
    return [dict(r._mapping) for r in rows]
