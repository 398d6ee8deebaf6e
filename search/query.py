"""Reading a query before searching it: what it is about, what evidence it asks for, where, and typos.

Pure functions over the text and the build's vocabulary, so each can be tested with a list of
words: evidence words ("what works", "backfired", "qué funciona") steer by rating instead of
being searched as topic words; place words become suggested filters; words the corpus does
not know get a "did you mean" from words it does.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kb import vocab
from kb.words import close_matches
from search.filters import FUSIONS, MODES, PER_PAGE, SORTS, ParameterError
from search.messages import Notice
from search.text import STOPWORDS, fold, words

MAX_QUERY_CHARS = 300

_WORDS_FILE = Path(__file__).parent / "data" / "query_words.toml"
with _WORDS_FILE.open("rb") as _file:
    _WORDS = tomllib.load(_file)
# Phrases that ask about the evidence, in the four languages (folded, as words() makes them).
EVIDENCE_PHRASES: dict[str, list[str]] = _WORDS["evidence_phrases"]
# Region words in the four languages (folded), beyond the vocabulary's English labels.
REGION_WORDS: dict[str, list[str]] = _WORDS["region_words"]
# Words that name no topic: a query of evidence words and these alone asks for a list by evidence.
GENERIC_WORDS = frozenset(_WORDS["generic"]["words"])
# Ratings each intent favours, and by how much (a multiplier on the fused score).
INTENT_BOOST = {
    "works": {"effective": 1.6, "promising": 1.3, "mixed": 1.05},
    "fails": {"harmful": 1.6, "no-effect": 1.6, "mixed": 1.2},
}


class QueryError(ParameterError):
    """A query parameter (mode, page, ...) is not allowed."""


@dataclass
class QueryPlan:
    text: str  # the query as searched (cut to MAX_QUERY_CHARS)
    topic: str  # its words about the topic, evidence phrases taken out
    intent: str | None = None  # "works" or "fails"
    notices: list[str] = field(default_factory=list)
    suggested_filters: list[dict] = field(default_factory=list)
    did_you_mean: str | None = None
    english: bool = True  # most of its words are words of the English text

    @property
    def searchable(self) -> bool:
        return any(w not in STOPWORDS for w in words(self.topic))

    @property
    def only_evidence(self) -> bool:
        """The query asks what works (or failed) without naming a topic: list by evidence."""
        return bool(self.intent) and all(w in STOPWORDS or w in GENERIC_WORDS for w in words(self.topic))


def truncate(query: str) -> tuple[str, str | None]:
    query = " ".join((query or "").split())
    if len(query) <= MAX_QUERY_CHARS:
        return query, None
    cut = query[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    return cut, Notice("truncated", length=len(query), kept=len(cut))


def _phrase_pattern(phrases: list[str]) -> re.Pattern:
    ordered = sorted(phrases, key=len, reverse=True)  # longest first: "didn't work" before "work"
    return re.compile(r"(?<![a-z0-9'])(" + "|".join(re.escape(p) for p in ordered) + r")(?![a-z0-9'])")


_INTENT_PATTERNS = {intent: _phrase_pattern(phrases) for intent, phrases in EVIDENCE_PHRASES.items()}


def evidence_intent(text: str) -> tuple[str | None, str]:
    """('works' | 'fails' | None, the text without its evidence phrases). Failure wins when both appear."""
    folded = " ".join(words(text))
    for intent in ("fails", "works"):
        if _INTENT_PATTERNS[intent].search(folded):
            rest = _INTENT_PATTERNS["works"].sub(" ", _INTENT_PATTERNS["fails"].sub(" ", folded))
            return intent, " ".join(rest.split())
    return None, text


def place_filters(text: str, countries: dict[str, str], cities: dict[str, str]) -> list[dict]:
    """Regions, countries and cities the query names, as filters the reader may apply."""
    folded = f" {' '.join(words(text))} "
    found: list[dict] = []

    def add(name, value, label):
        if not any(f["filter"] == name and f["value"] == value for f in found):
            found.append({"filter": name, "value": value, "label": label})

    for region, names in REGION_WORDS.items():
        if any(f" {fold(n)} " in folded for n in names):
            add("region", region, vocab.REGIONS[region].label)
    for code, name in countries.items():
        if f" {' '.join(words(name))} " in folded:
            add("country", code, name)
    for slug, name in cities.items():
        if len(name) > 3 and f" {' '.join(words(name))} " in folded:
            add("city", slug, name)
    return found


def _candidates(vocabulary: dict[str, int], word: str) -> list[str]:
    return [w for w in vocabulary if abs(len(w) - len(word)) <= 2 and (w[0] == word[0] or w[1:3] == word[1:3])]


def did_you_mean(text: str, vocabulary: dict[str, int], known=lambda word: False) -> str | None:
    """The query with each word the corpus does not know replaced by its closest frequent word, if any changed."""
    if not vocabulary:
        return None
    changed, out = False, []
    for word in words(text):
        if len(word) < 4 or word in STOPWORDS or word in vocabulary or word.isdigit() or known(word):
            out.append(word)
            continue
        close = close_matches(word, _candidates(vocabulary, word), n=3, cutoff=0.75)
        if close:
            best = max(close, key=lambda w: vocabulary[w])
            out.append(best)
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


ENGLISH_SHARE = 0.6


def looks_english(text: str, english_words: set[str]) -> bool:
    """True when most content words are words of the corpus's English text (stopwords count for no language)."""
    content = [w for w in words(text) if w not in STOPWORDS and len(w) > 2]
    if not content or not english_words:
        return True
    return sum(w in english_words for w in content) / len(content) >= ENGLISH_SHARE


def plan(
    query: str,
    countries: dict[str, str],
    cities: dict[str, str],
    vocabulary: dict[str, int],
    known=lambda word: False,
    english_words: set[str] = frozenset(),
) -> QueryPlan:
    """Everything the engine needs to know about a query before it searches."""
    text, notice = truncate(query)
    intent, topic = evidence_intent(text)
    result = QueryPlan(text=text, topic=topic, intent=intent, notices=[notice] if notice else [])
    result.suggested_filters = place_filters(text, countries, cities)
    result.did_you_mean = did_you_mean(topic, vocabulary, known)
    result.english = looks_english(topic, english_words)
    return result


def check_options(mode: str, fusion_method: str, sort: str, page: int, per_page: int) -> None:
    """Refuse a mode, fusion, sort or page the engine does not offer, naming the parameter."""
    if mode not in MODES:
        raise QueryError("mode", f"unknown mode '{mode}'; allowed: {', '.join(MODES)}")
    if fusion_method not in FUSIONS:
        raise QueryError("fusion", f"unknown fusion '{fusion_method}'; allowed: {', '.join(FUSIONS)}")
    if sort not in SORTS:
        raise QueryError("sort", f"unknown sort '{sort}'; allowed: {', '.join(SORTS)}")
    if page < 1:
        raise QueryError("page", "must be 1 or more")
    if not PER_PAGE[0] <= per_page <= PER_PAGE[1]:
        raise QueryError("per_page", f"must be between {PER_PAGE[0]} and {PER_PAGE[1]}")
