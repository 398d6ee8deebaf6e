"""A problem found in an entry, and the collector that finds each field's line in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    severity: str
    path: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}: {self.severity}:{field} {self.message}"


class FieldChecker:
    """Collect problems for one entry; knows how to find a field's line."""

    def __init__(self, path: str, front_matter_lines: list[str], first_line: int = 2):
        self.path = path
        self.lines = front_matter_lines
        self.first_line = first_line
        self.problems: list[Problem] = []

    def line_of(self, field: str, value=None) -> int | None:
        """Line of a field ('evidence.rating', 'sources[0].url') or of a value inside it."""
        parts = [re.sub(r"\[\d+\]$", "", part) for part in field.split(".")]
        start = 0
        for depth, key in enumerate(parts):
            indent = r"" if depth == 0 else r"\s+-?\s*"
            pattern = re.compile(rf"^{indent}{re.escape(key)}\s*:")
            found = next((i for i in range(start, len(self.lines)) if pattern.match(self.lines[i])), None)
            if found is None:
                return self.first_line + start if depth else None
            start = found
        if value is not None:
            for i in range(start, len(self.lines)):
                if str(value) in self.lines[i]:
                    return self.first_line + i
        return self.first_line + start

    def add(self, severity: str, field: str, message: str, value=None, line=None):
        if line is None and field and not field.startswith("sections."):
            line = self.line_of(field, value)
        self.problems.append(Problem(severity, self.path, field, message, line))

    def error(self, field, message, value=None, line=None):
        self.add(ERROR, field, message, value, line)

    def warning(self, field, message, value=None, line=None):
        self.add(WARNING, field, message, value, line)
