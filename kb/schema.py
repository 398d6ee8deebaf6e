"""The entry schema, declared once as a table of fields, and the checks that walk it.

Validation never stops at the first problem: every check appends to a list, so an author sees
everything wrong with an entry in one run. Messages are written for a city official as much
as for a developer ("Title is required", "The Problem section needs at least 40 words; it has
1"); each problem carries the field it belongs to (`title`, `sources[2].url`,
`sections.Problem`), so a form can show it beside that field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from kb import citations, vocab
from kb.words import did_you_mean

ERROR, WARNING = "error", "warning"

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SDG_PATTERN = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}$")
# HTML tags, markdown links and images, emphasis, code and headings: not allowed in plain-text fields.
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|!?\[[^\]]*\]\([^)]*\)|\*\*|__|`|^\s*#{1,6}\s|(^|\s)[*_][^\s*_][^*_]*[*_](\s|$)")
RESERVED_IDS = frozenset({"readme", "index", "new", "propose", "search", "api"})
MIN_SECTION_WORDS = 40
SUMMARY_WORDS = (30, 140)
LANGUAGES = ("en", "es", "fr", "pt")
TRANSLATED_LANGUAGES = ("es", "fr", "pt")
TRANSLATED_FIELDS = ("title", "summary", "cost")
FIGURES_MUST_CITE = ("Results and evidence",)
# Which evaluation designs can carry each rating (the evidence scale on /methodology).
DESIGNS_FOR_RATING = {
    "effective": ("rct", "quasi-experimental"),
    "promising": ("rct", "quasi-experimental", "before-after"),
    "mixed": ("rct", "quasi-experimental", "before-after", "qualitative", "monitoring"),
    "no-effect": ("rct", "quasi-experimental"),
    "harmful": ("rct", "quasi-experimental", "before-after", "qualitative", "monitoring"),
    "not-evaluated": ("none", "monitoring", "qualitative"),
}


@dataclass(frozen=True)
class Problem:
    severity: str
    path: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}: {self.severity}:{field} {self.message}"


class FieldChecker:
    """Collect problems for one entry; knows how to find a field's line."""

    def __init__(self, path: str, front_matter_lines: list[str], first_line: int = 2):
        self.path = path
        self.lines = front_matter_lines
        self.first_line = first_line
        self.problems: list[Problem] = []

    def line_of(self, field: str, value=None) -> int | None:
        """Line of a field ('evidence.rating', 'sources[0].url') or of a value inside it."""
        parts = [re.sub(r"\[\d+\]$", "", part) for part in field.split(".")]
        start = 0
        for depth, key in enumerate(parts):
            indent = r"" if depth == 0 else r"\s+-?\s*"
            pattern = re.compile(rf"^{indent}{re.escape(key)}\s*:")
            found = next((i for i in range(start, len(self.lines)) if pattern.match(self.lines[i])), None)
            if found is None:
                return self.first_line + start if depth else None
            start = found
        if value is not None:
            for i in range(start, len(self.lines)):
                if str(value) in self.lines[i]:
                    return self.first_line + i
        return self.first_line + start

    def add(self, severity: str, field: str, message: str, value=None, line=None):
        if line is None and field and not field.startswith("sections."):
            line = self.line_of(field, value)
        self.problems.append(Problem(severity, self.path, field, message, line))

    def error(self, field, message, value=None, line=None):
        self.add(ERROR, field, message, value, line)

    def warning(self, field, message, value=None, line=None):
        self.add(WARNING, field, message, value, line)


def _is_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _type_name(value) -> str:
    return {list: "a list", dict: "a set of fields", str: "text", int: "a number", float: "a number",
            bool: "yes/no", type(None): "nothing"}.get(type(value), type(value).__name__)


def _words(text) -> int:
    return len(str(text or "").split())


# -- one check per kind of field ---------------------------------------------------------


def check_text(check, spec, value, data):
    if not _is_str(value):
        check.error(spec.name, f"{spec.label} must be text, got {_type_name(value)}.")
    elif spec.plain and MARKUP.search(value):
        check.error(spec.name, f"{spec.label} must be plain text, without HTML or markdown (such as <…>, [text](link), **, # or `).")


def check_id(check, spec, value, data):
    check_text(check, spec, value, data)
    if _is_str(value) and not ID_PATTERN.match(value):
        check.error("id", "The id must be lowercase letters and digits joined by single hyphens, e.g. 'medellin-metrocable'.")
    elif _is_str(value) and value in RESERVED_IDS:
        check.error("id", f"'{value}' is reserved by the site; choose another id, e.g. 'city-{value}-programme'.")


