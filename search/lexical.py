"""The lexical leg: SQLite FTS5 BM25 over passages, with thesaurus expansion.

Queries are rebuilt from word tokens, each quoted, so no user input can reach FTS5 as
syntax: operators, quotes and stray punctuation are just text.
"""

from __future__ import annotations

from search.text import STOPWORDS, words

# FTS5 scores every passage a term matches, so a query's cost is the sum of its terms' posting
# lists. A word found in more passages than this barely moves BM25 (its IDF is near zero) but
# would be scored everywhere: it is left out when rarer words remain. Small corpora never hit it.
MAX_POSTINGS = 20_000


def fts_query(text: str, expansions: list[str] = (), frequency=None) -> str | None:
    """An FTS5 OR-query of quoted terms and phrases; None when nothing searchable remains.

    frequency(word) -> number of passages holding the word, used to leave out words so common
    that scoring them costs more than they add.
    """
    parts: list[str] = []
    content = [w for w in dict.fromkeys(words(text)) if w not in STOPWORDS and len(w) > 1]
    if frequency is not None:
        rare = [w for w in content if frequency(w) <= MAX_POSTINGS]
        content = rare or content
    for word in content:
        parts.append(f'"{word}"')
    for phrase in expansions:
        tokens = [w for w in words(phrase) if w]
        if frequency is not None and min(frequency(t) for t in tokens) > MAX_POSTINGS:
            continue
        if tokens:
            quoted = '"' + " ".join(tokens) + '"'
            if quoted not in parts:
                parts.append(quoted)
    return " OR ".join(parts) if parts else None


def search(conn, query: str | None, limit: int, allowed_sql: str | None = None, params=()):
    """Best passages for the query: list of (passage id, score) with higher = better."""
    if not query:
        return []
    if allowed_sql:
        sql = f"""
            select p.id, -bm25(passages_fts, 2.0, 1.0) as score
            from passages_fts join passages p on p.id = passages_fts.rowid
            where passages_fts match ? and p.practice_id in ({allowed_sql})
            order by bm25(passages_fts, 2.0, 1.0) limit ?
        """
    else:  # no filter: no join, the passage id is the FTS rowid
        sql = """
            select rowid, -bm25(passages_fts, 2.0, 1.0) as score from passages_fts
            where passages_fts match ? order by bm25(passages_fts, 2.0, 1.0) limit ?
        """
    return [(row[0], row[1]) for row in conn.execute(sql, [query, *params, limit])]
