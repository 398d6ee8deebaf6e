"""What the inventory covers: counts by facet, and the coverage matrix the inventory must fill.

The matrix says, for each region, principle, lever of ¶26, process item of ¶25 and group
of ¶28(a), how many practices link it, and which cells are still empty. Pure functions
over loaded practices and the guideline document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kb import vocab
from kb.guidelines import GuidelineDocument
from kb.loader import Practice

CAUTIONARY = ("mixed", "no-effect", "harmful")


@dataclass(frozen=True)
class Cell:
    group: str
    key: str
    label: str
    required: int
    practice_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.practice_ids)

    @property
    def met(self) -> bool:
        return self.count >= self.required


def linked(practices: list[Practice], doc: GuidelineDocument, section_ids: list[str]) -> tuple[str, ...]:
    """Ids of practices that link any of the sections or anything below them."""
    wanted = set()
    for sid in section_ids:
        wanted.add(sid)
        wanted.update(doc.descendants(sid))
    return tuple(p.id for p in practices if wanted & set(p.meta.get("guideline_refs") or []))


def requirements(doc: GuidelineDocument) -> list[tuple[str, str, str, list[str], int]]:
    """(group, key, label, guideline ids, minimum) for every guideline cell of the matrix."""
    rows = []
    for principle in doc.principles():
        rows.append(("principles", principle.id, principle.heading, [principle.id, *principle.children], 2))
    levers = ["26.a", "26.b.i", "26.b.ii", "26.b.iii", "26.b.iv"]
    levers += doc["26.c.a"].children
    levers += ["26.c.b.e", "26.c.b.f", "26.c.b.g", "26.c.b.i"]
    levers += doc["26.c.c"].children
    for sid in levers:
        rows.append(("levers (¶26)", sid, doc[sid].heading, [sid], 1))
    process = [
        ("25.a.d", "city-wide safety audits and diagnoses", ["25.a.d"]),
        ("25.a.d.ii", "geo-referenced crime analysis", ["25.a.d.ii"]),
        ("25.a.d.iv", "victimization and perception surveys", ["25.a.d.iv"]),
        ("25.a.d.vii", "monitoring frameworks", ["25.a.d.vii", "25.c.b", "25.d.c.ii"]),
        ("25.b.b", "city-to-city learning", ["25.b.b", "30"]),
        ("25.b.a", "training curricula for practitioners", ["25.b.a", "25.d.c.iv"]),
    ]
    for key, label, ids in process:
        rows.append(("process (¶25)", key, label, ids, 1))
    groups = [("28.a.i", "women"), ("28.a.ii", "children and youth"), ("28.a.iii", "persons with disabilities"),
              ("28.a.iv", "indigenous peoples"), ("28.a.v", "migrants and refugees"), ("28.a.vi", "older persons")]
    for sid, label in groups:
        rows.append(("groups (¶28(a))", sid, label, [sid], 1))
    return rows


def matrix(practices: list[Practice], doc: GuidelineDocument) -> list[Cell]:
    """Every cell of the coverage matrix with the practices that fill it."""
    cells = []
    for region in vocab.REGIONS.values():
        ids = tuple(p.id for p in practices if p.meta.get("region") == region.id)
        cells.append(Cell("regions", region.id, region.label, 8, ids))
    for group, key, label, section_ids, minimum in requirements(doc):
        ids = linked(practices, doc, section_ids)
        if key == "28.a.vi":  # older persons are named only in the first bullet of ¶28(a)(vi)
            older = {p.id for p in practices if "older-persons" in (p.meta.get("target_groups") or [])}
            ids = tuple(p.id for p in practices if p.id in older or p.id in linked(practices, doc, ["28.a.vi.1"]))
        cells.append(Cell(group, key, label, minimum, ids))
    for term in vocab.PREVENTION.values():
        ids = tuple(p.id for p in practices if term.id in (p.meta.get("prevention") or []))
        cells.append(Cell("prevention types (¶26(a)-(b))", term.id, term.label, 1, ids))
    cautionary = tuple(p.id for p in practices if p.rating in CAUTIONARY)
    cells.append(Cell("evidence", "cautionary", "mixed, no-effect or harmful evidence (do no harm)", 8, cautionary))
    return cells


def counts(practices: list[Practice]) -> dict[str, Counter]:
    """Counts of practices by region, theme, evidence rating and target group."""
    return {
        "region": Counter(p.meta.get("region") for p in practices),
        "theme": Counter(t for p in practices for t in p.meta.get("themes") or []),
        "rating": Counter(p.rating for p in practices),
        "target_group": Counter(t for p in practices for t in p.meta.get("target_groups") or []),
    }


def unlinked_levers(practices: list[Practice], doc: GuidelineDocument) -> list[str]:
    """Sub-items of ¶25 and ¶26 that no practice links yet: where the inventory has gaps."""
    refs = {r for p in practices for r in p.meta.get("guideline_refs") or []}
    gaps = []
    for root in ("25", "26"):
        for sid in doc.descendants(root):
            if not doc[sid].children and not (refs & {sid, *doc.descendants(sid)}):
                gaps.append(sid)
    return gaps