def check_country_code(check, spec, value, data):
    if not (isinstance(value, str) and re.fullmatch(r"[A-Z]{2}", value)):
        check.error(spec.name, f"The country code must be two capital letters (ISO 3166-1), e.g. 'CO' for Colombia; got '{value}'.")


def check_term(check, spec, value, data, field=None):
    field = field or spec.name
    if not isinstance(value, str) or value not in spec.vocabulary:
        allowed = ", ".join(spec.vocabulary)
        check.error(field, f"'{value}' is not a {spec.label.lower()} we know{did_you_mean(value, spec.vocabulary)}; "
                           f"choose one of: {allowed}.", value)


def check_terms(check, spec, value, data):
    if not isinstance(value, list):
        check.error(spec.name, f"{spec.label} must be a list of terms, got {_type_name(value)}; choose from: {', '.join(spec.vocabulary)}.")
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
    if not (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        check.error(spec.name, f"Coordinates must be [latitude, longitude] as two numbers, got {value!r}.")
        return
    lat, lon = value
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        check.error(spec.name, f"{value} is not a place on Earth: latitude is -90 to 90, longitude -180 to 180.")


def check_years(check, spec, value, data):
    valid = (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)
             and (value[1] is None or isinstance(value[1], int)))
    if not valid:
        check.error(spec.name, f"Years must be [start, end] as whole years, with end empty (null) while it runs; got {value!r}.")
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
        check.error(spec.name, f"Guideline sections must be a list of ids such as ['26.c.a.g'], got {_type_name(value)}.")
        return
    for ref in value:
        if not isinstance(ref, str):
            check.error(spec.name, f"Write the guideline id '{ref}' in quotes.", ref)
        elif guideline_ids is not None and ref not in guideline_ids:
            check.warning(spec.name, f"'{ref}' is not a guideline section{did_you_mean(ref, guideline_ids)}; "
                                     "the ids are listed at /guidelines.", ref)


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


def check_questions(check, spec, value, data):
    if not isinstance(value, dict):
        check.error(spec.name, f"Questions must map languages ({', '.join(LANGUAGES)}) to lists of questions, got {_type_name(value)}.")
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
        check.error(spec.name, f"Translations must map languages ({', '.join(TRANSLATED_LANGUAGES)}) to title, summary and cost.")
        return
    for lang, fields in value.items():
        if lang not in TRANSLATED_LANGUAGES:
            check.error(spec.name, f"'{lang}' is not a language we translate into; use: {', '.join(TRANSLATED_LANGUAGES)}.")
            continue
        if not isinstance(fields, dict):
            check.error(f"{spec.name}.{lang}", f"The '{lang}' translation must hold {', '.join(TRANSLATED_FIELDS)}.")
            continue
        for name in fields:
            if name not in TRANSLATED_FIELDS:
                check.warning(f"{spec.name}.{lang}", f"'{name}' is not translated here; translate: {', '.join(TRANSLATED_FIELDS)}.")
        for name in TRANSLATED_FIELDS:
            if not _is_str(fields.get(name)):
                check.warning(f"{spec.name}.{lang}", f"The {name} is not translated into '{lang}'.")
            elif name == "title" and MARKUP.search(fields[name]):
                check.error(f"{spec.name}.{lang}", "The translated title must be plain text, without HTML or markdown.")
    for lang in TRANSLATED_LANGUAGES:
        if lang not in value:
            check.warning(spec.name, f"There is no translation into '{lang}'.")


# -- the table -------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    check: Callable
    need: str = "optional"  # required | expected (a warning when missing) | optional
    vocabulary: dict | None = None
    plain: bool = False
    hint: str = ""


