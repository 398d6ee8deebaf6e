"""Search filters: parsed strictly, then turned into one SQL query of allowed practice ids
that both the lexical and the dense leg apply, so the two legs always agree."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields

from kb import vocab

FACET_VOCABULARIES = {
    "region": vocab.REGIONS,
    "theme": vocab.THEMES,
    "target_group": vocab.TARGET_GROUPS,
    "prevention": vocab.PREVENTION,
    "rating": vocab.EVIDENCE_RATINGS,
}
TERM_FACETS = ("theme", "target_group", "prevention")


class ParameterError(ValueError):
    """A search parameter is not allowed; the message names the parameter and the allowed values."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


class FilterError(ParameterError):
    """A filter value is not allowed."""


@dataclass
class Filters:
    region: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    city: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    target_group: list[str] = field(default_factory=list)
    prevention: list[str] = field(default_factory=list)
    rating: list[str] = field(default_factory=list)
    guideline: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    def active(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, [])}

    def __bool__(self) -> bool:
        return bool(self.active())


def _allowed_message(value, allowed) -> str:
    close = difflib.get_close_matches(str(value), list(allowed), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    shown = ", ".join(list(allowed)[:60]) + (", ..." if len(allowed) > 60 else "")
    return f"unknown value '{value}'{hint}; allowed: {shown}"


def parse(params, guideline_ids=None, countries=None, cities=None) -> Filters:
    """Build Filters from a mapping of lists (a query string); raise FilterError on bad values."""
    def values(name):
        raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name) or []
        raw = [raw] if isinstance(raw, str) else list(raw)
        return [v.strip() for item in raw for v in str(item).split(",") if v.strip()]

    result = Filters()
    for name, vocabulary in FACET_VOCABULARIES.items():
        for value in values(name):
            if value not in vocabulary:
                raise FilterError(name, _allowed_message(value, vocabulary))
        setattr(result, name, values(name))
    for name, allowed in (("country", countries), ("city", cities)):
        found = values(name)
        if name == "country":
            found = [v.upper() for v in found]
        if allowed is not None:
            for value in found:
                if value not in allowed:
                    raise FilterError(name, _allowed_message(value, sorted(allowed)))
        setattr(result, name, found)
    for value in values("guideline"):
        if guideline_ids is not None and value not in guideline_ids:
            raise FilterError("guideline", _allowed_message(value, guideline_ids) + " (see /guidelines)")
    result.guideline = values("guideline")
    for name in ("year_from", "year_to"):
        found = values(name)
        if found:
            try:
                year = int(found[0])
            except ValueError:
                raise FilterError(name, f"'{found[0]}' is not a year; use a whole year such as 2010") from None
            if not 1900 <= year <= 2100:
                raise FilterError(name, f"{year} is outside 1900..2100")
            setattr(result, name, year)
    return result


def allowed_practices_sql(filters: Filters, descendants=lambda sid: []) -> tuple[str, list]:
    """SQL selecting the ids of practices that pass every filter (values OR-ed within a filter)."""
    clauses, params = [], []
    for name, column in (("region", "region"), ("country", "country_code"), ("city", "city_slug"), ("rating", "rating")):
        values = getattr(filters, name)
        if values:
            clauses.append(f"{column} in ({','.join('?' * len(values))})")
            params += values
    for name in TERM_FACETS:
        values = getattr(filters, name)
        if values:
            clauses.append(
                f"id in (select practice_id from practice_terms where facet = ? and term in ({','.join('?' * len(values))}))"
            )
            params += [name, *values]
    if filters.guideline:
        sections = list(dict.fromkeys(s for g in filters.guideline for s in [g, *descendants(g)]))
        clauses.append(
            f"id in (select practice_id from practice_guidelines where section_id in ({','.join('?' * len(sections))}))"
        )
        params += sections
    if filters.year_from is not None:  # still running in or after year_from
        clauses.append("(end_year is null or end_year >= ?)")
        params.append(filters.year_from)
    if filters.year_to is not None:  # started in or before year_to
        clauses.append("start_year <= ?")
        params.append(filters.year_to)
    where = " and ".join(clauses) if clauses else "1"
    return f"select id from practices where {where}", params
