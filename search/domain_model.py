"""A domain embedding model built from the knowledge base itself (LSA), saved as a
sentence-transformers StaticEmbedding folder.

Latent semantic analysis: TF-IDF over practice passages, guideline sections and one
pseudo-document per thesaurus concept (all four languages together), reduced with a
truncated SVD. Because the thesaurus documents put 'transporte público', 'métro' and
'bus' in the same document, those words land near each other, which is what lets a
Spanish or French query reach English entries.

A StaticEmbedding averages per-token vectors. Giving each token the row idf(t) * V_k[t]
makes that average exactly the LSA fold-in of the query's TF-IDF vector (up to scale,
which the cosine ignores), so the folder loads with the same `SentenceTransformer(path)`
call as any pretrained model.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from search.text import STOPWORDS, stem, words

MODEL_CARD = "kb_domain_model.json"
THESAURUS_WEIGHT = 3  # thesaurus documents count this many times: they carry the cross-language links
DIMENSION = 128  # trained on one document per practice (a few hundred), fewer dimensions generalise better (kb eval)


def train(texts: list[str], thesaurus_docs: list[str], dimension: int = 256, seed: int = 0):
    """Return (surface vocabulary, token matrix) for the given corpus.

    The vocabulary holds every folded surface word; its row is the LSA vector of its stem
    (zero for stopwords), so 'buses' and 'bus' share a vector.
    """
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = list(texts) + [d for d in thesaurus_docs for _ in range(THESAURUS_WEIGHT)]
    analysed = [[stem(w) for w in words(t) if w not in STOPWORDS and len(w) > 1] for t in corpus]
    vectorizer = TfidfVectorizer(analyzer=lambda doc: doc, sublinear_tf=True, min_df=1, max_df=0.6)
    matrix = vectorizer.fit_transform(analysed)
    stems = vectorizer.get_feature_names_out()
    k = max(2, min(dimension, matrix.shape[0] - 1, matrix.shape[1] - 1))
    svd = TruncatedSVD(n_components=k, random_state=seed, algorithm="randomized", n_iter=7)
    svd.fit(matrix)
    stem_vectors = (svd.components_.T * vectorizer.idf_[:, None]).astype(np.float32)
    stem_index = {s: i for i, s in enumerate(stems)}

    surface = sorted({w for t in corpus for w in words(t)})
    vocabulary = {"[UNK]": 0}
    rows = [np.zeros(k, dtype=np.float32)]
    for word in surface:
        vocabulary[word] = len(rows)
        i = stem_index.get(stem(word)) if word not in STOPWORDS else None
        rows.append(stem_vectors[i] if i is not None else np.zeros(k, dtype=np.float32))
    return vocabulary, np.vstack(rows)


def _tokenizer(vocabulary: dict[str, int]):
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

    tokenizer = Tokenizer(models.WordLevel(vocab=vocabulary, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.NFKD(), normalizers.StripAccents(), normalizers.Lowercase()]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex(r"[^a-z0-9']+"), behavior="removed")
    return tokenizer


def save(folder: Path, vocabulary: dict[str, int], weights: np.ndarray, info: dict) -> Path:
    """Write the model as a sentence-transformers folder, plus a card saying what it is."""
    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.sentence_transformer.modules import Normalize, StaticEmbedding
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Normalize, StaticEmbedding

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    static = StaticEmbedding(_tokenizer(vocabulary), embedding_weights=weights)
    SentenceTransformer(modules=[static, Normalize()], device="cpu").save(str(folder))
    card = {
        "kind": "domain",
        "method": "LSA (TF-IDF + truncated SVD) over the knowledge base and the thesaurus",
        "dimension": int(weights.shape[1]),
        "vocabulary_size": len(vocabulary),
        "fingerprint": hashlib.sha256(weights.tobytes()).hexdigest()[:16],
        **info,
    }
    (folder / MODEL_CARD).write_text(json.dumps(card, indent=2), encoding="utf-8")
    return folder


def build(
    folder: Path, texts: list[str], thesaurus_docs: list[str], dimension: int = DIMENSION, info: dict | None = None
) -> Path:
    """Train on the texts and save the model folder."""
    vocabulary, weights = train(texts, thesaurus_docs, dimension)
    return save(folder, vocabulary, weights, {"documents": len(texts), **(info or {})})


def card(folder: Path) -> dict | None:
    path = Path(folder) / MODEL_CARD
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
