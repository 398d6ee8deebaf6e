"""Settings, read once: defaults, then `KB_*` environment variables, then explicit overrides.

The app factory, the build and the command line all take one `Settings`; nothing else reads
the environment. Every setting is declared once below, with its type, default and meaning;
the README's configuration table lists the same.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DATABASE_FILE = "kb.db"
COMMUNITY_FILE = "community.db"
DEFAULT_HNSW_THRESHOLD = 200_000


class SettingsError(ValueError):
    """A setting has a value of the wrong kind; the message names the variable."""


@dataclass(frozen=True)
class Paths:
    practices: Path
    data: Path

    @property
    def builds(self) -> Path:
        """Every build is written into a folder of its own here, then published."""
        return self.data / "builds"

    @property
    def current(self) -> Path:
        """A symlink to the published build; swapping it is how a build goes live atomically."""
        return self.data / "current"

    @property
    def database(self) -> Path:
        """The content database of the published build."""
        return self.current / DATABASE_FILE

    @property
    def cache(self) -> Path:
        """Embeddings by model and passage hash, kept across builds."""
        return self.data / "cache" / "embeddings.sqlite"

    @property
    def community_database(self) -> Path:
        """Lessons, submissions, curators and curricula: never rebuilt, never replaced."""
        return self.data / COMMUNITY_FILE

    @property
    def build_lock(self) -> Path:
        """Held by every build, from the command line or the site: one build at a time."""
        return self.data / ".build.lock"


def _setting(default, meaning: str):
    return field(default=default, metadata={"meaning": meaning})


@dataclass(frozen=True)
class Settings:
    """Every setting of the knowledge base; `KB_<NAME>` in the environment sets `<name>`."""

    practices_dir: Path = _setting(Path("practices"), "the curated markdown entries")
    data_dir: Path = _setting(Path("var"), "built database, search index, domain model, community data")
    model: str | None = _setting(
        None, "a sentence-transformers model (folder or hub name); 'domain' forces the domain model"
    )
    secret_key: str | None = _setting(None, "signs sessions and CSRF tokens; generated in instance/ when unset")
    base_url: str | None = _setting(None, "the public address, e.g. https://kb.example.org, for absolute links")
    community_url: str | None = _setting(
        None, "where lessons, submissions and curricula live: a SQLite path or postgresql://..."
    )
    hnsw_threshold: int = _setting(
        DEFAULT_HNSW_THRESHOLD, "passages above which the FAISS index is HNSW instead of exact"
    )
    page_size: int = _setting(10, "search results per page")
    max_request_bytes: int = _setting(256 * 1024, "the largest request body accepted (413 above)")
    submission_limit: int = _setting(20, "lessons and proposals per client per window")
    submission_window_seconds: int = _setting(600, "the window of the submission limit")
    login_limit: int = _setting(5, "failed curator logins per account and per client per window")
    login_window_seconds: int = _setting(900, "the window of the login limit")
    curriculum_limit: int = _setting(10, "curricula a client may create per window")
    secure_cookies: bool = _setting(False, "send cookies only over HTTPS (set when served over HTTPS)")
    trusted_proxies: int = _setting(0, "reverse proxies in front whose X-Forwarded-* headers are trusted")
    mail: str | None = _setting(None, "how authors are told of decisions: 'console', 'file:PATH' or 'smtp://host:port'")
    mail_from: str = _setting("kb@localhost", "the sender of those messages")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then KB_* variables from environ (os.environ by default), then overrides."""
        environ = os.environ if environ is None else environ
        values = {}
        for spec in fields(cls):
            name = f"KB_{spec.name.upper()}"
            if environ.get(name) not in (None, ""):
                values[spec.name] = _convert(spec, environ[name], name)
        for key, value in overrides.items():
            if key not in cls.names():
                raise SettingsError(f"unknown setting '{key}'; known: {', '.join(cls.names())}")
            values[key] = _convert(cls.spec(key), value, key) if value is not None else None
        return cls(**values)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def spec(cls, name: str):
        return next(f for f in fields(cls) if f.name == name)

    def updated(self, **changes) -> Settings:
        return replace(self, **{k: _convert(self.spec(k), v, k) if v is not None else None for k, v in changes.items()})

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.practices_dir), Path(self.data_dir))

    @property
    def community_location(self) -> str:
        """The community store's URL or SQLite path (inside the data folder by default)."""
        return self.community_url or str(self.paths.community_database)


def _convert(spec, value, name: str):
    """Turn an environment string (or a Python value) into the setting's type, or say what is wrong."""
    kind = spec.type if isinstance(spec.type, str) else getattr(spec.type, "__name__", str(spec.type))
    if kind.startswith("Path"):
        return Path(value)
    if kind.startswith("int"):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SettingsError(f"{name} must be a whole number, got {value!r}") from None
    if kind.startswith("bool"):
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("1", "true", "yes", "on"):
            return True
        if str(value).lower() in ("0", "false", "no", "off", ""):
            return False
        raise SettingsError(f"{name} must be true or false, got {value!r}")
    return str(value)  # an all-digit secret key stays text


def paths(practices: str | Path | None = None, data: str | Path | None = None) -> Paths:
    """The folders from arguments, else the environment, else ./practices and ./var."""
    settings = Settings.from_env(**{k: v for k, v in (("practices_dir", practices), ("data_dir", data)) if v})
    return settings.paths
