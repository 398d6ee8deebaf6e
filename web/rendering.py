"""Turning stored text into safe HTML, citations and labels for the templates."""

from __future__ import annotations

import re
from functools import lru_cache

import markdown as markdown_lib
import nh3
from markupsafe import Markup

from kb import vocab

ALLOWED_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "br", "h3", "h4",
                "table", "thead", "tbody", "tr", "th", "td", "sup", "sub"}


def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML, then sanitised: no script, style or event handler survives."""
    return Markup(_render(text or ""))


@lru_cache(maxsize=4096)  # entries change only with a build, so the same text renders the same way
def _render(text: str) -> str:
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"])
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}, "th": {"scope"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return clean


def rating_label(rating: str) -> str:
    return vocab.label(vocab.EVIDENCE_RATINGS, rating)


def term_label(facet: str, term: str) -> str:
    vocabularies = {"theme": vocab.THEMES, "themes": vocab.THEMES, "target_group": vocab.TARGET_GROUPS,
                    "target_groups": vocab.TARGET_GROUPS, "prevention": vocab.PREVENTION, "region": vocab.REGIONS,
                    "rating": vocab.EVIDENCE_RATINGS, "levels": vocab.LEVELS, "scale": vocab.SCALES,
                    "design": vocab.EVIDENCE_DESIGNS, "cost_band": vocab.COST_BANDS}
    return vocab.label(vocabularies.get(facet, {}), term)


def years(start, end) -> str:
    if not start:
        return ""
    return f"{start}–{end}" if end else f"{start}–ongoing"


def citation_text(practice: dict, url: str) -> str:
    """A plain-text citation of the entry itself, as a practitioner pastes it into a report."""
    return (f"Safer Cities Knowledge Base. \"{practice['title']}\" ({practice['city']}, {practice['country']}). "
            f"Reviewed {practice['reviewed']}. {url}")


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}%&$#_])", r"\\\1", str(text))


def citation_bibtex(practice: dict, url: str) -> str:
    year = str(practice.get("reviewed", ""))[:4]
    return "\n".join([
        f"@misc{{scKB-{practice['id']},",
        f"  title = {{{_bibtex_escape(practice['title'])}}},",
        "  howpublished = {Safer Cities Knowledge Base},",
        f"  note = {{{_bibtex_escape(practice['city'])}, {_bibtex_escape(practice['country'])}; reviewed {practice['reviewed']}}},",
        f"  year = {{{year}}},",
        f"  url = {{{url}}}",
        "}",
    ])


def source_bibtex(practice_id: str, position: int, source: dict) -> str:
    return "\n".join([
        f"@misc{{{practice_id}-source-{position + 1},",
        f"  title = {{{_bibtex_escape(source['title'])}}},",
        f"  publisher = {{{_bibtex_escape(source['publisher'])}}},",
        f"  year = {{{source.get('year') or ''}}},",
        f"  url = {{{source['url']}}}",
        "}",
    ])


def init_app(app):
    app.jinja_env.filters.update(
        markdown=render_markdown, rating_label=rating_label, years=years, zip=lambda first, *rest: list(zip(first, *rest)),
    )
    app.jinja_env.globals.update(
        term_label=term_label, vocab=vocab, rating_definition=lambda r: vocab.EVIDENCE_RATINGS[r].definition
        if r in vocab.EVIDENCE_RATINGS else "",
    )
