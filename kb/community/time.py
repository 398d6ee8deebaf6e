"""Timestamps as ISO text in UTC: the same in SQLite and PostgreSQL, and sortable."""

from __future__ import annotations

import datetime as dt


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def age_cutoff(days: int) -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")
