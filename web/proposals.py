"""Propose a practice: the schema as a form, checked by the same validator as the markdown entries."""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, redirect, render_template, request, url_for

from kb import guidelines, loader, queries, vocab
from kb.schema import ID_PATTERN
from web.community_state import allow_submission, get_community
from web.forms import Form
from web.state import get_db

bp = Blueprint("proposals", __name__)
SOURCE_ROWS = 3
SECTION_FIELDS = {heading: "section_" + heading.lower().replace(" ", "_") for heading in vocab.BODY_SECTIONS}


def _number(form: Form, name: str, label: str, kind=float, required: bool = True):
    raw = form.text(name, label, required=required, max_length=20)
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        form.error(name, f"{label} must be a {'whole number' if kind is int else 'number'}, got '{raw}'.")
        return None


def field_for(problem) -> str:
    """The form field a validator problem belongs beside."""
    name = problem.field
    if name == "body":
        for heading, field in SECTION_FIELDS.items():
            if f"'## {heading}'" in problem.message:
                return field
        return "form"
    match = re.match(r"sources\[(\d+)\]\.(\w+)", name)
    if match:
        return f"source_{match.group(2)}_{match.group(1)}"
    return {"coordinates": "lat", "years": "year_start", "evidence.rating": "rating", "evidence.design": "design",
            "evidence.summary": "summary", "front matter": "form"}.get(name, name.split(".")[0].split("[")[0])


def _read(form: Form, existing_ids: set[str], section_ids: set[str]) -> tuple[dict, dict]:
    meta = {
        "id": form.text("id", "Id", required=True, max_length=80),
        "title": form.text("title", "Title", required=True, max_length=200),
        "city": form.text("city", "City", required=True, max_length=120),
        "country": form.text("country", "Country", required=True, max_length=120),
        "country_code": form.text("country_code", "Country code", required=True, max_length=2).upper(),
        "region": form.choice("region", "Region", vocab.REGIONS, required=True),
        "coordinates": [_number(form, "lat", "Latitude"), _number(form, "lon", "Longitude")],
        "years": [_number(form, "year_start", "Start year", int), _number(form, "year_end", "End year", int, required=False)],
        "scale": form.choice("scale", "Scale", vocab.SCALES, required=True),
        "lead": form.text("lead", "Lead organisation", required=True, max_length=200),
        "partners": [p.strip() for p in form.text("partners", "Partners", max_length=2000, multiline=True).splitlines() if p.strip()],
        "themes": form.choices("themes", "Themes", vocab.THEMES),
        "prevention": form.choices("prevention", "Prevention", vocab.PREVENTION),
        "levels": form.choices("levels", "Levels", vocab.LEVELS),
        "target_groups": form.choices("target_groups", "Target groups", vocab.TARGET_GROUPS),
        "guideline_refs": form.choices("guideline_refs", "Guideline sections", section_ids),
        "evidence": {
            "rating": form.choice("rating", "Evidence rating", vocab.EVIDENCE_RATINGS, required=True),
            "design": form.choice("design", "Evaluation design", vocab.EVIDENCE_DESIGNS, required=True),
            "summary": form.text("summary", "Evidence summary", required=True, max_length=2000, multiline=True),
        },
        "cost": form.text("cost", "Cost", max_length=1000, multiline=True) or None,
        "cost_band": form.choice("cost_band", "Cost band", vocab.COST_BANDS) or None,
        "adapted_from": form.choice("adapted_from", "Adapted from", existing_ids) or None,
        "sources": [],
        "reviewed": dt.date.today(),
    }
    for i in range(SOURCE_ROWS):
        row = {
            "title": form.text(f"source_title_{i}", "Source title", max_length=300),
            "publisher": form.text(f"source_publisher_{i}", "Publisher", max_length=200),
            "year": _number(form, f"source_year_{i}", "Year", int, required=False),
            "url": form.text(f"source_url_{i}", "Web address", max_length=500),
        }
        if any(v for v in row.values()):
            meta["sources"].append(row)
    if meta["id"] and ID_PATTERN.match(meta["id"]) and meta["id"] in existing_ids:
        form.error("id", f"A practice with the id '{meta['id']}' already exists; choose another.")
    sections = {h: form.text(f, h, required=True, max_length=8000, multiline=True) for h, f in SECTION_FIELDS.items()}
    return meta, sections


def _context(values, errors):
    db = get_db()
    doc = guidelines.load()
    return {"values": values, "errors": errors, "practices": queries.practices(db), "vocab": vocab,
            "sections": [s for s in doc.in_order() if s.kind != "term"], "source_rows": range(SOURCE_ROWS),
            "section_fields": SECTION_FIELDS}


@bp.route("/practices/propose", methods=["GET", "POST"])
def propose():
    if request.method == "GET":
        return render_template("propose.html", **_context({}, {}))
    db = get_db()
    existing = {p["id"] for p in queries.practices(db)} | {s["practice_id"] for s in get_community().submissions("pending")}
    doc = guidelines.load()
    form = Form(request.form)
    meta, sections = _read(form, existing, set(doc.sections))
    submitter = form.text("submitter_name", "Your name", required=True, max_length=120)
    email = form.email("submitter_email", "Your email")
    document = loader.dump_entry({k: v for k, v in meta.items() if v not in (None, [], "")}, sections)
    if form.ok:  # the same strict validation as practices/*.md, reported beside the fields
        _, problems = loader.parse_text(document, f"{meta['id']}.md", set(doc.sections))
        for problem in problems:
            form.error(field_for(problem), problem.message)
    if form.ok and not allow_submission():
        form.error("form", "Too many submissions from your connection in the last few minutes. "
                           "Everything you typed is kept below: please try again later.")
    if not form.ok:
        return render_template("propose.html", **_context(form.values, form.errors)), 422
    number = get_community().add_submission(meta["id"], document, submitter, email or None)
    return redirect(url_for("proposals.thanks", number=number))


@bp.route("/practices/propose/thanks/<int:number>")
def thanks(number):
    return render_template("thanks.html", what="practice", number=number)
