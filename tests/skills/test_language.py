"""Telling an English job title from a French one (``skills/language.py``)."""

from __future__ import annotations

from microcred.skills.language import TitleLanguage

ENGLISH = [
    "welder", "pipe welder", "welder helper", "registered nurse", "practical nurse", "cook",
    "line cook", "truck driver", "bus driver", "cashier", "electrician", "plumber",
    "carpenter", "grocery clerk", "accounting clerk", "software developer", "web developer",
]  # fmt: skip
FRENCH = [
    "soudeur", "soudeuse", "aide-soudeur", "infirmière autorisée", "infirmier auxiliaire",
    "cuisinier", "cuisinière", "camionneur", "chauffeur d'autobus", "caissière",
    "électricien", "plombier", "charpentier-menuisier", "commis d'épicerie",
    "commis à la comptabilité", "développeuse de logiciels", "développeur web",
]  # fmt: skip


def test_titles_are_told_apart_by_their_letters() -> None:
    language = TitleLanguage([(t, "en") for t in ENGLISH] + [(t, "fr") for t in FRENCH])
    assert language.english("pipe welder helper") > 0.5
    assert language.english("Soudeuse de tuyaux") < 0.5
    assert language.english("commis d'épicerie") < 0.5
    assert 0.0 <= language.english("") <= 1.0


def test_one_language_known_answers_it_for_every_title() -> None:
    assert TitleLanguage([("welder", "en"), ("cook", "en")]).english("soudeur") == 1.0
    assert TitleLanguage([("soudeur", "fr")]).english("welder") == 0.0
    assert TitleLanguage([]).english("welder") == 1.0
