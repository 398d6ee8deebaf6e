"""Propose a practice: the schema as a form, checked in one pass by the same validator as the entries.

Every problem (a required field left empty, a word count, a rating the design cannot carry, a
URL) is shown at once beside its field: the validator names the field of each problem, and
FIELD_OF maps it to the form's input.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from kb import guidelines, loader, queries, vocab
from kb.field_checks import ID_PATTERN
from web import notify
from web.community_state import allow_submission, get_community
from web.forms import Form
from web.state import get_db

bp = Blueprint("proposals", __name__)
SOURCE_ROWS = 3  # shown on a new form; a curator editing an entry sees as many as it has
MAX_SOURCES = 20
OUTCOME_ROWS = 3
SECTION_FIELDS = {heading: "section_" + heading.lower().replace(" ", "_") for heading in vocab.BODY_SECTIONS}
# Fields the form does not ask for: curators add them before publishing.
NOT_ASKED = ("questions", "translations")
FIELD_OF = {
    "coordinates": "lat",
    "years": "year_start",
    "evidence.rating": "rating",
    "evidence.design": "design",
    "evidence.summary": "evidence_summary",
    "front matter": "form",
    "body": "form",
    "evidence": "rating",
}


def field_for(problem) -> str:
    """The form field a validator problem belongs beside (by the problem's field, never its wording)."""
    name = problem.field
    if name.startswith("sections."):
        return SECTION_FIELDS.get(name.removeprefix("sections."), "form")
    if match := re.match(r"sources\[(\d+)\]\.(\w+)", name):
        return f"source_{match.group(2)}_{match.group(1)}"
    if match := re.match(r"evidence\.outcomes\[(\d+)\]\.?(\w*)", name):
        return f"outcome_{match.group(2) or 'outcome'}_{match.group(1)}"
    if name == "sources":
        return "source_title_0"
    return FIELD_OF.get(name, name.split(".")[0].split("[")[0])


def _number(form: Form, name: str, label: str, kind=float, required: bool = True):
    raw = form.text(name, label, required=required, max_length=20)
    if not raw:
        return None
    try:
        return kind(raw)
    except ValueError:
        form.error(
            name,
            _(
                "%(label)s must be a number, such as %(example)s; got '%(raw)s'.",
                label=label,
                example="2015" if kind is int else "6.25",
                raw=raw,
            ),
        )
        return None


def _read(form: Form, existing_ids: set[str], section_ids: set[str]) -> tuple[dict, dict]:
    meta = {
        "id": form.text("id", _("Short id"), required=True, max_length=80),
        "title": form.plain("title", _("Title"), required=True, max_length=200),
        "summary": form.text("summary", _("Summary"), required=True, max_length=1500, multiline=True),
        "city": form.plain("city", _("City"), required=True, max_length=120),
        "country": form.plain("country", _("Country"), required=True, max_length=120),
        "country_code": form.text("country_code", _("Country code"), required=True, max_length=2).upper(),
        "region": form.choice("region", _("Region"), vocab.REGIONS, required=True),
        "coordinates": [_number(form, "lat", _("Latitude")), _number(form, "lon", _("Longitude"))],
        "years": [
            _number(form, "year_start", _("Start year"), int),
            _number(form, "year_end", _("End year"), int, required=False),
        ],
        "scale": form.choice("scale", _("Scale"), vocab.SCALES, required=True),
        "lead": form.plain("lead", _("Lead organisation"), required=True, max_length=200),
        "partners": [
            p.strip()
            for p in form.text("partners", _("Partners"), max_length=2000, multiline=True).splitlines()
            if p.strip()
        ],
        "themes": form.choices("themes", _("Themes"), vocab.THEMES),
        "prevention": form.choices("prevention", _("Prevention type"), vocab.PREVENTION),
        "levels": form.choices("levels", _("Level"), vocab.LEVELS),
        "target_groups": form.choices("target_groups", _("Target groups"), vocab.TARGET_GROUPS),
        "guideline_refs": form.choices("guideline_refs", _("Guideline sections"), section_ids),
        "evidence": {
            "rating": form.choice("rating", _("Evidence rating"), vocab.EVIDENCE_RATINGS, required=True),
            "design": form.choice("design", _("Evaluation design"), vocab.EVIDENCE_DESIGNS, required=True),
            "summary": form.text(
                "evidence_summary", _("Evidence summary"), required=True, max_length=2000, multiline=True
            ),
            "outcomes": [],
        },
        "cost": form.text("cost", _("Cost"), required=True, max_length=1000, multiline=True),
        "cost_band": form.choice("cost_band", _("Cost band"), vocab.COST_BANDS) or None,
        "adapted_from": form.choice("adapted_from", _("Adapted from"), existing_ids) or None,
        "sources": [],
        "reviewed": dt.date.today(),
    }
    for i in range(OUTCOME_ROWS):
        row = {
            "outcome": form.plain(f"outcome_outcome_{i}", _("Outcome"), max_length=120),
            "direction": form.choice(f"outcome_direction_{i}", _("Direction"), vocab.OUTCOME_DIRECTIONS),
            "rating": form.choice(f"outcome_rating_{i}", _("Rating"), vocab.EVIDENCE_RATINGS),
        }
        if any(row.values()):
            meta["evidence"]["outcomes"].append(row)
    for i in range(source_rows(form.data)):
        row = {
            "title": form.plain(f"source_title_{i}", _("Source title"), max_length=300),
            "publisher": form.plain(f"source_publisher_{i}", _("Publisher"), max_length=200),
            "year": _number(form, f"source_year_{i}", _("Year"), int, required=False),
            "url": form.text(f"source_url_{i}", _("Web address"), max_length=500),
        }
        if any(row.values()):
            meta["sources"].append(row)
    if meta["id"] and ID_PATTERN.match(meta["id"]) and meta["id"] in existing_ids:
        form.error("id", _("A practice with the id '%(id)s' already exists; choose another.", id=meta["id"]))
    sections = {h: form.text(f, h, required=True, max_length=8000, multiline=True) for h, f in SECTION_FIELDS.items()}
    return meta, sections


def source_rows(values) -> int:
    """How many source rows a form holds: three, or as many as were filled in."""
    used = [int(k.rsplit("_", 1)[1]) for k in values if k.startswith("source_") and k.rsplit("_", 1)[1].isdigit()]
    return min(MAX_SOURCES, max([SOURCE_ROWS - 1, *used]) + 1)


# Front-matter fields the form does not show; a curator's edit keeps them as the entry had them.
KEPT_ON_EDIT = ("questions", "translations", "related", "sdg_targets")


def read_and_check(data, exclude_id: str | None = None, kept: dict | None = None) -> tuple[Form, dict, str]:
    """Read the form and check the entry it makes with the entries' validator, in one pass."""
    db = get_db()
    doc = guidelines.load()
    existing = {p["id"] for p in queries.practices(db)} | get_community().submissions.pending_ids()
    existing.discard(exclude_id)
    form = Form(data)
    meta, sections = _read(form, existing, set(doc.sections))
    if not meta["evidence"]["outcomes"]:
        meta["evidence"].pop("outcomes")
    for name in KEPT_ON_EDIT:
        if (kept or {}).get(name):
            meta[name] = kept[name]
    if ((kept or {}).get("evidence") or {}).get("registries"):
        meta["evidence"]["registries"] = kept["evidence"]["registries"]
    document = loader.dump_entry({k: v for k, v in meta.items() if v not in (None, [], "")}, sections)
    _, problems = loader.parse_text(document, f"{meta['id'] or 'proposal'}.md", set(doc.sections))
    for problem in problems:
        if problem.field.split(".")[0] not in NOT_ASKED:
            form.error(field_for(problem), problem.message)
    return form, meta, document


def meta_of(document: str) -> dict:
    practice, _problems = loader.parse_text(document, "proposal.md")
    return practice.meta if practice else {}


def _rows(prefix: str, items: list, keys: tuple[str, ...], limit: int) -> dict:
    """Numbered form fields for a list of mappings: source_title_0, source_url_0, ..."""
    return {f"{prefix}_{key}_{i}": item.get(key) or "" for i, item in enumerate(items[:limit]) for key in keys}


TEXT_FIELDS = (
    "id",
    "title",
    "summary",
    "city",
    "country",
    "country_code",
    "region",
    "scale",
    "lead",
    "cost",
    "cost_band",
    "adapted_from",
)
LIST_FIELDS = ("themes", "prevention", "levels", "target_groups", "guideline_refs")


def values_from_document(document: str) -> dict:
    """The form's values for an entry's text: the inverse of read_and_check, for curators' edits."""
    practice, _problems = loader.parse_text(document, "proposal.md")
    if practice is None:
        return {}
    meta, evidence = practice.meta, practice.evidence
    (lat, lon), (start, end) = (meta.get("coordinates") or [None, None])[:2], (meta.get("years") or [None, None])[:2]
    values = {k: meta.get(k) or "" for k in TEXT_FIELDS} | {k: meta.get(k) or [] for k in LIST_FIELDS}
    values |= {
        "lat": lat,
        "lon": lon,
        "year_start": start,
        "year_end": end or "",
        "partners": "\n".join(meta.get("partners") or []),
        "rating": evidence.get("rating", ""),
        "design": evidence.get("design", ""),
        "evidence_summary": evidence.get("summary", ""),
    }
    values |= _rows("source", meta.get("sources") or [], ("title", "publisher", "year", "url"), MAX_SOURCES)
    values |= _rows("outcome", evidence.get("outcomes") or [], ("outcome", "direction", "rating"), OUTCOME_ROWS)
    return values | {field: practice.sections.get(heading, "") for heading, field in SECTION_FIELDS.items()}


def render_form(values, errors, action=None, editing=None):
    db = get_db()
    doc = guidelines.load()
    return render_template(
        "propose.html",
        values=values,
        errors=errors,
        practices=queries.practices(db),
        vocab=vocab,
        sections=[s for s in doc.in_order() if s.kind != "term"],
        source_rows=range(source_rows(values)),
        outcome_rows=range(OUTCOME_ROWS),
        section_fields=SECTION_FIELDS,
        action=action or url_for("proposals.propose"),
        editing=editing,
    )


@bp.route("/practices/propose", methods=["GET", "POST"])
def propose():
    if request.method == "GET":
        return render_form({}, {})
    form, meta, document = read_and_check(request.form)
    submitter = form.plain("submitter_name", _("Your name"), required=True, max_length=120)
    email = form.email("submitter_email", _("Your email"))
    if form.ok and not allow_submission():
        form.error(
            "form",
            _(
                "Too many submissions from your connection in the last few minutes. "
                "Everything you typed is kept below: please try again later."
            ),
        )
    if not form.ok:
        return render_form(form.values, form.errors), 422
    number, token = get_community().submissions.add(meta["id"], document, submitter, email or None)
    notify.received("submission", number, token, email)
    session["status_token"] = token
    return redirect(url_for("proposals.thanks", number=number))


@bp.route("/practices/propose/thanks/<int:number>")
def thanks(number):
    token = session.pop("status_token", None)
    return render_template(
        "thanks.html",
        what=_("proposed practice"),
        number=number,
        status_link=notify.status_link(token) if token else None,
    )
