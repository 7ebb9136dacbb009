"""A fast path for JSON-LD → RDF: expand a document's *shape* once, then fill in its values.

Credentials from one issuer share a shape: the same contexts, keys, types and nesting, with
different names, dates and identifiers. Expansion (pyld) costs ~10 ms and depends on the
shape, not on most values, so a document is turned into a template — each value that cannot
change how expansion goes is replaced by a token, equal values by the same token — whose
quads are computed once, cached, and have the tokens substituted back.

What stays in the template (and so in the cache key), because expansion depends on it:
contexts, keys, ``type``/``@type`` values, numbers, booleans and null, blank node labels,
and any string that could be a term or a compact IRI (a bare word, or ``prefix:…`` where
the prefix is a term some bundled context defines). What becomes a token: absolute IRIs
with an undefined scheme (token ``urn:mcph:N.``, also absolute) and other strings — text,
dates — (token ``\\ue000N\\ue001``, which no context can define). Documents with those private
characters, JSON literals or any error take the general path, which stays the reference:
``tests/credentials/test_fastpath.py`` checks both agree on thousands of generated
credentials.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from functools import cache
from typing import Any

from microcred.credentials import contexts
from microcred.credentials.rdfc import Quad, Term
from microcred.errors import InvalidInput

CACHE_SIZE = 512
RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
# An absolute IRI or blank node label, as pyld and jsonld.js test it (anything else in a
# subject or object position is dropped by pyld, and refused by us).
ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")
KEEP_KEYS = frozenset(
    {
        "@context",
        "type",
        "@type",
        "@language",
        "@direction",
        "@vocab",
        "@base",
        "@version",
        "@container",
    }
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_TERMLIKE = re.compile(r"^[A-Za-z_@][A-Za-z0-9_\-]*$")
_PRIVATE = re.compile("[\ue000\ue001]")
_TOKEN = re.compile("urn:mcph:(\\d+)\\.|\ue000(\\d+)\ue001")

_lock = threading.Lock()
_cache: OrderedDict[str, tuple[Quad, ...]] = OrderedDict()


def clear() -> int:
    """Forget every cached shape; how many there were."""
    with _lock:
        size = len(_cache)
        _cache.clear()
    return size


def cached() -> int:
    """How many shapes are cached."""
    return len(_cache)


@cache
def _terms() -> frozenset[str]:
    """Every term any bundled context defines (possible compact-IRI prefixes)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context" and isinstance(value, dict):
                    found.update(k for k in value if not k.startswith("@"))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for url in contexts.manifest():
        walk(contexts.load(url))
    return frozenset(found)


class _Template:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def token(self, value: str) -> str:
        index = self.values.setdefault(value, len(self.values))
        scheme = _SCHEME.match(value)
        if scheme and scheme.group(1) not in _terms():
            return f"urn:mcph:{index}."
        return f"\ue000{index}\ue001"

    def string(self, value: str) -> str:
        if _TERMLIKE.match(value) or value.startswith("_:"):
            return value
        scheme = _SCHEME.match(value)
        if scheme and scheme.group(1) in _terms():
            return value  # a compact IRI: its expansion depends on the prefix
        return self.token(value)

    def walk(self, node: Any, key: str | None = None) -> Any:
        if isinstance(node, dict):
            return {k: (v if k in KEEP_KEYS else self.walk(v, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [self.walk(v, key) for v in node]
        if isinstance(node, str):
            return self.string(node)
        return node


def to_quads(document: dict[str, Any], general: Any) -> list[Quad]:
    """The quads of ``document``, from the cache of shapes when possible; ``general`` is
    the general path (called for anything the fast path does not take)."""
    text = json.dumps(document, ensure_ascii=False)
    if _PRIVATE.search(text):
        return list(general(document))
    template = _Template()
    shape = template.walk(document)
    key = json.dumps(shape, sort_keys=True, ensure_ascii=False)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
    if found is None:
        try:
            found = tuple(general(shape))
        except InvalidInput:
            return list(general(document))  # the error names the real values
        if any(q[2][0] == "literal" and q[2][2] == RDF_JSON for q in found):
            return list(general(document))
        with _lock:
            _cache[key] = found
            if len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    values = list(template.values)
    try:
        return [_fill(q, values) for q in found]
    except _NotAnIri:
        return list(general(document))  # which refuses it, naming the value


def _fill(quad: Quad, values: list[str]) -> Quad:
    s, p, o, g = quad
    return (_term(s, values), p, _term(o, values), _term(g, values) if g else None)


class _NotAnIri(Exception):
    """A value filled into an IRI position is not an absolute IRI."""


def _term(term: Term, values: list[str]) -> Term:
    kind, value, datatype, language = term
    if "urn:mcph:" not in value and "\ue000" not in value:
        return term
    filled = _TOKEN.sub(lambda m: values[int(m.group(1) or m.group(2))], value)
    if kind == "iri" and not ABSOLUTE.match(filled):
        raise _NotAnIri(filled)
    return (kind, filled, datatype, language)
