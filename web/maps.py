"""The map of all practices and the evidence gap map, both computed live from the inventory."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from kb import guidelines, queries, vocab
from web import geo
from web.params import choice
from web.state import get_db, get_engine

bp = Blueprint("maps", __name__)
# No practice rated harmful, no-effect or not-evaluated under a principle is not a gap in the evidence.
NOT_GAPS = {"harmful", "no-effect", "not-evaluated"}


@bp.route("/map")
def world_map():
    db = get_db()
    rows = queries.practices(db)
    pins = []
    for p in rows:
        if p["lat"] is None:
            continue
        x, y = geo.project(p["lat"], p["lon"])
        pins.append({**p, "x": x, "y": y})
    return render_template("map.html", pins=pins, land=geo.land_path(), width=geo.WIDTH, height=geo.HEIGHT)


@bp.route("/gaps")
def gaps():
    """Rows (principles or themes) by columns (regions or evidence ratings); empty cells are the gaps."""
    rows_kind = choice(request.args, "rows", "principles", ("principles", "themes"))
    columns_kind = choice(request.args, "columns", "regions", ("regions", "ratings"))
    engine = get_engine()
    practices = queries.practices(get_db())
    doc = guidelines.load()
    if rows_kind == "principles":
        rows = [(p.id, f"{p.id} {p.heading}", "guideline") for p in doc.principles()]
        membership = {p["id"]: {engine.principle_of(r) for r in p["guideline_refs"]} for p in practices}
    else:
        rows = [(t.id, t.label, "theme") for t in vocab.THEMES.values()]
        membership = {p["id"]: set(p["themes"]) for p in practices}
    if columns_kind == "regions":
        columns = [(r.id, r.label, "region") for r in vocab.REGIONS.values()]
        column_of = {p["id"]: p["region"] for p in practices}
    else:
        columns = [(r.id, r.label, "rating") for r in vocab.EVIDENCE_RATINGS.values()]
        column_of = {p["id"]: p["rating"] for p in practices}
    grid = {(r, c): 0 for r, _, _ in rows for c, _, _ in columns}
    for p in practices:
        for row in membership[p["id"]]:
            if (row, column_of[p["id"]]) in grid:
                grid[(row, column_of[p["id"]])] += 1
    highest = max(grid.values(), default=0) or 1
    not_gaps = NOT_GAPS if columns_kind == "ratings" else set()
    gaps = sum(1 for (_, column), v in grid.items() if v == 0 and column not in not_gaps)
    return render_template("gaps.html", rows=rows, columns=columns, grid=grid, highest=highest, gaps=gaps,
                           not_gaps=not_gaps, rows_kind=rows_kind, columns_kind=columns_kind, total=len(practices))
