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

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SOURCE_PATH = Path(__file__).parent / "data" / "guidelines.txt"
SOURCE_CITATION = (
    'UN-Habitat Assembly, first session, Nairobi, 27-31 May 2019. "Draft United Nations '
    'system-wide guidelines on safer cities and human settlements", report of the '
    "Executive Director, 26 February 2019."
)

CHAPTERS = ["I", "II", "III", "IV", "V", "VI", "VII", "annex"]
ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
FOOTNOTE_MARKS = {"¹": "1", "²": "2", "³": "3"}

_CHAPTER = re.compile(r"^(I|II|III|IV|V|VI|VII)\. (.+)$")
_SECTION = re.compile(r"^([A-M])\. (.+)$")
_NUMBERED = re.compile(r"^(\d{1,2})\. (.+)$")
_ITEM = re.compile(r"^\(([a-z]+)\) (.+)$")
_FOOTNOTE = re.compile(r"^([¹²³*])\s*(.+)$")


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
        parts = [section.source_text] + [
            self.sections[d].source_text for d in self.descendants(section_id)
        ]
        return "\n\n".join(parts)

    def principles(self) -> list[Section]:
        return self.children("IV")

    def suggest(self, section_id: str, n: int = 3) -> list[str]:
        import difflib

        return difflib.get_close_matches(section_id, list(self.sections), n=n, cutoff=0.6)


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _blocks(lines: list[str]) -> list[tuple[int, str]]:
    """Split lines into (line number, text) blocks separated by blank lines."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            # List items and glossary rows sit on consecutive lines: each is a block of its own.
            if current and (re.match(r"^(-\s|\([a-z]+\)\s)", line.strip()) or "\t" in line):
                blocks.append((start, " ".join(current)))
                current = []
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, " ".join(current)))
            current = []
    if current:
        blocks.append((start, " ".join(current)))
    return blocks


def _clean(text: str) -> str:
    """Drop the list dashes and stray bold markers the PDF conversion left."""
    text = re.sub(r"^-\s+", "", text.strip())
    return re.sub(r"\*\*$", "", text).strip()


def _ends_open(text: str) -> bool:
    """True when a block introduces a list: ends with a colon or is a bare heading."""
    text = text.rstrip()
    return text.endswith(":") or not text.endswith((".", ";", ",", ":"))


def _first_words(text: str, n: int = 12) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" ..." if len(words) > n else "")


def parse(text: str) -> GuidelineDocument:
    """Parse the guideline text into sections; raise GuidelineParseError on surprises."""
    lines = text.splitlines()
    try:
        body_start = next(i for i, line in enumerate(lines) if line.strip() == "I. Introduction")
    except StopIteration:
        raise GuidelineParseError("no 'I. Introduction' heading: is this the guideline text?")
    cover = "\n".join(line for line in lines[:body_start] if line.strip())

    footnotes: dict[str, str] = {}
    blocks: list[tuple[int, str]] = []
    for line_no, raw in _blocks(lines[body_start:]):
        line_no += body_start
        block = _clean(raw)
        note = _FOOTNOTE.match(block)
        if note and (note.group(1) != "*" or block.startswith("* HSP")):
            key = FOOTNOTE_MARKS.get(note.group(1), note.group(1))
            footnotes[key] = note.group(2)
            continue
        # A block that starts in lower case continues the one before a page break.
        if blocks and block[:1].islower():
            prev_no, prev = blocks[-1]
            blocks[-1] = (prev_no, prev + " " + block)
            continue
        blocks.append((line_no, block))

    sections: dict[str, Section] = {}
    order = 0

    def add(sid, kind, heading, body, source, parent):
        nonlocal order
        if sid in sections:
            raise GuidelineParseError(f"duplicate section id {sid!r}")
        order += 1
        marks = [FOOTNOTE_MARKS[m] for m in FOOTNOTE_MARKS if m in source]
        section = Section(sid, kind, heading, body, source, parent, order, footnotes=marks)
        sections[sid] = section
        if parent:
            sections[parent].children.append(sid)
        return section

    chapter = lettered = subsection = None
    next_paragraph = 1
    levels: list[dict] = []  # open item lists: {"parent", "kind", "last"}
    last = None  # the last paragraph or item, which a following list may belong to
    pending_term: tuple[int, str] | None = None

    for line_no, block in blocks:
        where = f"guidelines line {line_no}"
        if chapter == "annex":
            if block == "Glossary of terms":
                sections["annex"].heading = "Annex: glossary of terms"
                sections["annex"].source_text += "\n\n" + block
                continue
            if "\t" in block:
                term, definition = (p.strip() for p in block.split("\t", 1))
            elif pending_term is None and len(block) < 40 and not block.endswith("."):
                pending_term = (line_no, block)
                continue
            elif pending_term is not None:
                term, definition = pending_term[1], block
                pending_term = None
            else:
                raise GuidelineParseError(f"{where}: glossary line without a term: {block[:60]!r}")
            add(f"annex.{_slug(term)}", "term", term, definition, f"{term} {definition}", "annex")
            continue

        if block == "Annex":
            chapter, lettered, subsection, levels, last = "annex", None, None, [], None
            add("annex", "chapter", "Annex", "", block, None)
            continue

        match = _CHAPTER.match(block)
        # "I. Knowledge-based approaches" is principle IV.I, not chapter I: chapters come in order.
        if match and match.group(1) == CHAPTERS[len([c for c in sections.values() if c.kind == "chapter"])]:
            chapter, lettered, subsection, levels, last = match.group(1), None, None, [], None
            add(chapter, "chapter", match.group(2), "", block, None)
            continue

        match = _SECTION.match(block)
        if match and chapter in ("IV", "V", "VI"):
            lettered = f"{chapter}.{match.group(1)}"
            subsection, levels, last = None, [], None
            add(lettered, "section", match.group(2), "", block, chapter)
            continue

        match = _NUMBERED.match(block)
        if match and int(match.group(1)) == next_paragraph:
            number = match.group(1)
            next_paragraph += 1
            parent = subsection or lettered or chapter
            last = add(number, "paragraph", _first_words(match.group(2)), match.group(2), block, parent)
            levels = []
            continue
        if match and lettered == "V.B" and len(match.group(2).split()) <= 3:
            subsection = f"V.B.{match.group(1)}"
            levels, last = [], None
            add(subsection, "subsection", match.group(2), "", block, lettered)
            continue

        match = _ITEM.match(block)
        if match and last is not None:
            token, body = match.group(1), match.group(2)
            level = None
            if token in ("a", "i") and _ends_open(last.text):
                level = {"parent": last.id, "kind": "letter" if token == "a" else "roman", "last": None}
                levels.append(level)
            else:
                for depth in range(len(levels) - 1, -1, -1):
                    candidate = levels[depth]
                    sequence = LETTERS if candidate["kind"] == "letter" else ROMANS
                    if candidate["kind"] != "bullet" and sequence.index(candidate["last"]) + 1 < len(sequence) \
                            and sequence[sequence.index(candidate["last"]) + 1] == token:
                        level = candidate
                        del levels[depth + 1:]
                        break
            if level is None:
                raise GuidelineParseError(f"{where}: item ({token}) does not continue any open list")
            level["last"] = token
            heading = body if not body.rstrip().endswith((".", ";", ",", ":")) else _first_words(body)
            last = add(f"{level['parent']}.{token}", "item", heading, body, block, level["parent"])
            continue

        # An unlettered line after a list opener is a bullet (¶28(a)(vi) lists four groups).
        if last is not None and (_ends_open(last.text) or (levels and levels[-1]["kind"] == "bullet")):
            if not (levels and levels[-1]["kind"] == "bullet"):
                levels.append({"parent": last.id, "kind": "bullet", "last": 0})
            level = levels[-1]
            level["last"] += 1
            add(f"{level['parent']}.{level['last']}", "bullet", block.rstrip(";,. "), block, block, level["parent"])
            continue

        raise GuidelineParseError(f"{where}: cannot place this block: {block[:60]!r}")

    if next_paragraph != 33:
        raise GuidelineParseError(f"expected paragraphs 1-32, found 1-{next_paragraph - 1}")
    return GuidelineDocument(sections, footnotes, cover)


@lru_cache(maxsize=1)
def load(path: Path = SOURCE_PATH) -> GuidelineDocument:
    """Parse the bundled guideline text once per process."""
    return parse(Path(path).read_text(encoding="utf-8"))
