"""Turning stored text into safe HTML, citations and labels for the templates."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown as markdown_lib
import nh3
from flask_babel import gettext
from markupsafe import Markup, escape

from kb import citations, vocab

ALLOWED_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "br",
    "h3",
    "h4",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
}


def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML, then sanitised: no script, style or event handler survives."""
    return Markup(_render(text or ""))


def _citation_link(match) -> str:
    numbers = citations.numbers(match.group(1))
    links = ", ".join(f'<a href="#source-{n}" class="cite">{n}</a>' for n in numbers)
    return f'<sup class="citation">[{links}]</sup>'


def link_citations(html) -> Markup:
    """Turn [2] and [1, 3] in rendered HTML into links to the numbered sources on the page."""
    return Markup(citations.CITATION.sub(_citation_link, str(html)))


def cited_markdown(text: str | None) -> Markup:
    return link_citations(render_markdown(text))


def cited_text(text: str | None) -> Markup:
    """Plain text (escaped) with its citations linked."""
    return link_citations(escape(text or ""))


@lru_cache(maxsize=4096)  # entries change only with a build, so the same text renders the same way
def _render(text: str) -> str:
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return clean


VOCABULARIES = {
    "theme": vocab.THEMES,
    "themes": vocab.THEMES,
    "target_group": vocab.TARGET_GROUPS,
    "target_groups": vocab.TARGET_GROUPS,
    "prevention": vocab.PREVENTION,
    "region": vocab.REGIONS,
    "rating": vocab.EVIDENCE_RATINGS,
    "levels": vocab.LEVELS,
    "scale": vocab.SCALES,
    "design": vocab.EVIDENCE_DESIGNS,
    "cost_band": vocab.COST_BANDS,
    "direction": vocab.OUTCOME_DIRECTIONS,
    "registry": vocab.REGISTRIES,
}


def rating_label(rating: str) -> str:
    return term_label("rating", rating)


def term_label(facet: str, term: str) -> str:
    """A term's label in the reader's language (the English label is the catalog's message id)."""
    found = VOCABULARIES.get(facet, {}).get(term)
    return gettext(found.label) if found else term


def term_definition(facet: str, term: str) -> str:
    found = VOCABULARIES.get(facet, {}).get(term)
    return gettext(found.definition) if found else ""


def options(facet: str, definitions: bool = False) -> list[tuple]:
    """(id, label) pairs of a vocabulary for a select, or (id, label, definition) for checkboxes."""
    terms = VOCABULARIES[facet]
    if definitions:
        return [(t, term_label(facet, t), term_definition(facet, t)) for t in terms]
    return [(t, term_label(facet, t)) for t in terms]


def section_label(heading: str) -> str:
    """A section's heading (Problem, What was done, About (es), Lesson from ...) in the reader's language."""
    for prefix in ("About (", "Lesson from "):
        if heading.startswith(prefix):
            return gettext(prefix.rstrip(" (")) + heading[len(prefix) - (1 if prefix.endswith("(") else 0) - 1 :]
    return gettext(heading)


TRANSLATED_HEADING_KINDS = ("chapter", "section", "subsection", "term")


def guideline_heading(section) -> str:
    """A guideline section's heading in the reader's language: chapters, sections, subsections and glossary
    terms (and the four headed items of ¶25) are real headings and are translated; a paragraph's 'heading' is its
    opening words, which stay in English with the text."""
    if section.kind in TRANSLATED_HEADING_KINDS or (
        section.kind == "item" and section.id.count(".") == 1 and section.id.startswith("25.")
    ):
        return gettext(section.heading)
    return section.heading


def guideline_label(section) -> str:
    """How a section is cited, in the reader's language: chapters, the annex and glossary terms are words
    ('Capítulo V'); paragraph numbers such as ¶26(c)(a)(g) read the same in every language."""
    if section.kind == "chapter":
        return gettext("Annex") if section.id == "annex" else gettext("Chapter %(number)s", number=section.id)
    if section.kind == "term":
        return gettext("Glossary: %(term)s", term=guideline_heading(section))
    return section.label


