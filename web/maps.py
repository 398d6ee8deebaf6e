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


def count_grid(practices: list[dict], rows, columns, membership, column_of) -> dict[tuple[str, str], int]:
    """How many practices fall in each (row, column) cell: a pure function of the inventory."""
    grid = {(r, c): 0 for r, _, _ in rows for c, _, _ in columns}
    for p in practices:
        for row in membership[p["id"]]:
            cell = (row, column_of[p["id"]])
            if cell in grid:
                grid[cell] += 1
    return grid


def _axes(rows_kind: str, columns_kind: str, practices: list[dict]):
    doc = guidelines.load()
    engine = get_engine()
    if rows_kind == "principles":
        rows = [(p.id, f"{p.id} {p.heading}", "guideline") for p in doc.principles()]
        membership = {p["id"]: {engine.principle_of(r) for r in p["guideline_refs"]} for p in practices}
    else:
        rows = [(t.id, t.label, "theme") for t in vocab.THEMES.values()]
        membership = {p["id"]: set(p["themes"]) for p in practices}
    field, terms, kind = (
        ("region", vocab.REGIONS, "region")
        if columns_kind == "regions"
        else ("rating", vocab.EVIDENCE_RATINGS, "rating")
    )
    columns = [(t.id, t.label, kind) for t in terms.values()]
    return rows, columns, membership, {p["id"]: p[field] for p in practices}


@bp.route("/gaps")
def gaps():
    """Rows (principles or themes) by columns (regions or evidence ratings); empty cells are the gaps."""
    rows_kind = choice(request.args, "rows", "principles", ("principles", "themes"))
    columns_kind = choice(request.args, "columns", "regions", ("regions", "ratings"))
    practices = queries.practices(get_db())
    rows, columns, membership, column_of = _axes(rows_kind, columns_kind, practices)
    grid = count_grid(practices, rows, columns, membership, column_of)
    not_gaps = NOT_GAPS if columns_kind == "ratings" else set()
    gaps = sum(1 for (_, column), v in grid.items() if v == 0 and column not in not_gaps)
    return render_template(
        "gaps.html",
        rows=rows,
        columns=columns,
        grid=grid,
        highest=max(grid.values(), default=0) or 1,
        gaps=gaps,
        not_gaps=not_gaps,
        rows_kind=rows_kind,
        columns_kind=columns_kind,
        total=len(practices),
    )
