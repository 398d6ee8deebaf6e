"""The Flask site: app factory, blueprints, one connection per request, search loaded once per process."""

from __future__ import annotations

from flask import Flask

from kb import config

def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; settings come from defaults, then KB_* environment variables, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    paths = config.paths()
    app.config.from_mapping(
        KB_PRACTICES_DIR=str(paths.practices),
        KB_DATA_DIR=str(paths.data),
        PAGE_SIZE=10,
        JSON_SORT_KEYS=False,
    )
    app.config.from_prefixed_env("KB")  # KB_DATA_DIR=... arrives as DATA_DIR
    for key in ("DATA_DIR", "PRACTICES_DIR"):
        if key in app.config:
            app.config[f"KB_{key}"] = app.config.pop(key)
    if test_config:
        app.config.update(test_config)

    from search.encoder import single_thread

    single_thread()

    app.config.from_mapping({k: v for k, v in {"SECRET_KEY": app.config.get("SECRET_KEY")}.items() if v})

    from web import (api, city_pages, community_state, curator, curricula, errors, guideline_pages, lessons, maps,
                     pages, proposals, rendering, state)

    state.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    community_state.init_app(app)
    for blueprint in (pages.bp, guideline_pages.bp, city_pages.bp, maps.bp, api.bp, lessons.bp, proposals.bp,
                      curator.bp, curricula.bp):
        app.register_blueprint(blueprint)
    community_state.csrf.exempt(api.bp)  # the API is read-only
    return app
