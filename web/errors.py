"""Errors as pages with a way back, or as JSON under /api: never a bare 500."""

from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.filters import ParameterError
from web.state import NotBuilt


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
        return _respond(exc.code or 500, exc.name, exc.description or exc.name, kept)

    @app.errorhandler(ParameterError)
    def bad_parameter(exc: ParameterError):
        return _respond(400, "Bad request", str(exc))

    @app.errorhandler(NotBuilt)
    def not_built(exc: NotBuilt):
        return _respond(503, "Not built yet", str(exc))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # pragma: no cover - logged, then a calm page
        app.logger.exception("unhandled error on %s", request.path)
        return _respond(500, "Something went wrong", "The error was logged. Please try again, or go back to the home page.")
