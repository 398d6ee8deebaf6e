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
MIN_PRACTICES, MIN_PER_REGION, MIN_CAUTIONARY_SHARE, MIN_COST_SHARE = 200, 25, 0.15, 0.5
# Programmes that evidence registries rate, each at its original site or best-evaluated city (issue 12).
REGISTRY_PROGRAMMES = {
    "Nurse-Family Partnership": ["elmira-nurse-family-partnership", "england-family-nurse-partnership"],
    "Multisystemic Therapy": ["columbia-missouri-multisystemic-therapy", "london-multisystemic-therapy"],
    "CCTV in public places": [
        "glasgow-citywatch-cctv",
        "chicago-police-surveillance-cameras",
        "lahore-punjab-safe-city-cctv",
    ],
    "CCTV on public transport": ["stockholm-subway-surveillance-cameras"],
    "Neighbourhood Watch": ["mollington-neighbourhood-watch", "cape-town-neighbourhood-watch-accreditation"],
    "problem-oriented policing": ["jersey-city-problem-oriented-policing-violent-places"],
    "alley gating": ["liverpool-alley-gating"],
    "Big Brothers Big Sisters mentoring": ["philadelphia-big-brothers-big-sisters-mentoring"],
    "gun buy-backs": ["seattle-gun-buyback"],
    "Communities That Care": ["pennsylvania-communities-that-care", "warrnambool-communities-that-care"],
    "restorative justice conferencing at its origin": [
        "wagga-wagga-police-restorative-conferencing",
        "london-restorative-justice-conferencing",
    ],
    "juvenile boot camps": ["cleveland-juvenile-boot-camp"],
    "drug courts": ["miami-dade-drug-court"],
    "Youth Inclusion Programme": ["newham-youth-inclusion-programme"],
    "hospital-based violence intervention": [
        "oakland-caught-in-the-crossfire",
        "glasgow-navigator-emergency-department",
    ],
}


def _with(field: str, *terms: str):
    return lambda p: any(t in (p.meta.get(field) or []) for t in terms)


def _both(first, second):
    return lambda p: first(p) and second(p)


# People and levers the guideline names, each to be covered by at least three practices squarely about it.
PEOPLE_AND_LEVERS = {
    "persons with disabilities (¶28(a)(iii))": _with("target_groups", "persons-with-disabilities"),
    "older persons (¶28(a)(vi))": _with("target_groups", "older-persons"),
    "migrants, refugees, displaced people (¶28(a)(v))": _with("target_groups", "migrants-and-refugees"),
    "indigenous peoples (¶28(a)(iv))": _with("target_groups", "indigenous-peoples"),
    "LGBTIQ people": _with("target_groups", "lgbtiq-people"),
    "early childhood, parenting, home visiting": _both(
        _with("themes", "early-intervention"), _with("target_groups", "children", "families")
    ),
    "mentoring": _with("themes", "mentoring"),
    "children and youth as partners (¶20)": _with("themes", "youth-participation"),
    "victim support and justice for survivors of gender-based violence": _both(
        _with("themes", "victim-support"), _with("themes", "gender-based-violence", "women-safety")
    ),
    "road safety and transport planning (¶26(c)(a)(h))": _with("themes", "road-safety"),
    "housing, social mix, alternatives to gated enclaves (¶5)": _with("themes", "housing-social-mix"),
    "markets and informal traders": _with("target_groups", "street-traders"),
    "schools": _with("themes", "school-based-prevention"),
    "online harassment and cybercrime": _with("themes", "online-safety"),
    "night-time economy": _with("themes", "night-time-economy"),
}


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
    groups = [
        ("28.a.i", "women"),
        ("28.a.ii", "children and youth"),
        ("28.a.iii", "persons with disabilities"),
        ("28.a.iv", "indigenous peoples"),
        ("28.a.v", "migrants and refugees"),
        ("28.a.vi", "older persons"),
    ]
    for sid, label in groups:
        rows.append(("groups (¶28(a))", sid, label, [sid], 1))
    return rows


