"""``Skills``: the engine's entry point (``mc.skills``).

Matchers are built on first use from the active reference data and kept per process,
keyed by the ids of the loads they were built from: a reload is picked up at the next
query. Building takes a few seconds (``microcred skills index`` does it ahead of time and,
with the semantic extra, stores the label embeddings).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from microcred.errors import InvalidInput, NotFound, Problem
from microcred.reference import active
from microcred.skills import cache, corpus, network, rerank, semantic, tuned, wordvectors
from microcred.skills.language import TitleLanguage
from microcred.skills.lexical import MEANING_WEIGHT
from microcred.skills.matchers import Match, SkillMatcher, TitleMatcher
from microcred.skills.profiles import GapItem, Profiles
from microcred.skills.text import MAX_TITLE, check_text, sentences
from microcred.store.engine import Store

MIN_TITLE_SCORE = 0.1  # below this, "no confident match"
MODEL_MIN = 2_000  # examples from which titles are scored by a trained model
# NOC's 516 unit groups train in about two minutes; ESCO's 3,000 occupations keep the
# neighbour vote (a model for them was never measured: the evaluation is on NOC).
MODEL_TAXONOMIES = ("noc",)
COUNTERPARTS = {"noc": ("onet",)}  # optional data a taxonomy's second stage also reads
log = logging.getLogger(__name__)
MIN_SKILL_SCORE = 0.2
PER_SENTENCE = 10
FUZZY_SENTENCES = 30  # typo correction for short texts only (bounded time on long ones)
Progress = Callable[[str, int, int], None]


@dataclass
class Extraction:
    """Skills found in a text, best first, with the sentences that gave each."""

    skills: list[Match]
    sentences: int
    evidence: dict[str, list[str]] = field(default_factory=dict)


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        message = f"unknown {what} {value!r}: use one of {', '.join(allowed)}"
        raise InvalidInput(message, [Problem(what, message)])
    return value


class Skills:
    """Occupation matching, skill extraction, profiles, similarity and gaps."""

    def __init__(self, store: Store, *, semantic_mode: bool | None = None) -> None:
        self.store = store
        # Train a missing title model on a thread (long-lived processes: web workers), or
        # not at all (one-off commands, which would end before it does: ``untrained``).
        self.background = True
        self._semantic = semantic.available() if semantic_mode is None else semantic_mode
        self._lock = threading.Lock()
        self._titles: dict[tuple[str, tuple[int, ...]], TitleMatcher] = {}
        self._skills: dict[tuple[str, tuple[int, ...]], SkillMatcher] = {}
        self._profiles: tuple[tuple[int, ...], Profiles] | None = None
        self._units: tuple[tuple[int, ...], dict[str, corpus.Concept]] | None = None
        self.model_min = MODEL_MIN  # fewer examples: nearest neighbours (and centroids)
        self.rerank_min = rerank.MIN_QUERIES  # fewer example titles: no second stage
        self._training: list[threading.Thread] = []
        self.trained: list[str] = []  # the title models this engine trained (not read)
        self.untrained: list[str] = []  # missing, and not trained (``background`` off)
        self._claims: dict[str, str] = {}  # training claims held now: name → token
        self.claim_poll = 10.0  # seconds between looks at another process's training

    @property
    def semantic(self) -> bool:
        return self._semantic

    def _key(self, datasets: tuple[str, ...]) -> tuple[int, ...]:
        with self.store.read() as conn:
            loads = active.load_ids(conn)
        return tuple(loads.get(d, 0) for d in datasets)

    # -- building ----------------------------------------------------------------------

    def title_matcher(
        self,
        taxonomy: str = "noc",
        *,
        keep: Callable[[corpus.Example], bool] | None = None,
        progress: Progress | None = None,
        wait: bool = False,
    ) -> TitleMatcher:
        """The matcher for ``taxonomy`` (cached), or a one-off one indexing only ``keep``.

        A title model not trained yet for this reference data is trained now if ``wait`` or
        ``keep`` is given, else in the background if ``background`` is on, else not at all
        (``untrained``); meanwhile the neighbour vote answers."""
        _choice(taxonomy, tuple(corpus.TAXONOMIES), "taxonomy")
        key = (taxonomy, self._key(corpus.TAXONOMIES[taxonomy] + COUNTERPARTS.get(taxonomy, ())))
        if keep is None and key in self._titles:
            return self._titles[key]
        with self._lock:
            if keep is None and key in self._titles:
                return self._titles[key]
            with self.store.read() as conn:
                examples = list(corpus.occupation_examples(conn, taxonomy, keep))
                concepts = corpus.occupation_concepts(conn, taxonomy)
                described = taxonomy in MODEL_TAXONOMIES
                descriptions = (
                    corpus.occupation_descriptions(conn, taxonomy, concepts) if described else {}
                )
                counterparts = corpus.counterpart_titles(conn) if described else []
                # with embeddings, the fine-tuned model's say depends on the title's language
                languages = corpus.titles_in_languages(conn) if described and self._semantic else []
            words = self._word_vectors(progress) if described else None
            vectors = None
            if self._semantic:
                texts = [e.text for e in examples]
                vectors = semantic.cached_vectors(
                    self.store,
                    f"titles:{taxonomy}" + (":subset" if keep else ""),
                    texts,
                    (lambda done, total: progress(f"{taxonomy} titles", done, total))
                    if progress
                    else None,
                )
            language = TitleLanguage(languages) if languages else None
            matcher = TitleMatcher(
                examples, concepts, vectors, descriptions, counterparts, words, language
            )
            if taxonomy in MODEL_TAXONOMIES and len(examples) >= self.model_min:
                name = f"model:{taxonomy}-titles" + (":subset" if keep else "")
                label = f"{taxonomy} title model"
                self._attach_model(
                    name,
                    examples,
                    matcher,
                    wait=wait or keep is not None,
                    progress=(lambda done, total: progress(label, done, total))
                    if progress
                    else None,
                )
            if keep is None:
                self._titles = {
                    key: matcher,
                    **{k: v for k, v in self._titles.items() if k[0] != taxonomy},
                }
            return matcher

    def _word_vectors(self, progress: Progress | None = None) -> wordvectors.WordVectors:
        """Word vectors of the loaded reference data (``wordvectors``): from the store, or
        learnt now (about 15 s) and stored for every process."""
        loads = self._key(corpus.WORD_DATASETS)
        fingerprint = f"v{wordvectors.VERSION} d={wordvectors.DIMENSIONS} loads={loads}"

        def build() -> bytes:
            if progress:
                progress("word vectors", 0, 1)
            with self.store.read() as conn:
                documents = corpus.word_documents(conn)
            found = wordvectors.WordVectors.build(documents).to_bytes()
            if progress:
                progress("word vectors", 1, 1)
            return found

        return wordvectors.WordVectors.from_bytes(
            cache.cached(self.store, "words:vectors", fingerprint, build)
        )

    def _attach_model(
        self,
        name: str,
        examples: list[corpus.Example],
        matcher: TitleMatcher,
        *,
        wait: bool,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Give ``matcher`` its title model and reranker: from the store, trained now
        (``wait``), or trained in the background and stored for every process."""
        texts = [f"{e.occupation}\x1f{e.text}" for e in examples]
        version = f"network {network.HIDDEN}x{network.EPOCHS}"
        if matcher.words is not None:  # the model reads what titles' words mean
            vocabulary = "\n".join(matcher.words.words).encode()
            version += (
                f" meaning={MEANING_WEIGHT} words={wordvectors.VERSION}:"
                f"{hashlib.sha256(vocabulary).hexdigest()}"
            )
        known = "\x1e".join(
            f"{k.source}\x1f{k.text}\x1f{' '.join(k.classes)}" for k in matcher.counterparts
        )
        # the model also learns from other classifications' titles (``related_titles``)
        version += f" related={network.RELATED_WEIGHT}:{hashlib.sha256(known.encode()).hexdigest()}"
        digest = hashlib.sha256("\x1e".join([version, *texts]).encode()).hexdigest()
        described = "\x1e".join(f"{c}\x1f{t}" for c, t in sorted(matcher.descriptions.items()))
        second = f"rerank={rerank.VERSION} folds={rerank.FOLDS}"  # the words: in ``digest``
        # With embeddings the reranker reads them too: another model, stored apart.
        ranked_name = f"{name}:rerank" + (":semantic" if matcher.semantic else "")
        n_features = rerank.N_FEATURES + (rerank.N_SEMANTIC if matcher.semantic else 0)
        ranked_digest = hashlib.sha256(
            f"{digest} {second}\x1e{described}\x1d{known}".encode()
        ).hexdigest()

        # With embeddings, the sentence model fine-tuned on the titles too (``tuned``).
        tuned_name = f"{name}:tuned"
        tuned_digest = hashlib.sha256(
            "\x1e".join([f"{tuned.VERSION} {semantic.MODEL}", *texts]).encode()
        ).hexdigest()

        def adopt() -> bool:
            """Take what another process has stored so far; True once it is all there."""
            if matcher.index.model is None:
                found = cache.lookup(self.store, name, digest)
                if found is not None:
                    matcher.index.use_model(network.TitleNetwork.from_bytes(found))
            if matcher.semantic and matcher.tuned is None:
                found = cache.lookup(self.store, tuned_name, tuned_digest)
                if found is not None:
                    matcher.use_tuned(tuned.TunedTitles.from_bytes(found))
            ranked = cache.lookup(self.store, ranked_name, ranked_digest)
            if matcher.index.model is not None and ranked is not None:
                matcher.use_reranker(rerank.Reranker.from_bytes(ranked, n_features))
                return not matcher.semantic or matcher.tuned is not None
            return False

        if adopt():  # another process stored both already
            return

        def train() -> None:
            # the model, then one per fold of the reranker, then the fine-tuned sentence model
            steps = 1 + rerank.FOLDS + matcher.semantic
            report = progress or (lambda done, total: None)
            report(0, steps)
            if matcher.index.model is None:
                model = matcher.index.train_model(matcher.related_titles())
                matcher.index.use_model(model)  # this process uses it whatever storing does
                cache.keep(self.store, name, digest, model.to_bytes())
            report(1, steps)
            if matcher.reranker is None:
                reranker = matcher.train_reranker(
                    min_queries=self.rerank_min, done=lambda fold: report(1 + fold, steps)
                )
                if reranker is not None:
                    matcher.use_reranker(reranker)
                    cache.keep(self.store, ranked_name, ranked_digest, reranker.to_bytes())
            report(1 + rerank.FOLDS, steps)
            if matcher.semantic and matcher.tuned is None:
                found = tuned.TunedTitles.train(
                    [e.text for e in examples], [e.occupation for e in examples]
                )
                matcher.use_tuned(found)
                cache.keep(self.store, tuned_name, tuned_digest, found.to_bytes())
            report(steps, steps)
            self.trained.append(name)

        if wait:
            train()
            return
        if not self.background:
            self.untrained.append(name)
            return

        def train_quietly() -> None:
            try:
                # Workers starting together train once: the others take the results.
                while (token := cache.claim(self.store, name, ranked_digest)) is None:
                    if adopt():
                        return
                    time.sleep(self.claim_poll)
                self._claims[name] = token
                try:
                    if not adopt():  # the results may have come as the last claim ended
                        train()
                finally:
                    self._claims.pop(name, None)
                    cache.release(self.store, name, token)
            except Exception:  # the neighbour vote keeps answering; a new process retries
                log.exception("training the %s model failed", name)

        thread = self.store.spawn(train_quietly, f"microcred {name}", awaited=False)
        self._training.append(thread)

    def close(self) -> None:
        """Give up the title models training here (this process is ending): their claims
        are released at once, so that another process trains them without waiting for the
        claims to lapse."""
        for name, token in list(self._claims.items()):
            log.warning("stopped while training %s: another process will train it", name)
            cache.release(self.store, name, token)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for title models training in the background."""
        for thread in list(self._training):
            thread.join(timeout)
        self._training = [t for t in self._training if t.is_alive()]

    def skill_matcher(
        self, taxonomy: str = "esco", *, progress: Progress | None = None
    ) -> SkillMatcher:
        _choice(taxonomy, tuple(corpus.SKILL_TAXONOMIES), "taxonomy")
        key = (taxonomy, self._key((corpus.SKILL_TAXONOMIES[taxonomy],)))
        if key in self._skills:
            return self._skills[key]
        with self._lock:
            if key in self._skills:
                return self._skills[key]
            with self.store.read() as conn:
                concepts = corpus.skill_concepts(conn, taxonomy)
            vectors = None
            if self._semantic:
                vectors = semantic.cached_vectors(
                    self.store,
                    f"skills:{taxonomy}",
                    [c.label_en for c in concepts],
                    (lambda done, total: progress(f"{taxonomy} skills", done, total))
                    if progress
                    else None,
                )
            matcher = SkillMatcher(concepts, taxonomy, vectors)
            self._skills = {
                key: matcher,
                **{k: v for k, v in self._skills.items() if k[0] != taxonomy},
            }
            return matcher

    def build(self, progress: Progress | None = None) -> dict[str, int]:
        """Build (and with the semantic extra, embed and store) every index; sizes."""
        sizes = {}
        for taxonomy in corpus.TAXONOMIES:
            sizes[f"{taxonomy} titles"] = self.title_matcher(
                taxonomy, progress=progress, wait=True
            ).size
        for taxonomy in corpus.SKILL_TAXONOMIES:
            sizes[f"{taxonomy} skills"] = len(
                self.skill_matcher(taxonomy, progress=progress).concepts
            )
        return sizes

    # -- queries -----------------------------------------------------------------------

    def match_occupation(
        self,
        title: str,
        *,
        taxonomy: str = "noc",
        top: int = 10,
        matcher: TitleMatcher | None = None,
        threshold: float = MIN_TITLE_SCORE,
    ) -> list[Match]:
        """Occupations for a free-text job title (EN/FR), best first; [] when unsure."""
        text = check_text(title, what="title", limit=MAX_TITLE)
        top = max(1, min(top, 100))
        matcher = matcher or self.title_matcher(taxonomy)
        vector = semantic.encode([text])[0] if matcher.semantic else None
        return [m for m in matcher.match(text, top, vector) if m.score >= threshold]

    def extract(self, text: str, *, taxonomy: str = "esco", top: int = 10) -> Extraction:
        """Skills named or implied by a text (a sentence, course description, job ad,
        résumé), best first: per sentence, then the best score of each skill across the
        text, raised a little for each further sentence that names it."""
        text = check_text(text)
        top = max(1, min(top, 200))
        matcher = self.skill_matcher(taxonomy)
        parts = sentences(text) or [text]
        vectors = matcher.encode(parts)
        fuzzy = len(parts) <= FUZZY_SENTENCES
        best: dict[int, float] = {}
        seen: dict[int, int] = defaultdict(int)
        evidence: dict[int, list[str]] = defaultdict(list)
        for sentence, vector in zip(parts, vectors, strict=True):
            scores = matcher.scores(sentence, vector, fuzzy=fuzzy)
            if not scores.any():
                continue
            for index in np.argsort(-scores)[:PER_SENTENCE]:
                score = float(scores[index])
                if score < MIN_SKILL_SCORE:
                    break
                i = int(index)
                best[i] = max(best.get(i, 0.0), score)
                seen[i] += 1
                if len(evidence[i]) < 3:
                    evidence[i].append(sentence[:300])
        final = {i: min(1.0, s + 0.05 * (seen[i] - 1)) for i, s in best.items()}
        ranked = sorted(final, key=lambda i: (-final[i], matcher.concepts[i].code))[:top]
        found = [
            Match(
                matcher.concepts[i].code,
                matcher.concepts[i].label_en,
                round(final[i], 3),
                matcher.concepts[i].label_fr,
            )
            for i in ranked
        ]
        return Extraction(
            found, len(parts), {matcher.concepts[i].code: evidence[i] for i in ranked}
        )

    def rank_skills(self, sentence: str, *, taxonomy: str = "esco", top: int = 10) -> list[str]:
        """Skill ids ranked for one sentence, without thresholds (evaluation)."""
        matcher = self.skill_matcher(taxonomy)
        vector = matcher.encode([sentence])[0]
        scores = matcher.scores(sentence, vector)
        return [matcher.concepts[int(i)].code for i in np.argsort(-scores)[:top]]

    # -- profiles, similarity, gaps ----------------------------------------------------

    def profiles(self) -> Profiles:
        """All unit groups' unified profiles (cached per reference-data version)."""
        key = self._key(PROFILE_DATASETS)
        cached = self._profiles
        if cached is not None and cached[0] == key:
            return cached[1]
        with self._lock, self.store.read() as conn:
            built = Profiles(conn)
        self._profiles = (key, built)
        return built

    def unit_groups(self) -> dict[str, corpus.Concept]:
        """NOC 2021 unit groups' official titles (EN, FR from COPS), cached per version."""
        key = self._key(corpus.TAXONOMIES["noc"])
        cached = self._units
        if cached is not None and cached[0] == key:
            return cached[1]
        with self.store.read() as conn:
            units = corpus.occupation_concepts(conn, "noc")
        self._units = (key, units)
        return units

    def unit_of(self, current: str) -> str:
        """The NOC 2021 unit group a person names: a code, or a job title (EN/FR) matched
        with confidence; InvalidInput otherwise."""
        if current.strip().isdigit():
            unit = _unit(current)
            if unit not in self.unit_groups():
                message = f"{unit} is not a NOC 2021 unit group"
                raise InvalidInput(message, [Problem("current", message)])
            return unit
        found = self.match_occupation(current, top=1)
        if not found:
            message = f"no confident occupation match for {current!r}"
            raise InvalidInput(message, [Problem("current", message)])
        return found[0].id

    def similar(self, unit: str, *, top: int = 10) -> list[Match]:
        """Unit groups closest to ``unit`` in skills, best first."""
        unit = _unit(unit)
        profiles = self.profiles()
        titles = self.unit_groups()
        ranked = sorted(profiles.similarities(unit).items(), key=lambda kv: (-kv[1], kv[0]))
        out = []
        for code, score in ranked[: max(1, min(top, 100))]:
            concept = titles.get(code)
            if concept:
                out.append(Match(code, concept.label_en, round(score, 3), concept.label_fr))
        return out

    def gap(
        self,
        target: str,
        *,
        current: str | None = None,
        skills: dict[str, float] | None = None,
        text: str | None = None,
    ) -> GapReport:
        """Missing and under-level skills between a person and a target unit group.

        The person is a unit group or job title (``current``), declared skills (OaSIS
        codes → level, ESCO URIs), and/or a résumé ``text`` whose skills are read."""
        target = _unit(target)
        titles = self.unit_groups()
        if target not in titles:
            raise NotFound(f"{target} is not a NOC 2021 unit group")
        current_unit = self.unit_of(current) if current else None
        declared = dict(skills or {})
        read: list[Match] = []
        if text:
            for taxonomy in ("esco", "oasis"):
                extraction = self.extract(text, taxonomy=taxonomy, top=30)
                read += extraction.skills
                for m in extraction.skills:
                    # A skill read from text counts as held at a middling level.
                    declared.setdefault(m.id, 3.0 if taxonomy == "oasis" else 1.0)
        items = self.profiles().gap(
            target,
            current=current_unit,
            skills=declared,
            target_title=titles[target].label_en,
            current_title=titles[current_unit].label_en if current_unit else "",
        )
        return GapReport(target, current_unit, items, read)


PROFILE_DATASETS = ("oasis", "esco", "onet", "crosswalk")


@dataclass
class GapReport:
    target: str
    current: str | None
    items: list[GapItem]
    skills_read: list[Match]


def _unit(code: str) -> str:
    code = code.strip()
    if not code.isdigit() or not 4 <= len(code) <= 5:
        message = f"{code!r} is not a NOC 2021 unit group code (five digits, e.g. 21231)"
        raise InvalidInput(message, [Problem("code", message)])
    return code.zfill(5)
