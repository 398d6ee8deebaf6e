"""Checks on what the client sends that the site then acts on: redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit


def same_site_path(target: str | None, prefix: str = "/") -> str | None:
    """target if it is a plain path on this site (under prefix), else None: never another host.

    Browsers drop tabs and newlines and read a backslash as a slash, so '/\\t/evil.example/' or
    '/\\\\evil.example' would leave the site; anything with those characters is refused.
    """
    if not target or len(target) > 2000:
        return None
    if any(ord(c) < 33 or c in "\\\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    if not parts.path.startswith(prefix):
        return None
    return target
