"""Build the search side of a build folder: passages, FTS5, model, embeddings, FAISS.

Everything is written inside the (unpublished) build folder, so nothing here can disturb
the build that is serving.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import sqlite_utils

from kb import guidelines
from kb.loader import Practice
from search import domain_model, encoder, faiss_index, lexical, stemming, thesaurus
from search.cache import EmbeddingCache, embed_with_cache
from search.passages import (
    ABOUT,
    TRANSLATED_LANGUAGES,
    about_text,
    guideline_passages,
    lesson_passages,
    practice_passages,
)
from search.text import words

INDEX_DIR = "index"
DOMAIN_DIR = "domain-model"
PRACTICE_VECTORS = "practice_vectors.npy"
PRACTICE_IDS = "practice_ids.json"
RETRAIN_SHARE = 0.2  # retrain the domain model when more than this share of passages is new


MULTILINGUAL_TABLE = "practice_multilingual"
VOCABULARY_TABLE = "vocabulary"


def write_multilingual(db: sqlite_utils.Database, practices: list[Practice]) -> None:
    """Each practice's translated title, summary and questions as Snowball stems, for es/fr/pt queries."""
    db.execute(
        f"create virtual table {MULTILINGUAL_TABLE} using fts5(practice_id unindexed, stems, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    rows = []
    for practice in practices:
        stems = [t for lang in TRANSLATED_LANGUAGES for t in stemming.tokens(about_text(practice.meta, lang), lang)]
        if stems:
            rows.append((practice.id, " ".join(stems)))
    db.conn.executemany(f"insert into {MULTILINGUAL_TABLE} (practice_id, stems) values (?, ?)", rows)
    db.conn.commit()
    lexical.write_term_counts(db.conn, MULTILINGUAL_TABLE, lexical.MULTILINGUAL_TERMS_TABLE)


def write_vocabulary(db: sqlite_utils.Database, passages) -> None:
    """Every folded word of the corpus with its frequency (what 'did you mean' suggests from), and whether it
    occurs in the English text (how a query's language is told: see search/query.py)."""
    counts: dict[str, int] = {}
    english: set[str] = set()
    for passage in passages:
        translated = passage.heading.startswith(ABOUT + " (")
        for word in words(f"{passage.title} {passage.text}"):
            if len(word) > 2 and not word.isdigit():
                counts[word] = counts.get(word, 0) + 1
                if not translated:
                    english.add(word)
    db[VOCABULARY_TABLE].insert_all(
        ({"word": w, "count": n, "english": int(w in english)} for w, n in counts.items()), pk="word"
    )


def training_documents(practices: list[Practice], passages) -> list[str]:
    """What the domain model learns from: one document per practice, every language of it together, so
    words that describe the same practice in English, Spanish, French and Portuguese land near each other;
    and the guideline sections."""
    texts = []
    for practice in practices:
        parts = [about_text(practice.meta)] + [about_text(practice.meta, lang) for lang in TRANSLATED_LANGUAGES]
        parts += list(practice.sections.values())
        texts.append(" ".join(parts))
    texts += [p.embedding_text for p in passages if p.kind == "guideline"]
    return texts


def write_passages(db: sqlite_utils.Database, passages) -> None:
    db["passages"].insert_all(
        (
            {
                "id": i,
                "owner": p.owner,
                "practice_id": p.owner if p.kind == "practice" else None,
                "kind": p.kind,
                "heading": p.heading,
                "title": p.title,
                "text": p.text,
                "hash": p.content_hash,
            }
            for i, p in enumerate(passages)
        ),
        pk="id",
    )
    db["passages"].create_index(["owner"], if_not_exists=True)
    db["passages"].enable_fts(["title", "text"], tokenize="porter", create_triggers=False, replace=True)
    lexical.write_term_counts(db.conn)
    db["meta"].insert({"key": "passage_count", "value": str(len(passages))}, pk="key", replace=True)


def _previous_hashes(previous_build: Path | None) -> set[str]:
    if not previous_build or not (previous_build / "kb.db").exists():
        return set()
    db = sqlite_utils.Database(previous_build / "kb.db")
    try:
        return {row["hash"] for row in db["passages"].rows} if db["passages"].exists() else set()
    finally:
        db.close()


def choose_encoder(
    build_dir: Path,
    passages,
    setting: str | None,
    previous_build: Path | None,
    retrain: bool,
    progress: Callable[[str], None],
    domain_model_from: Path | None = None,
    training: list[str] | None = None,
) -> tuple[encoder.Encoder, list[str]]:
    """The pretrained model when one loads, else the domain model (reused when the corpus barely changed)."""
    if domain_model_from is not None:  # benchmarks: embed a synthetic corpus with an existing model
        shutil.copytree(domain_model_from, build_dir / DOMAIN_DIR)
        return encoder.load(str(build_dir / DOMAIN_DIR)), []
    pretrained, notes = encoder.choose_pretrained(setting)
    for note in notes:
        progress(note)
    if pretrained:
        return pretrained, notes
    target = build_dir / DOMAIN_DIR
    previous_model = previous_build / DOMAIN_DIR if previous_build else None
    if previous_model and domain_model.card(previous_model) and not retrain:
        old = _previous_hashes(previous_build)
        new_share = sum(p.content_hash not in old for p in passages) / max(1, len(passages))
        if new_share <= RETRAIN_SHARE:
            progress(f"reusing the domain model ({new_share:.0%} of passages are new; retrain with --retrain)")
            shutil.copytree(previous_model, target)
            return encoder.load(str(target)), notes
    texts = training if training is not None else [p.embedding_text for p in passages]
    progress(f"training the domain model on {len(texts)} documents and the thesaurus")
    domain_model.build(
        target,
        texts,
        thesaurus.load().documents(),
        info={"trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")},
    )
    return encoder.load(str(target)), notes


