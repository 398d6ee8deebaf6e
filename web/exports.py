"""Exports of a curriculum that trainers edit: Markdown (from a template) and Word (.docx, python-docx)."""

from __future__ import annotations

import io
import re

from flask import render_template
from flask_babel import gettext as _

from kb import guidelines
from web.community_state import get_community
from web.rendering import localized, rating_label
from web.state import settings


def _cases(curriculum) -> dict[str, dict]:
    """For each case study: its rating label and one approved peer lesson, if there is one."""
    found = {}
    lessons = get_community().lessons
    for module in curriculum.modules:
        for item in module.practice_items:
            if item.practice and item.ref not in found:
                published = lessons.published(practice_id=item.ref)
                found[item.ref] = {
                    "rating": rating_label(item.practice["rating"]),
                    "lesson": published[0] if published else None,
                }
    return found


def plain(text: str | None) -> str:
    """Markdown to one line of plain text (for a Word paragraph), whole words kept."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text or "")
    return " ".join(re.sub(r"[*_`#>]", "", text).split())


def markdown(curriculum, url: str) -> str:
    return render_template(
        "curriculum_export.md",
        c=curriculum,
        doc=guidelines.load(),
        cases=_cases(curriculum),
        url=url,
        url_root=(settings().base_url or "").rstrip("/"),
    )


def _lines(out, text: str | None, style: str | None = None) -> None:
    for line in (text or "").splitlines():
        if plain(line):
            out.add_paragraph(plain(line.lstrip("-* ")), style=style)


def _docx_cases(out, module, cases: dict) -> None:
    here = [i for i in module.practice_items if i.practice]
    if not here:
        return
    out.add_heading(_("Case studies"), level=2)
    for item in here:
        p = item.practice
        paragraph = out.add_paragraph(style="List Number")
        paragraph.add_run(localized(p, "title")).bold = True
        paragraph.add_run(f" ({p['city']}, {p['country']}; {_('evidence')}: {cases[item.ref]['rating']}). ")
        paragraph.add_run(plain(localized(p, "summary")))
        if item.note:
            out.add_paragraph(_("Trainer's note") + ": " + plain(item.note))
        lesson = cases[item.ref]["lesson"]
        if lesson:
            out.add_paragraph(_("A peer's lesson") + f" ({lesson['name']}): {plain(lesson['happened'])}")


def _docx_module(out, number: int, module, cases: dict, doc) -> None:
    minutes = f" ({_('%(minutes)s min', minutes=module.minutes)})" if module.minutes else ""
    out.add_heading(_("Module %(number)s. %(title)s", number=number, title=module.title) + minutes, level=1)
    sections = [i for i in module.guideline_items if i.section]
    if sections:
        out.add_heading(_("Guideline sections"), level=2)
        for item in sections:
            paragraph = out.add_paragraph()
            paragraph.add_run(f"{item.section.label} ").bold = True
            paragraph.add_run(" ".join(doc.full_text(item.ref).split()))
    _docx_cases(out, module, cases)
    for heading, text in ((_("Discussion questions"), module.questions), (_("Exercise"), module.exercise)):
        if text:
            out.add_heading(heading, level=2)
            _lines(out, text)


def docx(curriculum, url: str) -> bytes:
    """The curriculum as a Word document a trainer can edit, in the reader's language."""
    from docx import Document

    out = Document()
    out.add_heading(curriculum.title, level=0)
    for label, value in ((_("Audience"), curriculum.audience), (_("Duration"), curriculum.duration)):
        if value:
            out.add_paragraph().add_run(f"{label}: ").bold = True
            out.paragraphs[-1].add_run(value)
    if curriculum.objectives:
        out.add_heading(_("Learning objectives"), level=1)
        _lines(out, curriculum.objectives, style="List Bullet")
    cases, doc = _cases(curriculum), guidelines.load()
    for number, module in enumerate(curriculum.modules, start=1):
        _docx_module(out, number, module, cases, doc)
    out.add_paragraph(f"{_('Source')}: {_('Safer Cities Knowledge Base')}, {url}")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
