"""Field-by-field validation of a practice entry's front matter and body.

Validation never stops at the first problem: every check appends to a list, so an
author sees everything wrong with an entry in one run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from kb import citations, vocab

ERROR, WARNING = "error", "warning"

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SDG_PATTERN = re.compile(r"^\d{1,2}\.[0-9a-z]{1,2}$")
MIN_SECTION_WORDS = 40

REQUIRED = (
    "id", "title", "city", "country", "country_code", "region", "coordinates", "years",
    "scale", "lead", "themes", "prevention", "levels", "target_groups", "guideline_refs",
    "evidence", "sources", "reviewed",
)
OPTIONAL = (
    "summary", "partners", "cost", "cost_band", "adapted_from", "related", "sdg_targets",
    "questions", "translations",
)
# Expected on every entry; missing ones are warnings so a draft still loads.
EXPECTED = ("summary", "cost", "questions", "translations")
LANGUAGES = ("en", "es", "fr", "pt")
TRANSLATED_LANGUAGES = ("es", "fr", "pt")
TRANSLATED_FIELDS = ("title", "summary", "cost")
SUMMARY_WORDS = (30, 140)
# Which evaluation designs can carry each rating (the evidence scale on /methodology).
DESIGNS_FOR_RATING = {
    "effective": ("rct", "quasi-experimental"),
    "promising": ("rct", "quasi-experimental", "before-after"),
    "mixed": ("rct", "quasi-experimental", "before-after", "qualitative", "monitoring"),
    "no-effect": ("rct", "quasi-experimental"),
    "harmful": ("rct", "quasi-experimental", "before-after", "qualitative", "monitoring"),
    "not-evaluated": ("none", "monitoring", "qualitative"),
}
KNOWN_FIELDS = REQUIRED + OPTIONAL
LIST_FIELDS = ("themes", "prevention", "levels", "target_groups")


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


def allowed_terms(vocabulary: dict) -> str:
    return ", ".join(vocabulary)


def suggest(value: str, choices) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


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
        if line is None and field:
            line = self.line_of(field, value)
        self.problems.append(Problem(severity, self.path, field, message, line))

    def error(self, field, message, value=None, line=None):
        self.add(ERROR, field, message, value, line)

    def warning(self, field, message, value=None, line=None):
        self.add(WARNING, field, message, value, line)


def _is_str(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _type_name(value) -> str:
    return {list: "a list", dict: "a mapping", str: "text", int: "a number", float: "a number",
            bool: "true/false", type(None): "empty"}.get(type(value), type(value).__name__)


def check_term(check: FieldChecker, field: str, value, vocabulary: dict):
    if not isinstance(value, str) or value not in vocabulary:
        check.error(
            field,
            f"unknown term '{value}'{suggest(value, vocabulary)}; allowed: {allowed_terms(vocabulary)}",
            value,
        )


def check_front_matter(data: dict, check: FieldChecker, guideline_ids=None) -> None:
    """Check every field of one entry's front matter, appending to check.problems."""
    for name in REQUIRED:
        if name not in data or data[name] in (None, "", []):
            check.error(name, "required field is missing or empty", line=check.line_of(name) or 1)
    for name in data:
        if not isinstance(name, str):
            check.error(str(name), f"field names are text, got {_type_name(name)} '{name}'; known fields: {', '.join(KNOWN_FIELDS)}",
                        line=1)
        elif name not in KNOWN_FIELDS:
            check.warning(name, f"unrecognised field{suggest(name, KNOWN_FIELDS)}; known fields: {', '.join(KNOWN_FIELDS)}")

    for name in ("id", "title", "city", "country", "lead"):
        if name in data and data[name] is not None and not _is_str(data[name]):
            check.error(name, f"must be text, got {_type_name(data[name])}")
    if _is_str(data.get("id")) and not ID_PATTERN.match(data["id"]):
        check.error("id", "must be lowercase letters and digits joined by single hyphens, e.g. 'medellin-metrocable'")
    code = data.get("country_code")
    if code is not None and not (isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code)):
        check.error("country_code", f"must be an ISO 3166-1 alpha-2 code of two capital letters, e.g. 'CO', got '{code}'")

    for name, vocabulary in (("region", vocab.REGIONS), ("scale", vocab.SCALES)):
        if data.get(name) is not None:
            check_term(check, name, data[name], vocabulary)
    if data.get("cost_band") is not None:
        check_term(check, "cost_band", data["cost_band"], vocab.COST_BANDS)

    for name in LIST_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, list):
            check.error(name, f"must be a list of terms, got {_type_name(value)}; allowed: {allowed_terms(vocab.VOCABULARIES[name])}")
            continue
        for term in value:
            check_term(check, name, term, vocab.VOCABULARIES[name])
        if len(set(map(str, value))) != len(value):
            check.warning(name, "lists a term more than once")

    _check_coordinates(check, data.get("coordinates"))
    _check_years(check, data.get("years"))
    _check_refs(check, data.get("guideline_refs"), guideline_ids)
    _check_evidence(check, data.get("evidence"))
    _check_sources(check, data.get("sources"))
    _check_reviewed(check, data.get("reviewed"))
    _check_expected(check, data)
    _check_citations(check, data)
    _check_questions(check, data.get("questions"))
    _check_translations(check, data.get("translations"))

    for name in ("partners", "related", "sdg_targets"):
        value = data.get(name)
        if value is not None and not (isinstance(value, list) and all(_is_str(v) for v in value)):
            check.error(name, f"must be a list of text items, got {_type_name(value)}")
    targets = data.get("sdg_targets")
    for target in targets if isinstance(targets, list) else []:
        if isinstance(target, str) and not SDG_PATTERN.match(target):
            check.warning("sdg_targets", f"'{target}' is not an SDG target such as '11.7' or '16.a'", target)
    adapted = data.get("adapted_from")
    if adapted is not None and not (_is_str(adapted) and ID_PATTERN.match(adapted)):
        check.error("adapted_from", "must be the id of another practice, e.g. 'chicago-cure-violence'")
    if data.get("cost") is not None and not _is_str(data.get("cost")):
        check.error("cost", f"must be text, got {_type_name(data['cost'])}")


