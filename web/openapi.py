"""The OpenAPI 3.1 description of /api, built with apispec from a table of routes (a test checks it matches them).

Query parameters come from the one declaration of search parameters (search/filters.py).
"""

from __future__ import annotations

from apispec import APISpec

from search import filter_adapters
from web.openapi_schemas import SCHEMAS, STRINGS


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


# path, operation id, summary, query parameters (search | list | none), path parameter, 200 schema, error codes
ROUTES = [
    (
        "/api/search",
        "search",
        "Search practices in your own words (English, Spanish, French, Portuguese)",
        "search",
        None,
        _ref("SearchResult"),
        (400, 404),
    ),
    (
        "/api/practices",
        "listPractices",
        "List practices, strongest evidence first, with filters",
        "list",
        None,
        _object(
            ["total", "practices"],
            total={"type": "integer"},
            page={"type": "integer"},
            per_page={"type": "integer"},
            pages={"type": "integer"},
            practices={"type": "array", "items": _ref("PracticeSummary")},
        ),
        (400, 404),
    ),
    (
        "/api/practices/{practice_id}",
        "getPractice",
        "One practice: facts, sections, sources, lineage, similar practices",
        None,
        ("practice_id", "Practice id"),
        _object(
            ["id", "title", "sections", "sources"],
            id={"type": "string"},
            title={"type": "string"},
            sections={"type": "object"},
            sources={"type": "array"},
            lineage=STRINGS,
            adaptations=STRINGS,
            similar={"type": "array"},
        ),
        (404,),
    ),
    (
        "/api/practices.json",
        "downloadPracticesJson",
        "All practices with their sources, as a JSON download",
        None,
        None,
        {"type": "array", "items": {"type": "object"}},
        (),
    ),
    (
        "/api/practices.csv",
        "downloadPracticesCsv",
        "All practices as a CSV download (UTF-8 with BOM)",
        None,
        None,
        None,
        (),
    ),
    (
        "/api/guidelines",
        "listGuidelines",
        "Every section of the guidelines, in document order",
        None,
        None,
        _object(["sections"], source={"type": "string"}, sections={"type": "array", "items": _ref("Section")}),
        (),
    ),
    (
        "/api/guidelines/{section_id}",
        "getGuideline",
        "One guideline section with its text and the practices that apply it",
        None,
        ("section_id", "Section id, e.g. 26.c.a.g"),
        {
            "allOf": [
                _ref("Section"),
                _object(
                    ["text", "practices"],
                    text={"type": "string"},
                    full_text={"type": "string"},
                    footnotes={"type": "object"},
                    practices=STRINGS,
                    practices_below=STRINGS,
                ),
            ]
        },
        (404,),
    ),
    (
        "/api/cities",
        "listCities",
        "Every city with practices",
        None,
        None,
        _object(["cities"], cities={"type": "array", "items": _ref("City")}),
        (),
    ),
    (
        "/api/cities/{slug}",
        "getCity",
        "One city with its practices and peer cities",
        None,
        ("slug", "City slug, e.g. medellin-co"),
        {
            "allOf": [
                _ref("City"),
                _object(
                    ["practices", "peers", "income_group"],
                    practices={"type": "array", "items": _ref("PracticeSummary")},
                    peers={"type": "array"},
                    income_group={
                        "type": ["object", "null"],
                        "description": "The country's World Bank income group, with the classification's year and page",
                    },
                ),
            ]
        },
        (404,),
    ),
    (
        "/api/vocabularies",
        "listVocabularies",
        "The controlled vocabularies with definitions",
        None,
        None,
        {"type": "object"},
        (),
    ),
    ("/api/openapi.json", "openapi", "This document", None, None, {"type": "object"}, ()),
]
ERRORS = {400: "A parameter is malformed or not allowed", 404: "Not found"}


def document(server: str = "", countries=(), cities=(), guideline_ids=()) -> dict:
    spec = APISpec(
        title="Safer Cities Knowledge Base API",
        version="1.0",
        openapi_version="3.1.0",
        info={
            "description": "Promising urban-safety practices linked to the UN system-wide guidelines on "
            "safer cities and human settlements. Read-only; no authentication."
        },
        servers=[{"url": server or "/"}],
    )
    for name, schema in SCHEMAS.items():
        spec.components.schema(name, schema)
    parameters = filter_adapters.openapi_parameters(countries, cities, guideline_ids)
    listing = [p for p in parameters if p["name"] not in ("q", "mode", "fusion", "sort")]
    for path, operation_id, summary, query, path_param, schema, errors in ROUTES:
        params = {"search": parameters, "list": listing}.get(query, [])
        if path_param:
            params = [
                {
                    "name": path_param[0],
                    "in": "path",
                    "required": True,
                    "description": path_param[1],
                    "schema": {"type": "string"},
                }
            ]
        content = (
            {"text/csv": {"schema": {"type": "string"}}} if schema is None else {"application/json": {"schema": schema}}
        )
        responses = {"200": {"description": "OK", "content": content}}
        responses.update(
            {
                str(code): {"description": ERRORS[code], "content": {"application/json": {"schema": _ref("Error")}}}
                for code in errors
            }
        )
        spec.path(
            path=path,
            operations={
                "get": {"summary": summary, "operationId": operation_id, "parameters": params, "responses": responses}
            },
        )
    return spec.to_dict()