FIELDS: tuple[Field, ...] = (
    Field("id", "Id", check_id, "required", plain=True),
    Field("title", "Title", check_text, "required", plain=True),
    Field("summary", "Summary", check_summary, "expected",
          hint="one paragraph saying what was done, where and what evaluation found"),
    Field("city", "City", check_text, "required", plain=True),
    Field("country", "Country", check_text, "required", plain=True),
    Field("country_code", "Country code", check_country_code, "required"),
    Field("region", "Region", check_term, "required", vocab.REGIONS),
    Field("coordinates", "Coordinates", check_coordinates, "required"),
    Field("years", "Years", check_years, "required"),
    Field("scale", "Scale", check_term, "required", vocab.SCALES),
    Field("lead", "Lead organisation", check_text, "required", plain=True),
    Field("partners", "Partners", check_text_list, plain=True),
    Field("themes", "Theme", check_terms, "required", vocab.THEMES),
    Field("prevention", "Prevention type", check_terms, "required", vocab.PREVENTION),
    Field("levels", "Prevention level", check_terms, "required", vocab.LEVELS),
    Field("target_groups", "Target group", check_terms, "required", vocab.TARGET_GROUPS),
    Field("guideline_refs", "Guideline sections", check_refs, "required"),
    Field("evidence", "Evidence", check_evidence, "required"),
    Field("cost", "Cost", check_text, "expected",
          hint=f"start-up and running costs with citations, or '{citations.NO_COST_FIGURE}.'"),
    Field("cost_band", "Cost band", check_term, vocabulary=vocab.COST_BANDS),
    Field("adapted_from", "Adapted from", check_practice_id),
    Field("related", "Related practices", check_text_list),
    Field("sdg_targets", "SDG targets", check_sdg),
    Field("questions", "Questions", check_questions, "expected",
          hint="questions a practitioner would type, in en, es, fr and pt"),
    Field("translations", "Translations", check_translations, "expected", hint="title, summary and cost in es, fr and pt"),
    Field("sources", "Sources", check_sources, "required"),
    Field("reviewed", "Date last reviewed", check_date, "required"),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
KNOWN_FIELDS = tuple(FIELDS_BY_NAME)
REQUIRED = tuple(f.name for f in FIELDS if f.need == "required")


def check_front_matter(data: dict, check: FieldChecker, guideline_ids=None) -> None:
    """Check every field of one entry's front matter against the table, appending to check.problems."""
    for name in data:
        if not isinstance(name, str):
            check.error(str(name), f"Field names are text, got {_type_name(name)} '{name}'; known fields: {', '.join(KNOWN_FIELDS)}.",
                        line=1)
        elif name not in FIELDS_BY_NAME:
            check.warning(name, f"'{name}' is not a field we know{did_you_mean(name, KNOWN_FIELDS)}; known fields: {', '.join(KNOWN_FIELDS)}.")
    for spec in FIELDS:
        value = data.get(spec.name)
        if value in (None, "", [], {}):
            if spec.need == "required":
                check.error(spec.name, f"{spec.label} is required.", line=check.line_of(spec.name) or 1)
            elif spec.need == "expected":
                check.warning(spec.name, f"{spec.label} is missing: {spec.hint}.", line=check.line_of(spec.name) or 1)
            continue
        if spec.check is check_refs:
            check_refs(check, spec, value, data, guideline_ids)
        else:
            spec.check(check, spec, value, data)
    _check_citations(check, data)


def _check_citations(check: FieldChecker, data: dict):
    """Figures in the summary, evidence summary and cost cite a numbered source that exists."""
    sources = data.get("sources")
    count = len(sources) if isinstance(sources, list) else 0
    evidence = data.get("evidence") if isinstance(data.get("evidence"), dict) else {}
    for field, text in (("summary", data.get("summary")), ("evidence.summary", evidence.get("summary")),
                        ("cost", data.get("cost"))):
        if _is_str(text):
            check_cited_text(check, field, text, count, line=check.line_of(field))


def check_cited_text(check: FieldChecker, field: str, text: str, source_count: int, line=None, figures=True):
    for number in citations.out_of_range(text, source_count):
        check.warning(field, f"Cites source [{number}], but the entry has {source_count} source(s).", line=line)
    if figures:
        for sentence in citations.uncited_figures(text):
            shown = sentence if len(sentence) <= 90 else sentence[:87] + "..."
            check.warning(field, f"A figure with no citation: \"{shown}\"; add [n] for the source that gives it.", line=line)


def section_field(heading: str) -> str:
    return f"sections.{heading}"


def check_body(sections: dict[str, str], headings_in_order: list[str], check: FieldChecker, body_first_line: int,
               source_count: int | None = None):
    """Check the seven body sections: present, in order, long enough, and citing sources that exist."""
    expected = list(vocab.BODY_SECTIONS)
    if source_count is not None:
        for heading, text in sections.items():
            check_cited_text(check, section_field(heading), text, source_count, line=body_first_line,
                             figures=heading in FIGURES_MUST_CITE)
    for heading in headings_in_order:
        if heading not in expected:
            check.warning("body", f"'## {heading}' is not one of the sections{did_you_mean(heading, expected)}; "
                                  f"the sections are: {', '.join(expected)}.", line=body_first_line)
    for heading in expected:
        words = _words(sections.get(heading))
        if heading not in sections or not words:
            check.warning(section_field(heading), f"The {heading} section is missing.", line=body_first_line)
        elif words < MIN_SECTION_WORDS:
            check.warning(section_field(heading), f"The {heading} section needs at least {MIN_SECTION_WORDS} words; "
                                                  f"it has {words}.", line=body_first_line)
    present = [h for h in headings_in_order if h in expected]
    if present != [h for h in expected if h in present]:
        check.warning("body", f"The sections are out of order; the order is: {', '.join(expected)}.", line=body_first_line)
