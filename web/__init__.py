"""The Flask site: app factory, blueprints, one connection per request, search loaded once per process."""

from __future__ import annotations

from flask import Flask

from kb import config


def report_search_health(app: Flask) -> list[str]:
    """Load the published build's search engine at start, so a broken index or model is reported now."""
    from kb import builds
    from search import engine

    build = builds.current_build(config.paths(app.config["KB_PRACTICES_DIR"], app.config["KB_DATA_DIR"]))
    if build is None:
        app.logger.warning("nothing is built yet: run `kb build`")
        return ["nothing is built yet: run `kb build`"]
    loaded = engine.for_build(build)
    for problem in loaded.status:
        app.logger.warning(problem)
    app.logger.info("search model: %s", loaded.model_description)
    return loaded.status


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

    from web import (
        api,
        city_pages,
        community_state,
        curator,
        curricula,
        errors,
        guideline_pages,
        lessons,
        maps,
        pages,
        proposals,
        rendering,
        state,
    )

    state.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    community_state.init_app(app)
    for blueprint in (pages.bp, guideline_pages.bp, city_pages.bp, maps.bp, api.bp, lessons.bp, proposals.bp,
                      curator.bp, curricula.bp):
        app.register_blueprint(blueprint)
    community_state.csrf.exempt(api.bp)  # the API is read-only
    report_search_health(app)
    return app
