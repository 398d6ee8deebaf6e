"""Snowball stemming (PyStemmer) for Spanish, French and Portuguese, so inflections meet.

'iluminación de calles' and 'iluminación de la calle' reduce to the same stems. The stems of
each language are kept apart by a prefix ('xes', 'xfr', 'xpt'), so a Spanish stem never
matches a French word that happens to share its letters, and they index into one FTS5 column.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from search.text import STOPWORDS, fold

LANGUAGES = {"es": "spanish", "fr": "french", "pt": "portuguese"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_stemmers: dict[str, Stemmer.Stemmer] = {}


def _stemmer(lang: str) -> Stemmer.Stemmer:
    if lang not in _stemmers:
        _stemmers[lang] = Stemmer.Stemmer(LANGUAGES[lang])
    return _stemmers[lang]


@lru_cache(maxsize=200_000)
def stem(lang: str, word: str) -> str:
    """The folded Snowball stem of a lower-case word in one language (the stemmers need the accents)."""
    return fold(_stemmer(lang).stemWord(word))


def content_words(text: str) -> list[str]:
    """Lower-case words with their accents, stopwords and one-letter words left out."""
    found = []
    for raw in _WORD.findall(text.lower().replace("’", "'")):
        if len(raw) > 1 and fold(raw) not in STOPWORDS:
            found.append(raw)
    return found


def tokens(text: str, lang: str) -> list[str]:
    """Index tokens for a text written in lang: prefixed stems."""
    return [f"x{lang}{stem(lang, w)}" for w in content_words(text)]


def query_tokens(text: str) -> list[str]:
    """A query's words stemmed as each of the three languages, since we do not know which it is."""
    found: list[str] = []
    for word in content_words(text):
        for lang in LANGUAGES:
            token = f"x{lang}{stem(lang, word)}"
            if token not in found:
                found.append(token)
    return found
