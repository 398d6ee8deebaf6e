"""Search parameters, declared once: every filter and option of a search, in one table.

The URL parameters of the site and the API, their OpenAPI description and `kb search` options
(search/filter_adapters.py), the facets in the templates and the filter SQL all derive from
`FILTERS` and `OPTIONS` below: adding a filter is one row here.

Filters are parsed strictly and become one SQL query of allowed practice ids that every leg
applies, so the legs always agree. Values are OR-ed within a filter, AND-ed across filters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kb import vocab
from kb.words import did_you_mean

YEARS = (1900, 2100)
PAGES = (1, 10_000)
PER_PAGE = (1, 100)
MAX_VALUES = 50  # values per filter: enough for any real use, bounded against abuse
MODES = ("hybrid", "dense", "lexical")
FUSIONS = ("weighted", "rrf")
# Weighted scores beat reciprocal rank on all three query sets (kb eval; bench/RESULTS.md): a leg that
# is sure of its best match keeps that margin, where rank fusion flattens it.
DEFAULT_FUSION = "weighted"
SORTS = ("relevance", "evidence", "newest")


class ParameterError(ValueError):
    """A search parameter is not allowed; the message names the parameter and the allowed values."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.detail = message


class FilterError(ParameterError):
    """A filter value is not allowed."""


@dataclass(frozen=True)
class Filter:
    name: str  # URL parameter; the CLI option is --name-with-hyphens
    label: str
    help: str
    kind: str  # terms | codes | year
    vocabulary: dict | None = None  # fixed terms; None when the served build supplies them
    column: str | None = None  # a column of `practices`
    facet_table: str | None = None  # practice_terms facet name
    facet: bool = False  # counted and offered as a facet beside results
    where: Callable | None = None  # custom SQL for the year filters

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


FILTERS: tuple[Filter, ...] = (
    Filter("region", "Region", "Region (repeatable)", "terms", vocab.REGIONS, column="region", facet=True),
    Filter("country", "Country", "ISO 3166-1 alpha-2 country code (repeatable)", "codes", column="country_code"),
    Filter("city", "City", "City slug, e.g. medellin-co (repeatable)", "codes", column="city_slug"),
    Filter("theme", "Theme", "Theme (repeatable)", "terms", vocab.THEMES, facet_table="theme", facet=True),
    Filter(
        "target_group",
        "Target group",
        "Target group (repeatable)",
        "terms",
        vocab.TARGET_GROUPS,
        facet_table="target_group",
        facet=True,
    ),
    Filter(
        "prevention",
        "Prevention",
        "Prevention type (repeatable)",
        "terms",
        vocab.PREVENTION,
        facet_table="prevention",
        facet=True,
    ),
    Filter(
        "rating",
        "Evidence",
        "Evidence rating (repeatable)",
        "terms",
        vocab.EVIDENCE_RATINGS,
        column="rating",
        facet=True,
    ),
    Filter("guideline", "Guideline section", "Guideline section id; includes its sub-items (repeatable)", "codes"),
    Filter(
        "year_from",
        "Running in or after",
        "Running in or after this year",
        "year",
        where=lambda year: ("(end_year is null or end_year >= ?)", [year]),
    ),
    Filter(
        "year_to",
        "Started by",
        "Started in or before this year",
        "year",
        where=lambda year: ("start_year <= ?", [year]),
    ),
)
FILTERS_BY_NAME = {f.name: f for f in FILTERS}
FACETS = tuple(f for f in FILTERS if f.facet)


@dataclass(frozen=True)
class Option:
    name: str
    help: str
    kind: str  # text | choice | int
    default: object = None
    choices: tuple = ()
    bounds: tuple[int, int] | None = None


OPTIONS: tuple[Option, ...] = (
    Option("q", "What to search for, in your own words (English, Spanish, French or Portuguese)", "text", ""),
    Option("mode", "hybrid (words and meaning), lexical (words) or dense (meaning)", "choice", "hybrid", MODES),
    Option(
        "fusion", "How the legs are fused: weighted scores or reciprocal rank (rrf)", "choice", DEFAULT_FUSION, FUSIONS
    ),
    Option("sort", "relevance, evidence (strongest first) or newest", "choice", "relevance", SORTS),
    Option("page", "Page of results", "int", 1, bounds=PAGES),
    Option("per_page", "Results per page", "int", 10, bounds=PER_PAGE),
)
OPTIONS_BY_NAME = {o.name: o for o in OPTIONS}


