"""Small text helpers shared across the project: one slug, one way to suggest what someone meant."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable


def slugify(text: str) -> str:
    """'Medellín' -> 'medellin': ASCII lowercase words joined by hyphens."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def close_matches(value, choices: Iterable, n: int = 1, cutoff: float = 0.6) -> list[str]:
    return difflib.get_close_matches(str(value), [str(c) for c in choices], n=n, cutoff=cutoff)


def did_you_mean(value, choices: Iterable) -> str:
    """' (did you mean 'x'?)' when one choice is close to value, else ''."""
    close = close_matches(value, choices)
    return f" (did you mean '{close[0]}'?)" if close else ""
