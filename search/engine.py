"""Search over one published build: read the query, run the legs, fuse, cut, steer, present.

An Engine is loaded once per process per build and shared by request threads (the corpus is
read-only; each thread gets its own SQLite connection). If the model or index cannot be loaded,
the engine still serves keyword search and says why.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import sqlite_utils

from search import facets, fusion, legs, ordering, query, results, similar
from search.corpus import Corpus, CorpusError
from search.filters import DEFAULT_FUSION, Filters, allowed_practices_sql
from search.messages import Notice
from search.query import QueryError
from search.results import Hit, SearchResult  # noqa: F401  (the types a search returns)
from search.text import STOPWORDS, stem, words


@dataclass
class _Legs:
    rankings: dict[str, list[tuple[str, float, int]]]
    lexical_hits: list
    dense_hits: list


class Engine:
    def __init__(self, build_dir: Path):
        self.corpus = Corpus(build_dir)
        self.build_dir = self.corpus.build_dir
        self.doc = self.corpus.doc
        self.status = self.corpus.status
        self.facts = self.corpus.facts
        self.countries = set(self.corpus.countries)
        self.cities = set(self.corpus.cities)
        self._known_words = {w for phrase in self.corpus.thesaurus._phrases for w in phrase}
        self.model_description = self.corpus.model_description  # fixed once the corpus is loaded
        self.dense_available = self.corpus.dense_available

    @property
    def conn(self):
        return self.corpus.conn

    # -- search -----------------------------------------------------------------------

    def search(
        self,
        text: str = "",
        filters: Filters | None = None,
        mode: str = "hybrid",
        page: int = 1,
        per_page: int = 10,
        fusion_method: str = DEFAULT_FUSION,
        expand: bool = True,
        sort: str = "relevance",
        baseline: bool = False,
    ) -> SearchResult:
        """Search practices. baseline=True is plain BM25 over the entries' own text (the yardstick of kb eval)."""
        query.check_options(mode, fusion_method, sort, page, per_page)
        filters = filters or Filters()
        plan = query.plan(
            text,
            self.corpus.countries,
            self.corpus.cities,
            self.corpus.vocabulary,
            known=self._known_words.__contains__,
            english_words=self.corpus.english_words,
        )
        notices = plan.notices + (self.status if mode != "lexical" else [])
        if mode == "dense" and not self.dense_available:
            mode = "lexical"
        allowed_sql, params = allowed_practices_sql(filters, self.doc.descendants) if filters else (None, [])
        if not plan.text.strip():
            return self._browse(plan, allowed_sql, params, page, per_page, mode, notices, sort)
        if plan.only_evidence:
            return self._evidence_list(plan, filters, page, per_page, mode, notices, sort)
        if not plan.searchable:
            return self._listing(plan, [], page, per_page, mode, notices + [Notice("no_words")], sort, no_match=True)
        thesaurus = self.corpus.thesaurus
        expansions = (
            thesaurus.expansions(plan.topic, known=self.corpus.in_corpus, english=plan.english)
            if expand and not baseline
            else []
        )
        found = self._legs(plan, mode, expansions, allowed_sql, params, baseline)
        fused = self._ranked(plan, found, fusion_method, baseline)
        if not fused and plan.did_you_mean and not baseline:  # a typo: search what was probably meant, and say so
            corrected = self.search(plan.did_you_mean, filters, mode, page, per_page, fusion_method, expand, sort)
            corrected.notices.insert(0, Notice("corrected", query=plan.text, corrected=plan.did_you_mean))
            corrected.did_you_mean = plan.did_you_mean
            return corrected
        fused = self.sorted_by(fused, sort)
        return self._result(plan, mode, page, per_page, sort, notices, expansions, found, fused)

    def _evidence_list(self, plan, filters, page, per_page, mode, notices, sort) -> SearchResult:
        """ "what works?" alone: the practices rated that way, strongest first."""
        ratings = ordering.EVIDENCE_LIST[plan.intent]
        filters = Filters(**{**filters.active(), "rating": [r for r in filters.rating or ratings if r in ratings]})
        allowed_sql, params = allowed_practices_sql(filters, self.doc.descendants)
        notices = notices + [Notice(f"{plan.intent}_list")]
        return self._browse(plan, allowed_sql, params, page, per_page, mode, notices, sort)

    def _ranked(self, plan, found: _Legs, fusion_method: str, baseline: bool) -> list[tuple[str, float]]:
        """Fuse the legs; unless this is the baseline, keep only close matches and steer by evidence intent."""
        fused, keep = fusion.fuse_legs(found.rankings, fusion_method)
        if baseline:
            return fused
        fused = fusion.cut_off(fused, keep)
        if plan.intent:
            rating_of = {p: self.facts[p]["rating"][0] for p, _ in fused}
            fused = fusion.steer(fused, rating_of, query.INTENT_BOOST[plan.intent])
        return fused

    def _legs(self, plan, mode, expansions, allowed_sql, params, baseline) -> _Legs:
        rankings: dict[str, list] = {}
        own_hits = expanded_hits = dense_hits = []
        if mode in ("hybrid", "lexical"):
            own_hits, expanded_hits = legs.word_legs(
                self.corpus, plan.topic, expansions, allowed_sql, params, body_only=baseline
            )
            rankings["words"] = legs.practices_of(self.corpus, own_hits, weighted=not baseline)
            rankings["expansions"] = legs.practices_of(self.corpus, expanded_hits)
            if not baseline and not plan.english:  # English words stemmed as Spanish match noise, not meaning
                synonyms = " ".join(self.corpus.thesaurus.same_language(plan.topic))
                rankings["multilingual"] = legs.multilingual_leg(
                    self.corpus, f"{plan.topic} {synonyms}", allowed_sql, params
                )
        if mode in ("hybrid", "dense") and self.dense_available and not baseline:
            allowed_ids = {r[0] for r in self.conn.execute(allowed_sql, params)} if allowed_sql else None
            vector = legs.query_vector(self.corpus, plan.topic, expansions)
            dense_hits = legs.dense_hits(self.corpus, vector, allowed_ids)
            rankings["meaning"] = legs.meaning_leg(self.corpus, dense_hits, vector)
        return _Legs({k: v for k, v in rankings.items() if v}, own_hits + expanded_hits, dense_hits)

    def _result(self, plan, mode, page, per_page, sort, notices, expansions, found: _Legs, fused) -> SearchResult:
        best_passage, sources = {}, {}
        for name in ("meaning", "expansions", "multilingual", "words"):  # a passage with the words beats a near one
            for owner, _, passage in found.rankings.get(name, []):
                if passage >= 0:
                    best_passage[owner] = passage
                sources.setdefault(owner, set()).add("meaning" if name == "meaning" else "words")
        stems = {stem(w) for w in words(plan.topic + " " + " ".join(expansions)) if w not in STOPWORDS}
        suggested = self.corpus.thesaurus.facets(plan.topic, english=plan.english)
        start = (page - 1) * per_page
        page_ids = [o for o, _ in fused[start : start + per_page]]
        found_hits = results.hits(
            self.corpus,
            page_ids,
            dict(fused),
            best_passage,
            {k: sorted(v, key=["words", "meaning"].index) for k, v in sources.items()},
            stems,
            suggested,
        )
        if not fused:
            notices = notices + [Notice("no_match")]
        return SearchResult(
            query=plan.text,
            mode=mode,
            total=len(fused),
            page=page,
            per_page=per_page,
            hits=found_hits,
            facets=facets.counts(self.corpus, [o for o, _ in fused]),
            guideline_hits=results.guideline_hits(self.corpus, found.lexical_hits, found.dense_hits, stems),
            notices=notices,
            expansions=expansions,
            suggested_facets=suggested,
            suggested_filters=plan.suggested_filters,
            did_you_mean=plan.did_you_mean if len(fused) < 3 else None,
            intent=plan.intent,
            no_match=not fused,
            sort=sort,
            model=self.model_description,
        )

    def sorted_by(self, ranked: list[tuple[str, float]], sort: str) -> list[tuple[str, float]]:
        rating_of = {pid: self.facts[pid]["rating"][0] for pid, _ in ranked}
        return ordering.sorted_by(ranked, sort, rating_of, self.corpus.start_year)

    def _browse(self, plan, allowed_sql, params, page, per_page, mode, notices, sort) -> SearchResult:
        """No topic: every practice that passes the filters, strongest evidence first (or newest); asked
        what failed, harmful and no-effect first."""
        sql = allowed_sql or "select id from practices"
        rows = self.conn.execute(f"select id, rating, title from practices where id in ({sql})", params).fetchall()
        ordered = [(pid, 0.0) for pid in ordering.by_evidence(rows, plan.intent)]
        ids = [pid for pid, _ in (self.sorted_by(ordered, "newest") if sort == "newest" else ordered)]
        return self._listing(plan, ids, page, per_page, mode, notices, sort)

    def _listing(self, plan, ids, page, per_page, mode, notices, sort, no_match=False) -> SearchResult:
        start = (page - 1) * per_page
        page_hits = results.hits(self.corpus, ids[start : start + per_page], {}, {}, {}, set(), {})
        return SearchResult(
            query=plan.text,
            mode=mode,
            total=len(ids),
            page=page,
            per_page=per_page,
            hits=page_hits,
            facets=facets.counts(self.corpus, ids),
            notices=notices,
            no_match=no_match,
            sort=sort,
            intent=plan.intent,
            suggested_filters=plan.suggested_filters,
            model=self.model_description,
        )

    # -- around a practice or a city ------------------------------------------------------

    def principle_of(self, section_id: str) -> str | None:
        return self.corpus.principle_of(section_id)

    def facet_counts(self, practice_ids: list[str]):
        return facets.counts(self.corpus, practice_ids)

    def more_like_this(self, practice_id: str, k: int = 5) -> list[tuple[str, float]]:
        return similar.more_like_this(self.corpus, practice_id, k)

    def peer_cities(self, slug: str, k: int = 5) -> list[dict]:
        return similar.peer_cities(self.corpus, slug, k)

    @cached_property
    def guideline_counts(self) -> dict[str, dict]:
        """Practices linking each guideline section, directly and below it: fixed for a build, so computed once."""
        from kb import queries

        return queries.guideline_practice_counts(sqlite_utils.Database(self.conn), self.doc.descendants)


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


__all__ = ["Engine", "QueryError", "CorpusError", "for_build"]
