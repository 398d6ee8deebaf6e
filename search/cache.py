"""Embeddings cached by model fingerprint and passage content hash.

Rebuilding after one entry changes re-embeds only that entry's passages: every other
passage has the same text, so the same hash, so its vector comes from here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np


class EmbeddingCache:
    def __init__(self, path: Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path)
        self.conn.execute(
            "create table if not exists vectors (model text, hash text, vector blob, primary key (model, hash))"
        )

    def get_many(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(hashes), 500):
            batch = hashes[start : start + 500]
            rows = self.conn.execute(
                f"select hash, vector from vectors where model = ? and hash in ({','.join('?' * len(batch))})",
                [model, *batch],
            )
            for digest, blob in rows:
                found[digest] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        self.conn.executemany(
            "insert or replace into vectors values (?, ?, ?)",
            [(model, digest, np.asarray(v, dtype=np.float32).tobytes()) for digest, v in items.items()],
        )
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def embed_with_cache(encoder, passages, cache: EmbeddingCache | None) -> tuple[np.ndarray, int]:
    """Vectors for the passages, in order; returns (vectors, how many were newly embedded)."""
    hashes = [p.content_hash for p in passages]
    known = cache.get_many(encoder.fingerprint, hashes) if cache else {}
    missing = [i for i, h in enumerate(hashes) if h not in known]
    if missing:
        fresh = encoder.encode_passages([passages[i].embedding_text for i in missing])
        new_items = {hashes[i]: fresh[j] for j, i in enumerate(missing)}
        known.update(new_items)
        if cache:
            cache.put_many(encoder.fingerprint, new_items)
    vectors = np.vstack([known[h] for h in hashes]) if hashes else np.zeros((0, encoder.dimension), np.float32)
    return vectors.astype(np.float32), len(missing)
