"""Split practices and guideline sections into passages of at most ~200 words.

A practice yields an "About" passage that says what it is about (title, summary, evidence
summary and the questions it answers), one per translation ("About (es)": the translated title
and summary with the Spanish questions), and one or more passages per body section; long
sections are cut at paragraph, then sentence, boundaries. Every passage carries its practice's
title, so a passage read alone still says what it is about.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

MAX_WORDS = 200


@dataclass(frozen=True)
class Passage:
    owner: str  # practice id, or guideline section id
    kind: str  # "practice" or "guideline"
    heading: str  # "Overview", a body section name, or the guideline label
    title: str  # the practice title or guideline heading
    text: str

    @property
    def embedding_text(self) -> str:
        return f"{self.title}. {self.heading}: {self.text}"

    @property
    def content_hash(self) -> str:
        return hashlib.sha1(self.embedding_text.encode("utf-8")).hexdigest()


def chunk(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """Cut text into pieces of at most max_words, at paragraph and sentence boundaries."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        paragraph = re.sub(r"\s+", " ", paragraph).strip()
        if not paragraph:
            continue
        units = [paragraph] if len(paragraph.split()) <= max_words else re.split(r"(?<=[.!?;])\s+", paragraph)
        for unit in units:
            unit_words = unit.split()
            while len(unit_words) > max_words:  # a single overlong sentence: cut by words
                pieces.append(" ".join(unit_words[:max_words]))
                unit_words = unit_words[max_words:]
            unit = " ".join(unit_words)
            if pieces and len(pieces[-1].split()) + len(unit_words) <= max_words and not pieces[-1].endswith("\n"):
                pieces[-1] = f"{pieces[-1]} {unit}"
            elif unit:
                pieces.append(unit)
        if pieces:
            pieces[-1] += "\n"  # never merge across paragraphs after a full one
    return [p.strip() for p in pieces if p.strip()]


ABOUT = "About"
TRANSLATED_LANGUAGES = ("es", "fr", "pt")


def about_heading(lang: str | None = None) -> str:
    return f"{ABOUT} ({lang})" if lang else ABOUT


def _questions(meta: dict, lang: str) -> list[str]:
    found = (meta.get("questions") or {}).get(lang) or []
    return [q for q in found if isinstance(q, str)]


def about_text(meta: dict, lang: str | None = None) -> str:
    """What a practice is about, in one language: title, summary and the questions it answers."""
    if lang is None:
        evidence = meta.get("evidence") or {}
        parts = [
            f"{meta['title']}, {meta.get('city')}, {meta.get('country')}.",
            meta.get("summary"),
            evidence.get("summary"),
            " ".join(_questions(meta, "en")),
        ]
    else:
        translated = (meta.get("translations") or {}).get(lang) or {}
        parts = [translated.get("title"), translated.get("summary"), " ".join(_questions(meta, lang))]
    return " ".join(" ".join(str(p) for p in parts if p).split())


def practice_passages(meta: dict, sections: dict[str, str]) -> list[Passage]:
    title = meta["title"]
    passages = [
        Passage(meta["id"], "practice", about_heading(), title, piece)
        for piece in chunk(about_text(meta), MAX_WORDS * 2)
    ]
    for lang in TRANSLATED_LANGUAGES:
        text = about_text(meta, lang)
        if text:
            passages += [Passage(meta["id"], "practice", about_heading(lang), title, piece) for piece in chunk(text)]
    for heading, text in sections.items():
        for piece in chunk(text):
            passages.append(Passage(meta["id"], "practice", heading, title, piece))
    return passages


def guideline_passages(sections) -> list[Passage]:
    """One passage per guideline section with text of its own (headings alone are skipped)."""
    passages = []
    for section in sections:
        if not section.text.strip():
            continue
        for piece in chunk(section.text):
            passages.append(Passage(section.id, "guideline", section.label, section.heading, piece))
    return passages


def plain_text(markdown_text: str | None) -> str:
    """Markdown as plain words (links keep their text; emphasis, code and heading marks go)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text or "")
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"[*_`#>]+", "", text)


def lesson_passages(lessons: list[dict], titles: dict[str, str]) -> list[Passage]:
    """Approved lessons as passages of the practice they are about, as plain text (snippets show no markup)."""
    passages = []
    for lesson in lessons:
        if lesson.get("practice_id") not in titles:
            continue
        who = ", ".join(filter(None, [lesson.get("name"), lesson.get("organisation"), lesson.get("city")]))
        text = plain_text(
            " ".join(filter(None, [lesson.get("tried"), lesson.get("happened"), lesson.get("differently")]))
        )
        for piece in chunk(text):
            passages.append(
                Passage(lesson["practice_id"], "practice", f"Lesson from {who}", titles[lesson["practice_id"]], piece)
            )
    return passages
