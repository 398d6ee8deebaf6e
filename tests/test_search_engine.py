"""Search over a real build of the bundled inventory: domain model, FAISS, FTS5, fusion, filters."""

import shutil

import numpy as np
import pytest
from conftest import ROOT
from sentence_transformers import SentenceTransformer

from kb import builds, config
from search import faiss_index, ordering, pipeline
from search.engine import Engine, QueryError
from search.filters import Filters

pytestmark = pytest.mark.slow


def top_ids(result, n=5):
    return [h.id for h in result.hits[:n]]


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "how do we make buses safer for women at night",
            {"port-moresby-meri-seif-bus", "mexico-city-viajemos-seguras"},
        ),
        ("transporte público seguro para mujeres", {"port-moresby-meri-seif-bus", "mexico-city-viajemos-seguras"}),
        ("santé mentale et police", {"eugene-cahoots", "denver-star-response"}),
        (
            "urbanização de favelas",  # slum upgrading programmes, or the cable cars that came with upgrading
            {
                "medellin-metrocable",
                "rio-teleferico-alemao",
                "casablanca-cities-without-slums",
                "bangkok-baan-mankong-secure-housing",
                "jakarta-kampung-improvement-programme",
            },
        ),
        ("what can we do with abandoned empty land that attracts crime", {"philadelphia-vacant-lot-greening"}),
    ],
)
def test_queries_in_plain_words_and_other_languages_find_the_practice(engine, query, expected):
    assert expected & set(top_ids(engine.search(query), 3))


def test_a_question_about_failures_lists_harmful_and_no_effect_first(engine):
    result = engine.search("Which crime prevention programmes backfired and made things worse?")
    assert result.intent == "fails"
    ratings = [engine.facts[h.id]["rating"][0] for h in result.hits[:3]]
    assert set(ratings) <= {"harmful", "no-effect"}


def test_weighted_fusion_serves_by_default_and_rank_fusion_on_request(engine):
    query = "violence interrupters outreach workers"
    default = [h.id for h in engine.search(query).hits]
    assert default == [h.id for h in engine.search(query, fusion_method="weighted").hits]
    assert set(default[:3]) & {h.id for h in engine.search(query, fusion_method="rrf").hits}


def test_every_mode_returns_ranked_hits_with_snippets(engine):
    for mode in ("hybrid", "dense", "lexical"):
        result = engine.search("violence interrupters outreach workers", mode=mode)
        assert result.hits and result.mode == mode
        assert result.hits[0].snippet
    lexical = engine.search("violence interrupters outreach workers", mode="lexical")
    assert "<mark>" in lexical.hits[0].snippet


def test_filters_apply_identically_to_both_legs(engine):
    filters = Filters(region=["latin-america-caribbean"])
    for mode in ("hybrid", "dense", "lexical"):
        result = engine.search("youth violence", filters, mode=mode, per_page=50)
        assert result.hits
        assert {h.region for h in result.hits} == {"latin-america-caribbean"}


def test_guideline_filter_includes_sub_items(engine):
    result = engine.search("", Filters(guideline=["26.c.c"]), per_page=100)
    assert result.total > 0
    for hit in result.hits:
        assert any(ref.startswith("26.c.c") for ref in hit.guideline_refs), hit.id


def test_facet_counts_cover_the_result_set(engine):
    result = engine.search("police", per_page=5)
    assert sum(n for _, _, n in result.facets["region"]) == result.total
    assert sum(n for _, _, n in result.facets["rating"]) == result.total
    assert any(key.startswith("IV.") for key, _, _ in result.facets["principle"])


def test_empty_query_browses_strongest_evidence_first(engine, inventory_size):
    result = engine.search("", per_page=100)
    assert result.total == inventory_size
    order = [ordering.RATING_ORDER[h.rating] for h in result.hits]
    assert order == sorted(order)


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "AND OR NOT",
        "NEAR(a b)",
        "*",
        "col:value",
        "'; drop table practices;--",
        "🚌🚇 👩",
        "ﷺ ∑ ∂",
        "\x00\x01",
        "a" * 5000,
        "((((",
        "-bus +women ^night",
    ],
)
def test_hostile_queries_never_raise(engine, query):
    result = engine.search(query)
    assert len(result.hits) == min(result.total, result.per_page)
    assert all(hit.id in engine.facts for hit in result.hits)


def test_long_query_says_it_was_truncated(engine):
    result = engine.search("safer streets for women " * 40)
    assert any("only the first" in n for n in result.notices)


def test_bad_parameters_name_what_is_allowed(engine):
    with pytest.raises(QueryError, match="mode: unknown mode 'fuzzy'; allowed: hybrid, dense, lexical"):
        engine.search("x", mode="fuzzy")
    with pytest.raises(QueryError, match="page"):
        engine.search("x", page=0)


