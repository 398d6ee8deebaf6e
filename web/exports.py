"""Exports of a curriculum that trainers edit: Markdown (from a template) and Word (.docx, python-docx)."""

from __future__ import annotations

import io
import re

from flask import render_template

from kb import guidelines, vocab
from web.community_state import get_community
from web.state import settings


def _cases(curriculum) -> dict[str, dict]:
    """For each case study: its rating label and one approved peer lesson, if there is one."""
    found = {}
    lessons = get_community().lessons
    for module in curriculum.modules:
        for item in module.practice_items:
            if item.practice and item.ref not in found:
                published = lessons.published(practice_id=item.ref)
                found[item.ref] = {"rating": vocab.label(vocab.EVIDENCE_RATINGS, item.practice["rating"]),
                                   "lesson": published[0] if published else None}
    return found


def plain(text: str | None) -> str:
    """Markdown to one line of plain text (for a Word paragraph), whole words kept."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text or "")
    return " ".join(re.sub(r"[*_`#>]", "", text).split())


def markdown(curriculum, url: str) -> str:
    return render_template("curriculum_export.md", c=curriculum, doc=guidelines.load(), cases=_cases(curriculum), url=url,
                           url_root=(settings().base_url or "").rstrip("/"))


def docx(curriculum, url: str) -> bytes:
    from docx import Document

    doc = guidelines.load()
    cases = _cases(curriculum)
    out = Document()
    out.add_heading(curriculum.title, level=0)
    for label, value in (("Audience", curriculum.audience), ("Duration", curriculum.duration)):
        if value:
            out.add_paragraph().add_run(f"{label}: ").bold = True
            out.paragraphs[-1].add_run(value)
    if curriculum.objectives:
        out.add_heading("Learning objectives", level=1)
        for line in curriculum.objectives.splitlines():
            if plain(line):
                out.add_paragraph(plain(line.lstrip("-* ")), style="List Bullet")
    for number, module in enumerate(curriculum.modules, start=1):
        out.add_heading(f"Module {number}. {module.title}" + (f" ({module.minutes} min)" if module.minutes else ""), level=1)
        sections = [i for i in module.guideline_items if i.section]
        if sections:
            out.add_heading("Guideline sections", level=2)
            for item in sections:
                paragraph = out.add_paragraph()
                paragraph.add_run(f"{item.section.label} ").bold = True
                paragraph.add_run(" ".join(doc.full_text(item.ref).split()))
        cases_here = [i for i in module.practice_items if i.practice]
        if cases_here:
            out.add_heading("Case studies", level=2)
            for item in cases_here:
                p = item.practice
                paragraph = out.add_paragraph(style="List Number")
                paragraph.add_run(p["title"]).bold = True
                paragraph.add_run(f" ({p['city']}, {p['country']}; evidence: {cases[item.ref]['rating']}). ")
                paragraph.add_run(plain(p.get("summary")))
                if item.note:
                    out.add_paragraph(f"Trainer's note: {plain(item.note)}")
                lesson = cases[item.ref]["lesson"]
                if lesson:
                    out.add_paragraph(f"A peer's lesson ({lesson['name']}): {plain(lesson['happened'])}")
        for heading, text in (("Discussion questions", module.questions), ("Exercise", module.exercise)):
            if text:
                out.add_heading(heading, level=2)
                for line in text.splitlines():
                    if plain(line):
                        out.add_paragraph(plain(line.lstrip("-* ")))
    out.add_paragraph(f"Source: Safer Cities Knowledge Base, {url}")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