def shorten(text: str, width: int = 80) -> str:
    """Cut text at a word boundary, never mid-word, with an ellipsis when cut."""
    text = " ".join(str(text or "").split())
    if len(text) <= width:
        return text
    cut = text[:width].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def translated(practice: dict, locale: str) -> dict:
    """The title, summary and cost a reader sees first, in their language when the entry has it."""
    found = (practice.get("translations") or {}).get(locale.split("_")[0]) or {}
    view = {k: found.get(k) or practice.get(k) for k in ("title", "summary", "cost")}
    view["translated"] = bool(found)
    return view


def localized(practice: dict, field: str) -> str:
    """A practice's title, summary or cost in the reader's language, when the entry has it."""
    from flask_babel import get_locale

    translations = practice.get("translations") or {}
    if isinstance(translations, str):
        import json

        translations = json.loads(translations)
    found = (translations.get(str(get_locale()).split("_")[0]) or {}).get(field)
    return found or practice.get(field) or ""


def notice_text(notice) -> str:
    """A search notice in the reader's language when it is one of the known messages, else as it came."""
    from search.messages import TEMPLATES

    code = getattr(notice, "code", None)
    if code in TEMPLATES:
        return gettext(TEMPLATES[code], **notice.values)
    return str(notice)


def local_number(value) -> str:
    from flask_babel import format_decimal

    return format_decimal(value)


def local_date(value) -> str:
    """A date in the reader's locale (Babel): 1 December 2026, 1 de diciembre de 2026, ..."""
    import datetime as dt

    from flask_babel import format_date

    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]), "long")
    except ValueError:
        return str(value or "")


def years(start, end) -> str:
    if not start:
        return ""
    return f"{start}–{end}" if end else gettext("%(start)s–ongoing", start=start)


def citation_text(practice: dict, url: str) -> str:
    """A plain-text citation of the entry itself, as a practitioner pastes it into a report."""
    return (
        f'Safer Cities Knowledge Base. "{practice["title"]}" ({practice["city"]}, {practice["country"]}). '
        f"Reviewed {practice['reviewed']}. {url}"
    )


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}%&$#_])", r"\\\1", str(text))


def citation_bibtex(practice: dict, url: str) -> str:
    year = str(practice.get("reviewed", ""))[:4]
    return "\n".join(
        [
            f"@misc{{scKB-{practice['id']},",
            f"  title = {{{_bibtex_escape(practice['title'])}}},",
            "  howpublished = {Safer Cities Knowledge Base},",
            f"  note = {{{_bibtex_escape(practice['city'])}, {_bibtex_escape(practice['country'])};"
            f" reviewed {practice['reviewed']}}},",
            f"  year = {{{year}}},",
            f"  url = {{{url}}}",
            "}",
        ]
    )


def source_bibtex(practice_id: str, position: int, source: dict) -> str:
    return "\n".join(
        [
            f"@misc{{{practice_id}-source-{position + 1},",
            f"  title = {{{_bibtex_escape(source['title'])}}},",
            f"  publisher = {{{_bibtex_escape(source['publisher'])}}},",
            f"  year = {{{source.get('year') or ''}}},",
            f"  url = {{{source['url']}}}",
            "}",
        ]
    )


def init_app(app):
    app.jinja_env.filters.update(
        markdown=render_markdown,
        cited_markdown=cited_markdown,
        cited=cited_text,
        rating_label=rating_label,
        years=years,
        shorten=shorten,
        local_date=local_date,
        number=local_number,
        gettext=gettext,
        zip=lambda first, *rest: list(zip(first, *rest, strict=False)),
    )
    app.jinja_env.globals.update(
        term_label=term_label,
        term_definition=term_definition,
        options=options,
        section_label=section_label,
        localized=localized,
        guideline_heading=guideline_heading,
        guideline_label=guideline_label,
        notice_text=notice_text,
        vocab=vocab,
        rating_definition=lambda r: term_definition("rating", r),
    )
