"""RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation, 21 May 2024).

https://www.w3.org/TR/rdf-canon/ — section numbers below refer to it.

Two choices follow the reference implementation (jsonld.js / rdf-canonize) where it and a
literal reading could differ, since a signature must verify on both sides:
- canonical N-Quads lines are sorted by UTF-16 code units (JavaScript's string order),
  which differs from code-point order only for characters above U+FFFF;
- literals escape control characters as RDF 1.2 canonical N-Quads does (§ 4.6 refers to it).

Poison graphs (§ 4.8, "Hash N-Degree Quads" can take exponential time) are refused once
the number of deep iterations exceeds a bound that grows with the dataset's size.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from microcred.errors import InvalidInput, Problem

Term = tuple[str, str, str, str]  # (kind, value, datatype, language); kind: iri|blank|literal
Quad = tuple[Term, Term, Term, Term | None]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
MAX_DEEP_ITERATIONS_PER_NODE = 64  # see _Canonicalizer.deep


class PoisonGraph(InvalidInput):
    """The dataset needs more work to canonicalize than a legitimate document would."""


def iri(value: str) -> Term:
    return ("iri", value, "", "")


def blank(value: str) -> Term:
    return ("blank", value, "", "")


def literal(value: str, datatype: str = XSD_STRING, language: str = "") -> Term:
    return ("literal", value, RDF_LANG_STRING if language else datatype, language)


# -- N-Quads ---------------------------------------------------------------------------

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match.group()
        return _ESCAPES.get(char) or f"\\u{ord(char):04X}"

    return _NEEDS_ESCAPE.sub(one, text)


def term_nquads(term: Term) -> str:
    """One term in canonical N-Quads form."""
    kind, value, datatype, language = term
    if kind == "iri":
        return f"<{value}>"
    if kind == "blank":
        return f"_:{value}"
    text = f'"{_escape(value)}"'
    if language:
        return f"{text}@{language}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^<{datatype}>"
    return text


def quad_nquads(quad: Quad) -> str:
    """One quad as a canonical N-Quads line (with its newline)."""
    s, p, o, g = quad
    graph = f" {term_nquads(g)}" if g is not None else ""
    return f"{term_nquads(s)} {term_nquads(p)} {term_nquads(o)}{graph} .\n"


_TERM = (
    r"<(?P<{n}iri>[^>]*)>|_:(?P<{n}blank>[A-Za-z0-9_\-.:]+)"
    r'|"(?P<{n}lit>(?:[^"\\]|\\.)*)"(?:\^\^<(?P<{n}dt>[^>]*)>|@(?P<{n}lang>[A-Za-z0-9\-]+))?'
)
_LINE = re.compile(
    r"^\s*(?:"
    + _TERM.format(n="s")
    + r")\s*(?:"
    + _TERM.format(n="p")
    + r")\s*(?:"
    + _TERM.format(n="o")
    + r")\s*(?:(?:"
    + _TERM.format(n="g")
    + r")\s*)?\.\s*(?:#.*)?$"
)
_UNESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([tbnrf"\'\\]))')
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _SIMPLE[match.group(3)]

    return _UNESCAPE.sub(one, text)


def _term(match: re.Match[str], n: str) -> Term | None:
    if match.group(f"{n}iri") is not None:
        return iri(_unescape(match.group(f"{n}iri")))
    if match.group(f"{n}blank") is not None:
        return blank(match.group(f"{n}blank"))
    if match.group(f"{n}lit") is not None:
        value = _unescape(match.group(f"{n}lit"))
        language = match.group(f"{n}lang") or ""
        datatype = _unescape(match.group(f"{n}dt") or XSD_STRING)
        return literal(value, datatype, language.lower())
    return None


def parse_nquads(text: str) -> list[Quad]:
    """Quads from N-Quads text; InvalidInput names the first bad line."""
    quads: list[Quad] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        s, p, o, g = (_term(match, n) for n in "spog") if match else (None,) * 4
        if s is None or p is None or o is None:
            message = f"line {number} is not an N-Quads statement"
            raise InvalidInput(message, [Problem("nquads", message, line=number)])
        quads.append((s, p, o, g))
    return quads


def utf16_order(line: str) -> bytes:
    """Sort key matching JavaScript's string comparison (UTF-16 code units)."""
    return line.encode("utf-16-be", "surrogatepass")


# -- the algorithm (§ 4) ---------------------------------------------------------------


@dataclass
class IdentifierIssuer:
    """§ 4.5: issues c14n0, c14n1, … (or b0, b1, … for temporary issuers) in order."""

    prefix: str
    issued: dict[str, str] = field(default_factory=dict)

    def issue(self, existing: str) -> str:
        found = self.issued.get(existing)
        if found is None:
            found = self.issued[existing] = f"{self.prefix}{len(self.issued)}"
        return found

    def copy(self) -> IdentifierIssuer:
        return IdentifierIssuer(self.prefix, dict(self.issued))


