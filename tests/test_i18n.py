"""Every user-facing string of the web layer is in the French catalogue, translated."""

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parents[1]
PO = ROOT / "src/microcred/web/locale/fr/LC_MESSAGES/messages.po"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n,jinja2.ext.do"}}


# Where user-facing strings live (babel.cfg lists the same places).
SOURCES = [
    (ROOT / "src/microcred/web", METHODS),
    (ROOT / "src/microcred/planner", [("explain.py", "python")]),
]


@lru_cache(maxsize=1)
def extracted() -> frozenset[str]:
    ids = set()
    for folder, methods in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            folder,
            methods,
            keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
            options_map=OPTIONS,
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return frozenset(ids)


def test_every_message_has_a_french_translation() -> None:
    catalog = read_po(BytesIO(PO.read_bytes()))
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0]): m.string
        for m in catalog
        if m.id and not m.fuzzy
    }
    missing = sorted(i for i in extracted() if not translated.get(i))
    assert missing == [], "run `pybabel extract`/`update` (docs/translating.md) and translate these"


def test_the_catalogue_has_no_stale_entries() -> None:
    catalog = read_po(BytesIO(PO.read_bytes()))
    stale = sorted(
        m.id
        for m in catalog
        if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in extracted()
    )
    assert stale == []


def test_placeholders_survive_translation() -> None:
    import re

    for message in read_po(BytesIO(PO.read_bytes())):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        pattern = r"%\(\w+\)s|\{\w+\}"
        wanted = set(re.findall(pattern, ids[-1]))
        for text in strings:
            assert set(re.findall(pattern, text)) == wanted, message.id
