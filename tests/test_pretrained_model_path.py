"""The Transformer + Pooling path that a user's pretrained model takes, proven offline.

The folder is built here: a tiny BERT with random weights and a WordPiece vocabulary
trained on the bundled entries. Its embeddings mean nothing; what is tested is that
KB_MODEL pointing at such a folder builds, records and serves exactly like a real model.
"""

import json

import pytest
from conftest import ROOT

from kb import builds, config
from search import encoder, pipeline
from search.engine import Engine

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_model_folder(tmp_path_factory):
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertModel, BertTokenizerFast

    try:
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Pooling, Transformer

    root = tmp_path_factory.mktemp("tiny")
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "practices").glob("*.md"))]
    wordpiece = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wordpiece.normalizer = normalizers.BertNormalizer(lowercase=True)
    wordpiece.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    wordpiece.train_from_iterator(
        texts, trainers.WordPieceTrainer(vocab_size=2000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    )
    hf_dir = root / "hf"
    tokenizer = BertTokenizerFast(
        tokenizer_object=wordpiece,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
    )
    tokenizer.save_pretrained(hf_dir)
    BertModel(
        BertConfig(
            vocab_size=wordpiece.get_vocab_size(),
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=64,
            max_position_embeddings=256,
        )
    ).save_pretrained(hf_dir)
    transformer = Transformer(str(hf_dir), max_seq_length=128)
    dimension = (getattr(transformer, "get_embedding_dimension", None) or transformer.get_word_embedding_dimension)()
    pooling = Pooling(dimension, pooling_mode="mean")
    folder = root / "tiny-bert"
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(folder))
    return folder


def test_tiny_folder_loads_with_the_same_call(tiny_model_folder):
    loaded = encoder.load(str(tiny_model_folder))
    assert loaded.kind == "pretrained" and loaded.dimension == 32
    assert loaded.encode_queries(["safer buses"]).shape == (1, 32)


def test_kb_model_folder_builds_records_and_serves(tiny_model_folder, tmp_path):
    paths = config.paths(ROOT / "practices", tmp_path / "var")
    manifest = pipeline.build(paths, setting=str(tiny_model_folder), progress=lambda m: None)
    assert manifest["model_kind"] == "pretrained" and manifest["model"] == str(tiny_model_folder)
    assert manifest["dimension"] == 32
    recorded = json.loads((builds.current_build(paths) / "index" / "manifest.json").read_text())
    assert recorded["model"] == str(tiny_model_folder)
    engine = Engine(builds.current_build(paths))
    assert engine.dense_available and "pretrained" in engine.model_description
    assert engine.search("women on buses at night", mode="dense").hits


def test_unloadable_kb_model_falls_back_to_the_domain_model(tmp_path):
    paths = config.paths(ROOT / "practices", tmp_path / "var")
    notes = []
    manifest = pipeline.build(paths, setting=str(tmp_path / "no-such-model"), progress=notes.append)
    assert manifest["model_kind"] == "domain"
    assert any("KB_MODEL" in n and "using the domain model" in n for n in notes)


def test_hub_name_without_network_falls_back_quickly(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    chosen, notes = encoder.choose_pretrained(None)
    assert chosen is None and "intfloat/multilingual-e5-small" in notes[0]
