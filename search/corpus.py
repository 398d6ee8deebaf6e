"""One published build, loaded once per process: passages, facets, vocabulary, vectors, model, index.

Every file of the build is checked as it loads. A database that cannot be read raises
CorpusError (the caller falls back to the previous build); damaged vectors, ids, index or
model only switch search by meaning off, with a notice that says why, and keyword search
goes on. `kb build` writes a fresh build and so repairs any of them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import numpy as np

from kb import guidelines
from kb.config import DATABASE_FILE
from search import encoder as encoders
from search import faiss_index, lexical, thesaurus
from search.index import DOMAIN_DIR, INDEX_DIR, MULTILINGUAL_TABLE, PRACTICE_IDS, PRACTICE_VECTORS, VOCABULARY_TABLE

FACET_NAMES = ("region", "theme", "target_group", "prevention", "rating", "principle")


class CorpusError(RuntimeError):
    """The build's database cannot be used; the message says what is wrong."""


class Corpus:
    def __init__(self, build_dir: Path):
        self.build_dir = Path(build_dir)
        self.db_path = self.build_dir / DATABASE_FILE
        if not self.db_path.exists() or self.db_path.stat().st_size == 0:
            raise CorpusError(f"{self.db_path} is missing or empty: run `kb build`")
        self._local = threading.local()
        self.doc = guidelines.load()
        self.thesaurus = thesaurus.load()
        self.status: list[str] = []
        try:
            self._load_tables()
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"{self.db_path} cannot be read ({exc}): run `kb build`") from exc
        self.index = self.encoder = None
        self.manifest: dict = {}
        self.practice_ids: list[str] = []
        self.practice_matrix: np.ndarray | None = None
        self._load_dense()
        self.practice_row = {pid: i for i, pid in enumerate(self.practice_ids)}

    @property
    def conn(self) -> sqlite3.Connection:
        """One read-only connection per thread."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    # -- tables ------------------------------------------------------------------------

    def _load_tables(self) -> None:
        conn = self.conn
        row = conn.execute("select value from meta where key = 'corpus_hash'").fetchone()
        if row is None:
            raise CorpusError(f"{self.db_path} has no corpus hash: run `kb build`")
        self.corpus_hash = row[0]
        self.owner: dict[int, str] = {}
        self.kind: dict[int, str] = {}
        self.heading: dict[int, str] = {}
        self.practice_passages: dict[str, list[int]] = {}
        self.guideline_passage_ids: list[int] = []
        for pid, owner, kind, heading in conn.execute("select id, owner, kind, heading from passages"):
            self.owner[pid], self.kind[pid], self.heading[pid] = owner, kind, heading
            if kind == "practice":
                self.practice_passages.setdefault(owner, []).append(pid)
            else:
                self.guideline_passage_ids.append(pid)
        self.facts: dict[str, dict] = {}
        self.start_year: dict[str, int | None] = {}
        self.title: dict[str, str] = {}
        for row in conn.execute("select id, title, region, rating, guideline_refs, start_year from practices"):
            principles = {self.principle_of(r) for r in json.loads(row["guideline_refs"])} - {None}
            self.facts[row["id"]] = {
                "region": [row["region"]],
                "rating": [row["rating"]],
                "principle": sorted(principles),
                "theme": [],
                "target_group": [],
                "prevention": [],
            }
            self.start_year[row["id"]] = row["start_year"]
            self.title[row["id"]] = row["title"]
        for row in conn.execute("select practice_id, facet, term from practice_terms"):
            if row["facet"] in self.facts.get(row["practice_id"], {}):
                self.facts[row["practice_id"]][row["facet"]].append(row["term"])
        self.countries = {r[0]: r[1] for r in conn.execute("select distinct country_code, country from practices")}
        self.cities = {r[0]: r[1] for r in conn.execute("select slug, name from cities")}
        tables = {r[0] for r in conn.execute("select name from sqlite_master")}
        self.costs_known = lexical.TERM_COUNTS_TABLE in tables
        self.multilingual = MULTILINGUAL_TABLE in tables
        self.multilingual_costs_known = lexical.MULTILINGUAL_TERMS_TABLE in tables
        self.vocabulary: dict[str, int] = {}
        self.english_words: set[str] = set()
        if VOCABULARY_TABLE in tables:
            for word, count, english in conn.execute(f"select word, count, english from {VOCABULARY_TABLE}"):
                self.vocabulary[word] = count
                if english:
                    self.english_words.add(word)
        self._term_rows: dict[tuple[str, str], int] = {}

    def principle_of(self, section_id: str) -> str | None:
        if section_id.startswith("IV."):
            return ".".join(section_id.split(".")[:2])
        chain = [a.id for a in self.doc.ancestors(section_id)] if section_id in self.doc else []
        return next((a for a in chain if a.startswith("IV.")), None)

    def postings(self, part: str) -> int:
        """How many passages FTS5 must score for a query term or phrase (cached per process)."""
        return sum(self._rows(lexical.TERM_COUNTS_TABLE, term) for term in lexical.fts_tokens(part))

    def stem_postings(self, token: str) -> int:
        """How many practices the multilingual table must score for one prefixed stem."""
        return self._rows(lexical.MULTILINGUAL_TERMS_TABLE, token)

    def _rows(self, counts_table: str, term: str) -> int:
        """A term's row count from a table the build wrote with lexical.write_term_counts (cached)."""
        key = (counts_table, term)
        if key not in self._term_rows:
            row = self.conn.execute(f"select rows from {counts_table} where term = ?", [term]).fetchone()
            self._term_rows[key] = row[0] if row else 0
        return self._term_rows[key]

    def in_corpus(self, word: str) -> bool:
        return self.postings(f'"{word}"') > 0 if self.costs_known else True

    # -- search by meaning ------------------------------------------------------------

    def _load_dense(self) -> None:
        """The FAISS index, the model and the practice vectors, each checked; any damage turns meaning off."""
        folder = self.build_dir / INDEX_DIR
        try:
            self.index, self.manifest = faiss_index.load(folder, corpus_hash=self.corpus_hash)
            location = (
                str(self.build_dir / DOMAIN_DIR)
                if self.manifest.get("model_kind") == encoders.DOMAIN
                else self.manifest["model"]
            )
            self.encoder = encoders.load(location, local_only=True)
            if self.encoder.dimension != self.index.d:
                raise faiss_index.IndexMismatch(
                    f"model gives {self.encoder.dimension} dimensions, index holds {self.index.d}"
                )
            self.practice_ids, self.practice_matrix = self._practice_vectors(folder, self.index.d)
        except (faiss_index.IndexMismatch, encoders.ModelLoadError, ValueError, OSError, KeyError) as exc:
            self.index = self.encoder = self.practice_matrix = None
            self.practice_ids = []
            self.status.append(f"search by meaning is unavailable ({exc}); serving keyword search only")

    def _practice_vectors(self, folder: Path, dimension: int) -> tuple[list[str], np.ndarray]:
        try:
            ids = json.loads((folder / PRACTICE_IDS).read_text(encoding="utf-8"))
            matrix = np.load(folder / PRACTICE_VECTORS, allow_pickle=False)
        except (OSError, ValueError, EOFError) as exc:
            raise ValueError(f"practice vectors cannot be read: {exc}") from exc
        if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
            raise ValueError(f"{folder / PRACTICE_IDS} is not a list of practice ids")
        if matrix.shape != (len(ids), dimension) or set(ids) - set(self.facts):
            raise ValueError(
                f"{folder / PRACTICE_VECTORS} holds {matrix.shape}, expected ({len(ids)}, {dimension}) "
                "for this build's practices"
            )
        return ids, matrix.astype(np.float32, copy=False)

    @property
    def dense_available(self) -> bool:
        return self.index is not None and self.encoder is not None

    @property
    def model_description(self) -> str:
        return self.encoder.describe() if self.encoder else "none (keyword search only)"
