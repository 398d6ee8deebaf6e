"""Embedding backends behind one small interface.

Any sentence-transformers model (a folder or a hub name, from KB_MODEL) and the domain
model built from the knowledge base load through the same `SentenceTransformer(path)`
call. The build records which model made the index; serving loads that same model.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search import domain_model

DEFAULT_PRETRAINED = "intfloat/multilingual-e5-small"
DOMAIN = "domain"
# Models trained with instruction prefixes that their saved config does not always carry.
KNOWN_PROMPTS = {"e5": {"query": "query: ", "document": "passage: "}}


class ModelLoadError(RuntimeError):
    """A model could not be loaded; the message says which and why."""


def single_thread() -> None:
    """One thread per process: on 2 cores, contending BLAS/FAISS threads wreck tail latency."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover
        pass
    try:
        import faiss

        faiss.omp_set_num_threads(1)
    except ImportError:  # pragma: no cover
        pass


@dataclass
class Encoder:
    model: object  # a SentenceTransformer
    name: str  # hub name or folder, as recorded in the index manifest
    kind: str  # "domain" or "pretrained"
    fingerprint: str  # changes whenever the vectors it produces would change

    @property
    def dimension(self) -> int:
        return int(
            (getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension)()
        )

    @property
    def prompts(self) -> dict:
        return dict(getattr(self.model, "prompts", None) or {})

    def _encode(self, texts: list[str], prompt: str | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            prompt=prompt,
            batch_size=64,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        vectors = np.asarray(vectors, dtype=np.float32)
        return np.nan_to_num(vectors)  # an all-unknown text encodes to zeros, never NaN

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self.prompts.get("query"))

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        prompts = self.prompts
        return self._encode(texts, prompts.get("document") or prompts.get("passage"))

    def describe(self) -> str:
        if self.kind == DOMAIN:
            return f"domain model built from this knowledge base (word co-occurrence, {self.dimension} dimensions)"
        return f"{self.name} (pretrained sentence-transformers model, {self.dimension} dimensions)"


def load(name_or_path: str, local_only: bool = True) -> Encoder:
    """Load a sentence-transformers model; raise ModelLoadError with the reason."""
    from sentence_transformers import SentenceTransformer

    path = Path(name_or_path)
    card = domain_model.card(path) if path.is_dir() else None
    if not path.exists() and (
        name_or_path.startswith((".", "/")) or os.sep in name_or_path.strip("/").split("/", 2)[-1]
    ):
        raise ModelLoadError(f"model folder {name_or_path} does not exist")
    try:
        model = SentenceTransformer(str(name_or_path), device="cpu", local_files_only=local_only)
    except Exception as exc:  # the library raises many kinds; the reason is what matters
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelLoadError(f"cannot load model '{name_or_path}': {reason}") from exc
    if not getattr(model, "prompts", None) or "query" not in model.prompts:
        for marker, prompts in KNOWN_PROMPTS.items():
            if marker in str(name_or_path).lower():
                model.prompts = {**(model.prompts or {}), **prompts}
    if card:
        return Encoder(model, str(path), DOMAIN, card["fingerprint"])
    return Encoder(model, str(name_or_path), "pretrained", f"pretrained:{name_or_path}")


def hub_reachable(timeout: float = 2.0) -> bool:
    """A quick check before trying a download: without it, an offline machine waits over a minute."""
    if os.environ.get("HF_HUB_OFFLINE") in ("1", "true", "True"):
        return False
    host = os.environ.get("HF_ENDPOINT", "https://huggingface.co").split("//")[-1].split("/")[0]
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def choose_pretrained(setting: str | None) -> tuple[Encoder | None, list[str]]:
    """The pretrained model to build with, or None (use the domain model), with notes saying why."""
    notes: list[str] = []
    if setting and setting.strip().lower() == DOMAIN:
        return None, ["KB_MODEL=domain: using the domain model built from the knowledge base"]
    name = setting or DEFAULT_PRETRAINED
    try:
        return load(name, local_only=True), notes
    except ModelLoadError as exc:
        local_error = str(exc)
    if not Path(name).exists() and hub_reachable():
        try:
            return load(name, local_only=False), notes
        except ModelLoadError as exc:
            local_error = str(exc)
    elif not Path(name).exists():
        local_error += " (not in the local cache, and the model hub is unreachable)"
    source = "KB_MODEL" if setting else "the default pretrained model"
    notes.append(
        f"{source} '{name}' is unavailable: {local_error}; using the domain model built from the knowledge base"
    )
    return None, notes
