"""Read practices/*.md into Practice objects and report every problem at once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb import body as body_checks
from kb import schema
from kb.problems import ERROR, WARNING, FieldChecker, Problem
from kb.words import did_you_mean

_HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$")


@dataclass
class Practice:
    """One curated practice: its front matter as given, and its body split by section."""

    path: str
    meta: dict
    body: str
    sections: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def evidence(self) -> dict:
        return self.meta.get("evidence") or {}

    @property
    def rating(self) -> str:
        return self.evidence.get("rating", "not-evaluated")


@dataclass
class LoadResult:
    practices: list[Practice]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


class _DateSafeLoader(yaml.SafeLoader):
    """SafeLoader that keeps duplicate keys visible instead of silently keeping the last."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key}'", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_DateSafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def split_sections(body: str) -> tuple[dict[str, str], list[str]]:
    """Split a markdown body on '## ' headings; return {heading: text} and the heading order."""
    sections: dict[str, list[str]] = {}
    order: list[str] = []
    current = None
    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            current = match.group(1).strip()
            order.append(current)
            sections.setdefault(current, [])
        elif current is not None:
            sections[current].append(line)
    return {k: "\n".join(v).strip() for k, v in sections.items()}, order


class Unreadable(ValueError):
    """The file is not an entry at all; the message says why and where."""

    def __init__(self, message: str, line: int | None = None, field: str = ""):
        super().__init__(message)
        self.line, self.field = line, field


def _yaml_problem(exc: yaml.YAMLError) -> Unreadable:
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if context and mark and context.line != mark.line:
        problem += (
            f" ({getattr(exc, 'context', 'the construct')} that began at line {context.line + 2}; "
            "check quotes, colons and indentation there)"
        )
    return Unreadable(f"YAML syntax error: {problem}", mark.line + 2 if mark else None, "front matter")


def split_front_matter(text: str) -> tuple[dict, list[str], int, str]:
    """(fields, their lines, the closing line's index, the body), or raise Unreadable."""
    text = text.lstrip("\ufeff")  # a byte-order mark is not content
    if not text.strip():
        raise Unreadable("the file is empty; start from `kb new ID`")
    lines = text.splitlines()
    if lines[0].strip() != "---":
        raise Unreadable("no YAML front matter: the file must start with a line '---', then the fields, then '---'", 1)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        raise Unreadable("the front matter is never closed: add a line '---' after the last field", 1)
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=_DateSafeLoader)
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc) from exc
    if not isinstance(data, dict):
        raise Unreadable("the front matter must be a set of 'field: value' lines", 2, "front matter")
    return data, lines[1:end], end, "\n".join(lines[end + 1 :]).strip()


def parse_text(text: str, path: str, guideline_ids=None) -> tuple[Practice | None, list[Problem]]:
    """Parse and check one entry's text; return the practice (None if unreadable) and its problems."""
    try:
        data, front_lines, end, body = split_front_matter(text)
    except Unreadable as exc:
        return None, [Problem(ERROR, path, exc.field, str(exc), exc.line)]
    check = FieldChecker(path, front_lines, first_line=2)
    schema.check_front_matter(data, check, guideline_ids)
    sections, order = split_sections(body)
    sources = data.get("sources")
    body_checks.check_body(
        sections, order, check, body_first_line=end + 2, source_count=len(sources) if isinstance(sources, list) else 0
    )
    if isinstance(data.get("reviewed"), str):
        try:
            data["reviewed"] = dt.date.fromisoformat(data["reviewed"])
        except ValueError:
            pass
    usable = not any(p.severity == ERROR for p in check.problems)
    return (Practice(path, data, body, sections) if usable else None), check.problems


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_file(path: Path, guideline_ids=None) -> tuple[Practice | None, list[Problem]]:
    shown = _shown(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return None, [Problem(ERROR, shown, "", f"cannot read the file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                ERROR,
                shown,
                "",
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
                line,
            )
        ]
    return parse_text(text, shown, guideline_ids)


def entry_files(directory: Path) -> list[Path]:
    """The entries of a practices folder: every *.md but its README."""
    return [p for p in sorted(Path(directory).glob("*.md")) if p.name.lower() != "readme.md"]


def cross_file_problems(practices: list[Practice]) -> list[Problem]:
    """What spans files: ids unique and equal to file names; links to practices that exist."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for practice in practices:
        stem = Path(practice.path).stem
        if practice.id != stem:
            problems.append(
                Problem(
                    WARNING,
                    practice.path,
                    "id",
                    f"id '{practice.id}' differs from the file name '{stem}.md'; rename one of them",
                )
            )
        if practice.id in seen:
            problems.append(
                Problem(WARNING, practice.path, "id", f"duplicate id '{practice.id}', also used by {seen[practice.id]}")
            )
        else:
            seen[practice.id] = practice.path
    for practice in practices:
        links = [("adapted_from", practice.meta.get("adapted_from"))]
        links += [("related", r) for r in practice.meta.get("related") or []]
        for name, target in links:
            if target and target not in seen:
                problems.append(
                    Problem(
                        WARNING,
                        practice.path,
                        name,
                        f"'{target}' is not the id of any practice{did_you_mean(target, seen)}",
                    )
                )
            if target == practice.id:
                problems.append(Problem(WARNING, practice.path, name, "a practice cannot point to itself"))
    return problems + country_name_problems(practices)


def country_name_problems(practices: list[Practice]) -> list[Problem]:
    """One name per country code, so a city's page and the country filter do not split one country in two."""
    first: dict[str, Practice] = {}
    problems: list[Problem] = []
    for practice in practices:
        code, name = practice.meta.get("country_code"), practice.meta.get("country")
        if not code or not name:
            continue
        earlier = first.setdefault(code, practice)
        if earlier.meta["country"] != name:
            problems.append(
                Problem(
                    WARNING,
                    practice.path,
                    "country",
                    f"'{name}' names country code {code}, which {Path(earlier.path).name} calls "
                    f"'{earlier.meta['country']}'; use one name",
                )
            )
    return problems


def load_dir(directory: Path, guideline_ids=None, extra_files=()) -> LoadResult:
    """Load every practices/*.md file (and extra_files, drafts kept elsewhere), then check what spans files."""
    directory = Path(directory)
    practices: list[Practice] = []
    problems: list[Problem] = []
    if not directory.is_dir():
        return LoadResult([], [Problem(ERROR, str(directory), "", "practices folder not found")])
    inside = {p.resolve() for p in entry_files(directory)}
    files = entry_files(directory) + [Path(f) for f in extra_files if Path(f).resolve() not in inside]
    for path in files:
        practice, found = read_file(path, guideline_ids)
        problems.extend(found)
        if practice:
            practices.append(practice)

    problems += cross_file_problems(practices)
    problems.sort(key=lambda p: (p.path, p.line or 0))
    return LoadResult(practices, problems)


def load(directory: Path, extra_files=()) -> LoadResult:
    """Load with guideline references checked against the bundled guideline document."""
    from kb import guidelines

    return load_dir(directory, set(guidelines.load().sections), extra_files)


def dump_entry(meta: dict, sections: dict[str, str]) -> str:
    """Write an entry as front matter plus the seven sections: the inverse of parse_text."""
    from kb.vocab import BODY_SECTIONS

    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
    body = "\n".join(f"## {heading}\n\n{sections.get(heading, '').strip()}\n" for heading in BODY_SECTIONS)
    return f"---\n{front}---\n{body}"
