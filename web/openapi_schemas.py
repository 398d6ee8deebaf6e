"""The response schemas of /api, as JSON Schema for web/openapi.py."""

from __future__ import annotations

from kb import vocab
from search import filters

STRINGS = {"type": "array", "items": {"type": "string"}}


def _nullable(kind: str) -> dict:
    return {"type": [kind, "null"]}


SCHEMAS = {
    "PracticeSummary": {
        "type": "object",
        "required": ["id", "title", "city", "country", "region", "rating", "url"],
        "properties": {
            **{
                k: {"type": "string"}
                for k in (
                    "id",
                    "title",
                    "city",
                    "city_slug",
                    "country",
                    "country_code",
                    "scale",
                    "design",
                    "reviewed",
                    "url",
                )
            },
            "region": {"type": "string", "enum": list(vocab.REGIONS)},
            "rating": {"type": "string", "enum": list(vocab.EVIDENCE_RATINGS)},
            "lat": _nullable("number"),
            "lon": _nullable("number"),
            "start_year": _nullable("integer"),
            "end_year": _nullable("integer"),
            "summary": _nullable("string"),
            "cost_band": _nullable("string"),
            "adapted_from": _nullable("string"),
            **{k: STRINGS for k in ("themes", "target_groups", "prevention", "guideline_refs")},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "title", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "title": {"type": "string"},
                    "message": {"type": "string"},
                },
            }
        },
    },
    "Hit": {
        "type": "object",
        "required": ["id", "title", "city", "region", "rating", "score", "snippet", "url"],
        "properties": {
            **{
                k: {"type": "string"}
                for k in (
                    "id",
                    "title",
                    "city",
                    "city_slug",
                    "country",
                    "region",
                    "rating",
                    "snippet",
                    "snippet_heading",
                    "url",
                )
            },
            "score": {"type": "number"},
            "matched_by": STRINGS,
            "why": STRINGS,
            "guideline_refs": STRINGS,
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["query", "mode", "total", "page", "per_page", "pages", "hits", "facets", "notices", "model"],
        "properties": {
            "query": {"type": "string"},
            "mode": {"type": "string", "enum": list(filters.MODES)},
            **{k: {"type": "integer"} for k in ("total", "page", "per_page", "pages")},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["value", "label", "count"],
                        "properties": {
                            "value": {"type": "string"},
                            "label": {"type": "string"},
                            "count": {"type": "integer"},
                        },
                    },
                },
            },
            "guideline_hits": {"type": "array", "items": {"type": "object"}},
            "notices": STRINGS,
            "expansions": STRINGS,
            "suggested_facets": {"type": "object", "additionalProperties": STRINGS},
            "suggested_filters": {"type": "array", "items": {"type": "object"}},
            "did_you_mean": _nullable("string"),
            "model": {"type": "string"},
        },
    },
    "Section": {
        "type": "object",
        "required": ["id", "kind", "label", "heading", "children", "practice_count", "url"],
        "properties": {
            **{k: {"type": "string"} for k in ("id", "kind", "label", "heading", "url")},
            "parent": _nullable("string"),
            "children": STRINGS,
            "practice_count": {"type": "integer"},
        },
    },
    "City": {
        "type": "object",
        "required": ["slug", "name", "country", "region", "practice_count"],
        "properties": {
            **{k: {"type": "string"} for k in ("slug", "name", "country", "country_code", "region", "url")},
            "lat": _nullable("number"),
            "lon": _nullable("number"),
            "practice_count": {"type": "integer"},
        },
    },
}
