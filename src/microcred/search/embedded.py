"""The embedded search engine of SQLite installs: a tantivy index in a folder beside the
database (decision 0007). One process at a time applies the outbox (tantivy's writer lock);
every process reads."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import tantivy

from microcred.errors import ConfigurationError
from microcred.search.documents import SearchDocument
from microcred.search.model import COST_BUCKETS, COST_KEYS, Found, Hit, SearchRequest, Sort
from microcred.search.params import MODE_ALIASES
from microcred.search.query import ParsedQuery
from microcred.search.related import Related, fuse

SCHEMA_VERSION = "7"
MARKER = "microcred-schema"
EPOCH = date(1970, 1, 1)
_NONE = (None,)  # a stored field's values when the document has none
NO_START = 10**7  # days: listings without an intake sort last by start date
# Query words are searched over a listing's title, skill and occupation labels,
# description and provider name, indexed as one value list per language, each part
# repeated by its weight: BM25F with one length normalisation (a title match counts three
# times, a label twice). Values are analysed here, English parts with the English stemmer
# and French parts with the French, into "text_en" and "text_fr", and both into "text". A
# word whose English and French stems agree ("project", "management", "gestion": most)
# is one term in "text"; one whose stems differ is its English stem in "text_en" or its
# French stem in "text_fr", so that neither stemmer's reading matches the other language.
# Intersecting one posting list per word is several times cheaper than a union per word
# over per-part fields (six before): at a million listings "project management" took
# 13.6 ms over those, 4.5 ms over one field.
TEXT_FIELD = "text"
LANGUAGE_FIELDS = {"mc_en": "text_en", "mc_fr": "text_fr"}
TITLE_WEIGHT = 3
LABEL_WEIGHT = 2
FUZZY_FIELDS = ("names",)  # unstemmed titles and labels: typos are measured on real words
KEYWORDS = ("places", "mode", "languages", "kind", "provider", "provider_kind", "nocs", "skills")
SORT_FIELDS = {Sort.COST: "cost_cents", Sort.DURATION: "hours", Sort.START: "first_start"}
# Facets are counted over two keys per listing, each joining several facets' values: one
# aggregation walks every match again, and eight of them cost more than the search. The
# keys' values are few (a few hundred at most, however many listings) and are decoded into
# each facet's counts. Should a catalogue ever hold more than ``_KEYS_MOST`` distinct
# values, the counts are taken facet by facet instead.
_SINGLE_KEY = ("mode", "kind", "provider_kind", "osap", "ctc", "cost")  # one value each
_SETS_KEY = ("place", "language")  # a set each: "ON|online#en"
_KEYS_MOST = 10_000
# Filters naming a group of delivery modes ("online": both online modes) are one term in
# "mode_group" rather than a union of the modes' terms, which walks every listing of both.
MODE_GROUPS = {name: frozenset(modes) for name, modes in MODE_ALIASES.items() if len(modes) > 1}
_GROUP_OF = {modes: name for name, modes in MODE_GROUPS.items()}
_FACET_FIELDS = {
    "place": ("places", 20),
    "mode": ("mode", 10),
    "language": ("languages", 20),
    "kind": ("kind", 20),
    "provider_kind": ("provider_kind", 10),
    "osap": ("osap", 2),
    "ctc": ("ctc", 2),
}


def _analyzer(stemmer: str | None) -> tantivy.TextAnalyzer:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    if stemmer:
        builder = builder.filter(tantivy.Filter.stemmer(stemmer))
    return builder.build()


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in (TEXT_FIELD, *LANGUAGE_FIELDS.values()):
        b.add_text_field(name, tokenizer_name="mc_stems")
    for name in ("title_en", "title_fr"):  # shown, not searched
        b.add_text_field(name, stored=True, index_option="basic", tokenizer_name="raw")
    b.add_bytes_field("titles_folded", stored=True)  # which query words a hit's titles hold
    b.add_text_field("names", tokenizer_name="mc_fold")
    b.add_text_field("label_list", stored=True, index_option="basic", tokenizer_name="raw")
    b.add_text_field("provider_label", stored=True, index_option="basic", tokenizer_name="raw")
    for name in KEYWORDS:
        stored = name in ("places", "mode", "languages")  # what a result shows
        b.add_text_field(name, stored=stored, tokenizer_name="raw", fast=True)
    for name in ("osap", "ctc"):
        b.add_text_field(name, tokenizer_name="raw", fast=True)
    b.add_text_field("mode_group", index_option="basic", tokenizer_name="raw")
    b.add_text_field("single_key", tokenizer_name="raw", fast=True)
    b.add_text_field("sets_key", tokenizer_name="raw", fast=True)
    b.add_integer_field("cost_cents", stored=True, indexed=True, fast=True)
    b.add_float_field("hours", stored=True, indexed=True, fast=True)
    b.add_float_field("weeks", stored=True, indexed=True, fast=True)
    b.add_integer_field("starts", indexed=True, fast=True)
    b.add_integer_field("first_start", stored=True, indexed=True, fast=True)
    return b.build()


def _days(day: date) -> int:
    return (day - EPOCH).days


class EmbeddedIndex:
    """A tantivy index kept at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = _schema()
        self.analyzers = {
            "mc_en": _analyzer("english"),
            "mc_fr": _analyzer("french"),
            "mc_fold": _analyzer(None),
            "mc_stems": tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build(),
        }
        self.fresh = self._prepare()
        try:
            self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        except ValueError as error:
            raise ConfigurationError(f"cannot open the search index at {path}: {error}") from error
        for name, analyzer in self.analyzers.items():
            self.index.register_tokenizer(name, analyzer)
        self._writer: Any = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="search-facets")
        # Hits show which query words their titles and skill labels contain: labels come from
        # a finite vocabulary, so each is folded once, not once per hit.
        self._folded = lru_cache(maxsize=65_536)(self._fold)
        self._labels = lru_cache(maxsize=16_384)(self._fold_labels)
        self._slots_of = lru_cache(maxsize=16_384)(self._decode)  # the joined facet keys
        self._slot_of: dict[tuple[str, str], int] = {}
        self._slot_names: list[tuple[str, str]] = []
        self._slot_lock = threading.Lock()

    def _prepare(self) -> bool:
        """Make sure ``path`` holds an index of this schema version; True when this process
        had to create it (empty). Processes starting together race safely: each builds an
        empty index aside and renames it into place; the first rename wins."""
        if self._current():
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=self.path.name + ".new-", dir=self.path.parent))
        tantivy.Index(self.schema, path=str(fresh))
        (fresh / MARKER).write_text(SCHEMA_VERSION)
        if self.path.exists() and not self._current():  # another version: set it aside
            stale = Path(tempfile.mkdtemp(prefix=self.path.name + ".old-", dir=self.path.parent))
            with contextlib.suppress(OSError):
                self.path.rename(stale / "index")
            shutil.rmtree(stale, ignore_errors=True)
        try:
            fresh.rename(self.path)
        except OSError:  # another process put its index in place first
            shutil.rmtree(fresh, ignore_errors=True)
            return False
        return True

    def _current(self) -> bool:
        marker = self.path / MARKER
        return marker.exists() and marker.read_text().strip() == SCHEMA_VERSION

    # --- writing ---------------------------------------------------------------------------
    def begin(self, *, heap: int = 256_000_000) -> bool:
        """Take the writer; False when another process holds it (it is applying the outbox)."""
        try:
            self._writer = self.index.writer(heap, 1)
        except ValueError:
            return False
        return True

    def apply(self, documents: Sequence[SearchDocument], gone: Sequence[int]) -> None:
        writer = self._writer
        for listing_id in [*gone, *(d.id for d in documents)]:
            writer.delete_documents_by_term("id", listing_id)
        for document in documents:
            writer.add_document(self._document(document))

    def discard_all(self) -> None:
        """Drop every entry, in the writer's pending changes (gone at commit)."""
        self._writer.delete_all_documents()

    def commit(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.commit()
            writer.wait_merging_threads()
            self.index.reload()

    def abandon(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.rollback()

    def clear(self) -> None:
        if self.begin():
            self.discard_all()
            self.commit()

    def _stems(self, d: SearchDocument) -> tuple[list[str], list[str]]:
        """The English and the French values: each part's stems, repeated by its weight.
        Separate values, so that a phrase never spans two (tantivy leaves a gap)."""
        en, fr = (self.analyzers[name].analyze for name in LANGUAGE_FIELDS)
        english = [
            *[en(d.title_en)] * TITLE_WEIGHT,
            *[en(x) for x in d.labels] * LABEL_WEIGHT,
            en(d.body_en),
            en(d.provider_name),
        ]
        french = [*[fr(d.title_fr)] * TITLE_WEIGHT, fr(d.body_fr)]
        return (
            [" ".join(tokens) for tokens in english if tokens],
            [" ".join(tokens) for tokens in french if tokens],
        )

    def _document(self, d: SearchDocument) -> tantivy.Document:
        english, french = self._stems(d)
        fields: dict[str, Any] = {
            "id": d.id,
            "title_en": d.title_en,
            "title_fr": d.title_fr,
            "titles_folded": self._fold(f"{d.title_en} {d.title_fr}").encode(),
            TEXT_FIELD: english + french,
            "text_en": english,
            "text_fr": french,
            "names": " \n ".join([d.title_en, d.title_fr, *d.labels]),
            "label_list": list(d.labels),
            "provider_label": d.provider_name,
            **d.keywords(),
            "osap": "1" if d.osap else "0",
            "ctc": "1" if d.ctc else "0",
            "mode_group": [name for name, modes in MODE_GROUPS.items() if d.mode in modes],
            "single_key": _single_key(d),
            "sets_key": "#".join(("|".join(d.places), "|".join(d.languages))),
            "starts": [_days(s) for s in d.starts],
            "first_start": _days(d.first_start) if d.first_start else NO_START,
        }
        if d.weeks is not None:
            fields["weeks"] = d.weeks
        return tantivy.Document(**{k: v for k, v in fields.items() if v != []})

    # --- reading ---------------------------------------------------------------------------
    def search(
        self,
        request: SearchRequest,
        parsed: ParsedQuery,
        *,
        fuzzy: bool = False,
        related: Related | None = None,
    ) -> Found:
        # The reader follows commits by itself (tantivy reloads on commit, within a second
        # for other processes' commits; ``commit`` reloads at once for ours).
        searcher = self.index.searcher()
        text = self._fuzzy(parsed) if fuzzy else self._text(parsed)
        if related is not None:
            near = self._near(related, parsed)
            if request.sort is Sort.RELEVANCE:
                return self._blended(searcher, request, parsed, text, near, related)
            text = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, text), (tantivy.Occur.Should, near)]
            )
        query = self._with_filters(text, request)
        # With facets, the delivery-mode counts add up to the total: no separate count. They
        # are computed meanwhile on another thread (tantivy releases the GIL).
        count = not request.facets
        if request.facets:
            counting = self._pool.submit(self._facets, searcher, query)
        sort_field = SORT_FIELDS.get(request.sort)
        if sort_field:
            result = searcher.search(
                query,
                request.per_page,
                count=count,
                order_by_field=sort_field,
                offset=request.offset,
                order=tantivy.Order.Asc,
            )
        else:
            result = searcher.search(query, request.per_page, count=count, offset=request.offset)
        hits = [
            self._hit(searcher.doc(address), key, parsed, related) for key, address in result.hits
        ]
        if not request.facets:
            total: int = result.count  # type: ignore[attr-defined]  # missing from the stubs
            return hits, total, {}
        return hits, *self._counted(counting.result())

    @staticmethod
    def _counted(facets: dict[str, dict[str, int]]) -> tuple[int, dict[str, dict[str, int]]]:
        """The total (the delivery-mode counts add up to it) and the facets."""
        total = sum(facets["mode"].values())
        return total, facets if total else {}

    def _near(self, related: Related, parsed: ParsedQuery) -> tantivy.Query:
        """Listings aiming at the occupations or teaching their skills: the more skills,
        the higher (rarer skills weigh more); never one with an excluded word."""
        clauses = [
            (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "skills", code))
            for code in related.skills
        ]
        clauses += [
            (
                tantivy.Occur.Should,
                tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, "nocs", noc), 3.0),
            )
            for noc in related.nocs
        ]
        near = tantivy.Query.boolean_query(clauses)
        excluded = [q for q in map(self._word, parsed.excluded) if q is not None]
        if not excluded:
            return near
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, near)] + [(tantivy.Occur.MustNot, q) for q in excluded]
        )

    def _blended(
        self,
        searcher: tantivy.Searcher,
        request: SearchRequest,
        parsed: ParsedQuery,
        text: tantivy.Query,
        near: tantivy.Query,
        related: Related,
    ) -> Found:
        """The words' ranking and the occupation's, fused (RRF); counts over either."""
        either = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, text), (tantivy.Occur.Should, near)]
        )
        if request.facets:
            counting = self._pool.submit(
                self._facets, searcher, self._with_filters(either, request)
            )
        depth = request.offset + request.per_page
        addresses: dict[tuple[int, int], Any] = {}
        rankings = []
        for leg in (text, near):
            found = searcher.search(self._with_filters(leg, request), depth, count=False)
            ranking = []
            for _, address in found.hits:
                key = (address.segment_ord, address.doc)
                addresses[key] = address
                ranking.append(key)
            rankings.append(ranking)
        chosen = fuse(*rankings, depth=depth)[request.offset :]  # words, then near
        hits = [self._hit(searcher.doc(addresses[k]), 0.0, parsed, related) for k in chosen]
        if request.facets:
            return hits, *self._counted(counting.result())
        counted = searcher.search(self._with_filters(either, request), 1, count=True)
        return hits, counted.count, {}  # type: ignore[attr-defined]

    def _tokens(self, analyzer: str, text: str) -> list[str]:
        return list(self.analyzers[analyzer].analyze(text))

    def _either_language(
        self,
        text: str,
        make: Callable[[str, list[str]], tantivy.Query | None],
        analyzer: str | None = None,
    ) -> tantivy.Query | None:
        """``make(field, tokens)`` for ``text``'s stems: in "text" when the English and the
        French agree (or for ``analyzer``'s tokens), else for each language in its own field,
        the two matches' scores added (a plain union: cheaper to walk than a
        disjunction-max, p95 −13% at a million listings)."""
        if analyzer:
            return make(TEXT_FIELD, self._tokens(analyzer, text))
        readings = {field: self._tokens(name, text) for name, field in LANGUAGE_FIELDS.items()}
        english, french = readings.values()
        if english == french:
            return make(TEXT_FIELD, english)
        queries = [q for q in (make(f, tokens) for f, tokens in readings.items()) if q is not None]
        if len(queries) > 1:
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])
        return queries[0] if queries else None

    def _word(self, word: str) -> tantivy.Query | None:
        def term(field: str, tokens: list[str]) -> tantivy.Query | None:
            if len(tokens) != 1:
                return None
            return tantivy.Query.term_query(self.schema, field, tokens[0])

        return self._either_language(word, term)

    def _phrase(self, words: Sequence[str]) -> tantivy.Query | None:
        def phrase(field: str, tokens: list[str]) -> tantivy.Query | None:
            if len(tokens) < 2:
                return None
            sequence: list[str | tuple[int, str]] = list(tokens)
            return tantivy.Query.phrase_query(self.schema, field, sequence)

        return self._either_language(" ".join(words), phrase)

    def _prefix(self, prefix: str) -> tantivy.Query | None:
        def starting(field: str, tokens: list[str]) -> tantivy.Query | None:
            if len(tokens) != 1:
                return None
            start: list[str | tuple[int, str]] = list(tokens)
            return tantivy.Query.phrase_prefix_query(self.schema, field, start)

        return self._either_language(prefix, starting, analyzer="mc_fold")

    def _text(self, parsed: ParsedQuery) -> tantivy.Query:
        parts = [self._word(w) for w in parsed.terms]
        parts += [self._prefix(p) for p in parsed.prefixes]
        parts += [self._phrase(p) for p in parsed.phrases]
        clauses = [(tantivy.Occur.Must, q) for q in parts if q is not None]
        if not clauses:
            clauses = [(tantivy.Occur.Must, tantivy.Query.all_query())]
        for word in parsed.excluded:
            excluded = self._word(word)
            if excluded is not None:
                clauses.append((tantivy.Occur.MustNot, excluded))
        return tantivy.Query.boolean_query(clauses)

    def _fuzzy(self, parsed: ParsedQuery) -> tantivy.Query:
        clauses = []
        for word in parsed.terms:
            distance = 2 if len(word) >= 8 else 1
            alternatives = [
                tantivy.Query.fuzzy_term_query(self.schema, field, token, distance, True, False)
                for field in FUZZY_FIELDS
                for token in self._tokens("mc_fold", word)[:1]
            ]
            if alternatives:
                clauses.append(
                    (
                        tantivy.Occur.Must,
                        tantivy.Query.boolean_query(
                            [(tantivy.Occur.Should, q) for q in alternatives]
                        ),
                    )
                )
        return tantivy.Query.boolean_query(clauses) if clauses else tantivy.Query.empty_query()

    def _with_filters(self, text: tantivy.Query, request: SearchRequest) -> tantivy.Query:
        f = request.filters
        schema = self.schema
        conditions = []
        for field, values in f.keywords().items():
            group = _GROUP_OF.get(frozenset(values)) if field == "mode" else None
            if group:
                conditions.append(tantivy.Query.term_query(schema, "mode_group", group))
            elif values:
                conditions.append(_any_of(schema, field, values))
        for field, value in (("osap", f.osap), ("ctc", f.ctc)):
            if value is not None:
                conditions.append(tantivy.Query.term_query(schema, field, "1" if value else "0"))
        integer, real = tantivy.FieldType.Integer, tantivy.FieldType.Float
        if f.cost_min is not None or f.cost_max is not None:
            low = round(f.cost_min * 100) if f.cost_min is not None else None
            high = round(f.cost_max * 100) if f.cost_max is not None else None
            conditions.append(tantivy.Query.range_query(schema, "cost_cents", integer, low, high))
        if f.hours_min is not None or f.hours_max is not None:
            conditions.append(
                tantivy.Query.range_query(schema, "hours", real, f.hours_min, f.hours_max)
            )
        if f.weeks_max is not None:
            conditions.append(tantivy.Query.range_query(schema, "weeks", real, None, f.weeks_max))
        if f.starts_after is not None:
            first = _days(f.starts_after)
            conditions.append(tantivy.Query.range_query(schema, "starts", integer, first, None))
        if not conditions:
            return text
        clauses = [(tantivy.Occur.Must, text)] + [
            (tantivy.Occur.Must, tantivy.Query.const_score_query(c, 0.0)) for c in conditions
        ]
        return tantivy.Query.boolean_query(clauses)

    def _facets(
        self, searcher: tantivy.Searcher, query: tantivy.Query
    ) -> dict[str, dict[str, int]]:
        spec = {
            name: {"terms": {"field": name, "size": _KEYS_MOST}}
            for name in ("single_key", "sets_key")
        }
        found = searcher.aggregate(query, spec)
        if any(found[name].get("sum_other_doc_count", 0) for name in spec):
            return self._facets_one_by_one(searcher, query)  # too many distinct keys
        # Each key stands for numbered (facet, value) slots, counted in a list: adding to
        # dict entries keyed by tuples (hashed anew each time) took 190 µs a query.
        decoded = [
            (self._slots_of(bucket["key"]), bucket["doc_count"])
            for name in spec
            for bucket in found[name]["buckets"]
        ]
        counts = [0] * len(self._slot_names)
        for slots, number in decoded:
            for slot in slots:
                counts[slot] += number
        out: dict[str, dict[str, int]] = {f: {} for f in (*_SINGLE_KEY, *_SETS_KEY)}
        for (facet, value), number in zip(self._slot_names, counts, strict=False):
            if number:
                out[facet][value] = int(number)
        _flags(out)
        out["cost"] = {key: out["cost"].get(key, 0) for key in COST_KEYS}
        return out

    def _decode(self, key: str) -> tuple[int, ...]:
        """A joined key's (facet, value) slots (``_SETS_KEY`` keys hold a "#"), numbered on
        first sight."""
        if "#" in key:
            sets = zip(_SETS_KEY, key.split("#"), strict=True)
            pairs = [(facet, v) for facet, values in sets for v in values.split("|") if v]
        else:
            pairs = [(f, v) for f, v in zip(_SINGLE_KEY, key.split("|"), strict=True) if v]
        with self._slot_lock:
            for pair in pairs:
                if pair not in self._slot_of:
                    self._slot_of[pair] = len(self._slot_names)
                    self._slot_names.append(pair)
            return tuple(self._slot_of[pair] for pair in pairs)

    def _facets_one_by_one(
        self, searcher: tantivy.Searcher, query: tantivy.Query
    ) -> dict[str, dict[str, int]]:
        spec: dict[str, Any] = {
            name: {"terms": {"field": field, "size": size}}
            for name, (field, size) in _FACET_FIELDS.items()
        }
        ranges: list[dict[str, float]] = []
        for low, high in zip(_COST_BOUNDS, [*_COST_BOUNDS[1:], None], strict=True):
            ranges.append({"from": low, "to": high} if high is not None else {"from": low})
        spec["cost"] = {"range": {"field": "cost_cents", "ranges": ranges}}
        found = searcher.aggregate(query, spec)
        out = {
            name: {str(b["key"]): int(b["doc_count"]) for b in found[name]["buckets"]}
            for name in _FACET_FIELDS
        }
        _flags(out)
        # tantivy adds open buckets below the first bound: keep ours, found by lower bound.
        counts = {b.get("from"): int(b["doc_count"]) for b in found["cost"]["buckets"]}
        out["cost"] = {
            k: counts.get(low, 0) for k, low in zip(COST_KEYS, _COST_BOUNDS, strict=True)
        }
        return out

    def _fold(self, text: str) -> str:
        return text.casefold() if text.isascii() else " ".join(self._tokens("mc_fold", text))

    def _fold_labels(self, labels: tuple[str, ...]) -> tuple[str, list[int]]:
        """The folded labels joined by newlines, and where each starts."""
        folded = [self._folded(x) for x in labels]
        starts, at = [], 0
        for text in folded:
            starts.append(at)
            at += len(text) + 1
        return "\n".join(folded), starts

    def _hit(
        self, doc: tantivy.Document, key: Any, parsed: ParsedQuery, related: Related | None = None
    ) -> Hit:
        values = doc.to_dict()
        get = values.get
        title_en, title_fr = get("title_en", _NONE)[0], get("title_fr", _NONE)[0]
        words = parsed.words
        start = get("first_start", _NONE)[0]
        matched_terms: tuple[str, ...] = ()
        matched_skills: tuple[str, ...] = ()
        labels = tuple(get("label_list", ()))
        if words:
            folded = get("titles_folded", (b"",))[0].decode()  # folded when indexed
            matched_terms = tuple(w for w in words if w in folded)
            joined, starts = self._labels(labels)
            present = [w for w in words if w in joined]  # often none: a title match
            if present:
                matched_skills = _labels_with(labels, joined, starts, present)
        if related is not None:
            named = [x for x in labels if x in related.labels]
            matched_skills = tuple(dict.fromkeys([*matched_skills, *named]))[:5]
        return Hit(
            id=int(values["id"][0]),
            score=float(key) if isinstance(key, float) else 0.0,
            title_en=title_en or None,
            title_fr=title_fr or None,
            provider=get("provider_label", _NONE)[0] or "",
            cost_cents=int(values["cost_cents"][0]),
            hours=float(values["hours"][0]),
            weeks=get("weeks", _NONE)[0],
            mode=get("mode", _NONE)[0] or "",
            places=tuple(get("places", ())),
            languages=tuple(get("languages", ())),
            first_start=EPOCH + timedelta(days=start) if start and start != NO_START else None,
            matched_terms=matched_terms,
            matched_skills=matched_skills,
        )


