"""Reading a search from a query string, strictly: a malformed value is a 400 that names it.

Every parameter is declared once, in search/filters.py.
"""

from __future__ import annotations

from search import filters


def search_request(args, engine) -> dict:
    """Everything a search needs from the query string, validated."""
    return {
        "query": filters.option(args, "q"),
        "filters": filters.parse(args, set(engine.doc.sections), engine.countries, engine.cities),
        "mode": filters.option(args, "mode"),
        "fusion_method": filters.option(args, "fusion"),
        "sort": filters.option(args, "sort"),
        "page": filters.option(args, "page"),
        "per_page": filters.option(args, "per_page"),
    }


def run_search(args, engine):
    """Validate the query string and run the search it describes: (params, result)."""
    params = search_request(args, engine)
    result = engine.search(
        params["query"],
        params["filters"],
        mode=params["mode"],
        page=params["page"],
        per_page=params["per_page"],
        fusion_method=params["fusion_method"],
        sort=params["sort"],
    )
    return params, result


def choice(args, name: str, default: str, allowed) -> str:
    """A page option outside search (such as the gap map's rows), checked against its choices."""
    value = args.get(name) or default
    if value not in allowed:
        raise filters.ParameterError(name, f"unknown value '{value[:40]}'; allowed: {', '.join(allowed)}")
    return value