def _check_coordinates(check: FieldChecker, value):
    if value is None:
        return
    if not (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        check.error("coordinates", f"must be [latitude, longitude] as two numbers, got {value!r}")
        return
    lat, lon = value
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        check.warning("coordinates", f"{value} is out of range: latitude -90..90, longitude -180..180")


def _check_years(check: FieldChecker, value):
    if value is None:
        return
    valid = (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)
             and (value[1] is None or isinstance(value[1], int)))
    if not valid:
        check.error("years", f"must be [start, end] with whole years and end null if ongoing, got {value!r}")
        return
    start, end = value
    this_year = dt.date.today().year
    if not 1900 <= start <= this_year:
        check.warning("years", f"start year {start} is outside 1900..{this_year}")
    if end is not None and end < start:
        check.warning("years", f"end year {end} is before start year {start}")


def _check_refs(check: FieldChecker, value, guideline_ids):
    if value is None:
        return
    if not isinstance(value, list):
        check.error("guideline_refs", f"must be a list of guideline ids such as ['26.c.a.g'], got {_type_name(value)}")
        return
    for ref in value:
        if not isinstance(ref, str):
            check.error("guideline_refs", f"ids are text: write '{ref}' in quotes", ref)
        elif guideline_ids is not None and ref not in guideline_ids:
            check.warning("guideline_refs", f"'{ref}' is not a guideline section id{suggest(ref, guideline_ids)}; see /guidelines for the ids", ref)


def _check_evidence(check: FieldChecker, value):
    if value is None:
        return
    if not isinstance(value, dict):
        check.error("evidence", f"must be a mapping with rating, design and summary, got {_type_name(value)}")
        return
    for key in ("rating", "design", "summary"):
        if value.get(key) in (None, ""):
            check.error(f"evidence.{key}", "required field is missing or empty", line=check.line_of("evidence"))
    if value.get("rating") is not None:
        check_term(check, "evidence.rating", value["rating"], vocab.EVIDENCE_RATINGS)
    if value.get("design") is not None:
        check_term(check, "evidence.design", value["design"], vocab.EVIDENCE_DESIGNS)
    if value.get("summary") is not None and not _is_str(value.get("summary")):
        check.error("evidence.summary", f"must be text, got {_type_name(value['summary'])}")
    rating, design = value.get("rating"), value.get("design")
    if rating in DESIGNS_FOR_RATING and design in vocab.EVIDENCE_DESIGNS and design not in DESIGNS_FOR_RATING[rating]:
        allowed = ", ".join(DESIGNS_FOR_RATING[rating])
        check.error("evidence.rating", f"'{rating}' cannot rest on evaluation design '{design}'; "
                    f"it needs one of: {allowed} (see the evidence scale on /methodology)")
    for key in value:
        if key not in ("rating", "design", "summary", "outcomes", "registries"):
            check.warning(f"evidence.{key}", "unrecognised field; known: rating, design, summary, outcomes, registries")
    _check_registries(check, value.get("registries"))
    outcomes = value.get("outcomes")
    if outcomes in (None, []):
        return
    if not isinstance(outcomes, list):
        check.error("evidence.outcomes", f"must be a list of {{outcome, direction, rating}}, got {_type_name(outcomes)}")
        return
    for i, item in enumerate(outcomes):
        field = f"evidence.outcomes[{i}]"
        if not isinstance(item, dict) or not _is_str(item.get("outcome")):
            check.error(field, "each outcome needs 'outcome' (text), 'direction' and 'rating'", line=check.line_of("outcomes"))
            continue
        check_term(check, f"{field}.direction", item.get("direction"), vocab.OUTCOME_DIRECTIONS)
        check_term(check, f"{field}.rating", item.get("rating"), vocab.EVIDENCE_RATINGS)


