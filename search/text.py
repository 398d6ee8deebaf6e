"""Text normalisation shared by the thesaurus, the lexical leg and the domain model."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Words too common to carry meaning in any of the four languages.
STOPWORDS = frozenset(
    """
a an and are as at be but by for from has have how in into is it its of on or that the their them they this
to was we were what when where which who will with our us do does did can could should would not no than
then there these those also more most other such about over after before between during against out up
el la los las un una unos unas y o de del al en por para con sin que como se su sus es son lo le les
le la les un une des et ou du de au aux en par pour avec sans que qui comme se sa son ses est sont dans sur
o a os as um uma uns umas e ou do da dos das no na nos nas em por para com sem que como se seu sua seus suas
é são ao aos pelo pela
""".split()
)


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Transporte Público' matches 'transporte publico'."""
    if text.isascii():  # most passages: nothing to strip
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded word tokens, keeping stopwords (phrases need them)."""
    return WORD.findall(fold(text).replace("’", "'"))


_ENDINGS = ("ations", "ation", "ments", "ment", "ings", "ing", "ed")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A deliberately light stemmer (plurals and a few endings), enough to merge 'buses' and 'bus'."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith(("ses", "xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word
