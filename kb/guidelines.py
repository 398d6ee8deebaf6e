"""The guideline document as addressable sections with stable ids.

Source: UN-Habitat Assembly, first session (Nairobi, 27-31 May 2019), "Draft United
Nations system-wide guidelines on safer cities and human settlements", report of the
Executive Director, HSP/HA/1/4, 26 February 2019. The text ships in kb/data/guidelines.txt.

Ids follow the document's own numbering: chapters (``IV``), lettered sections
(``IV.C``, ``V.B``), the two subsections of V.B (``V.B.1``), paragraphs (``25``) and
their lettered or roman sub-items at every depth (``25.a.d.ii``, ``26.c.a.g``),
the unlettered bullets of ¶28(a)(vi) (``28.a.vi.1``) and glossary terms
(``annex.ciclovia``). The lettering is nested and irregular, so the depth of an
item is worked out from the sequence, not from indentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kb.words import close_matches

SOURCE_PATH = Path(__file__).parent / "data" / "guidelines.txt"
SOURCE_CITATION = (
    'UN-Habitat Assembly, first session, Nairobi, 27-31 May 2019. "Draft United Nations '
    'system-wide guidelines on safer cities and human settlements", report of the '
    "Executive Director, 26 February 2019."
)


class GuidelineParseError(ValueError):
    """The source text does not have the structure the parser expects."""


@dataclass
class Section:
    id: str
    kind: str  # chapter | section | subsection | paragraph | item | bullet | term
    heading: str
    text: str
    source_text: str
    parent: str | None
    order: int
    children: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How the section is cited in prose: ¶25(a)(d)(ii), principle IV.C, chapter V."""
        if self.kind == "chapter":
            return "Annex" if self.id == "annex" else f"Chapter {self.id}"
        if self.kind in ("section", "subsection"):
            return self.id
        if self.kind == "term":
            return f"Glossary: {self.heading}"
        number, *rest = self.id.split(".")
        return "¶" + number + "".join(f"({part})" for part in rest)

    @property
    def depth(self) -> int:
        return self.id.count(".")


@dataclass
class GuidelineDocument:
    sections: dict[str, Section]
    footnotes: dict[str, str]
    cover: str

    def __getitem__(self, section_id: str) -> Section:
        return self.sections[section_id]

    def __contains__(self, section_id: object) -> bool:
        return section_id in self.sections

    def in_order(self) -> list[Section]:
        return sorted(self.sections.values(), key=lambda s: s.order)

    def children(self, section_id: str) -> list[Section]:
        return [self.sections[c] for c in self.sections[section_id].children]

    def ancestors(self, section_id: str) -> list[Section]:
        """Return the chain from the chapter down to the section's parent."""
        chain = []
        parent = self.sections[section_id].parent
        while parent:
            chain.append(self.sections[parent])
            parent = self.sections[parent].parent
        return list(reversed(chain))

    def descendants(self, section_id: str) -> list[str]:
        """Return the ids of every section below this one, in document order."""
        found = []
        for child in self.sections[section_id].children:
            found.append(child)
            found.extend(self.descendants(child))
        return found

    def full_text(self, section_id: str) -> str:
        """Return the section's own text followed by all of its descendants' text."""
        section = self.sections[section_id]
        parts = [section.source_text] + [self.sections[d].source_text for d in self.descendants(section_id)]
        return "\n\n".join(parts)

    def principles(self) -> list[Section]:
        return self.children("IV")

    def suggest(self, section_id: str, n: int = 3) -> list[str]:
        return close_matches(section_id, self.sections, n=n)


@lru_cache(maxsize=1)
def load(path: Path = SOURCE_PATH) -> GuidelineDocument:
    """Parse the bundled guideline text once per process."""
    from kb.guideline_parser import parse

    return parse(Path(path).read_text(encoding="utf-8"))