def _check_registries(check: FieldChecker, value):
    if value in (None, []):
        return
    if not isinstance(value, list):
        check.error("evidence.registries", f"must be a list of {{registry, rating, url}}, got {_type_name(value)}")
        return
    for i, item in enumerate(value):
        field = f"evidence.registries[{i}]"
        if not isinstance(item, dict):
            check.error(field, "each registry needs 'registry', 'rating' and 'url'", line=check.line_of("registries"))
            continue
        check_term(check, f"{field}.registry", item.get("registry"), vocab.REGISTRIES)
        if not _is_str(item.get("rating")):
            check.error(f"{field}.rating", "the registry's own rating, as text, is missing", line=check.line_of("registries"))
        url = str(item.get("url") or "")
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            check.error(f"{field}.url", f"'{url}' is not a web address with http(s):// and a host", line=check.line_of("registries"))


def _word_count(text) -> int:
    return len(str(text or "").split())


def _check_expected(check: FieldChecker, data: dict):
    for name in EXPECTED:
        if data.get(name) in (None, "", [], {}):
            hint = {
                "summary": "one paragraph saying what was done, where and what evaluation found",
                "cost": f"start-up and running costs with citations, or '{citations.NO_COST_FIGURE}.'",
                "questions": "questions a practitioner would type, in en, es, fr and pt",
                "translations": "title, summary and cost in es, fr and pt",
            }[name]
            check.warning(name, f"missing: {hint}", line=check.line_of(name) or 1)
    summary = data.get("summary")
    if summary is not None and not _is_str(summary):
        check.error("summary", f"must be text, got {_type_name(summary)}")
    elif _is_str(summary) and not SUMMARY_WORDS[0] <= _word_count(summary) <= SUMMARY_WORDS[1]:
        low, high = SUMMARY_WORDS
        check.warning("summary", f"has {_word_count(summary)} words; write one paragraph of {low} to {high}")


def _check_citations(check: FieldChecker, data: dict):
    """Figures in the summary, evidence summary and cost cite a numbered source that exists."""
    sources = data.get("sources")
    count = len(sources) if isinstance(sources, list) else 0
    evidence = data.get("evidence") if isinstance(data.get("evidence"), dict) else {}
    for field, text in (("summary", data.get("summary")), ("evidence.summary", evidence.get("summary")),
                        ("cost", data.get("cost"))):
        if not _is_str(text):
            continue
        check_cited_text(check, field, text, count, line=check.line_of(field))


def check_cited_text(check: FieldChecker, field: str, text: str, source_count: int, line=None, figures=True):
    for number in citations.out_of_range(text, source_count):
        check.warning(field, f"cites source [{number}], but the entry has {source_count} source(s)", line=line)
    if figures:
        for sentence in citations.uncited_figures(text):
            shown = sentence if len(sentence) <= 90 else sentence[:87] + "..."
            check.warning(field, f"a figure with no citation: \"{shown}\"; add [n] for the source that gives it", line=line)


def _check_questions(check: FieldChecker, value):
    if value in (None, {}):
        return
    if not isinstance(value, dict):
        check.error("questions", f"must map languages ({', '.join(LANGUAGES)}) to lists of questions, got {_type_name(value)}")
        return
    for lang, items in value.items():
        if lang not in LANGUAGES:
            check.error("questions", f"unknown language '{lang}'; allowed: {', '.join(LANGUAGES)}")
        elif not (isinstance(items, list) and items and all(_is_str(q) for q in items)):
            check.error(f"questions.{lang}", "must be a list of questions, each as text")
    for lang in LANGUAGES:
        if lang not in value:
            check.warning("questions", f"no questions in '{lang}'")


