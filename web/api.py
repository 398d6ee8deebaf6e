"""The JSON API. Every route is described in /api/openapi.json (web/openapi.py)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import gettext as _

from kb import country_income, guidelines, queries, vocab
from web import openapi
from web.params import run_search, search_request
from web.state import absolute_url, get_db, get_engine, or_404, settings

bp = Blueprint("api", __name__, url_prefix="/api")

CSV_COLUMNS = (
    "id",
    "title",
    "city",
    "country",
    "country_code",
    "region",
    "lat",
    "lon",
    "start_year",
    "end_year",
    "scale",
    "rating",
    "design",
    "themes",
    "target_groups",
    "prevention",
    "guideline_refs",
    "cost_band",
    "adapted_from",
    "reviewed",
    "summary",
    "url",
)


def _practice_summary(p: dict) -> dict:
    """A row of queries.practices (every column but the body) with its address."""
    return p | {"url": absolute_url(url_for("pages.practice", practice_id=p["id"]))}


def _search_payload(result) -> dict:
    data = dataclasses.asdict(result)
    data["pages"] = result.pages
    data["facets"] = {
        facet: [{"value": k, "label": label, "count": n} for k, label, n in rows]
        for facet, rows in result.facets.items()
    }
    for hit in data["hits"]:
        hit["url"] = absolute_url(url_for("pages.practice", practice_id=hit["id"]))
    return data


@bp.route("/search")
def search():
    _, result = run_search(request.args, get_engine())
    return jsonify(_search_payload(result))


@bp.route("/practices")
def practices():
    engine = get_engine()
    params = search_request(request.args, engine)
    result = engine.search("", params["filters"], page=params["page"], per_page=params["per_page"])
    rows = queries.practices(get_db(), [h.id for h in result.hits])
    return jsonify(
        {
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "pages": result.pages,
            "practices": [_practice_summary(p) for p in rows],
        }
    )


@bp.route("/practices/<practice_id>")
def practice(practice_id):
    db = get_db()
    item = or_404(
        queries.practice(db, practice_id), _("There is no practice with the id '%(id)s'.", id=practice_id[:80])
    )
    similar = get_engine().more_like_this(practice_id, k=5)
    item.pop("body", None)
    return jsonify(
        item
        | {
            "url": absolute_url(url_for("pages.practice", practice_id=practice_id)),
            "lineage": [p["id"] for p in queries.lineage(db, practice_id)],
            "adaptations": [p["id"] for p in queries.adaptations(db, practice_id)],
            "similar": [{"id": pid, "score": round(score, 4)} for pid, score in similar],
        }
    )


def _all_practices():
    db = get_db()
    return [_practice_summary(p) for p in queries.practices(db)], queries.sources_by_practice(db)


@bp.route("/practices.json")
def practices_json():
    rows, sources = _all_practices()
    body = json.dumps(
        [
            r
            | {"sources": [{k: s[k] for k in ("title", "publisher", "year", "url")} for s in sources.get(r["id"], [])]}
            for r in rows
        ],
        ensure_ascii=False,
        indent=1,
    )
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=safer-cities-practices.json"},
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell a spreadsheet will not run as a formula.

    Text starting with = + - @ tab or CR gets a leading quote (OWASP).
    """
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@bp.route("/practices.csv")
def practices_csv():
    rows, _ = _all_practices()
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte-order mark, so spreadsheets read UTF-8 and show "Bogotá"
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return Response(
        buffer.getvalue(),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=safer-cities-practices.csv"},
    )


def _section_payload(s, counts) -> dict:
    return {
        "id": s.id,
        "kind": s.kind,
        "label": s.label,
        "heading": s.heading,
        "parent": s.parent,
        "children": s.children,
        "practice_count": len(counts[s.id]["all"]),
        "url": absolute_url(url_for("guidelines.section", section_id=s.id)),
    }


@bp.route("/guidelines")
def guideline_list():
    doc = guidelines.load()
    counts = get_engine().guideline_counts
    return jsonify(
        {"source": guidelines.SOURCE_CITATION, "sections": [_section_payload(s, counts) for s in doc.in_order()]}
    )


@bp.route("/guidelines/<path:section_id>")
def guideline(section_id):
    doc = guidelines.load()
    s = or_404(doc.sections.get(section_id), _("There is no guideline section '%(id)s'.", id=section_id[:80]))
    counts = get_engine().guideline_counts
    return jsonify(
        _section_payload(s, counts)
        | {
            "text": s.text,
            "full_text": doc.full_text(section_id),
            "footnotes": {n: doc.footnotes[n] for n in s.footnotes if n in doc.footnotes},
            "practices": counts[section_id]["direct"],
            "practices_below": counts[section_id]["all"],
        }
    )


@bp.route("/cities")
def city_list():
    return jsonify(
        {
            "cities": [
                c | {"url": absolute_url(url_for("cities.city", slug=c["slug"]))} for c in queries.cities(get_db())
            ]
        }
    )


@bp.route("/cities/<slug>")
def city(slug):
    db = get_db()
    item = or_404(queries.city(db, slug), _("There is no city '%(slug)s' in the inventory.", slug=slug[:80]))
    return jsonify(
        item
        | {
            "url": absolute_url(url_for("cities.city", slug=slug)),
            "practices": [_practice_summary(p) for p in queries.city_practices(db, slug)],
            "peers": get_engine().peer_cities(slug, k=5),
            "income_group": _income_group(item["country_code"]),
        }
    )


def _income_group(country_code: str) -> dict | None:
    incomes = country_income.bundled()
    group = incomes.of(country_code)
    if group is None:
        return None
    return {"group": group, "fiscal_year": incomes.source.fiscal_year, "source": incomes.source.url}


@bp.route("/vocabularies")
def vocabularies():
    return jsonify(
        {
            name: [
                {"id": t.id, "label": t.label, "definition": t.definition, "guideline_refs": list(t.guideline_refs)}
                for t in terms.values()
            ]
            for name, terms in vocab.VOCABULARIES.items()
        }
    )


@bp.route("/openapi.json")
def openapi_document():
    engine = get_engine()
    return jsonify(
        openapi.document(
            settings().base_url or "", engine.countries, engine.cities, [s.id for s in engine.doc.in_order()]
        )
    )
