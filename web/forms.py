"""Server-side form checking that reports every problem beside its field and keeps what was typed."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from kb.field_checks import MARKUP

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Form:
    def __init__(self, data):
        self.data = data
        self.values: dict[str, object] = {}
        self.errors: dict[str, str] = {}

    def text(
        self, name: str, label: str, required: bool = False, max_length: int = 200, multiline: bool = False
    ) -> str:
        value = (self.data.get(name) or "").replace("\r\n", "\n")
        value = value.strip() if multiline else " ".join(value.split())
        self.values[name] = value
        if required and not value:
            self.errors[name] = _("%(label)s is required.", label=label)
        elif len(value) > max_length:
            self.errors[name] = _(
                "%(label)s is %(length)s characters long; the limit is %(limit)s.",
                label=label,
                length=len(value),
                limit=max_length,
            )
        return value

    def plain(self, name: str, label: str, required: bool = False, max_length: int = 200) -> str:
        """One line of plain text: names, titles and places may not carry HTML or markdown."""
        value = self.text(name, label, required=required, max_length=max_length)
        if value and name not in self.errors and MARKUP.search(value):
            self.errors[name] = _(
                "%(label)s must be plain text, without HTML or markdown (such as <…>, [text](link), ** or #).",
                label=label,
            )
        return value

    def email(self, name: str, label: str) -> str:
        value = self.text(name, label, max_length=200)
        if value and name not in self.errors and not EMAIL.match(value):
            self.errors[name] = _("%(label)s does not look like an email address (name@example.org).", label=label)
        return value

    def choice(self, name: str, label: str, allowed, required: bool = False) -> str:
        value = (self.data.get(name) or "").strip()
        self.values[name] = value
        if value and value not in allowed:
            self.errors[name] = _("%(label)s: '%(value)s' is not one of the choices.", label=label, value=value[:60])
        elif required and not value:
            self.errors[name] = _("%(label)s is required.", label=label)
        return value

    def choices(self, name: str, label: str, allowed) -> list[str]:
        values = [v for v in self.data.getlist(name) if v][:200]
        self.values[name] = values
        unknown = [v for v in values if v not in allowed]
        if unknown:
            self.errors[name] = _(
                "%(label)s: %(values)s not among the choices.",
                label=label,
                values=", ".join(repr(u[:40]) for u in unknown[:3]),
            )
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
