"""JSON-LD documents to RDF quads, offline and refusing data loss.

Expansion is pyld's (JSON-LD 1.1), with the bundled contexts as the only documents it may
load. pyld silently drops properties whose terms no context defines; a signature over the
remaining quads would then vouch for less than the document shows, so such documents are
refused, naming the term (the reference implementation's "safe mode" does the same).
"""

from __future__ import annotations

import inspect
import re
import threading
from typing import Any

from cachetools import LRUCache
from pyld.context_resolver import ContextResolver
from pyld.jsonld import JsonLdError, JsonLdProcessor

from microcred.credentials import contexts, fastpath
from microcred.credentials.rdfc import Quad, Term, blank, iri, literal
from microcred.errors import InvalidInput, MicrocredError, Problem

_local = threading.local()
_KEYWORD_FORM = re.compile(r"^@[A-Za-z]+$")  # JSON-LD 1.1: reserved for future keywords
MAX_NODES = 20_000  # quads a credential may expand to (bounded work on hostile input)


class _Strict(JsonLdProcessor):  # type: ignore[misc]
    """pyld's processor, reporting each property it would drop."""

    def __init__(self) -> None:
        self.dropped: list[str] = []
        self.relative: list[str] = []
        self.reserved: list[str] = []
        super().__init__(on_property_dropped=self._dropped)

    def _expand_iri(self, active_ctx: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        # pyld turns an IRI in keyword form ("@A", not a JSON-LD keyword) into null and
        # goes on without it (then fails on the null); the reference's safe mode refuses it.
        expanded = super()._expand_iri(active_ctx, value, *args, **kwargs)
        if expanded is None and isinstance(value, str) and _KEYWORD_FORM.match(value):
            self.reserved.append(value)
        return expanded

    def _create_node_map(self, *args: Any, **kwargs: Any) -> Any:
        if self.reserved:  # refused after to_rdf; pyld would fail on the nulls it left
            return None
        return super()._create_node_map(*args, **kwargs)

    def _graph_to_rdf(self, graph: dict[str, Any], issuer: Any, options: Any) -> Any:
        # pyld skips triples whose subject, type or object is a relative IRI; the reference
        # implementation's safe mode refuses them, and so do we.
        for node_id, node in graph.items():
            if _relative(node_id):
                self.relative.append(f"@id {node_id}")
            for name, items in node.items():
                for item in items:
                    if name == "@type" and _relative(item):
                        self.relative.append(f"@type {item}")
                    elif isinstance(item, dict) and set(item) == {"@id"} and _relative(item["@id"]):
                        self.relative.append(f"@id {item['@id']}")
        return super()._graph_to_rdf(graph, issuer, options)

    def _dropped(self, expanded: str | None) -> None:
        caller = inspect.currentframe()
        key = caller.f_back.f_locals.get("key") if caller and caller.f_back else None
        self.dropped.append(str(key if key is not None else expanded))


def _term(node: dict[str, Any]) -> Term:
    kind, value = node["type"], node["value"]
    if kind == "IRI":
        return iri(value)
    if kind == "blank node":
        return blank(value.removeprefix("_:"))
    return literal(value, node.get("datatype") or "", node.get("language") or "")


def to_quads(document: dict[str, Any]) -> list[Quad]:
    """The RDF dataset a JSON-LD document denotes; InvalidInput when it cannot be read
    exactly (undefined terms, unknown contexts, invalid JSON-LD). Documents whose shape was
    seen before are filled in from the cache of shapes (``fastpath``)."""
    return fastpath.to_quads(document, to_quads_general)


def to_quads_general(document: dict[str, Any]) -> list[Quad]:
    """``to_quads`` by full JSON-LD expansion, every time (the reference for the fast path)."""
    processor = _Strict()
    # No base IRI: pyld would resolve relative IRIs against http://example.org/base/ (its
    # default for an empty base), where the reference leaves them relative and refuses them.
    options = {
        "documentLoader": contexts.document_loader,
        "base": None,
        "contextResolver": _resolver(),
    }
    try:
        dataset = processor.to_rdf(document, options)
    except JsonLdError as error:
        raise _explain(error) from None
    if processor.dropped:
        terms = ", ".join(sorted(set(processor.dropped)))
        message = f"terms no context defines would be lost: {terms}"
        raise InvalidInput(
            message,
            [
                Problem(t, "undefined term", "undefined_term")
                for t in sorted(set(processor.dropped))
            ],
        )
    if processor.reserved:
        found = sorted(set(processor.reserved))
        message = f"values in JSON-LD keyword form are reserved: {', '.join(found)}"
        raise InvalidInput(
            message, [Problem(r, "reserved value (@ and letters)", "reserved") for r in found]
        )
    if processor.relative:
        found = sorted(set(processor.relative))
        message = f"relative IRIs would be lost (define their terms): {', '.join(found)}"
        raise InvalidInput(
            message,
            [
                Problem(r.split(" ", 1)[0], f"relative IRI {r.split(' ', 1)[1]!r}", "relative_iri")
                for r in found
            ],
        )
    quads: list[Quad] = []
    for graph, triples in dataset.items():
        name = None if graph == "@default" else _graph(graph)
        for triple in triples:
            quads.append(
                (
                    _term(triple["subject"]),
                    _term(triple["predicate"]),
                    _term(triple["object"]),
                    name,
                )
            )
        if len(quads) > MAX_NODES:
            message = f"the document expands to more than {MAX_NODES:,} statements"
            raise InvalidInput(message, [Problem("document", message, code="too_large")])
    return quads


def _resolver() -> Any:
    """This thread's context resolver: pyld's shared caches are not thread-safe (web workers
    run requests on a thread pool), so each thread keeps its own."""
    found = getattr(_local, "resolver", None)
    if found is None:
        found = _local.resolver = ContextResolver(LRUCache(maxsize=100), contexts.document_loader)
    return found


def _relative(value: Any) -> bool:
    """Not an absolute IRI (or blank node): pyld drops such subjects and objects silently."""
    return isinstance(value, str) and not fastpath.ABSOLUTE.match(value)


def _graph(name: str) -> Term:
    return blank(name.removeprefix("_:")) if name.startswith("_:") else iri(name)


def _explain(error: JsonLdError) -> MicrocredError:
    cause: BaseException | None = error
    while cause is not None:  # an unknown context raised by our loader
        if isinstance(cause, MicrocredError):
            return cause
        details = getattr(cause, "details", None)
        inner = details.get("cause") if isinstance(details, dict) else None
        cause = inner if isinstance(inner, BaseException) else cause.__cause__
    message = f"not valid JSON-LD: {error}"
    return InvalidInput(message, [Problem("document", message, code="jsonld")])
