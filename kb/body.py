"""Checks of an entry's body: the seven sections present, in order, long enough, citing real sources."""

from __future__ import annotations

from kb import vocab
from kb.field_checks import _words
from kb.problems import FieldChecker
from kb.schema import FIGURES_MUST_CITE, MIN_SECTION_WORDS, check_cited_text
from kb.words import did_you_mean


def section_field(heading: str) -> str:
    return f"sections.{heading}"


def check_body(
    sections: dict[str, str],
    headings_in_order: list[str],
    check: FieldChecker,
    body_first_line: int,
    source_count: int | None = None,
):
    """Check the seven body sections: present, in order, long enough, and citing sources that exist."""
    expected = list(vocab.BODY_SECTIONS)
    if source_count is not None:
        for heading, text in sections.items():
            check_cited_text(
                check,
                section_field(heading),
                text,
                source_count,
                line=body_first_line,
                figures=heading in FIGURES_MUST_CITE,
            )
    for heading in headings_in_order:
        if heading not in expected:
            check.warning(
                "body",
                f"'## {heading}' is not one of the sections{did_you_mean(heading, expected)}; "
                f"the sections are: {', '.join(expected)}.",
                line=body_first_line,
            )
    for heading in expected:
        words = _words(sections.get(heading))
        if heading not in sections or not words:
            check.warning(section_field(heading), f"The {heading} section is missing.", line=body_first_line)
        elif words < MIN_SECTION_WORDS:
            check.warning(
                section_field(heading),
                f"The {heading} section needs at least {MIN_SECTION_WORDS} words; it has {words}.",
                line=body_first_line,
            )
    present = [h for h in headings_in_order if h in expected]
    if present != [h for h in expected if h in present]:
        check.warning(
            "body", f"The sections are out of order; the order is: {', '.join(expected)}.", line=body_first_line
        )
