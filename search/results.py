"""What a search returns: hits with snippets and reasons, guideline sections, and the result itself."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

from kb import vocab
from kb.citations import CITATION
from search import fusion
from search.corpus import Corpus
from search.text import WORD, fold, stem


@dataclass
class Hit:
    id: str
    title: str
    city: str
    city_slug: str
    country: str
    region: str
    rating: str
    score: float
    snippet: str  # HTML: escaped text with <mark> around matched words
    snippet_heading: str
    matched_by: list[str]
    why: list[str]
    guideline_refs: list[str]
    caution: str | None = None  # said at a glance when the evidence found harm or no effect
    why_terms: list[list[str]] = field(default_factory=list)  # [facet, term] behind each reason, for translation


@dataclass
class SearchResult:
    query: str
    mode: str
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, str, int]]]
    guideline_hits: list[dict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    suggested_facets: dict[str, list[str]] = field(default_factory=dict)
    suggested_filters: list[dict] = field(default_factory=list)
    did_you_mean: str | None = None
    intent: str | None = None
    no_match: bool = False
    sort: str = "relevance"
    model: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


CAUTIONS = {
    "harmful": "Evaluations found this made things worse.",
    "no-effect": "A rigorous evaluation found no effect.",
}


def highlight(text: str, stems: set[str], max_words: int = 50) -> str:
    """Escape the text and mark words whose stem is among the query stems, around the first match.

    Citation markers ([2]) are left out: in a snippet, away from its sources, they are noise."""
    tokens = CITATION.sub("", text).split()
    text = " ".join(tokens)
    folded = fold(text).split()
    if len(folded) != len(tokens):  # a character that folds into a space: match token by token
        folded = [fold(t) for t in tokens]
    marked = [any(stem(w) in stems for w in WORD.findall(f)) for f in folded]
    first = marked.index(True) if True in marked else 0
    start = max(0, first - 12)
    window = range(start, min(len(tokens), start + max_words))
    out = [f"<mark>{html.escape(tokens[i])}</mark>" if marked[i] else html.escape(tokens[i]) for i in window]
    return ("… " if start else "") + " ".join(out) + (" …" if window.stop < len(tokens) else "")


def _why(row, suggested: dict[str, list[str]]) -> list[list[str]]:
    """The query's themes and target groups that this practice has: [facet, term] pairs."""
    reasons = []
    for facet, terms in suggested.items():
        column = {"theme": "themes", "target_group": "target_groups"}.get(facet)
        if column:
            have = set(json.loads(row[column]))
            reasons += [[facet, t] for t in terms if t in have]
    return reasons


def _why_text(pairs: list[list[str]]) -> list[str]:
    vocabularies = {"theme": vocab.THEMES, "target_group": vocab.TARGET_GROUPS}
    return [f"{facet.replace('_', ' ')}: {vocabularies[facet][term].label}" for facet, term in pairs]


def hits(
    corpus: Corpus, ids: list[str], scores: dict, best_passage: dict, sources: dict, stems: set[str], suggested: dict
) -> list[Hit]:
    if not ids:
        return []
    rows = {
        r["id"]: r
        for r in corpus.conn.execute(f"select * from practices where id in ({','.join('?' * len(ids))})", ids)
    }
    found = []
    for pid in ids:
        row = rows[pid]
        passage_id = best_passage.get(pid)
        if passage_id is not None and passage_id >= 0:
            heading, text = corpus.conn.execute(
                "select heading, text from passages where id = ?", [passage_id]
            ).fetchone()
        else:
            heading, text = "Summary", row["summary"] or ""
        reasons = _why(row, suggested)
        found.append(
            Hit(
                id=pid,
                title=row["title"],
                city=row["city"],
                city_slug=row["city_slug"],
                country=row["country"],
                region=row["region"],
                rating=row["rating"],
                score=round(float(scores.get(pid, 0.0)), 6),
                snippet=highlight(text, stems),
                snippet_heading=heading,
                matched_by=sources.get(pid, []),
                why=_why_text(reasons),
                guideline_refs=json.loads(row["guideline_refs"]),
                caution=CAUTIONS.get(row["rating"]),
                why_terms=reasons,
            )
        )
    return found


def guideline_hits(corpus: Corpus, lex_hits, dense_hits, stems: set[str], limit: int = 3) -> list[dict]:
    lex = fusion.best_per_owner([h for h in lex_hits if corpus.kind[h[0]] == "guideline"], corpus.owner)
    dense = fusion.best_per_owner([h for h in dense_hits if corpus.kind[h[0]] == "guideline"], corpus.owner)
    rankings = [r for r in ([(o, s) for o, s, _ in lex], [(o, s) for o, s, _ in dense[:10]]) if r]
    fused = fusion.rrf(rankings) if rankings else []
    result = []
    for sid, _ in fused[:limit]:
        section = corpus.doc[sid]
        result.append(
            {
                "id": sid,
                "label": section.label,
                "heading": section.heading,
                "snippet": highlight(section.text, stems, 40),
            }
        )
    return result
