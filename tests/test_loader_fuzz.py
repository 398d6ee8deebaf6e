"""Fuzz the front matter and markdown parsing: any input gives validation problems, never an exception."""

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import loader
from kb.schema import KNOWN_FIELDS

VALID = open(
    __import__("pathlib").Path(__file__).parent / "fixtures" / "practices" / "night-bus-safety.md", encoding="utf-8"
).read()
# KB_FUZZ_EXAMPLES raises the budget for long runs (bench/fuzz.sh); the suite keeps it short.
# The suite's short run is derandomised (the same examples every time, so CI is reproducible);
# bench/fuzz.sh sets KB_FUZZ_EXAMPLES and explores at random.
FUZZ = settings(
    max_examples=int(os.environ.get("KB_FUZZ_EXAMPLES", 400)),
    deadline=None,
    database=None,
    derandomize="KB_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=list(HealthCheck),
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30), st.dates()
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def check(text: str):
    practice, problems = loader.parse_text(text, "fuzz.md", {"26.c.a.g", "IV.B"})
    assert all(p.severity in ("error", "warning") and p.message for p in problems)
    if practice is None:  # an entry is refused only with an error that says why
        assert any(p.severity == "error" for p in problems)
    for problem in problems:
        assert str(problem).startswith("fuzz.md")


@FUZZ
@given(st.text(max_size=2000))
def test_any_text(text):
    check(text)


@FUZZ
@given(
    st.dictionaries(st.sampled_from(list(KNOWN_FIELDS) + ["evidence", "extra"]), values, max_size=12),
    st.text(max_size=500),
)
def test_any_front_matter_shape(front, body):
    try:
        dumped = yaml.safe_dump(front, allow_unicode=True)
    except yaml.YAMLError:
        return
    check(f"---\n{dumped}---\n{body}")


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.integers(0, 40), st.text(max_size=20)), max_size=6))
def test_mutations_of_a_valid_entry(edits):
    text = VALID
    for position, delete, insert in edits:
        text = text[:position] + insert + text[position + delete :]
    check(text)


@pytest.mark.parametrize(
    "text",
    [
        "---\nid: [unclosed\n---\n",
        "---\n: : :\n---\n",
        "---\n- a list\n---\n",
        "---\n!!python/object:os.system x\n---\n",
        "---\nid: &a [*a]\n---\n",
        "---\nevidence: {outcomes: [1, 2]}\n---\n",
        "---\nsources: [[], {}, 3]\n---\n",
        "---\nyears: [2001, 1999, 3]\ncoordinates: [1e999, -1e999]\n---\n",
        "\ufeff---\nid: bom\n---\n",
        "---\r\nid: crlf\r\n---\r\n",
        # found by the long fuzzing run (bench/fuzz.sh): a lone byte-order mark; keys that YAML reads as true or 1
        "\ufeff",
        "\ufeff  \n",
        "---\ntrue: x\n---\n",
        "---\n1: x\nid: y\n---\n",
        "---\nnull: x\n---\n",
    ],
)
def test_known_nasty_inputs(text):
    check(text)
