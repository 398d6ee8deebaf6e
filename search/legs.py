"""The legs of a search, each a ranking of practices: [(practice id, score, best passage id)], best first.

- words: FTS5 BM25 over passages with the user's words; a passage's score is weighted by the
  section it comes from, so what a practice is *about* (its About passage, What was done) counts
  more than a word in its Lessons or Transferability.
- expansions: the same over the thesaurus's English terms for words in other languages.
- multilingual: the Snowball stems of a Spanish, French or Portuguese query against each
  practice's translated title, summary and questions.
- meaning: FAISS over passage vectors, mixed with the whole practice's vector.
"""

from __future__ import annotations

import numpy as np

from search import faiss_index, fusion, lexical, stemming
from search.corpus import Corpus
from search.index import MULTILINGUAL_TABLE
from search.passages import ABOUT

PASSAGE_POOL = 400  # passages fetched from each leg before collapsing to practices
WHOLE_PRACTICE_WEIGHT = 0.3  # dense score = mix of the best passage and the whole practice's vector
# How much a match in each section says about what the practice is: chosen on the development set.
SECTION_WEIGHTS = {
    ABOUT: 1.0,
    "What was done": 0.9,
    "How it works": 0.8,
    "Problem": 0.75,
    "Results and evidence": 0.75,
    "Implementation": 0.65,
    "Lessons learned": 0.55,
    "Transferability": 0.5,
}
TRANSLATED_ABOUT_WEIGHT = 1.0
LESSON_WEIGHT = 0.55


def section_weight(heading: str) -> float:
    if heading in SECTION_WEIGHTS:
        return SECTION_WEIGHTS[heading]
    if heading.startswith(ABOUT):
        return TRANSLATED_ABOUT_WEIGHT
    if heading.startswith("Lesson from"):
        return LESSON_WEIGHT
    return 1.0  # guideline sections


def practices_of(corpus: Corpus, hits: list[tuple[int, float]], weighted: bool = True) -> list[tuple[str, float, int]]:
    """Collapse passage hits to practices, each passage's score weighted by its section."""
    if weighted:
        hits = [(pid, score * section_weight(corpus.heading[pid])) for pid, score in hits]
    return fusion.best_per_owner([h for h in hits if corpus.kind[h[0]] == "practice"], corpus.owner)


def word_legs(corpus: Corpus, text: str, expansions: list[str], allowed_sql, params, body_only: bool = False):
    """Passage hits for the user's words and for the expansions (see lexical.fts_queries)."""
    own_query, expansion_query = lexical.fts_queries(text, expansions, corpus.postings if corpus.costs_known else None)
    own = lexical.search(corpus.conn, own_query, PASSAGE_POOL, allowed_sql, params)
    expanded = lexical.search(corpus.conn, expansion_query, PASSAGE_POOL, allowed_sql, params)
    if body_only:  # the plain keyword baseline: entry text as written, no About or translated passages
        own = [h for h in own if not corpus.heading[h[0]].startswith(ABOUT)]
    return own, expanded


def multilingual_leg(corpus: Corpus, text: str, allowed_sql, params) -> list[tuple[str, float, int]]:
    """Practices whose translations share stems with the query (Spanish, French, Portuguese)."""
    tokens = stemming.query_tokens(text)
    if not corpus.multilingual or not tokens:
        return []
    if corpus.multilingual_costs_known:  # the rarest stems first, within the budget (see search/lexical.py)
        tokens, _ = lexical.within_budget(tokens, corpus.stem_postings, lexical.MULTILINGUAL_BUDGET)
    query = " OR ".join(f'"{t}"' for t in tokens)
    table = MULTILINGUAL_TABLE
    sql = f"select practice_id, -bm25({table}) as score from {table} where {table} match ?"
    if allowed_sql:
        sql += f" and practice_id in ({allowed_sql})"
    rows = corpus.conn.execute(sql + " order by score desc limit ?", [query, *params, PASSAGE_POOL]).fetchall()
    return [(row[0], row[1], -1) for row in rows]


def query_vector(corpus: Corpus, text: str, expansions: list[str]) -> np.ndarray | None:
    # The English terms of matched concepts act as a query translation for English-only models.
    vector = corpus.encoder.encode_queries([f"{text} {' '.join(expansions)}" if expansions else text])[0]
    return vector if np.any(vector) else None


def dense_hits(corpus: Corpus, vector: np.ndarray | None, allowed_ids: set[str] | None) -> list[tuple[int, float]]:
    if vector is None:
        return []
    selector = None
    if allowed_ids is not None:
        selector = np.array(
            [p for pid in allowed_ids for p in corpus.practice_passages.get(pid, [])] + corpus.guideline_passage_ids,
            dtype=np.int64,
        )
    scores, ids = faiss_index.search(corpus.index, vector, PASSAGE_POOL, selector)
    return [(int(i), float(s)) for s, i in zip(scores, ids, strict=True)]


def meaning_leg(
    corpus: Corpus, hits: list[tuple[int, float]], vector: np.ndarray | None
) -> list[tuple[str, float, int]]:
    """Practices by meaning: the best passage mixed with the whole practice's vector."""
    ranked = practices_of(corpus, hits, weighted=False)
    if ranked and corpus.practice_matrix is not None and vector is not None and WHOLE_PRACTICE_WEIGHT:
        whole = corpus.practice_matrix @ vector
        ranked = sorted(
            (
                (o, (1 - WHOLE_PRACTICE_WEIGHT) * s + WHOLE_PRACTICE_WEIGHT * float(whole[corpus.practice_row[o]]), p)
                for o, s, p in ranked
                if o in corpus.practice_row
            ),
            key=lambda r: -r[1],
        )
    return ranked
