"""The domain thesaurus: concepts with their words in four languages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from search.text import fold, words

THESAURUS_PATH = Path(__file__).parent / "data" / "thesaurus.yaml"
LANGUAGES = ("en", "es", "fr", "pt")


@dataclass(frozen=True)
class Concept:
    id: str
    facet: str | None
    terms: dict[str, tuple[str, ...]]

    @property
    def all_terms(self) -> list[str]:
        return [t for lang in LANGUAGES for t in self.terms.get(lang, ())]

    def english(self, n: int = 4) -> list[str]:
        return list(self.terms.get("en", ())[:n])


@dataclass(frozen=True)
class Match:
    concept: Concept
    phrase: str  # the words of the query that matched


class Thesaurus:
    def __init__(self, concepts: list[Concept]):
        self.concepts = {c.id: c for c in concepts}
        # phrase (as a tuple of folded words) -> concepts; longest phrases are tried first
        self._phrases: dict[tuple[str, ...], list[Concept]] = {}
        for concept in concepts:
            for term in concept.all_terms:
                key = tuple(words(term))
                if key and concept not in self._phrases.setdefault(key, []):
                    self._phrases[key].append(concept)
        self._longest = max((len(k) for k in self._phrases), default=1)
        self._english = {c.id: {tuple(words(t)) for t in c.terms.get("en", ())} for c in concepts}

    def match(self, text: str, english: bool = False) -> list[Match]:
        """Concepts whose words or phrases occur in the text, longest first (English text: single words as English)."""
        tokens = words(text)
        found: dict[str, Match] = {}
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + size])
                concepts = self._phrases.get(key, [])
                if english and size == 1:  # a French "places" (squares) is an ordinary English word
                    concepts = [c for c in concepts if key in self._english[c.id]]
                if concepts:
                    for concept in concepts:
                        found.setdefault(concept.id, Match(concept, " ".join(key)))
                    i += size - 1
                    break
            i += 1
        return list(found.values())

    def expansions(
        self, text: str, per_concept: int = 4, known: Callable[[str], bool] | None = None, english: bool = False
    ) -> list[str]:
        """English terms of matched concepts that are not already in the text.

        With known(word) (does the corpus hold this word?), expansions translate rather than
        broaden: a concept matched by English words the corpus already holds adds nothing, since
        its synonyms pulled English queries away from what was asked (kb eval, both query sets).
        """
        present = set(fold(text).split())
        extra: list[str] = []
        for match in self.match(text, english):
            key = tuple(match.phrase.split())
            if known is not None and key in self._english[match.concept.id] and all(map(known, key)):
                continue
            for term in match.concept.english(per_concept):
                if term not in present and term not in extra:
                    extra.append(term)
        return extra

    def same_language(self, text: str) -> list[str]:
        """For words matched in Spanish, French or Portuguese, the concept's other words in that language
        ('iluminación' also searches 'alumbrado público'), for the multilingual leg."""
        extra: list[str] = []
        for match in self.match(text):
            key = tuple(match.phrase.split())
            for lang in LANGUAGES[1:]:
                terms = match.concept.terms.get(lang, ())
                if any(tuple(words(t)) == key for t in terms):
                    extra += [t for t in terms if t not in extra and tuple(words(t)) != key]
        return extra

    def facets(self, text: str, english: bool = False) -> dict[str, list[str]]:
        """Facet terms the text mentions, e.g. {'theme': ['public-transport']}."""
        result: dict[str, list[str]] = {}
        for match in self.match(text, english):
            if match.concept.facet:
                result.setdefault(match.concept.facet, []).append(match.concept.id)
        return result

    def documents(self) -> list[str]:
        """One pseudo-document per concept, all languages together, for the domain model."""
        return [" ".join(c.all_terms) for c in self.concepts.values()]


def parse(data: dict) -> Thesaurus:
    concepts = []
    for concept_id, entry in data.items():
        terms = {lang: tuple(entry.get(lang) or ()) for lang in LANGUAGES}
        concepts.append(Concept(concept_id, entry.get("facet"), terms))
    return Thesaurus(concepts)


@lru_cache(maxsize=1)
def load(path: Path = THESAURUS_PATH) -> Thesaurus:
    return parse(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
