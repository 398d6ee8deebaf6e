"""Parsing the guideline text into sections, in steps: blocks and page breaks, footnotes, numbering, nesting.

The document's lettering is nested and irregular, so the depth of an item is worked out from
the sequence, not from indentation; tests/test_guidelines.py proves every word lands in exactly
one section, in order.
"""

from __future__ import annotations

import re

from kb.guidelines import GuidelineDocument, GuidelineParseError, Section
from kb.words import slugify

CHAPTERS = ["I", "II", "III", "IV", "V", "VI", "VII", "annex"]
ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
FOOTNOTE_MARKS = {"¹": "1", "²": "2", "³": "3"}

_CHAPTER = re.compile(r"^(I|II|III|IV|V|VI|VII)\. (.+)$")
_SECTION = re.compile(r"^([A-M])\. (.+)$")
_NUMBERED = re.compile(r"^(\d{1,2})\. (.+)$")
_ITEM = re.compile(r"^\(([a-z]+)\) (.+)$")
_FOOTNOTE = re.compile(r"^([¹²³*])\s*(.+)$")


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


def join_blocks(lines: list[str], first_line: int) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """Step 1: blocks of text, with page-break fragments re-joined and footnotes set apart."""
    footnotes: dict[str, str] = {}
    blocks: list[tuple[int, str]] = []
    for line_no, raw in _blocks(lines):
        line_no += first_line
        block = _clean(raw)
        note = _FOOTNOTE.match(block)
        if note and (note.group(1) != "*" or block.startswith("* HSP")):
            footnotes[FOOTNOTE_MARKS.get(note.group(1), note.group(1))] = note.group(2)
            continue
        if blocks and block[:1].islower():  # a block starting in lower case continues the one before a page break
            prev_no, prev = blocks[-1]
            blocks[-1] = (prev_no, prev + " " + block)
            continue
        blocks.append((line_no, block))
    return blocks, footnotes


