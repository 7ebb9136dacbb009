"""The parts of a job title: its head noun, its qualifier, its words and cue words.

"Supervisor, welding - shipbuilding" is about a *supervisor* (its head), in
*shipbuilding* (its qualifier); "supervisor" is a cue that it is a supervisor's job
whatever the trade (``CUES``). The second stage of title matching (``rerank``, ``roles``)
compares these parts with each class's examples.
"""

from __future__ import annotations

import re

from microcred.reference.files import title_key

# Words that say what kind of job a title is, whatever the trade: "welder" is not a
# supervisor's title, "welding foreman" is.
CUES = (
    ("supervisor", "foreman", "forewoman", "chief", "head", "lead", "superviseur", "chef"),
    ("helper", "labourer", "aide", "assistant", "attendant", "manoeuvre"),
    ("manager", "director", "executive", "president", "directeur", "directrice", "gestionnaire"),
    ("technician", "technologist", "technicien", "technicienne"),
    ("engineer", "ingenieur", "ingenieure"),
    ("operator", "tender", "operateur", "operatrice", "conducteur", "conductrice"),
    ("clerk", "commis"),
)
_LINK = re.compile(r"\s+(?:of|for|in|de|du|des|d)\s+")
_QUALIFIER = re.compile(r"\s+[-–]\s+")
_HEAD_END = re.compile(r"\s+[-–]\s+|\(|,")
STOP = frozenset(
    {"and", "of", "the", "in", "for", "de", "du", "des", "la", "le", "et", "a", "d", "en", "or"}
)


def stem(word: str) -> str:
    """A plural's singular, roughly ("welders" → "welder"; "glass" stays)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def head(title: str) -> str:
    """The noun a title is about: the last word before a qualifier or "of" ("supervisor,
    x" → "supervisor"; "director of finance" → "director"; "clerk - payroll" → "clerk")."""
    words = title_key(_LINK.split(_HEAD_END.split(title, maxsplit=1)[0], maxsplit=1)[0]).split()
    return stem(words[-1]) if words else ""


def qualifier(title: str) -> set[str]:
    """The words after " - ", which name an industry or setting ("- metal machining")."""
    parts = _QUALIFIER.split(title, maxsplit=1)
    return set(title_key(parts[1]).split()) if len(parts) > 1 else set()


def words(title: str) -> list[str]:
    """The title's words that carry meaning, singular, sorted."""
    return sorted({stem(w) for w in title_key(title).split() if w not in STOP})


def cue(word: str) -> int | None:
    """The ``CUES`` group ``word`` (folded) belongs to, if any."""
    for at, group in enumerate(CUES):
        if word in group or stem(word) in group:
            return at
    return None
