"""Reading search parameters from a query string strictly: a malformed value is a 400 naming it."""

from __future__ import annotations

from search import filters as search_filters
from search.engine import FUSIONS, MODES
from search.filters import ParameterError

FILTER_NAMES = ("region", "country", "city", "theme", "target_group", "prevention", "rating", "guideline",
                "year_from", "year_to")


def integer(args, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParameterError(name, f"'{raw}' is not a whole number; use {low}..{high}") from None
    if not low <= value <= high:
        raise ParameterError(name, f"{value} is out of range; use {low}..{high}")
    return value


def choice(args, name: str, default: str, allowed) -> str:
    value = args.get(name) or default
    if value not in allowed:
        raise ParameterError(name, f"unknown value '{value}'; allowed: {', '.join(allowed)}")
    return value


def search_request(args, engine) -> dict:
    """Everything a search needs from the query string, validated."""
    return {
        "query": args.get("q", ""),
        "filters": search_filters.parse(args, set(engine.doc.sections), engine.countries, engine.cities),
        "mode": choice(args, "mode", "hybrid", MODES),
        "fusion_method": choice(args, "fusion", "rrf", FUSIONS),
        "page": integer(args, "page", 1, 1, 10_000),
        "per_page": integer(args, "per_page", 10, 1, 100),
    }


def run_search(args, engine):
    """Validate the query string and run the search it describes: (params, result)."""
    params = search_request(args, engine)
    result = engine.search(params["query"], params["filters"], mode=params["mode"], page=params["page"],
                           per_page=params["per_page"], fusion_method=params["fusion_method"])
    return params, result