class _Canonicalizer:
    def __init__(self, quads: list[Quad], hasher: Callable[[bytes], str]) -> None:
        self.quads = quads = list(dict.fromkeys(quads))  # a dataset is a set of quads
        self.hash = hasher
        self.canonical = IdentifierIssuer("c14n")
        self.blank_quads: dict[str, list[Quad]] = defaultdict(list)
        for quad in quads:
            for term in quad[0], quad[2], quad[3]:
                if term is not None and term[0] == "blank":
                    bucket = self.blank_quads[term[1]]
                    if not bucket or bucket[-1] is not quad:
                        bucket.append(quad)
        self.first_degree: dict[str, str] = {}
        # The bound on deep iterations (§ 4.4.2: implementations should limit them).
        self.deep_left = MAX_DEEP_ITERATIONS_PER_NODE * max(1, len(self.blank_quads))

    def hash_first_degree(self, identifier: str) -> str:
        """§ 4.6: the quads of a blank node, itself as _:a and others as _:z."""
        found = self.first_degree.get(identifier)
        if found is not None:
            return found

        def rename(term: Term | None) -> Term | None:
            if term is None or term[0] != "blank":
                return term
            return blank("a" if term[1] == identifier else "z")

        lines = sorted(
            (
                quad_nquads((rename(q[0]), q[1], rename(q[2]), rename(q[3])))  # type: ignore[arg-type]
                for q in self.blank_quads[identifier]
            ),
            key=utf16_order,
        )
        found = self.first_degree[identifier] = self.hash("".join(lines).encode())
        return found

    def hash_related(
        self, related: str, quad: Quad, issuer: IdentifierIssuer, position: str
    ) -> str:
        """§ 4.7."""
        if related in self.canonical.issued:
            identifier = "_:" + self.canonical.issued[related]
        elif related in issuer.issued:
            identifier = "_:" + issuer.issued[related]
        else:
            identifier = self.hash_first_degree(related)
        data = position
        if position != "g":
            data += term_nquads(quad[1])
        return self.hash((data + identifier).encode())

    def hash_n_degree(
        self, identifier: str, issuer: IdentifierIssuer
    ) -> tuple[str, IdentifierIssuer]:
        """§ 4.8."""
        self.deep_left -= 1
        if self.deep_left < 0:
            message = "the graph needs too much work to canonicalize (a poison graph)"
            raise PoisonGraph(message, [Problem("document", message, code="poison_graph")])
        related_hashes: dict[str, list[str]] = defaultdict(list)
        for quad in self.blank_quads[identifier]:
            for term, position in ((quad[0], "s"), (quad[2], "o"), (quad[3], "g")):
                if term is not None and term[0] == "blank" and term[1] != identifier:
                    related_hashes[self.hash_related(term[1], quad, issuer, position)].append(
                        term[1]
                    )
        data = ""
        for related_hash in sorted(related_hashes):
            data += related_hash
            chosen_path, chosen_issuer = "", issuer
            for permutation in itertools.permutations(related_hashes[related_hash]):
                result = self._path(permutation, issuer, chosen_path)
                if result is not None and (not chosen_path or result[0] < chosen_path):
                    chosen_path, chosen_issuer = result
            data += chosen_path
            issuer = chosen_issuer
        return self.hash(data.encode()), issuer

    def _path(
        self, permutation: Iterable[str], issuer: IdentifierIssuer, chosen: str
    ) -> tuple[str, IdentifierIssuer] | None:
        """§ 4.8.3 steps 5.4.1–5.4.5: one permutation's path, or None once it cannot win."""
        copy = issuer.copy()
        path = ""
        recursion = []
        for related in permutation:
            if related in self.canonical.issued:
                path += "_:" + self.canonical.issued[related]
            else:
                if related not in copy.issued:
                    recursion.append(related)
                path += "_:" + copy.issue(related)
            if chosen and len(path) >= len(chosen) and path > chosen:
                return None
        for related in recursion:
            result_hash, copy = self.hash_n_degree(related, copy)
            path += "_:" + copy.issue(related) + "<" + result_hash + ">"
            if chosen and len(path) >= len(chosen) and path > chosen:
                return None
        return path, copy

    def run(self) -> dict[str, str]:
        """§ 4.4: the canonical identifier of each blank node."""
        by_hash: dict[str, list[str]] = defaultdict(list)
        for identifier in self.blank_quads:
            by_hash[self.hash_first_degree(identifier)].append(identifier)
        shared = []
        for hash_ in sorted(by_hash):
            nodes = by_hash[hash_]
            if len(nodes) > 1:
                shared.append(hash_)
            else:
                self.canonical.issue(nodes[0])
        for hash_ in shared:
            results = []
            for identifier in by_hash[hash_]:
                if identifier in self.canonical.issued:
                    continue
                temporary = IdentifierIssuer("b")
                temporary.issue(identifier)
                results.append(self.hash_n_degree(identifier, temporary))
            for _, issuer in sorted(results, key=lambda r: r[0]):
                for existing in issuer.issued:
                    self.canonical.issue(existing)
        return dict(self.canonical.issued)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_labels(quads: list[Quad], *, algorithm: str = "sha256") -> dict[str, str]:
    """The issued identifiers map (§ 4.4): input blank node label → c14nN."""
    hasher = _sha256 if algorithm == "sha256" else (lambda d: hashlib.new(algorithm, d).hexdigest())
    return _Canonicalizer(quads, hasher).run()


def canonicalize(quads: list[Quad], *, algorithm: str = "sha256") -> str:
    """The canonical N-Quads document of a dataset (§ 4.4 step 5)."""
    labels = canonical_labels(quads, algorithm=algorithm)

    def relabel(term: Term | None) -> Term | None:
        if term is None or term[0] != "blank":
            return term
        return blank(labels[term[1]])

    lines = {
        quad_nquads((relabel(q[0]), q[1], relabel(q[2]), relabel(q[3])))  # type: ignore[arg-type]
        for q in quads
    }
    return "".join(sorted(lines, key=utf16_order))


def canonicalize_nquads(text: str, *, algorithm: str = "sha256") -> str:
    """Parse N-Quads text and canonicalize it."""
    return canonicalize(parse_nquads(text), algorithm=algorithm)
