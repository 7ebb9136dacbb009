"""Text analysis shared by the skills engine: folding, words, stems, sentences, bad input.

Titles and skill labels are compared as accent- and case-folded words (the same key the
reference loader stores), stemmed with the Snowball stemmers of their language. A query
of unknown language is stemmed both ways, so "caissière" and "cashiers" each find theirs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import Stemmer

from microcred.errors import InvalidInput, Problem
from microcred.reference.files import title_key

MAX_TEXT = 200_000  # characters: about 60 pages of résumé or course outline
MAX_TITLE = 200
MAX_SENTENCES = 2_000
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+(?=[^\sa-z])|\s*[\n\r\u2022\u25cf\u25aa*·]+\s*")
_WORDS = re.compile(r"[^\W_]+(?:[+#]+|\.(?=net\b))?", re.IGNORECASE)


@dataclass(frozen=True)
class Words:
    stop: frozenset[str]
    seniority: frozenset[str]
    abbreviations: dict[str, str]
    boilerplate: frozenset[str]
    career: frozenset[str]


@cache
def vocabulary() -> Words:
    """Stop words, abbreviations and seniority words (``skills/words.toml``)."""
    raw = tomllib.loads(
        resources.files("microcred.skills").joinpath("words.toml").read_text("utf-8")
    )
    return Words(
        frozenset(raw["stop"]),
        frozenset(raw["seniority"]),
        dict(raw["abbreviations"]),
        frozenset(raw["boilerplate"]),
        frozenset(raw["career"]),
    )


@cache
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french" if lang == "fr" else "english")


def words(text: str) -> list[str]:
    """Folded words of ``text`` ("C#", "C++" and ".NET" kept whole)."""
    found = _WORDS.findall(text.casefold())
    return [title_key(w) if w.isalnum() else w for w in found if w]


def stems(text: str, langs: tuple[str, ...] = ("en", "fr")) -> list[str]:
    """Stems of the content words of ``text`` in each of ``langs`` (duplicates kept once)."""
    stop = vocabulary().stop
    content = [w for w in words(text) if w not in stop]
    out: list[str] = []
    for lang in langs:
        out.extend(_stemmer(lang).stemWords(content))
    return list(dict.fromkeys(out)) if len(langs) > 1 else out


def stem_groups(text: str) -> list[tuple[str, ...]]:
    """Per content word of a query in unknown language: its English and French stems.

    Job-ad boilerplate ("experience", "strong", "skills") is left out: it names no skill.
    """
    vocab = vocabulary()
    content = [w for w in words(text) if w not in vocab.stop and w not in vocab.boilerplate]
    english = _stemmer("en").stemWords(content)
    french = _stemmer("fr").stemWords(content)
    return list(dict.fromkeys(tuple(dict.fromkeys(p)) for p in zip(english, french, strict=True)))


def clean_title(title: str) -> str:
    """A job title as people type it → the words the title index knows.

    Abbreviations are expanded ("sr. python dev" → "python developer"), seniority and
    employment-type words dropped, and the result folded like stored titles.
    """
    vocab = vocabulary()
    out = []
    for word in title_key(title).split():
        expanded = vocab.abbreviations.get(word, word)
        if expanded not in vocab.seniority:
            out.append(expanded)
    return " ".join(out) or title_key(title)


def _refuse(what: str, message: str) -> InvalidInput:
    return InvalidInput(f"the {what} {message}", [Problem(what, message)])


def check_text(text: str, *, what: str = "text", limit: int = MAX_TEXT) -> str:
    """Refuse empty, oversized or binary input with a message that says which and why."""
    binary = "looks like binary data, not text"
    if "\x00" in text[:10_000]:
        raise _refuse(what, binary)
    stripped = text.strip()
    if not stripped:
        raise _refuse(what, "is empty")
    if len(stripped) > limit:
        raise _refuse(what, f"is {len(stripped):,} characters long; the limit is {limit:,}")
    sample = stripped[:10_000]
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\r\n") or c == "\ufffd")
    letters = sum(1 for c in sample if c.isalpha())
    if controls > len(sample) * 0.05 or letters < len(sample) * 0.2:
        raise _refuse(what, binary)
    return stripped


def sentences(text: str) -> list[str]:
    """Split text into sentences and list items (bullets, lines, full stops)."""
    parts = (p.strip(" \t-–—") for p in _SENTENCE.split(text))
    return [p for p in parts if sum(c.isalpha() for c in p) >= 2][:MAX_SENTENCES]
