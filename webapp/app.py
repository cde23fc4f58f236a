"""Application factory: small named steps, no side effects at import time."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request, session
from flask_login import current_user

from webapp.config import default_config, environment_overrides
from webapp.extensions import api, babel, cache, csrf, db, login_manager, mail, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application.

    Parameters
    ----------
    config : mapping, optional
        Overrides applied last (tests pass ``SQLALCHEMY_DATABASE_URI``, ``TESTING`` ...).
        When given, the process environment is not read, so a test never picks up a developer's
        ``DATABASE_URL`` by accident.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(default_config(app.instance_path))
    if config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_mapping(environment_overrides())
    else:
        app.config.from_mapping(config)
    os.makedirs(app.instance_path, exist_ok=True)

    register_extensions(app)
    register_security(app)
    register_access(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_context(app)
    register_cli(app)
    register_jobs()
    register_instrument_sync(app)
    return app


def select_locale() -> str:
    """The user's explicit choice first (session, then profile), then the browser's."""
    languages = ("zh", "en")
    if not has_request_context():  # CLI commands and jobs: the default language
        return "zh"
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    return request.accept_languages.best_match(languages) or "zh"


def register_extensions(app: Flask) -> None:
    import models  # noqa: F401  (registers every table on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    api.init_app(app)
    if app.config.get("REDIS_URL") and app.config["CACHE_TYPE"] == "SimpleCache":
        # Shared by every worker process, so a cached peer group is computed once per region.
        app.config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=app.config["REDIS_URL"])
    cache.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"

    from webapp.blueprints.auth.views import load_user

    login_manager.user_loader(load_user)


def register_security(app: Flask) -> None:
    from webapp.security import register

    register(app)


def register_access(app: Flask) -> None:
    from webapp.access import enforce_matrix

    # Registered before any blueprint hook, so no view code runs for a refused request.
    app.before_request(enforce_matrix)


def register_blueprints(app: Flask) -> None:
    from webapp.blueprints.admin import bp as admin_bp
    from webapp.blueprints.api import bp as api_bp
    from webapp.blueprints.auth import bp as auth_bp
    from webapp.blueprints.centre import bp as centre_bp
    from webapp.blueprints.enterprise import bp as enterprise_bp
    from webapp.blueprints.government import bp as government_bp
    from webapp.blueprints.jobs import bp as jobs_bp
    from webapp.blueprints.main import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(enterprise_bp)
    app.register_blueprint(centre_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(government_bp)
    app.register_blueprint(jobs_bp)
    csrf.exempt(api_bp)  # JSON clients authenticate per request; no HTML forms here
    api.register_blueprint(api_bp)


def register_error_handlers(app: Flask) -> None:
    from webapp.errors import register

    register(app)


def register_template_context(app: Flask) -> None:
    from webapp.template_context import register

    register(app)


def register_jobs() -> None:
    import webapp.job_functions  # noqa: F401  (registers the job functions)


def register_instrument_sync(app: Flask) -> None:
    """Versions published by an administrator reach every worker within
    ``INSTRUMENT_SYNC_SECONDS`` (the publishing worker at once): one database read per worker
    per interval, not one per request, and none for static files."""
    from webapp.services.instruments import sync_current

    last_sync = [float("-inf")]

    def sync() -> None:
        now = time.monotonic()
        interval = float(app.config["INSTRUMENT_SYNC_SECONDS"])
        if request.endpoint == "static" or now - last_sync[0] < interval:
            return
        last_sync[0] = now
        sync_current()

    app.before_request(sync)


def register_cli(app: Flask) -> None:
    from webapp.cli import register

    register(app)
