"""What every response carries and every request is held to: body limit, cookies, headers, proxies.

Set on the app directly (never with setdefault: Flask's defaults already hold these keys).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask, abort, request
from flask_babel import gettext
from werkzeug.middleware.proxy_fix import ProxyFix

from kb.config import Settings

# No page uses a script or an inline style, so the policy can be strict.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
# Pages for curators and for an author following a submission.
PRIVATE_PREFIXES = ("/curator", "/status/")


def secret_key(settings: Settings, instance_path: str) -> str:
    """KB_SECRET_KEY, else a random key created once in the instance folder, atomically (never committed)."""
    if settings.secret_key:
        return str(settings.secret_key)
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)  # the first process to link wins; the others read its key
        except FileExistsError:
            pass
        finally:
            temporary.unlink(missing_ok=True)
    return path.read_text().strip()


def refuse_large_bodies(limit: int):
    def check():
        if request.content_length is not None and request.content_length > limit:
            abort(
                413,
                description=gettext(
                    "The request is %(size)s bytes; the limit is %(limit)s bytes.",
                    size=request.content_length,
                    limit=limit,
                ),
            )

    return check


def add_headers(settings: Settings):
    def headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith(PRIVATE_PREFIXES):  # names and e-mail addresses: never in a shared cache
            response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("X-Robots-Tag", "noindex")
        if settings.secure_cookies:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    return headers


def init_app(app: Flask, settings: Settings) -> None:
    app.config.update(
        SECRET_KEY=secret_key(settings, app.instance_path),
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_request_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=12),
    )
    if settings.trusted_proxies:
        count = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_prefix=0)
    app.before_request(refuse_large_bodies(settings.max_request_bytes))
    app.after_request(add_headers(settings))
