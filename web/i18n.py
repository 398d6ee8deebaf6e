"""The interface in English, Spanish, French and Portuguese, through Flask-Babel's gettext catalogs.

The reader's language comes from `?lang=xx` (a citable address, remembered in a cookie), else
the cookie, else the browser's Accept-Language, else English. Catalogs (web/translations/*/
LC_MESSAGES/messages.po) are compiled to .mo when the app starts, so no binary is committed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request
from flask_babel import Babel, get_locale, get_translations

LANGUAGES = {"en": "English", "es": "Español", "fr": "Français", "pt": "Português"}
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}
COOKIE = "lang"
CATALOGS = Path(__file__).resolve().parent / "translations"


def chosen_language() -> str:
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        g.kb_set_language = asked
        return asked
    if request.cookies.get(COOKIE) in LANGUAGES:
        return request.cookies[COOKIE]
    return request.accept_languages.best_match(list(LANGUAGES), default="en")


def compile_catalogs(source: Path = CATALOGS) -> Path:
    """Compile every messages.po to messages.mo beside it, or into a temporary folder when that is read-only."""
    target = source
    try:
        probe = source / ".writable"
        probe.touch()
        probe.unlink()
    except OSError:
        target = Path(tempfile.mkdtemp(prefix="kb-translations-"))
    for po_path in source.glob("*/LC_MESSAGES/messages.po"):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with open(po_path, "rb") as handle:
            catalog = read_po(handle)
        temporary = mo_path.with_suffix(f".{id(catalog)}.tmp")
        with open(temporary, "wb") as handle:
            write_mo(handle, catalog)
        temporary.replace(mo_path)
    return target


def remember_language(response):
    chosen = g.get("kb_set_language")
    if chosen:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def language_url(code: str | None) -> str:
    """This page in another language: the same address with ?lang=code (None: without a language)."""
    from urllib.parse import urlencode

    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    if code:
        args.append(("lang", code))
    return request.path + ("?" + urlencode(args) if args else "")


def text_direction(locale: str) -> str:
    return "rtl" if locale.split("_")[0] in RIGHT_TO_LEFT else "ltr"


def request_translations():
    """The catalog for this request, looked up once: Flask-Babel finds it again on every call, and a page
    makes about eighty, which was a third of the time spent rendering a practice page."""
    translations = g.get("_kb_translations")
    if translations is None:
        translations = g._kb_translations = get_translations()
    return translations


def init_app(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compile_catalogs())
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    Babel(app, locale_selector=chosen_language)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
    app.after_request(remember_language)
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, text_direction=text_direction, language_url=language_url, get_locale=get_locale
    )
