"""Revocation and suspension with W3C Bitstring Status List v1.0.

A list is a bitstring of 131,072 entries (§ 4: the minimum, for herd privacy); bit i counts
from the left of the first byte. It is published GZIP-compressed and multibase base64url
encoded (``u`` prefix, no padding) in a signed BitstringStatusListCredential (§ 2.2).
Indices are handed out in a fixed odd-multiplier permutation of 0…size−1: every index once,
never in issuance order (so neighbouring credentials do not sit side by side), and the
unique (list, index) constraint makes a collision impossible even under concurrent issuance.
"""

from __future__ import annotations

import base64
import gzip
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from microcred.errors import InvalidInput, NotFound, Problem
from microcred.store.schema import status_lists

SIZE = 131_072  # 2**17 entries, 16 KiB
STRIDE = 40_503  # odd, so i ↦ (i·STRIDE + OFFSET) mod 2**17 is a permutation
OFFSET = 7_919
PURPOSES = ("revocation", "suspension")


def encode(bits: bytes) -> str:
    """§ 3.1 Generate Algorithm: GZIP, then multibase base64url without padding."""
    packed = gzip.compress(bits, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode(encoded: str, *, max_bytes: int = 2**24) -> bytes:
    """§ 3.2 Expand Algorithm; InvalidInput for anything but a multibase base64url GZIP."""
    if not encoded.startswith("u"):
        raise _bad("encodedList must be multibase base64url (a 'u' prefix)")
    try:
        packed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
        with gzip.GzipFile(fileobj=io.BytesIO(packed)) as f:
            bits = f.read(max_bytes + 1)
    except (ValueError, OSError, EOFError):
        raise _bad("encodedList is not GZIP data in base64url") from None
    if len(bits) > max_bytes:
        raise _bad("encodedList expands beyond the largest list accepted")
    return bits


def _bad(message: str) -> InvalidInput:
    return InvalidInput(message, [Problem("credentialStatus", message, code="status_list")])


def bit(bits: bytes, index: int) -> bool:
    """Whether entry ``index`` is set."""
    if not 0 <= index < len(bits) * 8:
        raise _bad(f"statusListIndex {index} is outside the list ({len(bits) * 8} entries)")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def with_bit(bits: bytes, index: int, value: bool) -> bytes:
    """``bits`` with entry ``index`` set or cleared."""
    out = bytearray(bits)
    mask = 0x80 >> (index % 8)
    out[index // 8] = out[index // 8] | mask if value else out[index // 8] & ~mask
    return bytes(out)


def permuted(position: int) -> int:
    """The index given out ``position``-th."""
    return (position * STRIDE + OFFSET) % SIZE


@dataclass(frozen=True)
class Slot:
    list_id: int
    index: int


def allocate(conn: Connection, organization_id: int, purpose: str) -> Slot:
    """The next free entry of the provider's list for ``purpose`` (a new list when full),
    inside the caller's write transaction."""
    t = status_lists
    for _ in range(2):
        current = conn.execute(
            select(t.c.id)
            .where(
                t.c.organization_id == organization_id,
                t.c.purpose == purpose,
                t.c.allocated < t.c.size,
            )
            .order_by(t.c.id)
            .limit(1)
        ).scalar()
        if current is None:
            now = datetime.now(UTC)
            current = conn.execute(
                t.insert()
                .values(
                    organization_id=organization_id,
                    purpose=purpose,
                    size=SIZE,
                    allocated=0,
                    bits=bytes(SIZE // 8),
                    created_at=now,
                    updated_at=now,
                )
                .returning(t.c.id)
            ).scalar_one()
        position = conn.execute(
            update(t)
            .where(t.c.id == current, t.c.allocated < t.c.size)
            .values(allocated=t.c.allocated + 1)
            .returning(t.c.allocated)
        ).scalar()
        if position is not None:
            return Slot(int(current), permuted(int(position) - 1))
    raise RuntimeError("could not allocate a status list entry")


def set_entry(conn: Connection, slot: Slot, value: bool) -> None:
    """Set or clear one entry, inside the caller's write transaction."""
    t = status_lists
    query = select(t.c.bits).where(t.c.id == slot.list_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    bits = conn.execute(query).scalar_one()
    conn.execute(
        update(t)
        .where(t.c.id == slot.list_id)
        .values(bits=with_bit(bytes(bits), slot.index, value), updated_at=datetime.now(UTC))
    )


@dataclass(frozen=True)
class StatusList:
    id: int
    organization_id: int
    purpose: str
    bits: bytes
    updated_at: datetime


def get(conn: Connection, list_id: int) -> StatusList:
    """One list; NotFound when there is none."""
    t = status_lists
    row = conn.execute(select(t).where(t.c.id == list_id)).one_or_none()
    if row is None:
        raise NotFound(f"no status list {list_id}")
    return StatusList(row.id, row.organization_id, row.purpose, bytes(row.bits), row.updated_at)


def entry(base_url: str, slot: Slot, purpose: str) -> dict[str, Any]:
    """The ``credentialStatus`` entry of an issued credential (§ 2.1)."""
    url = list_url(base_url, slot.list_id)
    return {
        "id": f"{url}#{slot.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(slot.index),
        "statusListCredential": url,
    }


def list_url(base_url: str, list_id: int) -> str:
    return f"{base_url.rstrip('/')}/credentials/status/{list_id}"


def list_credential(base_url: str, found: StatusList, issuer: str) -> dict[str, Any]:
    """The unsigned BitstringStatusListCredential for one of our lists (§ 2.2)."""
    return list_document(
        list_url(base_url, found.id), issuer, found.purpose, found.bits, found.updated_at
    )


def list_document(
    url: str, issuer: str, purpose: str, bits: bytes, updated: datetime | None = None
) -> dict[str, Any]:
    """An unsigned BitstringStatusListCredential published at ``url``."""
    moment = (updated or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": moment.isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode(bits),
        },
    }