class _Parser:
    """Steps 2 to 4: numbering (chapters, sections, paragraphs), nesting (items and bullets), the glossary."""

    def __init__(self, footnotes: dict[str, str]):
        self.sections: dict[str, Section] = {}
        self.footnotes = footnotes
        self.order = 0
        self.chapter = self.lettered = self.subsection = None
        self.next_paragraph = 1
        self.levels: list[dict] = []  # open item lists: {"parent", "kind", "last"}
        self.last: Section | None = None  # the last paragraph or item, which a following list may belong to
        self.pending_term: tuple[int, str] | None = None

    def add(self, sid, kind, heading, body, source, parent) -> Section:
        if sid in self.sections:
            raise GuidelineParseError(f"duplicate section id {sid!r}")
        self.order += 1
        marks = [FOOTNOTE_MARKS[m] for m in FOOTNOTE_MARKS if m in source]
        section = Section(sid, kind, heading, body, source, parent, self.order, footnotes=marks)
        self.sections[sid] = section
        if parent:
            self.sections[parent].children.append(sid)
        return section

    def block(self, line_no: int, block: str) -> None:
        where = f"guidelines line {line_no}"
        if self.chapter == "annex":
            return self.glossary(where, line_no, block)
        if self.heading(block) or self.item(where, block) or self.bullet(block):
            return None
        raise GuidelineParseError(f"{where}: cannot place this block: {block[:60]!r}")

    def glossary(self, where: str, line_no: int, block: str) -> None:
        if block == "Glossary of terms":
            self.sections["annex"].heading = "Annex: glossary of terms"
            self.sections["annex"].source_text += "\n\n" + block
            return
        if "\t" in block:
            term, definition = (p.strip() for p in block.split("\t", 1))
        elif self.pending_term is None and len(block) < 40 and not block.endswith("."):
            self.pending_term = (line_no, block)
            return
        elif self.pending_term is not None:
            term, definition = self.pending_term[1], block
            self.pending_term = None
        else:
            raise GuidelineParseError(f"{where}: glossary line without a term: {block[:60]!r}")
        self.add(f"annex.{slugify(term)}", "term", term, definition, f"{term} {definition}", "annex")

    def heading(self, block: str) -> bool:
        """Chapters, lettered sections, numbered paragraphs and the two subsections of V.B."""
        if block == "Annex":
            self.chapter, self.lettered, self.subsection, self.levels, self.last = "annex", None, None, [], None
            self.add("annex", "chapter", "Annex", "", block, None)
            return True
        match = _CHAPTER.match(block)
        # "I. Knowledge-based approaches" is principle IV.I, not chapter I: chapters come in order.
        chapters_so_far = len([c for c in self.sections.values() if c.kind == "chapter"])
        if match and match.group(1) == CHAPTERS[chapters_so_far]:
            self.chapter, self.lettered, self.subsection, self.levels, self.last = match.group(1), None, None, [], None
            self.add(self.chapter, "chapter", match.group(2), "", block, None)
            return True
        match = _SECTION.match(block)
        if match and self.chapter in ("IV", "V", "VI"):
            self.lettered = f"{self.chapter}.{match.group(1)}"
            self.subsection, self.levels, self.last = None, [], None
            self.add(self.lettered, "section", match.group(2), "", block, self.chapter)
            return True
        match = _NUMBERED.match(block)
        if match and int(match.group(1)) == self.next_paragraph:
            self.next_paragraph += 1
            parent = self.subsection or self.lettered or self.chapter
            self.last = self.add(
                match.group(1), "paragraph", _first_words(match.group(2)), match.group(2), block, parent
            )
            self.levels = []
            return True
        if match and self.lettered == "V.B" and len(match.group(2).split()) <= 3:
            self.subsection = f"V.B.{match.group(1)}"
            self.levels, self.last = [], None
            self.add(self.subsection, "subsection", match.group(2), "", block, self.lettered)
            return True
        return False

    def _open_level(self, token: str) -> dict | None:
        """The open list a lettered or roman item continues, or a new list it opens."""
        if token in ("a", "i") and _ends_open(self.last.text):
            level = {"parent": self.last.id, "kind": "letter" if token == "a" else "roman", "last": None}
            self.levels.append(level)
            return level
        for depth in range(len(self.levels) - 1, -1, -1):
            candidate = self.levels[depth]
            if candidate["kind"] == "bullet":
                continue
            sequence = LETTERS if candidate["kind"] == "letter" else ROMANS
            position = sequence.index(candidate["last"]) + 1
            if position < len(sequence) and sequence[position] == token:
                del self.levels[depth + 1 :]
                return candidate
        return None

    def item(self, where: str, block: str) -> bool:
        match = _ITEM.match(block)
        if not (match and self.last is not None):
            return False
        token, body = match.group(1), match.group(2)
        level = self._open_level(token)
        if level is None:
            raise GuidelineParseError(f"{where}: item ({token}) does not continue any open list")
        level["last"] = token
        heading = body if not body.rstrip().endswith((".", ";", ",", ":")) else _first_words(body)
        self.last = self.add(f"{level['parent']}.{token}", "item", heading, body, block, level["parent"])
        return True

    def bullet(self, block: str) -> bool:
        """An unlettered line after a list opener is a bullet (¶28(a)(vi) lists four groups)."""
        in_bullets = bool(self.levels) and self.levels[-1]["kind"] == "bullet"
        if self.last is None or not (_ends_open(self.last.text) or in_bullets):
            return False
        if not in_bullets:
            self.levels.append({"parent": self.last.id, "kind": "bullet", "last": 0})
        level = self.levels[-1]
        level["last"] += 1
        self.add(f"{level['parent']}.{level['last']}", "bullet", block.rstrip(";,. "), block, block, level["parent"])
        return True


def parse(text: str) -> GuidelineDocument:
    """Parse the guideline text into sections; raise GuidelineParseError on surprises."""
    lines = text.splitlines()
    try:
        body_start = next(i for i, line in enumerate(lines) if line.strip() == "I. Introduction")
    except StopIteration:
        raise GuidelineParseError("no 'I. Introduction' heading: is this the guideline text?") from None
    cover = "\n".join(line for line in lines[:body_start] if line.strip())
    blocks, footnotes = join_blocks(lines[body_start:], body_start)
    parser = _Parser(footnotes)
    for line_no, block in blocks:
        parser.block(line_no, block)
    if parser.next_paragraph != 33:
        raise GuidelineParseError(f"expected paragraphs 1-32, found 1-{parser.next_paragraph - 1}")
    return GuidelineDocument(parser.sections, footnotes, cover)
