"""The entry schema, declared once as a table of fields, and the checks that walk it.

Validation never stops at the first problem: every check appends to a list, so an author sees
everything wrong with an entry in one run. Messages are written for a city official as much
as for a developer ("Title is required", "The Problem section needs at least 40 words; it has
1"); each problem carries the field it belongs to (`title`, `sources[2].url`,
`sections.Problem`), so a form can show it beside that field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kb import citations, vocab
from kb.field_checks import (
    _is_str,
    _type_name,
    check_coordinates,
    check_country_code,
    check_date,
    check_evidence,
    check_id,
    check_practice_id,
    check_refs,
    check_sdg,
    check_sources,
    check_summary,
    check_term,
    check_terms,
    check_text,
    check_text_list,
    check_years,
)
from kb.languages import TRANSLATED_FIELDS, TRANSLATED_LANGUAGES, check_questions, check_translations  # noqa: F401
from kb.problems import ERROR, WARNING, FieldChecker, Problem  # noqa: F401  (where every check reports)
from kb.words import did_you_mean

MIN_SECTION_WORDS = 40
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
    Field(
        "summary",
        "Summary",
        check_summary,
        "expected",
        hint="one paragraph saying what was done, where and what evaluation found",
    ),
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
    Field(
        "cost",
        "Cost",
        check_text,
        "expected",
        hint=f"start-up and running costs with citations, or '{citations.NO_COST_FIGURE}.'",
    ),
    Field("cost_band", "Cost band", check_term, vocabulary=vocab.COST_BANDS),
    Field("adapted_from", "Adapted from", check_practice_id),
    Field("related", "Related practices", check_text_list),
    Field("sdg_targets", "SDG targets", check_sdg),
    Field(
        "questions",
        "Questions",
        check_questions,
        "expected",
        hint="questions a practitioner would type, in en, es, fr and pt",
    ),
    Field(
        "translations", "Translations", check_translations, "expected", hint="title, summary and cost in es, fr and pt"
    ),
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
            check.error(
                str(name),
                f"Field names are text, got {_type_name(name)} '{name}'; known fields: {', '.join(KNOWN_FIELDS)}.",
                line=1,
            )
        elif name not in FIELDS_BY_NAME:
            check.warning(
                name,
                f"'{name}' is not a field we know{did_you_mean(name, KNOWN_FIELDS)}; known fields: "
                f"{', '.join(KNOWN_FIELDS)}.",
            )
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
    for field, text in (
        ("summary", data.get("summary")),
        ("evidence.summary", evidence.get("summary")),
        ("cost", data.get("cost")),
    ):
        if _is_str(text):
            check_cited_text(check, field, text, count, line=check.line_of(field))


def check_cited_text(check: FieldChecker, field: str, text: str, source_count: int, line=None, figures=True):
    for number in citations.out_of_range(text, source_count):
        check.warning(field, f"Cites source [{number}], but the entry has {source_count} source(s).", line=line)
    if figures:
        for sentence in citations.uncited_figures(text):
            shown = sentence if len(sentence) <= 90 else sentence[:87] + "..."
            check.warning(
                field, f'A figure with no citation: "{shown}"; add [n] for the source that gives it.', line=line
            )
