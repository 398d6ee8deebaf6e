"""The OpenAPI 3 description of /api, kept beside the routes (a test checks they match)."""

from __future__ import annotations

from kb import vocab
from search.engine import FUSIONS, MODES

_STRING_LIST = {"type": "array", "items": {"type": "string"}}
_NULLABLE_INT = {"type": ["integer", "null"]}
_NULLABLE_NUMBER = {"type": ["number", "null"]}
_NULLABLE_STRING = {"type": ["string", "null"]}


def _filter(name, description, enum=None, kind="string"):
    schema = {"type": "array", "items": {"type": kind, **({"enum": list(enum)} if enum else {})}}
    return {"name": name, "in": "query", "required": False, "description": description, "style": "form",
            "explode": True, "schema": schema}


def filters(countries=(), cities=(), guideline_ids=()) -> list[dict]:
    """The filter parameters; values that depend on the inventory are enumerated from the served build."""
    return [
        _filter("region", "Region (repeatable)", vocab.REGIONS),
        _filter("country", "ISO 3166-1 alpha-2 country code (repeatable)", sorted(countries)),
        _filter("city", "City slug, e.g. medellin-co (repeatable)", sorted(cities)),
        _filter("theme", "Theme (repeatable)", vocab.THEMES),
        _filter("target_group", "Target group (repeatable)", vocab.TARGET_GROUPS),
        _filter("prevention", "Prevention type (repeatable)", vocab.PREVENTION),
        _filter("rating", "Evidence rating (repeatable)", vocab.EVIDENCE_RATINGS),
        _filter("guideline", "Guideline section id; includes its sub-items (repeatable)", list(guideline_ids)),
        {"name": "year_from", "in": "query", "schema": {"type": "integer", "minimum": 1900, "maximum": 2100},
         "description": "Running in or after this year"},
        {"name": "year_to", "in": "query", "schema": {"type": "integer", "minimum": 1900, "maximum": 2100},
         "description": "Started in or before this year"},
    ]
PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}},
]

PRACTICE_SUMMARY = {
    "type": "object",
    "required": ["id", "title", "city", "country", "region", "rating", "url"],
    "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "city": {"type": "string"},
        "city_slug": {"type": "string"}, "country": {"type": "string"}, "country_code": {"type": "string"},
        "region": {"type": "string", "enum": list(vocab.REGIONS)}, "lat": _NULLABLE_NUMBER, "lon": _NULLABLE_NUMBER,
        "start_year": _NULLABLE_INT, "end_year": _NULLABLE_INT, "scale": {"type": "string"},
        "rating": {"type": "string", "enum": list(vocab.EVIDENCE_RATINGS)}, "design": {"type": "string"},
        "summary": _NULLABLE_STRING, "themes": _STRING_LIST, "target_groups": _STRING_LIST, "prevention": _STRING_LIST,
        "guideline_refs": _STRING_LIST, "cost_band": _NULLABLE_STRING, "adapted_from": _NULLABLE_STRING,
        "reviewed": {"type": "string"}, "url": {"type": "string"},
    },
}
ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["status", "title", "message"],
                             "properties": {"status": {"type": "integer"}, "title": {"type": "string"},
                                            "message": {"type": "string"}}}},
}
HIT = {
    "type": "object",
    "required": ["id", "title", "city", "region", "rating", "score", "snippet", "url"],
    "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "city": {"type": "string"},
                   "city_slug": {"type": "string"}, "country": {"type": "string"}, "region": {"type": "string"},
                   "rating": {"type": "string"}, "score": {"type": "number"}, "snippet": {"type": "string"},
                   "snippet_heading": {"type": "string"}, "matched_by": _STRING_LIST, "why": _STRING_LIST,
                   "guideline_refs": _STRING_LIST, "url": {"type": "string"}},
}
FACET = {"type": "array", "items": {"type": "object", "required": ["value", "label", "count"],
                                    "properties": {"value": {"type": "string"}, "label": {"type": "string"},
                                                   "count": {"type": "integer"}}}}
SEARCH_RESULT = {
    "type": "object",
    "required": ["query", "mode", "total", "page", "per_page", "pages", "hits", "facets", "notices", "model"],
    "properties": {
        "query": {"type": "string"}, "mode": {"type": "string", "enum": list(MODES)}, "total": {"type": "integer"},
        "page": {"type": "integer"}, "per_page": {"type": "integer"}, "pages": {"type": "integer"},
        "hits": {"type": "array", "items": HIT},
        "facets": {"type": "object", "additionalProperties": FACET},
        "guideline_hits": {"type": "array", "items": {"type": "object"}},
        "notices": _STRING_LIST, "expansions": _STRING_LIST,
        "suggested_facets": {"type": "object", "additionalProperties": _STRING_LIST},
        "model": {"type": "string"},
    },
}
SECTION = {
    "type": "object", "required": ["id", "kind", "label", "heading", "children", "practice_count", "url"],
    "properties": {"id": {"type": "string"}, "kind": {"type": "string"}, "label": {"type": "string"},
                   "heading": {"type": "string"}, "parent": _NULLABLE_STRING, "children": _STRING_LIST,
                   "practice_count": {"type": "integer"}, "url": {"type": "string"}},
}
CITY = {
    "type": "object", "required": ["slug", "name", "country", "region", "practice_count"],
    "properties": {"slug": {"type": "string"}, "name": {"type": "string"}, "country": {"type": "string"},
                   "country_code": {"type": "string"}, "region": {"type": "string"}, "lat": _NULLABLE_NUMBER,
                   "lon": _NULLABLE_NUMBER, "practice_count": {"type": "integer"}, "url": {"type": "string"}},
}


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes):
    names = {400: "A parameter is malformed or not allowed", 404: "Not found"}
    return {str(c): _json({"$ref": "#/components/schemas/Error"}, names[c]) for c in codes}


