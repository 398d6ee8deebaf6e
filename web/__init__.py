"""The Flask site: app factory, one connection per request, search loaded once per process."""

from __future__ import annotations

import os

from flask import Flask

from kb import config


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; settings come from defaults, then KB_* environment variables, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    paths = config.paths()
    app.config.from_mapping(
        KB_PRACTICES_DIR=str(paths.practices),
        KB_DATA_DIR=str(paths.data),
        SECRET_KEY=None,
        PAGE_SIZE=10,
    )
    app.config.from_prefixed_env("KB")  # KB_DATA_DIR=... arrives as DATA_DIR
    for key in ("DATA_DIR", "PRACTICES_DIR"):
        if key in app.config:
            app.config[f"KB_{key}"] = app.config.pop(key)
    if test_config:
        app.config.update(test_config)

    from web import db

    db.init_app(app)

    from web import pages

    app.register_blueprint(pages.bp)
    return app
