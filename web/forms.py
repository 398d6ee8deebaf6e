"""Server-side form checking that reports every problem beside its field and keeps what was typed."""

from __future__ import annotations

import re

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Form:
    def __init__(self, data):
        self.data = data
        self.values: dict[str, object] = {}
        self.errors: dict[str, str] = {}

    def text(self, name: str, label: str, required: bool = False, max_length: int = 200, multiline: bool = False) -> str:
        value = (self.data.get(name) or "").replace("\r\n", "\n")
        value = value.strip() if multiline else " ".join(value.split())
        self.values[name] = value
        if required and not value:
            self.errors[name] = f"{label} is required."
        elif len(value) > max_length:
            self.errors[name] = f"{label} is {len(value)} characters long; the limit is {max_length}."
        return value

    def email(self, name: str, label: str) -> str:
        value = self.text(name, label, max_length=200)
        if value and name not in self.errors and not EMAIL.match(value):
            self.errors[name] = f"{label} does not look like an email address (name@example.org)."
        return value

    def choice(self, name: str, label: str, allowed, required: bool = False) -> str:
        value = (self.data.get(name) or "").strip()
        self.values[name] = value
        if value and value not in allowed:
            self.errors[name] = f"{label}: '{value[:60]}' is not one of the choices."
        elif required and not value:
            self.errors[name] = f"{label} is required."
        return value

    def choices(self, name: str, label: str, allowed) -> list[str]:
        values = [v for v in self.data.getlist(name) if v]
        self.values[name] = values
        unknown = [v for v in values if v not in allowed]
        if unknown:
            self.errors[name] = f"{label}: {', '.join(repr(u[:40]) for u in unknown[:3])} not among the choices."
        return [v for v in values if v in allowed]

    def flag(self, name: str) -> bool:
        value = self.data.get(name) in ("1", "on", "yes", "true")
        self.values[name] = value
        return value

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    @property
    def ok(self) -> bool:
        return not self.errors
