"""The SQLite content database, on real files and a real database."""

import json
import sqlite3

import pytest

from kb import loader, store


@pytest.fixture
def built(fixture_practices, tmp_path):
    result = loader.load(fixture_practices)
    target = tmp_path / "kb.db"
    store.write_database(target, result.practices, progress=lambda m: None)
    return store.open_db(target)


def test_tables_and_counts(built):
    assert built["practices"].count == 3
    assert built["sources"].count == 3
    assert built["guideline_sections"].count == 174
    assert built["cities"].count == 3
    city = built["cities"].get("testville-tl")
    assert city["practice_count"] == 1 and city["region"] == "europe"
    assert built["practice_terms"].count_where("facet = 'theme'") == 6
    refs = {
        r["section_id"] for r in built["practice_guidelines"].rows_where("practice_id = ?", ["vacant-lot-greening"])
    }
    assert refs == {"26.c.a.e", "IV.H"}
    outcome = json.loads(built["practices"].get("vacant-lot-greening")["outcomes"])[0]
    assert outcome["outcome"] == "gun violence" and outcome["direction"] == "decrease"


def test_full_text_search_uses_porter_stemming(fixture_practices, tmp_path):
    from kb import guidelines
    from search.index import write_passages
    from search.passages import guideline_passages, practice_passages

    practices = loader.load(fixture_practices).practices
    db = store.open_db(store.write_database(tmp_path / "kb.db", practices, progress=lambda m: None), readonly=False)
    write_passages(
        db,
        [p for practice in practices for p in practice_passages(practice.meta, practice.sections)]
        + guideline_passages(guidelines.load().in_order()),
    )
    built = db
    hits = {r["owner"] for r in built["passages"].search("greened lot") if r["kind"] == "practice"}
    assert hits == {"vacant-lot-greening"}
    sections = [r["owner"] for r in built["passages"].search("ciclovía hawkers") if r["kind"] == "guideline"]
    assert "26.c.b.e" in sections


def test_database_is_opened_read_only(built):
    with pytest.raises(sqlite3.OperationalError):
        built["practices"].delete_where()


def test_failed_build_leaves_the_published_build_untouched(fixture_practices, tmp_path):
    from kb import builds, config
    from search import pipeline

    paths = config.paths(fixture_practices, tmp_path / "var")
    pipeline.build(paths, setting="domain", progress=lambda m: None)
    published = builds.current_build(paths)
    before = (published / "kb.db").read_bytes()

    def explode(message):
        if "cities" in message:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        pipeline.build(paths, setting="domain", progress=explode)
    assert builds.current_build(paths) == published
    assert (published / "kb.db").read_bytes() == before
    assert store.open_db(builds.current_build(paths) / "kb.db")["practices"].count == 3


def test_city_slug_is_stable_and_ascii():
    assert store.city_slug("Medellín", "CO") == "medellin-co"
    assert store.city_slug("Port of Spain", "TT") == "port-of-spain-tt"
