"""Application factory: small named steps. Importing this module has one side effect: importing
``webapp.job_functions`` fills the job registry (``webapp.jobs.JOB_FUNCTIONS``)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request, session
from flask_login import current_user

import models  # noqa: F401  (registers every table on the metadata)
from webapp import registries
from webapp.access import enforce_matrix
from webapp.blueprints.admin.views import bp as admin_bp
from webapp.blueprints.api.views import bp as api_bp
from webapp.blueprints.auth.views import bp as auth_bp
from webapp.blueprints.auth.views import load_user
from webapp.blueprints.centre.views import bp as centre_bp
from webapp.blueprints.enterprise.views import bp as enterprise_bp
from webapp.blueprints.government.views import bp as government_bp
from webapp.blueprints.jobs.views import bp as jobs_bp
from webapp.blueprints.main.views import bp as main_bp
from webapp.blueprints.privacy.views import bp as privacy_bp
from webapp.cli import register as register_commands
from webapp.config import (
    check_secret_key,
    default_config,
    environment_overrides,
    instance_secret_key,
)
from webapp.errors import register as register_errors
from webapp.extensions import api, babel, cache, csrf, db, login_manager, mail, migrate
from webapp.job_functions import JOB_FUNCTIONS
from webapp.security import register as register_security_headers
from webapp.security import widen_upload_limit
from webapp.services import rollups
from webapp.services.instruments import sync_current
from webapp.template_context import register as register_template_globals

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
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    check_secret_key(app.config["SECRET_KEY"])

    register_extensions(app)
    register_security(app)
    register_access(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_context(app)
    register_cli(app)
    registries.install(app, JOB_FUNCTIONS)
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
    db.init_app(app)
    rollups.install()  # the statistics rollup follows every ORM flush
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    app.before_request(widen_upload_limit)  # before CSRF protection parses the form
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
    login_manager.user_loader(load_user)


def register_security(app: Flask) -> None:
    register_security_headers(app)


def register_access(app: Flask) -> None:
    # Registered before any blueprint hook, so no view code runs for a refused request.
    app.before_request(enforce_matrix)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(enterprise_bp)
    app.register_blueprint(centre_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(government_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(privacy_bp)
    csrf.exempt(api_bp)  # JSON clients authenticate per request; no HTML forms here
    api.register_blueprint(api_bp)


def register_error_handlers(app: Flask) -> None:
    register_errors(app)


def register_template_context(app: Flask) -> None:
    register_template_globals(app)


def register_instrument_sync(app: Flask) -> None:
    """Versions published by an administrator reach every worker within
    ``INSTRUMENT_SYNC_SECONDS`` (read per request; the publishing worker at once): one database
    read per worker per interval, not one per request, and none for static files."""

    def sync() -> None:
        if request.endpoint == "static":
            return
        registry = registries.instruments()
        if registry.sync_due(time.monotonic(), float(app.config["INSTRUMENT_SYNC_SECONDS"])):
            sync_current(registry)

    app.before_request(sync)


def register_cli(app: Flask) -> None:
    register_commands(app)
