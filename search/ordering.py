"""Orders other than relevance, as pure functions: by evidence strength, by failure, by start year."""

from __future__ import annotations

RATING_ORDER = {
    r: i for i, r in enumerate(["effective", "promising", "mixed", "no-effect", "harmful", "not-evaluated"])
}
# Asked what failed: harmful and no-effect first.
FAILURE_ORDER = {
    r: i for i, r in enumerate(["harmful", "no-effect", "mixed", "promising", "effective", "not-evaluated"])
}
# The ratings an evidence question alone ("what works?") lists.
EVIDENCE_LIST = {"works": ("effective", "promising"), "fails": ("harmful", "no-effect")}


def sorted_by(
    ranked: list[tuple[str, float]], sort: str, rating_of: dict[str, str], start_year: dict[str, int | None]
) -> list[tuple[str, float]]:
    """Reorder a ranking by evidence strength or start year; relevance keeps the order (stable for ties)."""
    if sort == "evidence":
        return sorted(ranked, key=lambda r: RATING_ORDER.get(rating_of.get(r[0], ""), 9))
    if sort == "newest":
        return sorted(ranked, key=lambda r: -(start_year.get(r[0]) or 0))
    return ranked


def by_evidence(rows: list[dict], intent: str | None) -> list[str]:
    """Ids of rows (id, rating, title) strongest evidence first, or failures first when asked what failed."""
    order = FAILURE_ORDER if intent == "fails" else RATING_ORDER
    return [r["id"] for r in sorted(rows, key=lambda r: (order.get(r["rating"], 9), r["title"]))]
