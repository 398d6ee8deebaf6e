"""The Flask site: app factory, blueprints, one connection per request, search loaded once per process."""

from __future__ import annotations

from flask import Flask

from kb.config import Settings


def report_search_health(app: Flask) -> list[str]:
    """Load the served build's search engine at start, so a broken build, index or model is reported now."""
    from web.state import NotBuilt, serving_engine

    try:
        loaded, notices = serving_engine(app.extensions["kb_settings"].paths)
    except NotBuilt as exc:
        app.logger.warning("%s", exc)
        return [str(exc)]
    for problem in notices + loaded.status:
        app.logger.warning(problem)
    app.logger.info("search model: %s", loaded.model_description)
    return notices + loaded.status


def split_config(test_config: dict | None) -> tuple[dict, dict]:
    """Separate knowledge-base settings (SECRET_KEY, KB_DATA_DIR, ...) from plain Flask config (TESTING, ...)."""
    settings, flask_config = {}, {}
    for key, value in (test_config or {}).items():
        name = key.lower().removeprefix("kb_")
        (settings if name in Settings.names() else flask_config)[name if name in Settings.names() else key] = value
    return settings, flask_config


def create_app(test_config: dict | None = None, settings: Settings | None = None) -> Flask:
    """Create the app from one Settings (default: Settings.from_env()).

    test_config overrides settings and Flask config.
    """
    overrides, flask_config = split_config(test_config)
    settings = (settings or Settings.from_env()).updated(**overrides)
    app = Flask(__name__, instance_relative_config=True)
    app.extensions["kb_settings"] = settings
    app.config.update(flask_config)
    app.json.sort_keys = False  # JSON_SORT_KEYS is ignored since Flask 2.3

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
        i18n,
        lessons,
        maps,
        pages,
        proposals,
        rendering,
        security,
        state,
        status,
    )

    security.init_app(app, settings)
    i18n.init_app(app)
    state.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    community_state.init_app(app)
    for blueprint in (
        pages.bp,
        guideline_pages.bp,
        city_pages.bp,
        maps.bp,
        api.bp,
        lessons.bp,
        proposals.bp,
        curator.bp,
        curricula.bp,
        status.bp,
    ):
        app.register_blueprint(blueprint)
    community_state.csrf.exempt(api.bp)  # the API is read-only
    report_search_health(app)
    _recover_approvals(app)
    return app


def _recover_approvals(app: Flask) -> None:
    """Finish or roll back approvals that a crash left half-way (see web/publishing.py)."""
    from web import publishing

    community = app.extensions["kb_community"]
    if community.submissions.approving():
        for line in publishing.recover(community, app.extensions["kb_settings"]):
            app.logger.warning(line)
