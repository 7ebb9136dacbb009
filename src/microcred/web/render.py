"""Jinja2 templates rendered in the viewer's language, with output escaping on."""

from __future__ import annotations

import gettext
import re
from collections.abc import Sequence
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.numbers import format_currency, format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from microcred import __version__
from microcred.reference.files import title_key
from microcred.web import i18n, labels
from microcred.web.security import ANON_CSRF_COOKIE, CSRF_FIELD, Viewer, microcred

TEMPLATES = Path(__file__).parent / "templates"
_current: ContextVar[gettext.NullTranslations] = ContextVar("translations")


def _gettext(message: str) -> str:
    return _current.get().gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _current.get().ngettext(singular, plural, n)


_LOCALES = {"en": "en_CA", "fr": "fr_CA"}


def _money(value: Decimal, language: str) -> str:
    return format_currency(value, "CAD", locale=_LOCALES.get(language, "en_CA"))


def _number(value: Decimal | float, language: str) -> str:
    return format_decimal(value, locale=_LOCALES.get(language, "en_CA"))


_WORD = re.compile(r"\w+")


def _highlight(text: str, words: Sequence[str]) -> Markup:
    """``text`` escaped, with the words that start like a (folded) query word in <mark>."""
    if not words:
        return escape(text)
    parts: list[Markup] = []
    position = 0
    for match in _WORD.finditer(text):
        if any(title_key(match.group()).startswith(w) for w in words):
            parts += [escape(text[position : match.start()]), Markup("<mark>")]
            parts += [escape(match.group()), Markup("</mark>")]
            position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def environment() -> Environment:
    """The template environment (built once per app)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["money"] = _money
    env.filters["number"] = _number
    env.filters["highlight"] = _highlight
    env.globals.update(
        labels=labels,
        check_names=labels.CHECKS,
        version=__version__,
        csrf_field=CSRF_FIELD,
        language_names=i18n.LANGUAGE_NAMES,
    )
    return env


def translate(language: str, message: str, **values: Any) -> str:
    """Translate one message outside a template (e.g. for flash messages)."""
    text = i18n.translations(language).gettext(message)
    return text % values if values else text


def render(
    request: Request, viewer: Viewer, name: str, *, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render a page for the viewer; keeps the anonymous CSRF cookie in step."""
    env: Environment = request.app.state.templates
    token = _current.set(i18n.translations(viewer.language))
    try:
        html = env.get_template(name).render(
            request=request, viewer=viewer, lang=viewer.language, **context
        )
    finally:
        _current.reset(token)
    response = HTMLResponse(html, status_code=status)
    if viewer.new_anonymous_token:
        settings = microcred(request).settings
        response.set_cookie(
            ANON_CSRF_COOKIE,
            viewer.csrf_token,
            httponly=True,
            samesite="lax",
            secure=settings.cookie_secure,
        )
    return response
