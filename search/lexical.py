"""The lexical leg: SQLite FTS5 BM25 over passages, with thesaurus expansion.

Queries are rebuilt from word tokens, each quoted, so no user input can reach FTS5 as
syntax: operators, quotes and stray punctuation are just text.

FTS5 scores every row a term reaches, so a query costs the sum of its terms' posting lists
(about 1.4 microseconds per posting on our 2-core machine). Each query gets a budget of
postings: its rarest terms are searched first and the most common ones, whose IDF is near
zero, are left out once the budget is spent. The budget never binds on the bundled
inventory; it keeps a query's cost bounded in a corpus of 100,000 entries.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from functools import lru_cache

from search.text import STOPWORDS, words

POSTING_BUDGET = 15_000  # passage postings scored per search, the user's words first, then the expansions
MULTILINGUAL_BUDGET = 3_000  # practice postings of the translated stems (search/legs.py multilingual_leg)
TOKENIZE = "porter"  # as the passages_fts table was made (sqlite-utils enable_fts)
TERM_COUNTS_TABLE = "fts_terms"
MULTILINGUAL_TERMS_TABLE = "multilingual_terms"


def query_parts(text: str, expansions: list[str] = ()) -> list[str]:
    """The quoted terms and phrases of an FTS5 query, in order, each once."""
    parts: list[str] = []
    for word in words(text):
        # An elision or possessive ("l'espace", "women's") is one word to us but two to FTS5.
        for piece in word.split("'"):
            if len(piece) > 1 and piece not in STOPWORDS:
                parts.append(f'"{piece}"')
    for phrase in expansions:
        tokens = [w for w in words(phrase) if w]
        if tokens:
            parts.append('"' + " ".join(tokens) + '"')
    return list(dict.fromkeys(parts))


def within_budget(
    parts: list[str], cost: Callable[[str], int], budget: int, keep_one: bool = True
) -> tuple[list[str], int]:
    """The parts to search, rarest first, until their postings would exceed the budget.

    Returns (parts kept in their original order, postings spent). With keep_one the rarest
    part is kept even over budget: a query must still find something.
    """
    costs = {part: cost(part) for part in parts}
    kept, spent = set(), 0
    for part in sorted(parts, key=lambda p: costs[p]):
        if spent + costs[part] > budget and (kept or not keep_one):
            break
        kept.add(part)
        spent += costs[part]
    return [p for p in parts if p in kept], spent


def fts_queries(
    text: str, expansions: list[str] = (), cost: Callable[[str], int] | None = None, budget: int = POSTING_BUDGET
) -> tuple[str | None, str | None]:
    """The user's words and the thesaurus expansions as two FTS5 OR-queries, so expansions can weigh less.

    Both share one posting budget, the user's words first; an expansion the user already typed
    is searched once, with the user's words. None where nothing searchable remains.
    """
    own = query_parts(text)
    expanded = [part for part in query_parts("", expansions) if part not in own]
    if cost is not None:
        own, spent = within_budget(own, cost, budget)
        expanded, _ = within_budget(expanded, cost, budget - spent, keep_one=False)
    return " OR ".join(own) or None, " OR ".join(expanded) or None


_tokenizer_lock = threading.Lock()
_tokenizer: sqlite3.Connection | None = None


@lru_cache(maxsize=50_000)
def fts_tokens(text: str) -> tuple[str, ...]:
    """The index terms FTS5 makes of a text, from FTS5's own tokenizer (so 'violences' -> 'violenc')."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            _tokenizer = sqlite3.connect(":memory:", check_same_thread=False)
            _tokenizer.execute(f"create virtual table scratch using fts5(text, tokenize='{TOKENIZE}')")
            _tokenizer.execute("create virtual table scratch_terms using fts5vocab(scratch, 'instance')")
        _tokenizer.execute("insert into scratch(rowid, text) values (1, ?)", [text])
        terms = tuple(row[0] for row in _tokenizer.execute("select term from scratch_terms order by offset"))
        _tokenizer.execute("delete from scratch")
    return terms


def write_term_counts(
    conn: sqlite3.Connection, fts_table: str = "passages_fts", counts_table: str = TERM_COUNTS_TABLE
) -> None:
    """Merge the index into one segment, then store how many rows each term reaches (for costing queries).

    A build writes the index once and never changes it, so merging pays: each term is then read
    from one place rather than from every segment the inserts left (queries ~40 % faster at 30k entries).
    """
    conn.execute(f"insert into {fts_table}({fts_table}) values ('optimize')")
    conn.execute(f"create virtual table temp.term_rows using fts5vocab(main, {fts_table}, 'row')")
    conn.execute(f"create table {counts_table} (term text primary key, rows integer not null) without rowid")
    conn.execute(f"insert into {counts_table} select term, doc from temp.term_rows")
    conn.execute("drop table temp.term_rows")
    conn.commit()


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
