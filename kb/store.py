"""The SQLite content database, written with sqlite-utils.

The database is written inside an unpublished build folder (kb/builds.py publishes the
folder atomically), so a failed or interrupted build never touches the one serving. It is
derived data: practices/*.md stay the source of truth.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from kb import guidelines as guideline_doc
from kb.loader import Practice

SCHEMA_VERSION = 1
TERM_FIELDS = {"themes": "theme", "target_groups": "target_group", "prevention": "prevention", "levels": "level"}


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def city_slug(city: str, country_code: str) -> str:
    """Stable city address: name plus country code, since city names repeat (Newcastle)."""
    return f"{slugify(city)}-{country_code.lower()}"


def corpus_hash(practices: list[Practice]) -> str:
    digest = hashlib.sha256()
    for practice in sorted(practices, key=lambda p: p.id):
        digest.update(Path(practice.path).read_bytes() if Path(practice.path).exists() else practice.body.encode())
    return digest.hexdigest()[:16]


def practice_record(p: Practice) -> dict:
    meta, evidence = p.meta, p.evidence
    start, end = (meta.get("years") or [None, None])[:2]
    lat, lon = meta.get("coordinates") or [None, None]
    return {
        "id": p.id,
        "title": meta["title"],
        "city": meta["city"],
        "city_slug": city_slug(meta["city"], meta["country_code"]),
        "country": meta["country"],
        "country_code": meta["country_code"],
        "region": meta["region"],
        "lat": lat,
        "lon": lon,
        "start_year": start,
        "end_year": end,
        "scale": meta["scale"],
        "lead": meta["lead"],
        "partners": json.dumps(meta.get("partners") or []),
        "rating": evidence.get("rating"),
        "design": evidence.get("design"),
        "evidence_summary": evidence.get("summary"),
        "outcomes": json.dumps(evidence.get("outcomes") or []),
        "cost": meta.get("cost"),
        "cost_band": meta.get("cost_band"),
        "adapted_from": meta.get("adapted_from"),
        "related": json.dumps(meta.get("related") or []),
        "sdg_targets": json.dumps(meta.get("sdg_targets") or []),
        "themes": json.dumps(meta.get("themes") or []),
        "target_groups": json.dumps(meta.get("target_groups") or []),
        "prevention": json.dumps(meta.get("prevention") or []),
        "levels": json.dumps(meta.get("levels") or []),
        "guideline_refs": json.dumps(meta.get("guideline_refs") or []),
        "reviewed": str(meta.get("reviewed")),
        "path": str(p.path),
        "body": p.body,
        "sections": json.dumps(p.sections),
        "summary": summary(p),
        "registries": json.dumps(evidence.get("registries") or []),
        "translations": json.dumps(meta.get("translations") or {}),
        "questions": json.dumps(meta.get("questions") or {}),
    }


def summary(p: Practice) -> str:
    """The entry's summary; for a draft without one, the first two sentences of 'What was done'."""
    if isinstance(p.meta.get("summary"), str) and p.meta["summary"].strip():
        return " ".join(p.meta["summary"].split())
    text = re.sub(r"\s+", " ", p.sections.get("What was done", "")).strip()
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(sentences[:2])[:400]


def cities(practices: list[Practice]) -> list[dict]:
    """Derive one row per city from the practices that ran there."""
    found: dict[str, dict] = {}
    for p in practices:
        slug = city_slug(p.meta["city"], p.meta["country_code"])
        row = found.setdefault(
            slug,
            {
                "slug": slug,
                "name": p.meta["city"],
                "country": p.meta["country"],
                "country_code": p.meta["country_code"],
                "region": p.meta["region"],
                "lat": None,
                "lon": None,
                "practice_count": 0,
                "_coords": [],
            },
        )
        row["practice_count"] += 1
        if p.meta.get("coordinates"):
            row["_coords"].append(p.meta["coordinates"])
    for row in found.values():
        coords = row.pop("_coords")
        if coords:
            row["lat"] = round(sum(c[0] for c in coords) / len(coords), 4)
            row["lon"] = round(sum(c[1] for c in coords) / len(coords), 4)
    return sorted(found.values(), key=lambda r: r["slug"])


