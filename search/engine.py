"""Search over one published build: hybrid (dense + lexical), filters, facets, snippets,
more like this, and peer cities.

An Engine is loaded once per process per build and shared by request threads: the
FAISS index, model and vectors are read-only; each thread gets its own SQLite connection.
If the model or index cannot be loaded, the engine still serves lexical search and says why.
"""

from __future__ import annotations

import html
import json
import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import sqlite_utils

from kb import guidelines, vocab
from search import encoder as encoders
from search import faiss_index, fusion, lexical, thesaurus
from search.filters import FUSIONS, MODES, SORTS, Filters, ParameterError, allowed_practices_sql
from search.index import DOMAIN_DIR, INDEX_DIR, PRACTICE_IDS, PRACTICE_VECTORS
from search.text import STOPWORDS, WORD, fold, stem, words

MAX_QUERY_CHARS = 300
PASSAGE_POOL = 400  # passages fetched from each leg before collapsing to practices
DENSE_KEEP = 30  # practices the dense leg may add to a result set on its own
DENSE_RELATIVE = 0.4  # ... if they score at least this share of the best dense score
WHOLE_PRACTICE_WEIGHT = 0.5  # dense score = mix of the best passage and the whole practice's vector
# Fusion weights of the user's own words, the thesaurus expansions and the dense leg,
# chosen on the development set (kb eval): expansions carry the other languages but add noise in English.
WORDS_WEIGHT, EXPANSION_WEIGHT, DENSE_WEIGHT = 1.0, 0.5, 0.5
RATING_ORDER = {r: i for i, r in enumerate(["effective", "promising", "mixed", "no-effect", "harmful", "not-evaluated"])}


