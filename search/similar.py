"""Practices like a practice, and cities like a city, with the reason stated."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from kb import vocab
from search.corpus import Corpus


def more_like_this(corpus: Corpus, practice_id: str, k: int = 5) -> list[tuple[str, float]]:
    """The practices nearest in meaning; falls back to shared themes without vectors."""
    if corpus.practice_matrix is not None and practice_id in corpus.practice_row:
        similarities = corpus.practice_matrix @ corpus.practice_matrix[corpus.practice_row[practice_id]]
        order = np.argsort(-similarities)
        return [
            (corpus.practice_ids[i], float(similarities[i])) for i in order if corpus.practice_ids[i] != practice_id
        ][:k]
    mine = set(corpus.facts.get(practice_id, {}).get("theme", []))
    scored = []
    for pid, facts in corpus.facts.items():
        theirs = set(facts["theme"])
        if pid != practice_id and mine | theirs:
            scored.append((pid, len(mine & theirs) / len(mine | theirs)))
    return sorted(scored, key=lambda item: (-item[1], item[0]))[:k]


def _city_vector(corpus: Corpus, practice_ids: list[str]):
    rows = [corpus.practice_row[p] for p in practice_ids if p in corpus.practice_row]
    if not rows or corpus.practice_matrix is None:
        return None
    vector = corpus.practice_matrix[rows].mean(axis=0)
    norm = np.linalg.norm(vector)
    return vector / norm if norm else None


def peer_cities(corpus: Corpus, slug: str, k: int = 5) -> list[dict]:
    """Cities whose practices are most like this city's, each with its reasons: shared themes, same region."""
    rows = corpus.conn.execute("select id, city_slug, region, themes from practices").fetchall()
    by_city: dict[str, list[str]] = {}
    themes: dict[str, Counter] = {}
    region: dict[str, str] = {}
    for row in rows:
        by_city.setdefault(row["city_slug"], []).append(row["id"])
        themes.setdefault(row["city_slug"], Counter()).update(json.loads(row["themes"]))
        region[row["city_slug"]] = row["region"]
    if slug not in by_city:
        return []
    mine = _city_vector(corpus, by_city[slug])
    scored = []
    for city in by_city:
        if city == slug:
            continue
        shared = sorted(set(themes[slug]) & set(themes[city]))
        other = _city_vector(corpus, by_city[city]) if mine is not None else None
        if mine is not None and other is not None:
            score = float(mine @ other)
        else:
            union = set(themes[slug]) | set(themes[city])
            score = len(shared) / len(union) if union else 0.0
        scored.append(
            {
                "slug": city,
                "score": round(score, 4),
                "same_region": region[city] == region[slug],
                "shared_themes": [vocab.THEMES[t].label for t in shared if t in vocab.THEMES],
            }
        )
    scored.sort(key=lambda item: (-item["score"], item["slug"]))
    return scored[:k]
