"""Rank fusion as pure functions over lists of (id, score), best first."""

from __future__ import annotations


def best_per_owner(hits: list[tuple[int, float]], owner_of: dict[int, str]) -> list[tuple[str, float, int]]:
    """Collapse passage hits to owners: (owner, best score, best passage id), best first."""
    best: dict[str, tuple[float, int]] = {}
    for passage_id, score in hits:
        owner = owner_of.get(passage_id)
        if owner is not None and (owner not in best or score > best[owner][0]):
            best[owner] = (score, passage_id)
    return sorted(((o, s, p) for o, (s, p) in best.items()), key=lambda r: -r[1])


def rrf(rankings: list[list[tuple[str, float]]], k: int = 60, weights: list[float] | None = None) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of weight / (k + rank) over the rankings an id appears in."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, (uid, _) in enumerate(ranking, start=1):
            scores[uid] = scores.get(uid, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def _normalise(ranking: list[tuple[str, float]]) -> dict[str, float]:
    if not ranking:
        return {}
    values = [s for _, s in ranking]
    low, high = min(values), max(values)
    span = high - low
    return {uid: (s - low) / span if span else 1.0 for uid, s in ranking}


def convex(rankings: list[list[tuple[str, float]]], weights: list[float]) -> list[tuple[str, float]]:
    """Weighted sum of min-max normalised scores; an id missing from a ranking scores 0 there."""
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights):
        for uid, value in _normalise(ranking).items():
            scores[uid] = scores.get(uid, 0.0) + weight * value
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