class QueryError(ParameterError):
    """A query parameter (mode, page, ...) is not allowed."""


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
    model: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def truncate_query(query: str) -> tuple[str, str | None]:
    query = " ".join((query or "").split())
    if len(query) <= MAX_QUERY_CHARS:
        return query, None
    cut = query[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    return cut, f"Your query was {len(query)} characters long; only the first {len(cut)} were searched."


def highlight(text: str, stems: set[str], max_words: int = 50) -> str:
    """Escape the text and mark words whose stem is among the query stems, around the first match."""
    tokens = text.split()
    folded = fold(text).split()
    if len(folded) != len(tokens):  # a character that folds into a space: match token by token
        folded = [fold(t) for t in tokens]
    marked = [any(stem(w) in stems for w in WORD.findall(f)) for f in folded]
    first = marked.index(True) if True in marked else 0
    start = max(0, first - 12)
    window = range(start, min(len(tokens), start + max_words))
    out = [f"<mark>{html.escape(tokens[i])}</mark>" if marked[i] else html.escape(tokens[i]) for i in window]
    return ("… " if start else "") + " ".join(out) + (" …" if window.stop < len(tokens) else "")


class Engine:
    def __init__(self, build_dir: Path):
        self.build_dir = Path(build_dir)
        self.db_path = self.build_dir / "kb.db"
        if not self.db_path.exists():
            raise FileNotFoundError(f"{self.db_path} does not exist: run `kb build` first")
        self._local = threading.local()
        self.doc = guidelines.load()
        self.thesaurus = thesaurus.load()
        self.status: list[str] = []
        conn = self.conn
        corpus_hash = conn.execute("select value from meta where key = 'corpus_hash'").fetchone()[0]
        self.owner = {}
        self.kind = {}
        self.practice_passages: dict[str, list[int]] = {}
        self.guideline_passage_ids: list[int] = []
        for pid, owner, kind in conn.execute("select id, owner, kind from passages"):
            self.owner[pid] = owner
            self.kind[pid] = kind
            if kind == "practice":
                self.practice_passages.setdefault(owner, []).append(pid)
            else:
                self.guideline_passage_ids.append(pid)
        self._term_rows: dict[str, int] = {}
        self.costs_known = conn.execute(
            "select 1 from sqlite_master where name = ?", [lexical.TERM_COUNTS_TABLE]).fetchone() is not None
        # Facet data of every practice, so counting a result set needs no query.
        self.facts: dict[str, dict] = {}
        self.start_year = {r[0]: r[1] for r in conn.execute("select id, start_year from practices")}
        for row in conn.execute("select id, region, rating, guideline_refs from practices"):
            principles = {self.principle_of(r) for r in json.loads(row["guideline_refs"])} - {None}
            self.facts[row["id"]] = {"region": [row["region"]], "rating": [row["rating"]], "principle": sorted(principles),
                                     "theme": [], "target_group": [], "prevention": []}
        for row in conn.execute("select practice_id, facet, term from practice_terms"):
            if row["facet"] in self.facts.get(row["practice_id"], {}):
                self.facts[row["practice_id"]][row["facet"]].append(row["term"])
        self.countries = {r[0] for r in conn.execute("select distinct country_code from practices")}
        self.cities = {r[0] for r in conn.execute("select slug from cities")}
        self.index = self.encoder = None
        self.manifest: dict = {}
        try:
            self.index, self.manifest = faiss_index.load(self.build_dir / INDEX_DIR, corpus_hash=corpus_hash)
            name = self.manifest["model"]
            location = str(self.build_dir / DOMAIN_DIR) if self.manifest.get("model_kind") == encoders.DOMAIN else name
            self.encoder = encoders.load(location, local_only=True)
            if self.encoder.dimension != self.index.d:
                raise faiss_index.IndexMismatch(f"model gives {self.encoder.dimension} dimensions, index holds {self.index.d}")
        except (faiss_index.IndexMismatch, encoders.ModelLoadError) as exc:
            self.index = self.encoder = None
            self.status.append(f"search by meaning is unavailable ({exc}); serving keyword search only")
        self.practice_ids: list[str] = []
        self.practice_matrix = None
        vectors = self.build_dir / INDEX_DIR / PRACTICE_VECTORS
        if self.index is not None and vectors.exists():
            self.practice_ids = json.loads((self.build_dir / INDEX_DIR / PRACTICE_IDS).read_text())
            self.practice_matrix = np.load(vectors)
        self.practice_row = {pid: i for i, pid in enumerate(self.practice_ids)}

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    @property
    def model_description(self) -> str:
        return self.encoder.describe() if self.encoder else "none (keyword search only)"

    @property
    def dense_available(self) -> bool:
        return self.index is not None and self.encoder is not None

    # -- the two legs -------------------------------------------------------------------

    def _allowed(self, filters: Filters) -> tuple[str | None, list]:
        if not filters:
            return None, []
        return allowed_practices_sql(filters, self.doc.descendants)

    def postings(self, part: str) -> int:
        """How many passages FTS5 must score for a query term or phrase (cached per process)."""
        total = 0
        for term in lexical.fts_tokens(part):
            count = self._term_rows.get(term)
            if count is None:
                row = self.conn.execute(f"select rows from {lexical.TERM_COUNTS_TABLE} where term = ?", [term]).fetchone()
                count = self._term_rows[term] = row[0] if row else 0
            total += count
        return total

    def in_corpus(self, word: str) -> bool:
        return self.postings(f'"{word}"') > 0 if self.costs_known else True

    def _lexical_legs(self, text, expansions, allowed_sql, params):
        """The user's words and the thesaurus expansions as two rankings (see lexical.fts_queries)."""
        own_query, expansion_query = lexical.fts_queries(text, expansions, self.postings if self.costs_known else None)
        own = lexical.search(self.conn, own_query, PASSAGE_POOL, allowed_sql, params)
        expanded = lexical.search(self.conn, expansion_query, PASSAGE_POOL, allowed_sql, params)
        return own, expanded

    def _query_vector(self, text: str, expansions: list[str]) -> np.ndarray | None:
        # The English terms of matched concepts act as a query translation for English-only models.
        query = f"{text} {' '.join(expansions)}" if expansions else text
        vector = self.encoder.encode_queries([query])[0]
        return vector if np.any(vector) else None

    def _dense(self, vector: np.ndarray | None, allowed_ids: set[str] | None) -> list[tuple[int, float]]:
        if vector is None:
            return []
        selector = None
        if allowed_ids is not None:
            selector = np.array([p for pid in allowed_ids for p in self.practice_passages.get(pid, [])]
                                + self.guideline_passage_ids, dtype=np.int64)
        scores, ids = faiss_index.search(self.index, vector, PASSAGE_POOL, selector)
        return [(int(i), float(s)) for s, i in zip(scores, ids)]

    # -- search -----------------------------------------------------------------------

    def search(self, query: str = "", filters: Filters | None = None, mode: str = "hybrid", page: int = 1,
               per_page: int = 10, fusion_method: str = "rrf", expand: bool = True, sort: str = "relevance") -> SearchResult:
        """Search practices; expand=False turns off the thesaurus (the plain BM25 baseline of `kb eval`)."""
        if mode not in MODES:
            raise QueryError("mode", f"unknown mode '{mode}'; allowed: {', '.join(MODES)}")
        if fusion_method not in FUSIONS:
            raise QueryError("fusion", f"unknown fusion '{fusion_method}'; allowed: {', '.join(FUSIONS)}")
        if sort not in SORTS:
            raise QueryError("sort", f"unknown sort '{sort}'; allowed: {', '.join(SORTS)}")
        if page < 1:
            raise QueryError("page", "must be 1 or more")
        if not 1 <= per_page <= 100:
            raise QueryError("per_page", "must be between 1 and 100")
        filters = filters or Filters()
        text, notice = truncate_query(query)
        notices = [notice] if notice else []
        notices += self.status if mode != "lexical" else []
        if mode == "dense" and not self.dense_available:
            mode = "lexical"
        allowed_sql, params = self._allowed(filters)
        allowed_ids = {r[0] for r in self.conn.execute(allowed_sql, params)} if allowed_sql else None

        if not words(text):
            return self._browse(text, filters, allowed_sql, params, page, per_page, mode, notices, sort)

        expansions = self.thesaurus.expansions(text, known=self.in_corpus) if expand else []
        own_hits, expanded_hits = ([], [])
        if mode in ("hybrid", "lexical"):
            own_hits, expanded_hits = self._lexical_legs(text, expansions, allowed_sql, params)
        lex_hits = own_hits + expanded_hits
        vector = None
        if mode in ("hybrid", "dense") and self.dense_available:
            vector = self._query_vector(text, expansions)
        dense_hits = self._dense(vector, allowed_ids)

        def practices(hits):
            return fusion.best_per_owner([h for h in hits if self.kind[h[0]] == "practice"], self.owner)

        own_practices, expanded_practices = practices(own_hits), practices(expanded_hits)
        lex_practices = own_practices + [e for e in expanded_practices if e[0] not in {o[0] for o in own_practices}]
        dense_practices = practices(dense_hits)
        if dense_practices and self.practice_matrix is not None and WHOLE_PRACTICE_WEIGHT:
            whole = self.practice_matrix @ vector
            mixed = [(o, (1 - WHOLE_PRACTICE_WEIGHT) * s + WHOLE_PRACTICE_WEIGHT * float(whole[self.practice_row[o]]), p)
                     for o, s, p in dense_practices if o in self.practice_row]
            dense_practices = sorted(mixed, key=lambda r: -r[1])
        if dense_practices:
            top = dense_practices[0][1]
            dense_practices = [d for d in dense_practices[:DENSE_KEEP] if d[1] >= DENSE_RELATIVE * top]
        legs = [(own_practices, WORDS_WEIGHT), (expanded_practices, EXPANSION_WEIGHT), (dense_practices, DENSE_WEIGHT)]
        legs = [([(o, s) for o, s, _ in ranking], weight) for ranking, weight in legs if ranking]
        if len(legs) > 1:
            rankings, weights = [r for r, _ in legs], [w for _, w in legs]
            fused = fusion.rrf(rankings, weights=weights) if fusion_method == "rrf" else fusion.convex(rankings, weights)
        else:
            fused = legs[0][0] if legs else []

        fused = self.sorted_by(fused, sort)
        best_passage = {o: p for o, _, p in dense_practices}
        best_passage.update({o: p for o, _, p in lex_practices})  # a passage with the words beats a near one
        sources = {o: ["words"] for o, _, _ in lex_practices}
        for o, _, _ in dense_practices:
            sources.setdefault(o, []).append("meaning")

        stems = {stem(w) for w in words(text + " " + " ".join(expansions)) if w not in STOPWORDS}
        suggested = self.thesaurus.facets(text)
        start = (page - 1) * per_page
        page_ids = [o for o, _ in fused[start:start + per_page]]
        hits = self._hits(page_ids, dict(fused), best_passage, sources, stems, suggested)
        guideline_hits = self._guideline_hits(lex_hits, dense_hits, stems)
        return SearchResult(
            query=text, mode=mode, total=len(fused), page=page, per_page=per_page, hits=hits,
            facets=self.facet_counts([o for o, _ in fused]), guideline_hits=guideline_hits,
            notices=notices, expansions=expansions, suggested_facets=suggested, model=self.model_description,
        )

    def sorted_by(self, ranked: list[tuple[str, float]], sort: str) -> list[tuple[str, float]]:
        """Reorder a ranking by evidence strength or start year; relevance keeps the order (stable for ties)."""
        if sort == "evidence":
            return sorted(ranked, key=lambda r: RATING_ORDER.get(self.facts[r[0]]["rating"][0], 9))
        if sort == "newest":
            return sorted(ranked, key=lambda r: -(self.start_year.get(r[0]) or 0))
        return ranked

    def _browse(self, text, filters, allowed_sql, params, page, per_page, mode, notices, sort="evidence") -> SearchResult:
        """No query words: every practice that passes the filters, strongest evidence first (or newest)."""
        sql = allowed_sql or "select id from practices"
        rows = self.conn.execute(
            f"select id, rating, title from practices where id in ({sql})", params
        ).fetchall()
        ordered = [r["id"] for r in sorted(rows, key=lambda r: (RATING_ORDER.get(r["rating"], 9), r["title"]))]
        if sort == "newest":
            ordered = [pid for pid, _ in self.sorted_by([(pid, 0.0) for pid in ordered], "newest")]
        start = (page - 1) * per_page
        hits = self._hits(ordered[start:start + per_page], {}, {}, {}, set(), {})
        return SearchResult(query=text, mode=mode, total=len(ordered), page=page, per_page=per_page, hits=hits,
                            facets=self.facet_counts(ordered), notices=notices, model=self.model_description)

    def _hits(self, ids, scores, best_passage, sources, stems, suggested) -> list[Hit]:
        if not ids:
            return []
        rows = {r["id"]: r for r in self.conn.execute(
            f"select * from practices where id in ({','.join('?' * len(ids))})", ids)}
        hits = []
        for pid in ids:
            row = rows[pid]
            passage_id = best_passage.get(pid)
            if passage_id is not None:
                heading, text = self.conn.execute("select heading, text from passages where id = ?", [passage_id]).fetchone()
            else:
                heading, text = "Overview", row["summary"] or ""
            why = []
            for facet, terms in suggested.items():
                column = {"theme": "themes", "target_group": "target_groups"}.get(facet)
                if column:
                    have = set(json.loads(row[column]))
                    vocabulary = vocab.THEMES if facet == "theme" else vocab.TARGET_GROUPS
                    why += [f"{facet.replace('_', ' ')}: {vocabulary[t].label}" for t in terms if t in have]
            hits.append(Hit(
                id=pid, title=row["title"], city=row["city"], city_slug=row["city_slug"], country=row["country"],
                region=row["region"], rating=row["rating"], score=round(float(scores.get(pid, 0.0)), 6),
                snippet=highlight(text, stems), snippet_heading=heading, matched_by=sources.get(pid, []),
                why=why, guideline_refs=json.loads(row["guideline_refs"]),
            ))
        return hits

    def _guideline_hits(self, lex_hits, dense_hits, stems, limit: int = 3) -> list[dict]:
        lex = fusion.best_per_owner([h for h in lex_hits if self.kind[h[0]] == "guideline"], self.owner)
        dense = fusion.best_per_owner([h for h in dense_hits if self.kind[h[0]] == "guideline"], self.owner)
        rankings = [r for r in ([(o, s) for o, s, _ in lex], [(o, s) for o, s, _ in dense[:10]]) if r]
        fused = fusion.rrf(rankings) if rankings else []
        result = []
        for sid, _ in fused[:limit]:
            section = self.doc[sid]
            result.append({"id": sid, "label": section.label, "heading": section.heading,
                           "snippet": highlight(section.text, stems, 40)})
        return result

    @cached_property
    def guideline_counts(self) -> dict[str, dict]:
        """Practices linking each guideline section, directly and below it: fixed for a build, so computed once."""
        from kb import queries

        db = sqlite_utils.Database(self.conn)
        return queries.guideline_practice_counts(db, self.doc.descendants)

    # -- facets -----------------------------------------------------------------------

    def principle_of(self, section_id: str) -> str | None:
        if section_id.startswith("IV."):
            return section_id.split(".")[0] + "." + section_id.split(".")[1]
        chain = [a.id for a in self.doc.ancestors(section_id)] if section_id in self.doc else []
        return next((a for a in chain if a.startswith("IV.")), None)

    def facet_counts(self, practice_ids: list[str]) -> dict[str, list[tuple[str, str, int]]]:
        """Counts of the result set by region, theme, target group, prevention, rating and principle."""
        counts: dict[str, Counter] = {f: Counter() for f in ("region", "theme", "target_group", "prevention", "rating", "principle")}
        for pid in practice_ids:
            for facet, terms in self.facts.get(pid, {}).items():
                counts[facet].update(terms)
        vocabularies = {"region": vocab.REGIONS, "theme": vocab.THEMES, "target_group": vocab.TARGET_GROUPS,
                        "prevention": vocab.PREVENTION, "rating": vocab.EVIDENCE_RATINGS}
        result = {}
        for facet, counter in counts.items():
            if facet == "principle":
                labels = {p.id: f"{p.id} {p.heading}" for p in self.doc.principles()}
            else:
                labels = {k: t.label for k, t in vocabularies[facet].items()}
            position = {key: i for i, key in enumerate(labels)}
            result[facet] = sorted(((k, labels.get(k, k), n) for k, n in counter.items()),
                                   key=lambda item: (-item[2], position.get(item[0], 99)))
        return result

    # -- similarity -------------------------------------------------------------------

    def more_like_this(self, practice_id: str, k: int = 5) -> list[tuple[str, float]]:
        """The practices nearest in meaning; falls back to shared themes without vectors."""
        if self.practice_matrix is not None and practice_id in self.practice_row:
            similarities = self.practice_matrix @ self.practice_matrix[self.practice_row[practice_id]]
            order = np.argsort(-similarities)
            return [(self.practice_ids[i], float(similarities[i])) for i in order
                    if self.practice_ids[i] != practice_id][:k]
        return self._shared_terms_neighbours(practice_id, k)

    def _shared_terms_neighbours(self, practice_id: str, k: int) -> list[tuple[str, float]]:
        terms = {}
        for row in self.conn.execute("select practice_id, term from practice_terms where facet = 'theme'"):
            terms.setdefault(row[0], set()).add(row[1])
        mine = terms.get(practice_id, set())
        scored = [(pid, len(mine & t) / len(mine | t)) for pid, t in terms.items() if pid != practice_id and mine | t]
        return sorted(scored, key=lambda item: (-item[1], item[0]))[:k]

    def peer_cities(self, slug: str, k: int = 5) -> list[dict]:
        """Cities whose practices are most like this city's, with the themes they share as the reason."""
        rows = self.conn.execute("select id, city_slug, themes from practices").fetchall()
        by_city: dict[str, list[str]] = {}
        themes: dict[str, Counter] = {}
        for row in rows:
            by_city.setdefault(row["city_slug"], []).append(row["id"])
            themes.setdefault(row["city_slug"], Counter()).update(json.loads(row["themes"]))
        if slug not in by_city:
            return []

        def city_vector(city):
            idx = [self.practice_row[p] for p in by_city[city] if p in self.practice_row]
            if not idx:
                return None
            vector = self.practice_matrix[idx].mean(axis=0)
            norm = np.linalg.norm(vector)
            return vector / norm if norm else None

        mine = city_vector(slug) if self.practice_matrix is not None else None
        scored = []
        for city in by_city:
            if city == slug:
                continue
            shared = sorted(set(themes[slug]) & set(themes[city]))
            if mine is not None and (other := city_vector(city)) is not None:
                score = float(mine @ other)
            else:
                union = set(themes[slug]) | set(themes[city])
                score = len(shared) / len(union) if union else 0.0
            scored.append({"slug": city, "score": round(score, 4),
                           "shared_themes": [vocab.THEMES[t].label for t in shared if t in vocab.THEMES]})
        scored.sort(key=lambda item: (-item["score"], item["slug"]))
        return scored[:k]


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def for_build(build_dir: Path) -> Engine:
    """The engine for a build folder, loaded once per process (a new build loads anew)."""
    key = str(Path(build_dir).resolve())
    with _engines_lock:
        if key not in _engines:
            _engines.clear()  # only the published build is served
            _engines[key] = Engine(Path(key))
        return _engines[key]

