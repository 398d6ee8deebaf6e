"""Country income groups (World Bank): context for 'cities like ours' on city pages and peer rows.

The groups live in kb/data/income_groups.toml with the page they come from, so they can be
updated each July, when the World Bank reclassifies, without touching code. A country that is
not listed simply shows no income group.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GROUPS = ("low", "lower-middle", "upper-middle", "high")
DATA_FILE = Path(__file__).parent / "data" / "income_groups.toml"


@dataclass(frozen=True)
class IncomeSource:
    title: str
    publisher: str
    year: int
    url: str
    fiscal_year: str


@dataclass(frozen=True)
class IncomeGroups:
    source: IncomeSource
    by_country: dict[str, str]

    def of(self, country_code: str | None) -> str | None:
        return self.by_country.get((country_code or "").upper())


def read(path: Path = DATA_FILE) -> IncomeGroups:
    """Read and check the file; a value outside the four groups names the country and what is allowed."""
    with Path(path).open("rb") as file:
        data = tomllib.load(file)
    source = IncomeSource(**{name: data["source"][name] for name in IncomeSource.__dataclass_fields__})
    wrong = {code: group for code, group in data["countries"].items() if group not in GROUPS}
    if wrong:
        listed = ", ".join(f"{code} = {group!r}" for code, group in sorted(wrong.items()))
        raise ValueError(f"{path}: income group must be one of {', '.join(GROUPS)}; found {listed}")
    return IncomeGroups(source, {code.upper(): group for code, group in data["countries"].items()})


@cache
def bundled() -> IncomeGroups:
    return read(DATA_FILE)
