"""Checks of what an entry says in other languages: the questions it answers and its translations."""

from __future__ import annotations

LANGUAGES = ("en", "es", "fr", "pt")
TRANSLATED_LANGUAGES = ("es", "fr", "pt")
TRANSLATED_FIELDS = ("title", "summary", "cost")


def _is_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _type_name(value) -> str:
    return {list: "a list", dict: "a set of fields", str: "text"}.get(type(value), type(value).__name__)


def check_questions(check, spec, value, data):
    if not isinstance(value, dict):
        check.error(
            spec.name,
            f"Questions must map languages ({', '.join(LANGUAGES)}) to lists of questions, got {_type_name(value)}.",
        )
        return
    for lang, items in value.items():
        if lang not in LANGUAGES:
            check.error(spec.name, f"'{lang}' is not a language we support; use: {', '.join(LANGUAGES)}.")
        elif not (isinstance(items, list) and items and all(_is_str(q) for q in items)):
            check.error(f"{spec.name}.{lang}", "Questions must be a list, each question as text.")
    for lang in LANGUAGES:
        if lang not in value:
            check.warning(spec.name, f"There are no questions in '{lang}'.")


def check_translations(check, spec, value, data):
    if not isinstance(value, dict):
        check.error(
            spec.name,
            f"Translations must map languages ({', '.join(TRANSLATED_LANGUAGES)}) to title, summary and cost.",
        )
        return
    for lang, fields in value.items():
        if lang not in TRANSLATED_LANGUAGES:
            check.error(
                spec.name, f"'{lang}' is not a language we translate into; use: {', '.join(TRANSLATED_LANGUAGES)}."
            )
            continue
        if not isinstance(fields, dict):
            check.error(f"{spec.name}.{lang}", f"The '{lang}' translation must hold {', '.join(TRANSLATED_FIELDS)}.")
            continue
        for name in fields:
            if name not in TRANSLATED_FIELDS:
                check.warning(
                    f"{spec.name}.{lang}",
                    f"'{name}' is not translated here; translate: {', '.join(TRANSLATED_FIELDS)}.",
                )
        for name in TRANSLATED_FIELDS:
            if not _is_str(fields.get(name)):
                check.warning(f"{spec.name}.{lang}", f"The {name} is not translated into '{lang}'.")
            elif name == "title" and _markup().search(fields[name]):
                check.error(f"{spec.name}.{lang}", "The translated title must be plain text, without HTML or markdown.")
    for lang in TRANSLATED_LANGUAGES:
        if lang not in value:
            check.warning(spec.name, f"There is no translation into '{lang}'.")


def _markup():
    from kb.field_checks import MARKUP

    return MARKUP