def _any_of(schema: tantivy.Schema, field: str, values: Iterable[str]) -> tantivy.Query:
    """A filter on a keyword field. Term queries rather than ``term_set_query``: that one
    builds a bitset of every matching listing on each search ("ON" is a third of the
    catalogue), where a term's postings are skipped through in step with the words."""
    terms = [tantivy.Query.term_query(schema, field, v) for v in values]
    if len(terms) == 1:
        return terms[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, t) for t in terms])


def _flags(counts: dict[str, dict[str, int]]) -> None:
    """The yes/no facets' counts, keyed "true"/"false" rather than as indexed ("1"/"0")."""
    for flag in ("osap", "ctc"):
        counts[flag] = {"true": counts[flag].get("1", 0), "false": counts[flag].get("0", 0)}


def _single_key(d: SearchDocument) -> str:
    """The listing's single-valued facet values, joined (``_SINGLE_KEY`` order)."""
    bucket = COST_KEYS[bisect_right(_COST_BOUNDS, d.cost_cents) - 1]
    flags = ("1" if d.osap else "0", "1" if d.ctc else "0")
    return "|".join((d.mode, d.kind, d.provider_kind, *flags, bucket))


_COST_BOUNDS = [b * 100 for b in COST_BUCKETS]


def _labels_with(
    labels: tuple[str, ...], joined: str, starts: list[int], words: list[str], most: int = 5
) -> tuple[str, ...]:
    """The first ``most`` labels containing one of ``words``, found by scanning ``joined``
    (the folded labels) once per word rather than every label for every word."""
    found: set[int] = set()
    for word in words:
        at = joined.find(word)
        while at != -1:
            index = bisect_right(starts, at) - 1
            found.add(index)
            at = joined.find(word, starts[index + 1] if index + 1 < len(starts) else len(joined))
    return tuple(labels[i] for i in sorted(found)[:most])
