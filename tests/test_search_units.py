"""Pure pieces of search: fusion, filters, query building, passages, thesaurus, highlighting."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import fusion, lexical, passages, thesaurus
from search.filters import FilterError, Filters, allowed_practices_sql, parse
from search.query import truncate as truncate_query
from search.results import highlight
from search.text import fold, stem


def test_rrf_rewards_agreement():
    a = [("x", 9.0), ("y", 5.0), ("z", 1.0)]
    b = [("y", 0.9), ("x", 0.8)]
    fused = fusion.rrf([a, b])
    assert [uid for uid, _ in fused] == ["x", "y", "z"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_rrf_weights_and_ties_are_deterministic():
    assert [u for u, _ in fusion.rrf([[("a", 1)], [("b", 1)]], weights=[1.0, 2.0])] == ["b", "a"]
    assert [u for u, _ in fusion.rrf([[("b", 1)], [("a", 1)]])] == ["a", "b"]


def test_convex_normalises_each_ranking():
    fused = fusion.convex([[("a", 100.0), ("b", 50.0)], [("b", 0.9), ("c", 0.1)]], weights=[0.5, 0.5])
    assert dict(fused) == {"a": 0.5, "b": 0.5, "c": 0.0}


def test_best_per_owner_keeps_the_best_passage():
    owners = {1: "p", 2: "p", 3: "q"}
    assert fusion.best_per_owner([(1, 0.2), (2, 0.9), (3, 0.5)], owners) == [("p", 0.9, 2), ("q", 0.5, 3)]


def test_filters_parse_and_reject_with_allowed_values():
    parsed = parse({"region": ["europe"], "theme": "public-transport,women-safety", "year_from": ["2005"]})
    assert parsed.region == ["europe"] and parsed.theme == ["public-transport", "women-safety"]
    assert parsed.year_from == 2005
    with pytest.raises(
        FilterError, match=r"region: unknown value 'europa' \(did you mean 'europe'\?\); allowed: africa"
    ):
        parse({"region": ["europa"]})
    with pytest.raises(FilterError, match="year_to: 'soon' is not a year"):
        parse({"year_to": ["soon"]})
    with pytest.raises(FilterError, match="guideline: unknown value '26.z'"):
        parse({"guideline": ["26.z"]}, guideline_ids={"26", "26.a"})
    with pytest.raises(FilterError, match="city"):
        parse({"city": ["atlantis"]}, cities={"medellin-co"})


def test_filter_sql_ors_within_and_ands_across():
    sql, params = allowed_practices_sql(
        Filters(region=["europe", "africa"], theme=["mediation"], guideline=["26.b"]),
        descendants=lambda sid: ["26.b.i", "26.b.ii"],
    )
    assert "region in (?,?)" in sql and "from practice_terms" in sql and "from practice_guidelines" in sql
    assert params == ["europe", "africa", "theme", "mediation", "26.b", "26.b.i", "26.b.ii"]


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_becomes_a_safe_fts_query(text):
    for query in lexical.fts_queries(text, ["bus stop", 'a "quoted" phrase']):
        if query is not None:
            assert all(part.startswith('"') and part.endswith('"') for part in query.split(" OR "))


def test_fts_query_has_no_operators_left():
    assert lexical.fts_queries('buses AND (women OR "night") NEAR* -x')[0] == '"buses" OR "women" OR "night" OR "near"'
    assert lexical.fts_queries("the of and") == (None, None)


def test_chunking_respects_the_word_limit_and_loses_nothing():
    text = "\n\n".join(" ".join(f"w{p}_{i}." for i in range(150)) for p in range(3))
    pieces = passages.chunk(text, max_words=100)
    assert all(len(p.split()) <= 100 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_thesaurus_links_languages_and_facets():
    t = thesaurus.load()
    assert {m.concept.id for m in t.match("transporte público para mujeres")} >= {"public-transport", "women-safety"}
    assert "public transport" in t.expansions("ônibus à noite")
    assert t.facets("métro et harcèlement")["theme"] == ["public-transport", "women-safety"]
    for concept in t.concepts.values():
        for language in thesaurus.LANGUAGES:
            assert concept.terms[language], f"{concept.id} has no {language} terms"


def test_expansions_translate_rather_than_broaden():
    t = thesaurus.load()
    corpus = {"bus", "buses", "for", "women", "at", "night"}
    known = corpus.__contains__
    # English words the corpus holds already find their entries: their synonyms only add noise
    assert t.expansions("buses for women at night", known=known) == []
    # other languages, and English words the corpus lacks, still reach the English entries
    assert "public transport" in t.expansions("ônibus à noite", known=known)
    assert "public transport" in t.expansions("subway at night", known=known)
    assert "public transport" in t.expansions("buses for women at night")  # without a corpus: everything


def test_thesaurus_facet_terms_are_vocabulary_terms():
    from kb import vocab

    vocabularies = {"theme": vocab.THEMES, "target_group": vocab.TARGET_GROUPS}
    for concept in thesaurus.load().concepts.values():
        if concept.facet:
            assert concept.id in vocabularies[concept.facet], concept.id


def test_highlight_escapes_before_marking():
    html = highlight("<script>alert(1)</script> buses at night", {stem("bus"), stem("night")})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>buses</mark>" in html and "<mark>night</mark>" in html


def test_long_queries_are_truncated_and_say_so():
    text, notice = truncate_query("word " * 200)
    assert len(text) <= 300 and "only the first" in notice
    assert truncate_query("short query") == ("short query", None)


def test_fold_and_stem():
    assert fold("Transporte Público ÉTÉ") == "transporte publico ete"
    assert stem("buses") == stem("bus") == "bus"
    assert stem("policies") == "policy" and stem("addresses") == "address" and stem("status") == "status"
    assert stem("women") == "women" and stem("lighting") == "light"


def test_the_most_common_words_are_left_out_once_the_posting_budget_is_spent():
    postings = {'"police"': 90_000, '"violence"': 50_000, '"koban"': 40, '"police station"': 95_000}
    cost = lambda part: postings.get(part, 0)  # noqa: E731
    assert lexical.fts_queries("police violence koban", cost=cost, budget=60_000)[0] == '"violence" OR "koban"'
    # when even the rarest word is over budget it stays: the query must still find something
    assert lexical.fts_queries("police violence", cost=cost, budget=10_000)[0] == '"violence"'
    kept, spent = lexical.within_budget(['"police station"'], cost, 1_000, keep_one=False)
    assert kept == [] and spent == 0
    # nothing binds on a small corpus: every word stays, in the user's order
    assert (
        lexical.fts_queries("police violence koban", cost=cost, budget=10**9)[0] == '"police" OR "violence" OR "koban"'
    )
    # expansions get what the user's words leave, and never search a word the user typed twice
    assert lexical.fts_queries("koban", ["police", "koban"], cost=cost, budget=60_000) == ('"koban"', None)
    assert lexical.fts_queries("koban", ["police"], cost=cost, budget=100_000) == ('"koban"', '"police"')


def test_query_costs_are_counted_in_the_index_own_terms():
    assert lexical.fts_tokens("violences") == lexical.fts_tokens("violence")  # FTS5's porter, not ours
    assert lexical.fts_tokens('"public transport"') == ("public", "transport")
    # an elision is one word to us and two to FTS5: the article is dropped, not searched everywhere
    assert lexical.query_parts("l'espace public") == ['"espace"', '"public"']
