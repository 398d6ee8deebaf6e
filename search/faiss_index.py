"""The FAISS vector index and its manifest.

Exact inner-product search over normalised vectors (cosine) by default; HNSW above a
configurable size. The manifest beside the index records what made it (model, dimension,
count, corpus hash, file checksum); loading refuses any mismatch with a clear message.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import faiss
import numpy as np

from kb.config import DEFAULT_HNSW_THRESHOLD

INDEX_FILE = "index.faiss"
MANIFEST_FILE = "manifest.json"
HNSW_M = 32


class IndexMismatch(RuntimeError):
    """The index on disk is missing, corrupt or does not match what it should serve."""


def create(vectors: np.ndarray, hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD) -> faiss.Index:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    if len(vectors) >= hnsw_threshold:
        index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    else:
        index = faiss.IndexFlatIP(dimension)
    index.add(vectors)
    return index


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(index: faiss.Index, folder: Path, manifest: dict) -> dict:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    faiss.write_index(index, str(folder / INDEX_FILE))
    manifest = {
        **manifest,
        "dimension": int(index.d),
        "count": int(index.ntotal),
        "index_type": "hnsw" if isinstance(index, faiss.IndexHNSWFlat) else "flat",
        "faiss_version": faiss.__version__,
        "index_sha256": _checksum(folder / INDEX_FILE),
    }
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST_FILE
    if not path.exists():
        raise IndexMismatch(f"{path} is missing: run `kb build` to rebuild the search index")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise IndexMismatch(f"{path} is corrupt ({exc}): run `kb build` to rebuild the search index") from exc
    missing = {"model", "dimension", "count", "corpus_hash", "index_sha256"} - set(manifest)
    if missing:
        raise IndexMismatch(f"{path} lacks {', '.join(sorted(missing))}: run `kb build` to rebuild the search index")
    return manifest


def load(folder: Path, corpus_hash: str | None = None, dimension: int | None = None) -> tuple[faiss.Index, dict]:
    """Load and verify the index; raise IndexMismatch naming what is wrong."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    path = folder / INDEX_FILE
    if not path.exists():
        raise IndexMismatch(f"{path} is missing: run `kb build` to rebuild the search index")
    if _checksum(path) != manifest["index_sha256"]:
        raise IndexMismatch(f"{path} does not match its manifest checksum (corrupt or replaced): run `kb build`")
    try:
        index = faiss.read_index(str(path))
    except RuntimeError as exc:
        raise IndexMismatch(f"{path} cannot be read ({exc}): run `kb build`") from exc
    if index.ntotal != manifest["count"] or index.d != manifest["dimension"]:
        raise IndexMismatch(
            f"{path} holds {index.ntotal} vectors of {index.d} dimensions, manifest says "
            f"{manifest['count']} of {manifest['dimension']}: run `kb build`"
        )
    if corpus_hash is not None and manifest["corpus_hash"] != corpus_hash:
        raise IndexMismatch(
            f"index was built from corpus {manifest['corpus_hash']}, the database holds {corpus_hash}: run `kb build`"
        )
    if dimension is not None and dimension != index.d:
        raise IndexMismatch(f"model gives {dimension}-dimensional vectors, index holds {index.d}: run `kb build`")
    return index, manifest


def search(index: faiss.Index, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None):
    """Top-k (scores, ids) for one query vector, restricted to allowed_ids when given."""
    query = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    k = min(k, index.ntotal)
    if k <= 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    params = None
    if allowed_ids is not None:
        if len(allowed_ids) == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        selector = faiss.IDSelectorBatch(np.ascontiguousarray(allowed_ids, dtype=np.int64))
        if isinstance(index, faiss.IndexHNSWFlat):
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(128, k))
        else:
            params = faiss.SearchParameters(sel=selector)
    scores, ids = index.search(query, k, params=params) if params else index.search(query, k)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]
