"""The filter table of search/filters.py, spoken by other interfaces: OpenAPI parameters and `kb search` options."""

from __future__ import annotations

import click

from search.filters import FILTERS, MAX_VALUES, OPTIONS, YEARS


def openapi_parameters(countries=(), cities=(), guideline_ids=()) -> list[dict]:
    """The OpenAPI description of every filter and option; inventory-dependent values come from the served build."""
    dynamic = {"country": sorted(countries), "city": sorted(cities), "guideline": list(guideline_ids)}
    found = []
    for spec in FILTERS:
        if spec.kind == "year":
            schema = {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1]}
            found.append(
                {"name": spec.name, "in": "query", "required": False, "description": spec.help, "schema": schema}
            )
            continue
        enum = list(spec.vocabulary) if spec.vocabulary is not None else dynamic.get(spec.name, [])
        schema = {
            "type": "array",
            "maxItems": MAX_VALUES,
            "items": {"type": "string", **({"enum": enum} if enum else {})},
        }
        found.append(
            {
                "name": spec.name,
                "in": "query",
                "required": False,
                "description": spec.help,
                "style": "form",
                "explode": True,
                "schema": schema,
            }
        )
    for spec in OPTIONS:
        schema = (
            {"type": "string", "maxLength": 5000}
            if spec.kind == "text"
            else (
                {"type": "string", "enum": list(spec.choices)}
                if spec.kind == "choice"
                else {"type": "integer", "minimum": spec.bounds[0], "maximum": spec.bounds[1]}
            )
        )
        schema["default"] = spec.default
        found.append({"name": spec.name, "in": "query", "required": False, "description": spec.help, "schema": schema})
    return found


def click_options(command):
    """Add one `kb search` option per filter (repeatable where it takes several values)."""
    for spec in reversed(FILTERS):
        if spec.kind == "year":
            command = click.option(spec.option, spec.name, type=click.IntRange(*YEARS), help=spec.help)(command)
        else:
            command = click.option(spec.option, spec.name, multiple=True, help=spec.help)(command)
    return command
