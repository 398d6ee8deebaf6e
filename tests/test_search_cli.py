"""kb build, kb search and kb eval through click's runner on a real build."""

import json

import pytest
from click.testing import CliRunner

from kb.cli import cli
from search import evaluate

pytestmark = pytest.mark.slow


def run(built_kb, *args):
    return CliRunner().invoke(
        cli, ["--practices", str(built_kb.practices), "--data", str(built_kb.data), *args], catch_exceptions=False
    )


def test_search_prints_ranked_results_and_the_model(built_kb):
    result = run(built_kb, "search", "cable car in hillside neighbourhoods", "--limit", "3")
    assert result.exit_code == 0
    assert "medellin-metrocable" in result.output
    assert "model: domain model built from this knowledge base" in result.output


def test_search_prints_snippets_as_text_not_html(built_kb):
    result = run(built_kb, "search", "what works against gang violence", "--limit", "3")
    assert result.exit_code == 0
    assert "Boston's" in result.output and "&#" not in result.output and "&amp;" not in result.output


def test_search_json_with_filters(built_kb):
    result = run(built_kb, "search", "police", "--region", "asia-pacific", "--json", "--limit", "20")
    data = json.loads(result.output)
    assert data["hits"] and {h["region"] for h in data["hits"]} == {"asia-pacific"}
    assert data["facets"]["region"][0][0] == "asia-pacific"


def test_unknown_filter_value_is_a_clear_usage_error(built_kb):
    result = run(built_kb, "search", "police", "--theme", "polcing")
    assert result.exit_code == 2
    assert "unknown value 'polcing'" in result.output and "allowed:" in result.output
    assert "--theme" in result.output


def test_search_before_any_build_says_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["--data", str(tmp_path), "search", "x"])
    assert result.exit_code == 1 and "run `kb build` first" in result.output


def test_eval_prints_every_mode(built_kb):
    result = run(built_kb, "eval")
    assert result.exit_code == 0
    for column in ("bm25 nDCG@10", "lexical nDCG@10", "dense nDCG@10", "hybrid nDCG@10", "| all | 52 |"):
        assert column in result.output


def test_eval_rejects_a_malformed_qrels_file(built_kb, tmp_path):
    bad = tmp_path / "qrels.tsv"
    bad.write_text("qid\tpractice_id\tgrade\nq01\tx\thigh\n")
    result = run(built_kb, "eval", str(evaluate.EVAL_DIR / "queries.tsv"), str(bad))
    assert result.exit_code == 1 and "qrels.tsv:2" in result.output


def test_eval_reports_every_bad_judgment_at_once(built_kb, tmp_path):
    bad = tmp_path / "qrels.tsv"
    bad.write_text(
        "qid\tpractice_id\tgrade\nq01\tno-such-practice\t2\nq01\tbogota-ciclovia\t3\nq02\tbogota-ciclovia\t1\n"
    )
    result = run(built_kb, "eval", str(evaluate.EVAL_DIR / "queries.tsv"), str(bad))
    assert result.exit_code == 1
    assert "qrels.tsv:2: practice_id 'no-such-practice' is not in the inventory" in result.output
    assert "qrels.tsv:3: grade 3 is not allowed; allowed: 0, 1, 2" in result.output


def test_eval_runs_the_held_out_set(built_kb):
    result = run(built_kb, "eval", "--set", "heldout")
    assert result.exit_code == 0 and "| all | 44 |" in result.output and "heldout" in result.output
    assert run(built_kb, "eval", str(evaluate.EVAL_DIR / "queries.tsv")).exit_code == 2  # QRELS missing


def test_hybrid_holds_on_the_held_out_set(engine):
    """The tuning was done on the development set; this set was written independently afterwards."""
    folder = evaluate.SETS["heldout"]
    report = evaluate.evaluate(
        engine,
        evaluate.read_queries(folder / "queries.tsv"),
        evaluate.read_qrels(folder / "qrels.tsv", set(engine.facts)),
    )
    assert report["hybrid"]["all"]["ndcg@10"] >= 1.05 * report["bm25"]["all"]["ndcg@10"]
    assert report["hybrid"]["all"]["ndcg@10"] >= report["lexical"]["all"]["ndcg@10"]
    for language in ("es", "pt"):
        assert report["hybrid"][language]["ndcg@10"] > 1.5 * report["bm25"][language]["ndcg@10"]


def test_hybrid_beats_plain_keyword_search_on_the_development_set(engine):
    """A quality regression guard on the shipped development set, not a timing."""
    report = evaluate.evaluate(
        engine,
        evaluate.read_queries(evaluate.EVAL_DIR / "queries.tsv"),
        evaluate.read_qrels(evaluate.EVAL_DIR / "qrels.tsv"),
    )
    assert report["hybrid"]["all"]["ndcg@10"] >= 1.1 * report["bm25"]["all"]["ndcg@10"]
    assert report["hybrid"]["all"]["ndcg@10"] >= report["lexical"]["all"]["ndcg@10"]
    assert report["hybrid"]["keyword"]["ndcg@10"] >= report["lexical"]["keyword"]["ndcg@10"]
    for language in ("es", "pt"):  # queries that share almost no words with the English entries
        assert report["hybrid"][language]["ndcg@10"] > 2 * report["bm25"][language]["ndcg@10"]
