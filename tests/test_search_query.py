"""Reading a query before searching it: evidence intent, topic-less questions, places, typos, and
which thesaurus words count in an English query. Pure functions over text and small vocabularies."""

import numpy as np
import pytest

from search import domain_model, query, thesaurus


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what works against gang violence", "works"),
        ("Has any programme been shown to reduce violence by husbands against women?", "works"),
        ("¿Qué funciona contra las pandillas?", "works"),
        ("programmes that backfired and made youth crime worse", "fails"),
        ("mandar soldados no funcionó", "fails"),
        ("street lighting in informal settlements", None),
    ],
)
def test_evidence_words_are_read_as_intent(text, intent):
    found, topic = query.evidence_intent(text)
    assert found == intent
    if intent:
        assert "work" not in topic.split() and "backfired" not in topic.split()


def test_a_question_about_the_whole_field_lists_by_evidence():
    plan = query.plan("Which crime prevention programmes backfired and made things worse?", {}, {}, {})
    assert plan.intent == "fails" and plan.only_evidence
    # a named topic is searched, steered by the intent
    topical = query.plan("which youth crime programmes backfired?", {}, {}, {})
    assert topical.intent == "fails" and not topical.only_evidence


def test_places_become_suggested_filters():
    found = query.place_filters(
        "safer markets in Latin America and Nairobi", {"KE": "Kenya"}, {"nairobi-ke": "Nairobi"}
    )
    assert {"filter": "region", "value": "latin-america-caribbean", "label": "Latin America and the Caribbean"} in found
    assert any(f["filter"] == "city" and f["value"] == "nairobi-ke" for f in found)


def test_typos_get_the_closest_frequent_corpus_word():
    vocabulary = {"street": 40, "lighting": 12, "lightning": 1, "strict": 3}
    assert query.did_you_mean("strret lightning", vocabulary) == "street lightning"
    assert query.did_you_mean("street lighting", vocabulary) is None


def test_an_english_query_reads_single_words_as_english():
    t = thesaurus.load()
    # French "places" (squares) is an ordinary English word: no public-space concept in English
    english = {m.concept.id for m in t.match("how have other places paid for prevention", english=True)}
    assert "public-space" not in english
    assert "public-space" in {m.concept.id for m in t.match("places et espaces publics")}
    # a longer foreign phrase is still read, whatever the language of the rest
    assert "community-policing" in {m.concept.id for m in t.match("police de proximité", english=True)}
    assert "public space" not in t.expansions("how have other places paid for prevention", english=True)


def test_the_domain_model_puts_words_that_share_contexts_together():
    texts = [
        "women harassed on the bus at night ask for safer bus stops and lighting",
        "women harassed on the metro at night ask for safer metro stations and lighting",
        "residents green a vacant lot with trees and a fence to cut gun violence",
        "volunteers green vacant lots and plant trees where gun violence was high",
    ] * 3
    vocabulary, weights = domain_model.train(texts, ["bus metro tram", "vacant lot greening"], dimension=8)

    def vector(word):
        row = weights[vocabulary[word]]
        return row / np.linalg.norm(row)

    assert vector("bus") @ vector("metro") > vector("bus") @ vector("trees")
    assert not weights[vocabulary["the"]].any()  # stopwords carry no meaning
