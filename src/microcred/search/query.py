"""The query language people type: words (all must match), "exact phrases", prefix*, and
-excluded words. Everything else is plain text: no input is a syntax error."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from microcred.reference.files import title_key
from microcred.skills.text import vocabulary

MAX_TERMS = 32  # words beyond these are ignored: every word must match anyway
MIN_PREFIX = 2
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()  # folded words, stop words removed
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    occupation: bool = False  # the text named an occupation ("become a …"): its cue is dropped

    @property
    def empty(self) -> bool:
        return not (self.terms or self.prefixes or self.phrases)

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Every positive word, for explaining matches."""
        return self.terms + self.prefixes + tuple(w for p in self.phrases for w in p)


def parse(text: str) -> ParsedQuery:
    """Read a query. Unbalanced quotes are ignored; operators such as NEAR, AND, OR are
    ordinary words; a lone ``*`` or ``-`` means nothing."""
    vocab = vocabulary()
    stop = vocab.stop
    phrases = []
    for quoted in _PHRASE.findall(text):
        phrase = tuple(title_key(quoted).split())
        if len(phrase) > 1:
            phrases.append(phrase)
        elif phrase:
            text += f" {phrase[0]}"  # a quoted single word is just a word
    rest = _PHRASE.sub(" ", text).replace('"', " ")
    terms: list[str] = []
    prefixes: list[str] = []
    excluded: list[str] = []
    for token in rest.split():
        words = title_key(token).split()
        if token.startswith("-"):
            excluded += words
            continue
        if token.endswith("*") and words and len(words[-1]) >= MIN_PREFIX:
            prefixes.append(words.pop())
        terms += [w for w in words if w not in stop]
    rest_terms = [t for t in terms if t not in vocab.career]
    occupation = bool(rest_terms) and len(rest_terms) < len(terms)
    if occupation:
        terms = rest_terms
    budget = MAX_TERMS
    terms = list(dict.fromkeys(terms))[:budget]
    budget -= len(terms)
    prefixes = list(dict.fromkeys(prefixes))[: max(0, budget)]
    budget -= len(prefixes)
    phrases = list(dict.fromkeys(phrases))[: max(0, budget // 2)]
    return ParsedQuery(
        tuple(terms),
        tuple(prefixes),
        tuple(phrases),
        tuple(dict.fromkeys(excluded))[:MAX_TERMS],
        occupation,
    )
