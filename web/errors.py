"""Errors as pages with a way back, or as JSON under /api: never a bare 500."""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from search.filters import ParameterError
from web.state import NotBuilt

# Werkzeug's names for the errors the site answers with, so that they can be translated.
TITLES = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Request Entity Too Large",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _respond(status: int, title: str, message: str, headers: dict | None = None):
    if wants_json():
        return jsonify({"error": {"status": status, "title": title, "message": message}}), status, headers or {}
    return render_template("error.html", status=status, title=title, message=message), status, headers or {}


def init_app(app):
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # keep the headers the error carries: Allow with 405, Retry-After with 429 and 503
        kept = {k: v for k, v in exc.get_headers() if k in ("Allow", "Retry-After", "WWW-Authenticate")}
        title = _(TITLES[exc.code]) if exc.code in TITLES else exc.name
        return _respond(exc.code or 500, title, exc.description or title, kept)

    @app.errorhandler(ParameterError)
    def bad_parameter(exc: ParameterError):
        return _respond(400, _("Bad request"), str(exc))

    @app.errorhandler(NotBuilt)
    def not_built(exc: NotBuilt):
        return _respond(503, _("Not built yet"), str(exc))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # pragma: no cover - logged, then a calm page
        app.logger.exception("unhandled error on %s", request.path)
        return _respond(
            500, _("Something went wrong"), _("The error was logged. Please try again, or go back to the home page.")
        )
