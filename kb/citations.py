"""Inline citations: `[2]` or `[1, 3]` in an entry's text point to its numbered sources.

Pure functions over text, shared by the validator (which checks them) and the site (which
turns them into links).
"""

from __future__ import annotations

import re

# [2], [1, 3], [1-3]; not a markdown link's text ([label](url)) or a footnote definition.
CITATION = re.compile(r"\[(\d{1,2}(?:\s*(?:,|-|–)\s*\d{1,2})*)\](?![(:])")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”)]*\s+(?=[A-Z\"“(¶])")
_ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|et al|U\.S|U\.K|St|Dr|No|vs|approx|c|cf|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mr|Mrs|Ms|Prof)\.$"
)
_DIGIT = re.compile(r"\d")
NO_COST_FIGURE = "No cost figure is published"


def numbers(group: str) -> list[int]:
    """The source numbers one citation names: '1, 3' -> [1, 3]; '2-4' -> [2, 3, 4]."""
    found: list[int] = []
    for part in group.split(","):
        bounds = re.split(r"\s*[-–]\s*", part.strip())
        if len(bounds) == 2:
            start, end = int(bounds[0]), int(bounds[1])
            found.extend(range(start, end + 1) if start <= end else [start, end])
        else:
            found.append(int(bounds[0]))
    return found


def cited(text: str) -> list[int]:
    """Every source number cited in the text, in order of appearance."""
    return [n for match in CITATION.finditer(text or "") for n in numbers(match.group(1))]


def sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping common abbreviations ('e.g.', 'et al.') whole."""
    pieces = _SENTENCE_END.split(" ".join((text or "").split()))
    merged: list[str] = []
    for piece in pieces:
        if merged and _ABBREVIATIONS.search(merged[-1]):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return [s for s in merged if s.strip()]


def uncited_figures(text: str) -> list[str]:
    """Sentences that hold a figure (any digit outside a citation) but cite no source."""
    found = []
    for sentence in sentences(text):
        if CITATION.search(sentence):
            continue
        if _DIGIT.search(CITATION.sub("", sentence)):
            found.append(sentence)
    return found


def out_of_range(text: str, source_count: int) -> list[int]:
    """Cited source numbers that the entry does not have."""
    return sorted({n for n in cited(text) if not 1 <= n <= source_count})


def states_no_cost(cost: str | None) -> bool:
    """True when the cost line says plainly that no cost figure is published."""
    return bool(cost) and cost.strip().startswith(NO_COST_FIGURE)


def has_cost_figure(cost: str | None) -> bool:
    """True when the cost line holds a cited figure."""
    return bool(cost) and not states_no_cost(cost) and bool(_DIGIT.search(CITATION.sub("", cost))) and bool(cited(cost))
