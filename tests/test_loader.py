"""Loading and validating entries: every problem, with file, line, field and what is allowed."""

import shutil
from pathlib import Path

import pytest

from kb import loader


def problems_of(broken_dir, name, tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(broken_dir / f"{name}.md", folder)
    return loader.load(folder).problems


def test_valid_fixtures_pass_strictly(fixture_practices):
    result = loader.load(fixture_practices)
    assert [str(p) for p in result.problems] == []
    assert len(result.practices) == 3
    practice = {p.id: p for p in result.practices}["night-bus-safety"]
    assert practice.sections["Problem"].startswith("This is a test fixture")
    assert list(practice.sections) == [
        "Problem",
        "What was done",
        "How it works",
        "Implementation",
        "Results and evidence",
        "Lessons learned",
        "Transferability",
    ]


@pytest.mark.parametrize(
    "name, severity, field, text, line",
    [
        ("empty", "error", "", "the file is empty", None),
        ("no-front-matter", "error", "", "must start with a line '---'", 1),
        ("unclosed-front-matter", "error", "", "never closed", 1),
        ("yaml-syntax-error", "error", "front matter", "YAML syntax error", 17),
        ("not-utf8", "error", "", "not UTF-8", 4),
        ("wrong-type", "error", "years", "must be [start, end]", 9),
        ("wrong-type", "error", "coordinates", "two numbers", 8),
        ("unknown-term", "error", "themes", "did you mean 'public-transport'?", 13),
        ("unknown-term", "error", "region", "choose one of: africa, arab-states", 7),
        ("missing-field", "error", "title", "Title is required", 1),
        ("missing-field", "error", "city", "City is required", 1),
        ("missing-section", "warning", "sections.Lessons learned", "The Lessons learned section is missing", 29),
        ("short-section", "warning", "sections.Implementation", "needs at least 40 words; it has 2", 29),
        ("source-without-url", "warning", "sources[0].url", "has no web address", 23),
        ("bad-guideline-ref", "warning", "guideline_refs", "did you mean '26.c.a.j'?", 17),
        ("id-mismatch", "warning", "id", "differs from the file name", None),
        ("coordinates-out-of-range", "error", "coordinates", "is not a place on Earth", 8),
        ("end-before-start", "error", "years", "is before the start year", 9),
    ],
)
def test_each_kind_of_problem_is_named(broken_dir, tmp_path, name, severity, field, text, line):
    found = problems_of(broken_dir, name, tmp_path)
    matching = [p for p in found if p.field == field and text in p.message]
    assert matching, f"{name}: {[str(p) for p in found]}"
    assert matching[0].severity == severity
    assert matching[0].line == line
    assert f"{name}.md" in matching[0].path
    assert str(matching[0]).startswith(matching[0].path)


def test_warnings_only_fail_in_strict_mode(broken_dir, tmp_path):
    found = loader.load(broken_dir)
    assert not found.ok() and not found.ok(strict=True)
    folder = tmp_path / "w"
    folder.mkdir()
    shutil.copy(broken_dir / "short-section.md", folder)
    result = loader.load(folder)
    assert result.ok() and not result.ok(strict=True)
    assert len(result.practices) == 1  # a warning does not stop the entry from loading


def test_every_problem_in_every_file_is_reported_at_once(broken_dir):
    result = loader.load(broken_dir)
    files_with_problems = {p.path.rsplit("/", 1)[-1] for p in result.problems}
    assert len(files_with_problems) == len(list(broken_dir.glob("*.md")))
    assert len([p for p in result.problems if "unknown-term" in p.path and p.severity == "error"]) == 2


def test_duplicate_ids_and_dangling_links(fixture_practices):
    text = (fixture_practices / "night-bus-safety.md").read_text()
    (fixture_practices / "copy.md").write_text(text)
    (fixture_practices / "summer-jobs-youth.md").write_text(
        (fixture_practices / "summer-jobs-youth.md")
        .read_text()
        .replace("related: [night-bus-safety]", "related: [nigth-bus-safety]")
    )
    messages = [str(p) for p in loader.load(fixture_practices).problems]
    assert any("duplicate id 'night-bus-safety'" in m for m in messages)
    assert any(
        "'nigth-bus-safety' is not the id of any practice (did you mean 'night-bus-safety'?)" in m for m in messages
    )


def test_one_country_code_has_one_country_name(fixture_practices):
    path = fixture_practices / "summer-jobs-youth.md"
    text = path.read_text()
    path.write_text(
        text.replace("country: Exampleland", "country: Testland Republic").replace(
            "country_code: EX", "country_code: TL"
        )
    )
    problems = loader.load(fixture_practices).problems
    assert [(Path(p.path).name, p.field) for p in problems] == [("summer-jobs-youth.md", "country")]
    assert "'Testland Republic' names country code TL, which night-bus-safety.md calls 'Testland'" in str(problems[0])


def test_unknown_field_is_a_warning_with_suggestion(fixture_practices):
    path = fixture_practices / "night-bus-safety.md"
    path.write_text(path.read_text().replace("scale: city-wide", "scale: city-wide\ntheme: [public-space]"))
    messages = [str(p) for p in loader.load(fixture_practices).problems]
    assert any("theme: 'theme' is not a field we know (did you mean 'themes'?)" in m for m in messages)


def test_duplicate_yaml_key_is_an_error(fixture_practices):
    path = fixture_practices / "night-bus-safety.md"
    path.write_text(path.read_text().replace("scale: city-wide", "scale: city-wide\nscale: national"))
    messages = [str(p) for p in loader.load(fixture_practices).errors]
    assert any("duplicate key 'scale'" in m for m in messages)
