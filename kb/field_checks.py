"""One check per kind of front-matter field; kb/schema.py's table says which field gets which.

Each check takes (check, spec, value, data), appends what is wrong to `check` and never raises,
so one run reports every problem of an entry.
"""

from __future__ import annotations

import datetime as dt
import re

from kb.words import did_you_mean

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SDG_PATTERN = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}$")
# HTML tags, markdown links and images, emphasis, code and headings: not allowed in plain-text fields.
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|!?\[[^\]]*\]\([^)]*\)|\*\*|__|`|^\s*#{1,6}\s|(^|\s)[*_][^\s*_][^*_]*[*_](\s|$)")
RESERVED_IDS = frozenset({"readme", "index", "new", "propose", "search", "api"})
SUMMARY_WORDS = (30, 140)


def _is_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _type_name(value) -> str:
    return {
        list: "a list",
        dict: "a set of fields",
        str: "text",
        int: "a number",
        float: "a number",
        bool: "yes/no",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def _words(text) -> int:
    return len(str(text or "").split())


def check_text(check, spec, value, data):
    if not _is_str(value):
        check.error(spec.name, f"{spec.label} must be text, got {_type_name(value)}.")
    elif spec.plain and MARKUP.search(value):
        check.error(
            spec.name,
            f"{spec.label} must be plain text, without HTML or markdown (such as <…>, [text](link), **, # or `).",
        )


def check_id(check, spec, value, data):
    check_text(check, spec, value, data)
    if _is_str(value) and not ID_PATTERN.match(value):
        check.error(
            "id", "The id must be lowercase letters and digits joined by single hyphens, e.g. 'medellin-metrocable'."
        )
    elif _is_str(value) and value in RESERVED_IDS:
        check.error("id", f"'{value}' is reserved by the site; choose another id, e.g. 'city-{value}-programme'.")


def check_country_code(check, spec, value, data):
    if not (isinstance(value, str) and re.fullmatch(r"[A-Z]{2}", value)):
        check.error(
            spec.name,
            f"The country code must be two capital letters (ISO 3166-1), e.g. 'CO' for Colombia; got '{value}'.",
        )


def check_term(check, spec, value, data, field=None):
    field = field or spec.name
    if not isinstance(value, str) or value not in spec.vocabulary:
        allowed = ", ".join(spec.vocabulary)
        check.error(
            field,
            f"'{value}' is not a {spec.label.lower()} we know{did_you_mean(value, spec.vocabulary)}; "
            f"choose one of: {allowed}.",
            value,
        )


def check_terms(check, spec, value, data):
    if not isinstance(value, list):
        check.error(
            spec.name,
            f"{spec.label} must be a list of terms, got {_type_name(value)}; choose from: "
            f"{', '.join(spec.vocabulary)}.",
        )
        return
    for term in value:
        check_term(check, spec, term, data)
    if len(set(map(str, value))) != len(value):
        check.warning(spec.name, f"{spec.label} lists a term more than once.")


def check_text_list(check, spec, value, data):
    if not (isinstance(value, list) and all(_is_str(v) for v in value)):
        check.error(spec.name, f"{spec.label} must be a list of text items, got {_type_name(value)}.")
    elif spec.plain:
        for item in value:
            if MARKUP.search(item):
                check.error(spec.name, f"{spec.label} must be plain text, without HTML or markdown: '{item[:60]}'.")


def check_practice_id(check, spec, value, data):
    if not (_is_str(value) and ID_PATTERN.match(value)):
        check.error(spec.name, f"{spec.label} must be the id of another practice, e.g. 'chicago-cure-violence'.")


def check_coordinates(check, spec, value, data):
    if not (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    ):
        check.error(spec.name, f"Coordinates must be [latitude, longitude] as two numbers, got {value!r}.")
        return
    lat, lon = value
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        check.error(spec.name, f"{value} is not a place on Earth: latitude is -90 to 90, longitude -180 to 180.")


def check_years(check, spec, value, data):
    valid = (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and (value[1] is None or isinstance(value[1], int))
    )
    if not valid:
        check.error(
            spec.name, f"Years must be [start, end] as whole years, with end empty (null) while it runs; got {value!r}."
        )
        return
    start, end = value
    this_year = dt.date.today().year
    if not 1900 <= start <= this_year:
        check.error(spec.name, f"The start year {start} must be between 1900 and {this_year}.")
    if end is not None and end < start:
        check.error(spec.name, f"The end year {end} is before the start year {start}.")
    if end is not None and end > this_year + 10:
        check.warning(spec.name, f"The end year {end} is far in the future; leave it empty while the practice runs.")


def check_refs(check, spec, value, data, guideline_ids=None):
    if not isinstance(value, list):
        check.error(
            spec.name, f"Guideline sections must be a list of ids such as ['26.c.a.g'], got {_type_name(value)}."
        )
        return
    for ref in value:
        if not isinstance(ref, str):
            check.error(spec.name, f"Write the guideline id '{ref}' in quotes.", ref)
        elif guideline_ids is not None and ref not in guideline_ids:
            check.warning(
                spec.name,
                f"'{ref}' is not a guideline section{did_you_mean(ref, guideline_ids)}; "
                "the ids are listed at /guidelines.",
                ref,
            )


def check_sdg(check, spec, value, data):
    check_text_list(check, spec, value, data)
    for target in value if isinstance(value, list) else []:
        if isinstance(target, str) and not SDG_PATTERN.match(target):
            check.warning(spec.name, f"'{target}' is not an SDG target such as '11.7' or '16.a'.", target)


def check_date(check, spec, value, data):
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            check.error(spec.name, f"{spec.label} must be a date written YYYY-MM-DD, got '{value}'.")
            return
    if not isinstance(value, dt.date):
        check.error(spec.name, f"{spec.label} must be a date written YYYY-MM-DD, got {value!r}.")
    elif value > dt.date.today():
        check.error(spec.name, f"{spec.label} ({value}) is in the future.")


def check_summary(check, spec, value, data):
    check_text(check, spec, value, data)
    low, high = SUMMARY_WORDS
    if _is_str(value) and not low <= _words(value) <= high:
        check.warning(spec.name, f"The summary has {_words(value)} words; write one paragraph of {low} to {high}.")


def check_evidence(check, spec, value, data):
    from kb.evidence import check_evidence as check_block

    check_block(check, value, data)


def check_sources(check, spec, value, data):
    from kb.evidence import check_sources as check_list

    check_list(check, value)
