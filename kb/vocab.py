"""Controlled vocabularies of the practice schema.

The terms themselves live in kb/data/vocabulary.toml, so editors change a
label or add a theme without touching code. Every term has a label and a
one-line definition; themes also name the guideline sections they come from,
so a theme can be read back to the text that asks for it. Entries that use a
term outside these lists are rejected.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    definition: str
    guideline_refs: tuple[str, ...] = field(default=())


def _load(path: Path) -> dict[str, dict[str, Term]]:
    with path.open("rb") as file:
        tables = tomllib.load(file)
    return {
        name: {row["id"]: Term(row["id"], row["label"], row["definition"], tuple(row.get("refs", ()))) for row in rows}
        for name, rows in tables.items()
    }


_VOCABULARIES = _load(Path(__file__).parent / "data" / "vocabulary.toml")

REGIONS = _VOCABULARIES["regions"]
SCALES = _VOCABULARIES["scales"]
PREVENTION = _VOCABULARIES["prevention"]
LEVELS = _VOCABULARIES["levels"]
THEMES = _VOCABULARIES["themes"]
TARGET_GROUPS = _VOCABULARIES["target_groups"]
EVIDENCE_RATINGS = _VOCABULARIES["evidence_ratings"]
EVIDENCE_DESIGNS = _VOCABULARIES["evidence_designs"]
OUTCOME_DIRECTIONS = _VOCABULARIES["outcome_directions"]
REGISTRIES = _VOCABULARIES["registries"]
COST_BANDS = _VOCABULARIES["cost_bands"]

# The front-matter fields whose values must come from a vocabulary.
VOCABULARIES: dict[str, dict[str, Term]] = {
    "region": REGIONS,
    "scale": SCALES,
    "prevention": PREVENTION,
    "levels": LEVELS,
    "themes": THEMES,
    "target_groups": TARGET_GROUPS,
    "evidence.rating": EVIDENCE_RATINGS,
    "evidence.design": EVIDENCE_DESIGNS,
    "outcome.direction": OUTCOME_DIRECTIONS,
    "outcome.rating": EVIDENCE_RATINGS,
    "cost_band": COST_BANDS,
    "evidence.registries.registry": REGISTRIES,
}

# Facets exposed for filtering and counting, in display order.
FACETS = {
    "region": REGIONS,
    "theme": THEMES,
    "target_group": TARGET_GROUPS,
    "prevention": PREVENTION,
    "rating": EVIDENCE_RATINGS,
}

BODY_SECTIONS = (
    "Problem",
    "What was done",
    "How it works",
    "Implementation",
    "Results and evidence",
    "Lessons learned",
    "Transferability",
)


def label(vocabulary: dict[str, Term], term_id: str) -> str:
    """Return the label of a term, or the id itself when it is unknown."""
    term = vocabulary.get(term_id)
    return term.label if term else term_id