def _check_translations(check: FieldChecker, value):
    if value in (None, {}):
        return
    if not isinstance(value, dict):
        check.error("translations", f"must map languages ({', '.join(TRANSLATED_LANGUAGES)}) to title, summary and cost, got {_type_name(value)}")
        return
    for lang, fields in value.items():
        if lang not in TRANSLATED_LANGUAGES:
            check.error("translations", f"unknown language '{lang}'; allowed: {', '.join(TRANSLATED_LANGUAGES)}")
            continue
        if not isinstance(fields, dict):
            check.error(f"translations.{lang}", f"must hold {', '.join(TRANSLATED_FIELDS)}, got {_type_name(fields)}")
            continue
        for name in fields:
            if name not in TRANSLATED_FIELDS:
                check.warning(f"translations.{lang}", f"unrecognised field '{name}'; known: {', '.join(TRANSLATED_FIELDS)}")
        for name in TRANSLATED_FIELDS:
            if not _is_str(fields.get(name)):
                check.warning(f"translations.{lang}", f"the {name} is not translated into '{lang}'")
    for lang in TRANSLATED_LANGUAGES:
        if lang not in value:
            check.warning("translations", f"no translation into '{lang}'")


def _check_sources(check: FieldChecker, value):
    if value is None:
        return
    if not isinstance(value, list):
        check.error("sources", f"must be a list of {{title, publisher, year, url}}, got {_type_name(value)}")
        return
    for i, source in enumerate(value):
        field = f"sources[{i}]"
        if not isinstance(source, dict):
            check.error(field, f"must be a mapping with title, publisher, year and url, got {_type_name(source)}", line=check.line_of("sources"))
            continue
        line = check.line_of("title", source.get("title")) if source.get("title") else check.line_of("sources")
        for key in ("title", "publisher"):
            if not _is_str(source.get(key)):
                check.error(f"{field}.{key}", "required text is missing", line=line)
        year = source.get("year")
        if year is None:
            check.warning(f"{field}.year", "publication year is missing", line=line)
        elif not isinstance(year, int) or isinstance(year, bool):
            check.error(f"{field}.year", f"must be a whole year such as 2012, got {year!r}", line=line)
        url = source.get("url")
        if not url:
            check.warning(f"{field}.url", "no URL: a reader cannot check this source", line=line)
        else:
            parsed = urlparse(str(url))
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                check.warning(f"{field}.url", f"'{url}' is not a web address with http(s):// and a host", line=line)


def _check_reviewed(check: FieldChecker, value):
    if value is None:
        return
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            check.error("reviewed", f"must be a date written YYYY-MM-DD, got '{value}'")
            return
    if not isinstance(value, dt.date):
        check.error("reviewed", f"must be a date written YYYY-MM-DD, got {value!r}")
    elif value > dt.date.today():
        check.warning("reviewed", f"{value} is in the future")


FIGURES_MUST_CITE = ("Results and evidence",)


def check_body(sections: dict[str, str], headings_in_order: list[str], check: FieldChecker, body_first_line: int,
               source_count: int | None = None):
    """Check the seven body sections: present, in order, long enough, and citing sources that exist."""
    if source_count is not None:
        for heading, text in sections.items():
            check_cited_text(check, f"sections.{heading}", text, source_count, line=body_first_line,
                             figures=heading in FIGURES_MUST_CITE)
    expected = list(vocab.BODY_SECTIONS)
    for heading in headings_in_order:
        if heading not in expected:
            check.warning("body", f"unexpected section '## {heading}'{suggest(heading, expected)}; sections: {', '.join(expected)}", line=body_first_line)
    present = [h for h in headings_in_order if h in expected]
    for heading in expected:
        if heading not in sections:
            check.warning("body", f"missing section '## {heading}'", line=body_first_line)
        elif len(sections[heading].split()) < MIN_SECTION_WORDS:
            words = len(sections[heading].split())
            check.warning("body", f"section '## {heading}' has {words} words; write at least {MIN_SECTION_WORDS}", line=body_first_line)
    if present != [h for h in expected if h in present]:
        check.warning("body", f"sections are out of order; expected: {', '.join(expected)}", line=body_first_line)