def write(db: sqlite_utils.Database, practices: list[Practice], progress: Callable[[str], None] = print) -> None:
    """Write every table of the content database into an empty database."""
    doc = guideline_doc.load()
    progress(f"writing {len(doc.sections)} guideline sections")
    _write_guidelines(db, doc)
    progress(f"writing {len(practices)} practices")
    db["practices"].insert_all((practice_record(p) for p in practices), pk="id")
    _write_links(db, practices, doc)
    progress("deriving cities")
    db["cities"].insert_all(cities(practices), pk="slug")
    _finish(db, practices)


def _write_guidelines(db: sqlite_utils.Database, doc) -> None:
    db["guideline_sections"].insert_all(
        (
            {
                "id": s.id,
                "kind": s.kind,
                "label": s.label,
                "heading": s.heading,
                "text": s.text,
                "parent": s.parent,
                "position": s.order,
                "depth": s.depth,
                "footnotes": json.dumps({n: doc.footnotes[n] for n in s.footnotes if n in doc.footnotes}),
            }
            for s in doc.in_order()
        ),
        pk="id",
    )


def _write_links(db: sqlite_utils.Database, practices: list[Practice], doc) -> None:
    """Sources, guideline links and vocabulary terms, one row each."""
    db["sources"].insert_all(
        (
            {
                "practice_id": p.id,
                "position": i,
                "title": s.get("title"),
                "publisher": s.get("publisher"),
                "year": s.get("year"),
                "url": s.get("url"),
            }
            for p in practices
            for i, s in enumerate(p.meta.get("sources") or [])
        ),
        pk=("practice_id", "position"),
        foreign_keys=[("practice_id", "practices", "id")],
    )
    db["practice_guidelines"].insert_all(
        (
            {"practice_id": p.id, "section_id": ref}
            for p in practices
            for ref in dict.fromkeys(p.meta.get("guideline_refs") or [])
            if ref in doc
        ),
        pk=("practice_id", "section_id"),
        foreign_keys=[("practice_id", "practices", "id"), ("section_id", "guideline_sections", "id")],
    )
    db["practice_terms"].insert_all(
        (
            {"practice_id": p.id, "facet": facet, "term": term}
            for p in practices
            for field, facet in TERM_FIELDS.items()
            for term in dict.fromkeys(p.meta.get(field) or [])
        ),
        pk=("practice_id", "facet", "term"),
        foreign_keys=[("practice_id", "practices", "id")],
    )


def _finish(db: sqlite_utils.Database, practices: list[Practice]) -> None:
    """Empty tables still exist, indexes are made and the build's facts recorded."""
    for table in ("practices", "sources", "practice_guidelines", "practice_terms", "cities"):
        db[table].create(_empty_columns(table), pk=_pks(table), if_not_exists=True)
    db["practice_terms"].create_index(["facet", "term"], if_not_exists=True)
    db["practice_guidelines"].create_index(["section_id"], if_not_exists=True)
    db["meta"].insert_all(
        [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "built_at", "value": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
            {"key": "practice_count", "value": str(len(practices))},
            {"key": "corpus_hash", "value": corpus_hash(practices)},
        ],
        pk="key",
        replace=True,
    )


def _empty_columns(table: str) -> dict:
    """Columns for tables that may be empty, so that queries never meet a missing table."""
    return {
        "practices": {"id": str, "title": str, "city_slug": str, "region": str, "rating": str},
        "sources": {"practice_id": str, "position": int, "title": str, "publisher": str, "year": int, "url": str},
        "practice_guidelines": {"practice_id": str, "section_id": str},
        "practice_terms": {"practice_id": str, "facet": str, "term": str},
        "cities": {
            "slug": str,
            "name": str,
            "country": str,
            "country_code": str,
            "region": str,
            "lat": float,
            "lon": float,
            "practice_count": int,
        },
    }[table]


def _pks(table: str):
    return {
        "practices": "id",
        "sources": ("practice_id", "position"),
        "practice_guidelines": ("practice_id", "section_id"),
        "practice_terms": ("practice_id", "facet", "term"),
        "cities": "slug",
    }[table]


def write_database(target: Path, practices: list[Practice], progress: Callable[[str], None] = print) -> Path:
    """Write a fresh database at target (inside an unpublished build folder)."""
    db = sqlite_utils.Database(target)
    write(db, practices, progress)
    db.close()
    return Path(target)


def open_db(path: Path, readonly: bool = True) -> sqlite_utils.Database:
    """Open the built database; read-only by default so serving can never change it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run `kb build` first")
    import sqlite3

    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
    return sqlite_utils.Database(conn)