def has_cost_figure(practice: Practice) -> bool:
    from kb.citations import has_cost_figure as cited_figure

    return cited_figure(practice.meta.get("cost"))


def _ids(practices: list[Practice], keep) -> tuple[str, ...]:
    return tuple(p.id for p in practices if keep(p))


def _inventory_cells(practices: list[Practice]) -> list[Cell]:
    present = {p.id for p in practices}
    cells = [Cell("inventory", "practices", "documented practices", MIN_PRACTICES, tuple(sorted(present)))]
    cells += [
        Cell("regions", r.id, r.label, MIN_PER_REGION, _ids(practices, lambda p, r=r: p.meta.get("region") == r.id))
        for r in vocab.REGIONS.values()
    ]
    cells += [
        Cell("registry-rated programmes", name, name, 1, tuple(i for i in ids if i in present))
        for name, ids in REGISTRY_PROGRAMMES.items()
    ]
    cells += [
        Cell("people and levers", label, label, 3, _ids(practices, about)) for label, about in PEOPLE_AND_LEVERS.items()
    ]
    return cells


def _guideline_cells(practices: list[Practice], doc: GuidelineDocument) -> list[Cell]:
    cells = []
    for group, key, label, section_ids, minimum in requirements(doc):
        ids = linked(practices, doc, section_ids)
        if key == "28.a.vi":  # older persons are named only in the first bullet of ¶28(a)(vi)
            bullet = set(linked(practices, doc, ["28.a.vi.1"]))
            ids = _ids(
                practices,
                lambda p, bullet=bullet: p.id in bullet or "older-persons" in (p.meta.get("target_groups") or []),
            )
        cells.append(Cell(group, key, label, minimum, ids))
    cells += [
        Cell(
            "prevention types (¶26(a)-(b))",
            t.id,
            t.label,
            1,
            _ids(practices, lambda p, t=t: t.id in (p.meta.get("prevention") or [])),
        )
        for t in vocab.PREVENTION.values()
    ]
    return cells


def _evidence_cells(practices: list[Practice]) -> list[Cell]:
    return [
        Cell(
            "evidence",
            "cautionary",
            f"mixed, no-effect or harmful evidence (do no harm), {MIN_CAUTIONARY_SHARE:.0%} of all",
            _share(MIN_CAUTIONARY_SHARE, practices),
            _ids(practices, lambda p: p.rating in CAUTIONARY),
        ),
        Cell(
            "evidence",
            "cost-stated",
            "cost stated, or said to be unpublished",
            len(practices),
            _ids(practices, lambda p: bool(p.meta.get("cost"))),
        ),
        Cell(
            "evidence",
            "registries",
            "how evidence registries rate it, where they do",
            10,
            _ids(practices, lambda p: bool(p.evidence.get("registries"))),
        ),
    ]


def matrix(practices: list[Practice], doc: GuidelineDocument) -> list[Cell]:
    """Every cell of the coverage matrix with the practices that fill it."""
    return _inventory_cells(practices) + _guideline_cells(practices, doc) + _evidence_cells(practices)


def targets(practices: list[Practice]) -> list[Cell]:
    """Goals the inventory works towards that do not fail `kb coverage` while short (they are reported)."""
    costed = tuple(p.id for p in practices if has_cost_figure(p))
    return [
        Cell(
            "targets",
            "cost",
            f"a cited cost figure on {MIN_COST_SHARE:.0%} of entries",
            _share(MIN_COST_SHARE, practices),
            costed,
        )
    ]


def _share(share: float, practices: list[Practice]) -> int:
    return max(1, -(-int(share * 1000) * len(practices) // 1000))


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


def translation_coverage(practices: list[Practice]) -> dict[str, int]:
    """How many entries have their title, summary and cost in each language."""
    from kb.languages import TRANSLATED_FIELDS, TRANSLATED_LANGUAGES

    counted = {}
    for lang in TRANSLATED_LANGUAGES:
        counted[lang] = sum(
            1
            for p in practices
            if all(((p.meta.get("translations") or {}).get(lang) or {}).get(f) for f in TRANSLATED_FIELDS)
        )
    return counted
