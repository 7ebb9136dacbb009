"""Deterministic demo catalogue: the same seed always yields the same providers and listings."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from microcred.demo.reference import DemoReference
from microcred.demo.reference import load as load_reference
from microcred.demo.vocabulary import PARTNERS, PLACES, PROVINCE_WEIGHTS, TOPICS, Topic
from microcred.domain.listing import ListingData, ListingDigest
from microcred.domain.organization import OrganizationData, slugify
from microcred.domain.vocab import (
    AssessmentType,
    CredentialKind,
    DeliveryMode,
    ListingStatus,
    OrganizationKind,
    Proficiency,
    Province,
)
from microcred.formats.records import ImportRecord
from microcred.workers import ordered_map

DEFAULT_SEED = 2026
_ADJECTIVES = (
    "Tamarack",
    "Aspen",
    "Cedar",
    "Granite",
    "Spruce",
    "Riverbend",
    "Lakeshore",
    "Highland",
    "Northern Lights",
    "Maple Ridge",
    "Birchwood",
    "Harbourview",
)
_KIND_WEIGHTS = {
    OrganizationKind.COLLEGE: 35,
    OrganizationKind.UNIVERSITY: 20,
    OrganizationKind.PRIVATE_TRAINER: 20,
    OrganizationKind.EMPLOYER: 10,
    OrganizationKind.ASSOCIATION: 10,
    OrganizationKind.INDIGENOUS_INSTITUTE: 5,
}
_NAMES = {  # (English pattern, French pattern)
    OrganizationKind.COLLEGE: ("{adj} College {city}", "Collège {adj} de {city}"),
    OrganizationKind.UNIVERSITY: ("{adj} University", "Université {adj}"),
    OrganizationKind.PRIVATE_TRAINER: ("{adj} Skills Training", "Formation {adj}"),
    OrganizationKind.EMPLOYER: ("{adj} Industries Academy", "Académie Industries {adj}"),
    OrganizationKind.ASSOCIATION: (
        "{adj} Professional Association",
        "Association professionnelle {adj}",
    ),
    OrganizationKind.INDIGENOUS_INSTITUTE: (
        "{adj} Indigenous Institute",
        "Institut autochtone {adj}",
    ),
}
_INSTITUTIONS = {
    OrganizationKind.COLLEGE,
    OrganizationKind.UNIVERSITY,
    OrganizationKind.INDIGENOUS_INSTITUTE,
}
_LEVELS = (
    (": Foundations", " : fondements"),
    (": Applied Practice", " : pratique appliquée"),
    (" I", " I"),
    (" II", " II"),
    (" for Small Business", " pour les PME"),
    ("", ""),
)
_INTAKES = (
    date(2027, 1, 11),
    date(2027, 3, 1),
    date(2027, 5, 3),
    date(2027, 6, 28),
    date(2027, 9, 7),
    date(2027, 10, 25),
    date(2028, 1, 10),
)


def provider_count(listings: int) -> int:
    """Enough providers to cover every province and territory, growing with the catalogue."""
    return max(len(Province), min(400, listings // 150))


def providers(count: int, rng: random.Random) -> list[tuple[OrganizationData, str]]:
    """``count`` fictional providers, each with its home city; every province gets one."""
    provinces = list(PROVINCE_WEIGHTS)
    out = []
    for i in range(count):
        province = (
            provinces[i]
            if i < len(provinces)
            else rng.choices(provinces, weights=list(PROVINCE_WEIGHTS.values()))[0]
        )
        kind = rng.choices(list(_KIND_WEIGHTS), weights=list(_KIND_WEIGHTS.values()))[0]
        city, adj = rng.choice(PLACES[province]), _ADJECTIVES[i % len(_ADJECTIVES)]
        en, fr = (p.format(adj=adj, city=city) for p in _NAMES[kind])
        slug = f"demo-{i + 1:03d}-{slugify(en)}"[:80].rstrip("-")
        website = f"https://{slug}.demo.microcred.example/"
        french = province == "QC" or (province in ("NB", "ON") and rng.random() < 0.3)
        org = OrganizationData(
            slug=slug,
            name_en=None if province == "QC" and rng.random() < 0.5 else en,
            name_fr=fr if french or rng.random() < 0.3 else None,
            kind=kind,
            province=Province(province),
            website=website,
            is_demo=True,
        )
        out.append((org, city))
    return out


def _languages(province: str, rng: random.Random) -> list[str]:
    roll = rng.random()
    if province == "QC":
        return ["fr"] if roll < 0.8 else ["fr", "en"]
    if province == "NB":
        return ["en", "fr"] if roll < 0.5 else ["en"]
    return ["fr"] if province == "ON" and roll < 0.08 else ["en"]


def _kind(org: OrganizationKind, rng: random.Random) -> CredentialKind:
    k = CredentialKind
    options = {
        OrganizationKind.EMPLOYER: (k.DIGITAL_BADGE, k.OPEN_BADGE, k.CERTIFICATE_OF_COMPLETION),
        OrganizationKind.ASSOCIATION: (
            k.CERTIFICATION,
            k.MICRO_CREDENTIAL,
            k.PROFESSIONAL_CERTIFICATE,
        ),
        OrganizationKind.PRIVATE_TRAINER: (
            k.CERTIFICATE_OF_COMPLETION,
            k.COURSE,
            k.MICRO_CREDENTIAL,
        ),
    }.get(
        org,
        (
            k.MICRO_CREDENTIAL,
            k.MICRO_CREDENTIAL,
            k.MICRO_CREDENTIAL,
            k.DIGITAL_BADGE,
            k.OPEN_BADGE,
            k.COURSE,
            k.CERTIFICATE,
        ),
    )
    return rng.choice(options)


def _hours(kind: CredentialKind, rng: random.Random) -> int:
    low, high = {
        CredentialKind.DIGITAL_BADGE: (4, 16),
        CredentialKind.OPEN_BADGE: (4, 20),
        CredentialKind.CERTIFICATE: (60, 180),
        CredentialKind.CERTIFICATION: (30, 120),
        CredentialKind.PROFESSIONAL_CERTIFICATE: (40, 150),
    }.get(kind, (12, 60))
    return rng.randint(low, high)


def _cost(org: OrganizationKind, hours: int, rng: random.Random) -> Decimal:
    if org is OrganizationKind.EMPLOYER and rng.random() < 0.7:
        return Decimal(0)
    rate = {
        OrganizationKind.UNIVERSITY: (25, 45),
        OrganizationKind.PRIVATE_TRAINER: (20, 60),
        OrganizationKind.ASSOCIATION: (15, 40),
    }.get(org, (12, 32))
    return Decimal(5 * round(hours * rng.uniform(*rate) / 5))


def _mode(org: OrganizationKind, rng: random.Random) -> DeliveryMode:
    weights = (35, 20, 20, 25) if org is not OrganizationKind.EMPLOYER else (60, 20, 10, 10)
    modes = (
        DeliveryMode.ONLINE_ASYNC,
        DeliveryMode.ONLINE_SYNC,
        DeliveryMode.HYBRID,
        DeliveryMode.IN_PERSON,
    )
    return rng.choices(modes, weights=weights)[0]


def _texts(
    topic: Topic,
    level: tuple[str, str],
    org: OrganizationData,
    langs: list[str],
    rng: random.Random,
) -> dict[str, object]:
    outcomes_en, outcomes_fr = list(topic.outcomes_en), list(topic.outcomes_fr)
    count = rng.randint(2, len(outcomes_en))
    out: dict[str, object] = {}
    if "en" in langs:
        out["title_en"] = topic.en + level[0]
        out["description_en"] = (
            f"A short, assessed {topic.en.lower()} credential from {org.name('en')}. "
            f"You will: {'; '.join(o.lower() for o in outcomes_en[:count])}."
        )
    if "fr" in langs:
        out["title_fr"] = topic.fr + level[1]
        out["description_fr"] = (
            f"Un titre de compétences court et évalué, offert par {org.name('fr')}. "
            f"Vous apprendrez à : {' ; '.join(o.lower() for o in outcomes_fr[:count])}."
        )
    out["learning_outcomes"] = (outcomes_fr if langs[0] == "fr" else outcomes_en)[:count]
    return out


def listing(
    i: int, org: OrganizationData, city: str, rng: random.Random, ref: DemoReference
) -> ListingData:
    """The ``i``-th demo listing, offered by ``org``."""
    topic, level = rng.choice(TOPICS), rng.choice(_LEVELS)
    assert org.province is not None
    langs = _languages(org.province.value, rng)
    kind, institution = _kind(org.kind, rng), org.kind in _INSTITUTIONS
    hours = _hours(kind, rng)
    skills = []
    for name in rng.sample(topic.skills, k=min(len(topic.skills), rng.randint(2, 4))):
        scheme, code = ref.skill(name)
        skills.append(
            {
                "scheme": scheme,
                "id": code,
                "label": name,
                "proficiency": rng.choice(list(Proficiency)),
            }
        )
    nocs = [c for c in topic.nocs if ref.known_noc(c)]
    stacks = institution and rng.random() < 0.35
    return ListingData.model_validate(
        {
            "external_id": f"demo-{i:07d}",
            **_texts(topic, level, org, langs, rng),
            "kind": kind,
            "skills": skills,
            "hours": hours,
            "weeks": min(52, math.ceil(hours / rng.choice((3, 4, 5, 6, 8, 10)))),
            "assessment": {
                "type": rng.choice(list(AssessmentType)[:-1]),
                "summative": rng.random() < 0.85,
                "description": "Graded against a published rubric by a qualified assessor.",
            },
            "delivery_mode": _mode(org.kind, rng),
            "languages": langs,
            "province": org.province,
            "city": city,
            "cost_cad": _cost(org.kind, hours, rng),
            "cost_includes": "Tuition, learning materials and the digital credential",
            "start_dates": sorted(rng.sample(_INTAKES, k=rng.randint(1, 3))),
            "prerequisites": None
            if rng.random() < 0.6
            else "High school diploma or equivalent experience",
            "credits": Decimal(rng.choice((0.5, 1, 1.5, 3)))
            if institution and rng.random() < 0.4
            else None,
            "stacks_into": [f"Certificate in {topic.en} ({org.name('en')})"] if stacks else [],
            "credit_transfer": "Credits count toward the related diploma at the same institution"
            if stacks and rng.random() < 0.5
            else None,
            "industry_partners": rng.sample(PARTNERS, k=rng.randint(1, 2))
            if rng.random() < 0.3
            else [],
            "quality_assurance": "Approved through the institution's micro-credential quality assurance process"
            if institution
            else None,
            "target_nocs": rng.sample(nocs, k=rng.randint(1, min(3, len(nocs)))) if nocs else [],
            "cip_code": topic.cip if institution or rng.random() < 0.3 else None,
            "osap_eligible": org.province is Province.ON and institution and rng.random() < 0.5,
            "ctc_eligible": institution
            or (org.kind is OrganizationKind.PRIVATE_TRAINER and rng.random() < 0.4),
            "url": f"{org.website}listings/{i}",
            "status": ListingStatus.ACTIVE if rng.random() < 0.95 else ListingStatus.ARCHIVED,
        }
    )


def _listing_rng(seed: int, i: int) -> random.Random:
    # One stream per listing: listing i is the same however the work is split up.
    return random.Random(seed * 10_000_019 + i)


def _nth(
    i: int, orgs: list[tuple[OrganizationData, str]], seed: int, ref: DemoReference
) -> tuple[int, ListingData]:
    rng = _listing_rng(seed, i)
    index = i - 1 if i <= len(orgs) else rng.randrange(len(orgs))
    org, city = orgs[index]
    return index, listing(i, org, city, rng, ref)


def demo_providers(count: int, seed: int = DEFAULT_SEED) -> list[tuple[OrganizationData, str]]:
    """The providers (and their home cities) of a ``count``-listing demo catalogue."""
    return providers(provider_count(count), random.Random(seed))


def generate(
    count: int, *, seed: int = DEFAULT_SEED, reference: DemoReference | None = None
) -> Iterator[ImportRecord]:
    """Yield ``count`` demo records (same seed, same records), streaming for large counts."""
    ref = reference or DemoReference()
    orgs = demo_providers(count, seed)
    for i in range(1, count + 1):
        index, data = _nth(i, orgs, seed, ref)
        yield ImportRecord.of(i, orgs[index][0], data)


def digest_range(
    start: int, stop: int, count: int, seed: int, data_dir: str | None
) -> list[tuple[int, int, ListingDigest]]:
    """In a worker: (number, provider index, digest) for demo listings ``start``..``stop - 1``."""
    ref = load_reference(Path(data_dir) if data_dir else None)
    orgs = demo_providers(count, seed)
    out = []
    for i in range(start, stop):
        index, data = _nth(i, orgs, seed, ref)
        out.append((i, index, ListingDigest.of(data)))
    return out


def generate_in_processes(
    count: int, *, seed: int, data_dir: Path | None, workers: int, chunk: int = 5000
) -> Iterator[list[ImportRecord]]:
    """The same records as ``generate``, made ``chunk`` at a time in ``workers`` processes."""
    orgs = demo_providers(count, seed)
    jobs = (
        (start, min(start + chunk, count + 1), count, seed, str(data_dir) if data_dir else None)
        for start in range(1, count + 1, chunk)
    )
    for results in ordered_map(digest_range, jobs, workers=workers, preload=[__name__]):
        yield [ImportRecord(i, orgs[index][0], digest) for i, index, digest in results]
