"""The guideline parser, checked against the source text itself."""

import re

import pytest

from kb import guideline_parser, guidelines
from kb.guideline_parser import parse
from kb.guidelines import GuidelineParseError

SOURCE = guidelines.SOURCE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc():
    return guidelines.load()


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def source_body_without_footnotes() -> str:
    """The body of the source as a reader sees it, minus footnotes, list dashes and page breaks."""
    lines = SOURCE.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "I. Introduction")
    kept = []
    for line in lines[start:]:
        stripped = line.strip()
        if re.match(r"^[¹²³]\s", stripped) or stripped.startswith("* HSP"):
            continue
        stripped = re.sub(r"^-\s+", "", stripped)
        kept.append(stripped.replace("**", ""))
    return normalise(" ".join(kept).replace("\t", " "))


def test_every_word_of_the_source_is_in_exactly_one_section_in_order(doc):
    rebuilt = normalise(" ".join(s.source_text.replace("\t", " ") for s in doc.in_order()))
    assert rebuilt == source_body_without_footnotes()


def test_paragraphs_1_to_32_each_once(doc):
    paragraphs = [s.id for s in doc.in_order() if s.kind == "paragraph"]
    assert paragraphs == [str(n) for n in range(1, 33)]


def test_chapters_and_principles(doc):
    assert [s.id for s in doc.in_order() if s.kind == "chapter"] == ["I", "II", "III", "IV", "V", "VI", "VII", "annex"]
    assert [p.id for p in doc.principles()] == [f"IV.{c}" for c in "ABCDEFGHIJKLM"]
    assert doc["IV.C"].heading == "Do no harm"
    assert doc["IV.I"].children == ["18"]  # principle I, not chapter I


def test_lettered_lists_are_contiguous_at_every_depth(doc):
    for section in doc.sections.values():
        items = [doc[c] for c in section.children if doc[c].kind == "item"]
        if not items:
            continue
        tokens = [i.id.rsplit(".", 1)[1] for i in items]
        letters = [chr(ord("a") + n) for n in range(len(tokens))]
        romans = guideline_parser.ROMANS[: len(tokens)]
        assert tokens in (letters, romans), f"{section.id}: {tokens}"


@pytest.mark.parametrize(
    "sid, starts",
    [
        ("25.a.d.ii", "Applying at the lowest administrative unit"),
        ("26.c.a.g", "Safe public transport"),
        ("26.c.b.e", "Locally relevant, time-based street management"),
        ("26.c.a.i", "Safe spaces for children and youth"),
        ("26.c.b.i", "The appropriate regulation of the use of technologies"),
        ("26.c.c.d", "The integration of crime prevention"),
        ("28.a.vi", "Considering involving a range of non-State actors"),
        ("25.d.c.iv", "Continuous training and capacity-building"),
        ("25.b.a", "Developing a competency framework"),
    ],
)
def test_known_ids(doc, sid, starts):
    assert doc[sid].text.startswith(starts)


def test_page_breaks_are_rejoined(doc):
    assert "ensuring urban safety and security requires a city-wide" in doc["9"].text
    assert "champion the development and implementation of inclusive urban safety" in doc["15"].text
    assert "(financial and other), governments should take progressive steps" in doc["22"].text
    assert "and that regulates and supports small scale traders" in doc["26.c.b.e"].text
    assert "should be mainstreamed and embedded" in doc["28.a.i"].text


def test_footnotes_are_kept_apart(doc):
    assert "pps.org" not in " ".join(s.text for s in doc.sections.values())
    assert "place-making" in doc.footnotes["1"]
    assert doc["7"].footnotes == ["1"]
    assert doc["annex.violence"].footnotes == ["3"]


def test_structure_navigation(doc):
    assert [a.id for a in doc.ancestors("26.c.a.g")] == ["V", "V.B", "V.B.2", "26", "26.c", "26.c.a"]
    assert "26.c.a.g" in doc.descendants("26")
    assert doc["28.a.vi"].children == ["28.a.vi.1", "28.a.vi.2", "28.a.vi.3", "28.a.vi.4"]
    assert doc["26.c.a.g"].label == "¶26(c)(a)(g)"
    assert "annex.ciclovia" in doc and doc["annex.ciclovia"].heading == "Ciclovía"


def test_a_lost_paragraph_is_an_error():
    broken = SOURCE.replace("\n17. It is crucial", "\nIt is crucial")
    with pytest.raises(GuidelineParseError):
        parse(broken)


def test_a_lettered_item_out_of_sequence_is_an_error():
    broken = SOURCE.replace("(c) Establishing inclusive urban safety and security strategies", "(x) Establishing")
    with pytest.raises(GuidelineParseError, match="does not continue"):
        parse(broken)


def test_not_the_guidelines():
    with pytest.raises(GuidelineParseError, match="Introduction"):
        parse("some other document")