def practice_vectors(passages, vectors: np.ndarray) -> tuple[list[str], np.ndarray]:
    """One vector per practice: the normalised mean of its passages' vectors."""
    owners: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        if p.kind == "practice":
            owners.setdefault(p.owner, []).append(i)
    ids = sorted(owners)
    if not ids:
        return [], np.zeros((0, vectors.shape[1]), np.float32)
    matrix = np.vstack([vectors[owners[pid]].mean(axis=0) for pid in ids]).astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return ids, matrix / np.where(norms == 0, 1, norms)


def build(
    build_dir: Path,
    practices: list[Practice],
    cache_path: Path | None,
    setting: str | None = None,
    previous_build: Path | None = None,
    retrain: bool = False,
    hnsw_threshold: int = faiss_index.DEFAULT_HNSW_THRESHOLD,
    progress: Callable[[str], None] = print,
    domain_model_from: Path | None = None,
    lessons: list[dict] = (),
) -> dict:
    """Write passages, model, vectors and FAISS index into build_dir; return the manifest."""
    build_dir = Path(build_dir)
    db = sqlite_utils.Database(build_dir / "kb.db")
    doc = guidelines.load()
    passages = [p for practice in practices for p in practice_passages(practice.meta, practice.sections)]
    passages += lesson_passages(lessons, {p.id: p.meta["title"] for p in practices})
    passages += guideline_passages(doc.in_order())
    progress(f"writing {len(passages)} passages and their full-text index")
    write_passages(db, passages)
    write_multilingual(db, practices)
    write_vocabulary(db, passages)
    corpus_hash = db["meta"].get("corpus_hash")["value"]
    db.close()

    model, notes = choose_encoder(
        build_dir,
        passages,
        setting,
        previous_build,
        retrain,
        progress,
        domain_model_from,
        training_documents(practices, passages),
    )
    progress(f"embedding with {model.describe()}")
    cache = EmbeddingCache(cache_path) if cache_path else None
    try:
        vectors, embedded = embed_with_cache(model, passages, cache)
    finally:
        if cache:
            cache.close()
    progress(f"embedded {embedded} new passages, {len(passages) - embedded} from the cache")

    index = faiss_index.create(vectors, hnsw_threshold)
    folder = build_dir / INDEX_DIR
    recorded_model = DOMAIN_DIR if model.kind == encoder.DOMAIN else model.name
    manifest = faiss_index.save(
        index,
        folder,
        {
            "model": recorded_model,
            "model_kind": model.kind,
            "model_fingerprint": model.fingerprint,
            "corpus_hash": corpus_hash,
            "practices": len(practices),
            "passages_embedded": embedded,
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "notes": notes,
        },
    )
    ids, matrix = practice_vectors(passages, vectors)
    np.save(folder / PRACTICE_VECTORS, matrix)
    (folder / PRACTICE_IDS).write_text(json.dumps(ids), encoding="utf-8")
    progress(f"FAISS {manifest['index_type']} index: {manifest['count']} vectors of {manifest['dimension']} dimensions")
    return manifest