class Filters:
    """Chosen filter values by filter name: lists for terms and codes, a year or None for years."""

    def __init__(self, **values):
        unknown = set(values) - set(FILTERS_BY_NAME)
        if unknown:
            raise TypeError(f"unknown filters: {', '.join(sorted(unknown))}")
        self.values = {f.name: values.get(f.name) or (None if f.kind == "year" else []) for f in FILTERS}

    def __getattr__(self, name):
        values = self.__dict__.get("values") or {}
        if name in values:
            return values[name]
        raise AttributeError(name)

    def active(self) -> dict:
        return {k: v for k, v in self.values.items() if v not in (None, [])}

    def __bool__(self) -> bool:
        return bool(self.active())

    def __eq__(self, other) -> bool:
        return isinstance(other, Filters) and self.values == other.values

    def __repr__(self) -> str:
        return f"Filters({', '.join(f'{k}={v!r}' for k, v in self.active().items())})"


def _allowed_message(value, allowed) -> str:
    allowed = list(allowed)
    shown = ", ".join(allowed[:60]) + (", ..." if len(allowed) > 60 else "")
    return f"unknown value '{str(value)[:80]}'{did_you_mean(value, allowed)}; allowed: {shown}"


def _values(params, name) -> list[str]:
    raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name) or []
    raw = [raw] if isinstance(raw, (str, int)) else list(raw)
    found = [v.strip() for item in raw for v in str(item).split(",") if v.strip()]
    if len(found) > MAX_VALUES:
        raise FilterError(name, f"at most {MAX_VALUES} values, got {len(found)}")
    return found


def parse(params, guideline_ids=None, countries=None, cities=None) -> Filters:
    """Filters from a mapping of lists (a query string); raise FilterError naming the bad parameter."""
    dynamic = {"country": countries, "city": cities, "guideline": guideline_ids}
    chosen = {}
    for spec in FILTERS:
        found = _values(params, spec.name)
        if spec.kind == "year":
            chosen[spec.name] = _year(spec.name, found[0]) if found else None
            continue
        if spec.name == "country":
            found = [v.upper() for v in found]
        allowed = spec.vocabulary if spec.vocabulary is not None else dynamic.get(spec.name)
        for value in found:
            if allowed is not None and value not in allowed:
                hint = " (see /guidelines)" if spec.name == "guideline" else ""
                ordered = allowed if spec.vocabulary is not None or spec.name == "guideline" else sorted(allowed)
                raise FilterError(spec.name, _allowed_message(value, ordered) + hint)
        chosen[spec.name] = list(dict.fromkeys(found))
    return Filters(**chosen)


def _year(name: str, raw: str) -> int:
    try:
        year = int(raw)
    except ValueError:
        raise FilterError(name, f"'{raw[:40]}' is not a year; use a whole year such as 2010") from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise FilterError(name, f"{year} is outside {YEARS[0]}..{YEARS[1]}")
    return year


def option(params, name: str):
    """One option from a query string, checked against its declaration."""
    spec = OPTIONS_BY_NAME[name]
    raw = params.get(name)
    if raw in (None, ""):
        return spec.default
    if spec.kind == "int":
        low, high = spec.bounds
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ParameterError(name, f"'{str(raw)[:40]}' is not a whole number; use {low}..{high}") from None
        if not low <= value <= high:
            raise ParameterError(name, f"{value} is out of range; use {low}..{high}")
        return value
    if spec.kind == "choice" and raw not in spec.choices:
        raise ParameterError(name, f"unknown value '{str(raw)[:40]}'; allowed: {', '.join(spec.choices)}")
    return raw


def allowed_practices_sql(filters: Filters, descendants=lambda sid: []) -> tuple[str, list]:
    """SQL selecting the ids of practices that pass every filter (values OR-ed within a filter)."""
    clauses, params = [], []
    for spec in FILTERS:
        values = filters.values.get(spec.name)
        if values in (None, []):
            continue
        if spec.where is not None:
            clause, extra = spec.where(values)
        elif spec.column:
            clause, extra = f"{spec.column} in ({','.join('?' * len(values))})", list(values)
        elif spec.facet_table:
            clause = (
                f"id in (select practice_id from practice_terms where facet = ? "
                f"and term in ({','.join('?' * len(values))}))"
            )
            extra = [spec.facet_table, *values]
        else:  # guideline: a section and everything below it
            sections = list(dict.fromkeys(s for g in values for s in [g, *descendants(g)]))
            marks = ",".join("?" * len(sections))
            clause = f"id in (select practice_id from practice_guidelines where section_id in ({marks}))"
            extra = sections
        clauses.append(clause)
        params += extra
    where = " and ".join(clauses) if clauses else "1"
    return f"select id from practices where {where}", params
