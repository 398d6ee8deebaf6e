"""Retrieval quality: nDCG@10, recall@20 and MRR for each search mode, side by side.

Metric functions are pure: a ranked list of ids and a {id: grade} judgment dict.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

MODES = ("bm25", "lexical", "dense", "hybrid")  # bm25: plain BM25 over the entries' own text, the yardstick

EVAL_DIR = Path(__file__).parent / "data" / "eval"
# Each set's README says who wrote it and what it has been used for. In round three every weight
# was chosen on dev, heldout and fresh together; final was written by a helper who never saw the
# engine or the other sets, and run once, after the last change to ranking.
SETS = {
    "dev": EVAL_DIR,
    "heldout": EVAL_DIR / "heldout",
    "fresh": EVAL_DIR / "fresh",
    "final": EVAL_DIR / "final",
}


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain with graded gains (2^grade - 1)."""

    def dcg(gains):
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))

    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    return dcg([grades.get(r, 0) for r in ranked[:k]]) / ideal if ideal else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = 20) -> float:
    relevant = {r for r, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    for i, r in enumerate(ranked, start=1):
        if grades.get(r, 0) > 0:
            return 1.0 / i
    return 0.0


@dataclass(frozen=True)
class Query:
    qid: str
    type: str
    text: str


def read_queries(path: Path) -> list[Query]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    missing = {"qid", "type", "query"} - set(rows[0] if rows else {})
    if missing:
        raise ValueError(
            f"{path}: needs the columns qid, type, query (tab-separated); missing {', '.join(sorted(missing))}"
        )
    return [Query(r["qid"], r["type"], r["query"]) for r in rows]


def read_qrels(path: Path, known_ids: set[str] | None = None) -> dict[str, dict[str, int]]:
    """{qid: {practice id: grade}}; every bad line is reported at once, by file and line."""
    judgments: dict[str, dict[str, int]] = {}
    problems: list[str] = []
    with open(path, encoding="utf-8", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            try:
                grade = int(row["grade"])
            except (KeyError, TypeError, ValueError):
                problems.append(f"{path}:{line_no}: needs qid, practice_id and a whole-number grade 0-2")
                continue
            if not 0 <= grade <= 2:
                problems.append(f"{path}:{line_no}: grade {grade} is not allowed; allowed: 0, 1, 2")
            elif known_ids is not None and row["practice_id"] not in known_ids:
                problems.append(f"{path}:{line_no}: practice_id '{row['practice_id']}' is not in the inventory")
            else:
                judgments.setdefault(row["qid"], {})[row["practice_id"]] = grade
    if problems:
        raise ValueError("\n".join(problems))
    return judgments


def evaluate(engine, queries: list[Query], qrels: dict[str, dict[str, int]], modes=MODES) -> dict:
    """{mode: {query type or 'all': {metric: mean}}} plus per-query scores under 'queries'."""
    report: dict = {"queries": {}}
    for mode in modes:
        per_type: dict[str, list[tuple[float, float, float]]] = {}
        for query in queries:
            grades = qrels.get(query.qid, {})
            options = {"mode": "lexical", "baseline": True} if mode == "bm25" else {"mode": mode}
            ranked = [h.id for h in engine.search(query.text, per_page=20, **options).hits]
            scores = (ndcg(ranked, grades), recall(ranked, grades), reciprocal_rank(ranked, grades))
            report["queries"].setdefault(query.qid, {})[mode] = scores
            per_type.setdefault(query.type, []).append(scores)
            per_type.setdefault("all", []).append(scores)
        report[mode] = {
            kind: {name: sum(s[i] for s in rows) / len(rows) for i, name in enumerate(("ndcg@10", "recall@20", "mrr"))}
            | {"n": len(rows)}
            for kind, rows in per_type.items()
        }
    return report


def format_table(report: dict, modes=MODES) -> str:
    kinds = ["all"] + sorted(k for k in report[modes[0]] if k != "all")
    lines = [
        "| queries | n | "
        + " | ".join(f"{m} nDCG@10" for m in modes)
        + " | "
        + " | ".join(f"{m} R@20" for m in modes)
        + " | "
        + " | ".join(f"{m} MRR" for m in modes)
        + " |",
        "|" + "---|" * (2 + 3 * len(modes)),
    ]
    for kind in kinds:
        cells = [kind, str(report[modes[0]][kind]["n"])]
        for metric in ("ndcg@10", "recall@20", "mrr"):
            cells += [f"{report[m][kind][metric]:.3f}" for m in modes]
        lines.append("| " + " | ".join(cells) + " |")
    for baseline in ("bm25", "lexical"):
        if "hybrid" in modes and baseline in modes:
            for kind in kinds:
                ratio = report["hybrid"][kind]["ndcg@10"] / max(report[baseline][kind]["ndcg@10"], 1e-9)
                lines.append(f"hybrid / {baseline} nDCG@10 ({kind}): {ratio:.2f}x")
    return "\n".join(lines)