def test_pagination_is_consistent(engine):
    first = engine.search("police", per_page=5, page=1)
    second = engine.search("police", per_page=5, page=2)
    assert not set(top_ids(first)) & set(top_ids(second))
    assert first.total == second.total


def test_more_like_this_and_lineage_neighbours(engine):
    similar = [pid for pid, _ in engine.more_like_this("baltimore-safe-streets", k=5)]
    assert "baltimore-safe-streets" not in similar and len(similar) == 5
    assert {
        "chicago-cure-violence",
        "port-of-spain-project-reason",
        "cape-town-hanover-park-violence-interrupters",
    } & set(similar)


def test_peer_cities_give_shared_themes_as_reason(engine):
    peers = engine.peer_cities("chicago-us", k=5)
    assert len(peers) == 5 and all(p["slug"] != "chicago-us" for p in peers)
    assert any(p["shared_themes"] for p in peers)
    assert engine.peer_cities("atlantis-xx") == []


def test_the_domain_model_loads_through_sentence_transformers(built_kb):
    folder = builds.current_build(built_kb) / "domain-model"
    model = SentenceTransformer(str(folder), device="cpu")
    vectors = model.encode(["safe buses for women", "autobús seguro para mujeres", "vacant lot greening"])
    assert vectors.shape[0] == 3
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2]  # Spanish lands nearer its English meaning than an unrelated topic


def test_corrupt_index_is_refused_and_keyword_search_still_serves(built_kb, tmp_path):
    build = tmp_path / "copy"
    shutil.copytree(builds.current_build(built_kb), build)
    index_file = build / "index" / faiss_index.INDEX_FILE
    index_file.write_bytes(index_file.read_bytes()[:-64] + b"\0" * 64)
    with pytest.raises(faiss_index.IndexMismatch, match="checksum"):
        faiss_index.load(build / "index")
    degraded = Engine(build)
    assert not degraded.dense_available
    assert any("keyword search only" in s for s in degraded.status)
    result = degraded.search("buses for women")
    assert result.hits and result.hits[0].matched_by == ["words"]


def test_missing_model_folder_degrades_to_keyword_search(built_kb, tmp_path):
    build = tmp_path / "copy"
    shutil.copytree(builds.current_build(built_kb), build)
    shutil.rmtree(build / "domain-model")
    degraded = Engine(build)
    assert not degraded.dense_available
    assert "domain-model does not exist" in degraded.status[0]
    assert degraded.search("vacant lots").hits


def test_manifest_mismatch_is_refused(built_kb, tmp_path):
    build = tmp_path / "copy"
    shutil.copytree(builds.current_build(built_kb), build)
    with pytest.raises(faiss_index.IndexMismatch, match="corpus"):
        faiss_index.load(build / "index", corpus_hash="something-else")
    (build / "index" / faiss_index.MANIFEST_FILE).write_text("{not json")
    with pytest.raises(faiss_index.IndexMismatch, match="corrupt"):
        faiss_index.load(build / "index")


def test_editing_one_entry_re_embeds_only_that_entry(tmp_path):
    practices = tmp_path / "practices"
    shutil.copytree(ROOT / "practices", practices)
    paths = config.paths(practices, tmp_path / "var")
    first = pipeline.build(paths, setting="domain", progress=lambda m: None)
    assert first["passages_embedded"] == first["count"]
    target = practices / "bogota-ciclovia.md"
    target.write_text(
        target.read_text().replace(
            "## Lessons learned\n", "## Lessons learned\n\nAn added sentence about Sunday street closures.\n"
        )
    )
    second = pipeline.build(paths, setting="domain", progress=lambda m: None)
    assert 1 <= second["passages_embedded"] <= 3
    assert second["build_dir"] != first["build_dir"]
    engine = Engine(builds.current_build(paths))
    assert engine.search("added sentence about Sunday street closures", mode="lexical").hits[0].id == "bogota-ciclovia"


def test_hnsw_above_threshold_still_finds_the_same_practices(tmp_path):
    practices = tmp_path / "practices"
    shutil.copytree(ROOT / "practices", practices)
    paths = config.paths(practices, tmp_path / "var")
    manifest = pipeline.build(paths, setting="domain", hnsw_threshold=10, progress=lambda m: None)
    assert manifest["index_type"] == "hnsw"
    engine = Engine(builds.current_build(paths))
    assert "philadelphia-vacant-lot-greening" in top_ids(engine.search("vacant lots", mode="dense"), 3)
    vector = np.zeros(manifest["dimension"], np.float32)
    vector[0] = 1
    scores, ids = faiss_index.search(engine.corpus.index, vector, 5, np.array([1, 2, 3]))
    assert set(ids.tolist()) <= {1, 2, 3}