def _path_param(name, description):
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}


def document(server: str = "", countries=(), cities=(), guideline_ids=()) -> dict:
    FILTERS = filters(countries, cities, guideline_ids)  # noqa: N806 - reads like the constant it replaces
    return {
        "openapi": "3.1.0",
        "info": {"title": "Safer Cities Knowledge Base API", "version": "1.0",
                 "description": "Promising urban-safety practices linked to the UN system-wide guidelines on safer "
                                "cities and human settlements. Read-only; no authentication."},
        "servers": [{"url": server or "/"}],
        "paths": {
            "/api/search": {"get": {
                "summary": "Search practices in your own words (English, Spanish, French, Portuguese)",
                "operationId": "search",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"},
                                "description": "The query; empty lists practices, strongest evidence first"},
                               {"name": "mode", "in": "query", "schema": {"type": "string", "enum": list(MODES)}},
                               {"name": "fusion", "in": "query", "schema": {"type": "string", "enum": list(FUSIONS)}},
                               *PAGING, *FILTERS],
                "responses": {"200": _json({"$ref": "#/components/schemas/SearchResult"}), **_errors(400, 404)}}},
            "/api/practices": {"get": {
                "summary": "List practices, strongest evidence first, with filters", "operationId": "listPractices",
                "parameters": [*PAGING, *FILTERS],
                "responses": {"200": _json({"type": "object", "required": ["total", "practices"],
                                            "properties": {"total": {"type": "integer"}, "page": {"type": "integer"},
                                                           "per_page": {"type": "integer"}, "pages": {"type": "integer"},
                                                           "practices": {"type": "array", "items": {"$ref": "#/components/schemas/PracticeSummary"}}}}),
                              **_errors(400, 404)}}},
            "/api/practices/{practice_id}": {"get": {
                "summary": "One practice: facts, sections, sources, lineage, similar practices",
                "operationId": "getPractice", "parameters": [_path_param("practice_id", "Practice id")],
                "responses": {"200": _json({"type": "object", "required": ["id", "title", "sections", "sources"],
                                            "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                                           "sections": {"type": "object"},
                                                           "sources": {"type": "array"}, "lineage": _STRING_LIST,
                                                           "adaptations": _STRING_LIST, "similar": {"type": "array"}}}),
                              **_errors(404)}}},
            "/api/practices.json": {"get": {"summary": "All practices with their sources, as a JSON download",
                                            "operationId": "downloadPracticesJson",
                                            "responses": {"200": _json({"type": "array", "items": {"type": "object"}})}}},
            "/api/practices.csv": {"get": {"summary": "All practices as a CSV download", "operationId": "downloadPracticesCsv",
                                           "responses": {"200": {"description": "OK",
                                                                 "content": {"text/csv": {"schema": {"type": "string"}}}}}}},
            "/api/guidelines": {"get": {"summary": "Every section of the guidelines, in document order",
                                        "operationId": "listGuidelines",
                                        "responses": {"200": _json({"type": "object", "required": ["sections"],
                                                                    "properties": {"source": {"type": "string"},
                                                                                   "sections": {"type": "array", "items": {"$ref": "#/components/schemas/Section"}}}})}}},
            "/api/guidelines/{section_id}": {"get": {
                "summary": "One guideline section with its text and the practices that apply it",
                "operationId": "getGuideline", "parameters": [_path_param("section_id", "Section id, e.g. 26.c.a.g")],
                "responses": {"200": _json({"allOf": [{"$ref": "#/components/schemas/Section"},
                                                      {"type": "object", "required": ["text", "practices"],
                                                       "properties": {"text": {"type": "string"},
                                                                      "full_text": {"type": "string"},
                                                                      "footnotes": {"type": "object"},
                                                                      "practices": _STRING_LIST,
                                                                      "practices_below": _STRING_LIST}}]}),
                              **_errors(404)}}},
            "/api/cities": {"get": {"summary": "Every city with practices", "operationId": "listCities",
                                    "responses": {"200": _json({"type": "object", "required": ["cities"],
                                                                "properties": {"cities": {"type": "array", "items": {"$ref": "#/components/schemas/City"}}}})}}},
            "/api/cities/{slug}": {"get": {
                "summary": "One city with its practices and peer cities", "operationId": "getCity",
                "parameters": [_path_param("slug", "City slug, e.g. medellin-co")],
                "responses": {"200": _json({"allOf": [{"$ref": "#/components/schemas/City"},
                                                      {"type": "object", "required": ["practices", "peers"],
                                                       "properties": {"practices": {"type": "array", "items": {"$ref": "#/components/schemas/PracticeSummary"}},
                                                                      "peers": {"type": "array"}}}]}),
                              **_errors(404)}}},
            "/api/vocabularies": {"get": {"summary": "The controlled vocabularies with definitions",
                                          "operationId": "listVocabularies",
                                          "responses": {"200": _json({"type": "object"})}}},
            "/api/openapi.json": {"get": {"summary": "This document", "operationId": "openapi",
                                          "responses": {"200": _json({"type": "object"})}}},
        },
        "components": {"schemas": {"PracticeSummary": PRACTICE_SUMMARY, "Error": ERROR, "SearchResult": SEARCH_RESULT,
                                   "Section": SECTION, "City": CITY}},
    }
