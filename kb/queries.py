"""Read queries over a built content database, shared by the site, the API and the CLI."""

from __future__ import annotations

import json

JSON_COLUMNS = (
    "partners",
    "outcomes",
    "related",
    "sdg_targets",
    "themes",
    "target_groups",
    "prevention",
    "levels",
    "guideline_refs",
    "sections",
    "registries",
    "translations",
    "questions",
)


def _decode(row: dict | None) -> dict | None:
    if row is None:
        return None
    row = dict(row)
    for column in JSON_COLUMNS:
        if column in row and isinstance(row[column], str):
            row[column] = json.loads(row[column])
    return row


def practice(db, practice_id: str) -> dict | None:
    """One practice with its sources, or None."""
    row = _decode(next(db.query("select * from practices where id = ?", [practice_id]), None))
    if row is None:
        return None
    row["sources"] = list(
        db.query(
            "select title, publisher, year, url from sources where practice_id = ? order by position", [practice_id]
        )
    )
    return row


def practices(db, ids: list[str] | None = None, order: str = "title") -> list[dict]:
    """Practices (all, or the given ids in the given order), without their bodies."""
    columns = (
        "id, title, city, city_slug, country, country_code, region, lat, lon, start_year, end_year, scale, "
        "rating, design, summary, themes, target_groups, prevention, guideline_refs, cost_band, adapted_from, "
        "reviewed, "
        "translations"
    )
    if ids is None:
        return [_decode(r) for r in db.query(f"select {columns} from practices order by {order}")]
    rows = {
        r["id"]: _decode(r)
        for r in db.query(f"select {columns} from practices where id in ({','.join('?' * len(ids))})", ids)
    }
    return [rows[i] for i in ids if i in rows]


def adaptations(db, practice_id: str) -> list[dict]:
    """Practices that adapted this one: the cities that took the idea further."""
    return practices(
        db,
        [
            r["id"]
            for r in db.query(
                "select id from practices where adapted_from = ? order by start_year, title", [practice_id]
            )
        ],
    )


def lineage(db, practice_id: str) -> list[dict]:
    """The chain of originals this practice descends from, oldest first."""
    chain, seen = [], {practice_id}
    current = next(db.query("select adapted_from from practices where id = ?", [practice_id]), {}).get("adapted_from")
    while current and current not in seen:
        seen.add(current)
        found = practices(db, [current])
        if not found:
            break
        chain.insert(0, found[0])
        current = found[0].get("adapted_from")
    return chain


def sources_by_practice(db) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in db.query("select * from sources order by practice_id, position"):
        found.setdefault(row["practice_id"], []).append(row)
    return found


def cities(db) -> list[dict]:
    return list(db.query("select * from cities order by region, name"))


def city(db, slug: str) -> dict | None:
    return next(db.query("select * from cities where slug = ?", [slug]), None)


def city_practices(db, slug: str) -> list[dict]:
    return practices(
        db, [r["id"] for r in db.query("select id from practices where city_slug = ? order by title", [slug])]
    )


def guideline_practice_counts(db, descendants) -> dict[str, dict]:
    """For each guideline section: practices linking it directly, and it or anything below it."""
    direct: dict[str, set[str]] = {}
    for row in db.query("select practice_id, section_id from practice_guidelines"):
        direct.setdefault(row["section_id"], set()).add(row["practice_id"])
    counts = {}
    for row in db.query("select id from guideline_sections"):
        sid = row["id"]
        below = set(direct.get(sid, set()))
        for child in descendants(sid):
            below |= direct.get(child, set())
        counts[sid] = {"direct": sorted(direct.get(sid, set())), "all": sorted(below)}
    return counts


def counts_by(db, column: str) -> dict[str, int]:
    if column not in ("region", "rating", "scale", "country_code"):
        raise ValueError(f"cannot count by {column}")
    return {r[column]: r["n"] for r in db.query(f"select {column}, count(*) as n from practices group by {column}")}


def term_counts(db, facet: str) -> dict[str, int]:
    return {
        r["term"]: r["n"]
        for r in db.query("select term, count(*) as n from practice_terms where facet = ? group by term", [facet])
    }


def meta(db) -> dict[str, str]:
    return {r["key"]: r["value"] for r in db.query("select key, value from meta")}
