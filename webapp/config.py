"""Configuration: embedded defaults and the environment, read in this one place.

Nothing else in the project reads ``os.environ``. ``create_app`` merges, in order: these defaults,
``instance/config.py`` if present, the environment variables below, then the mapping a test
passes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

#: Environment variables that override configuration keys of the same name.
ENV_KEYS = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CURRENT_ROUND", "BROWSER_PATH")


def default_config(instance_path: str) -> dict[str, Any]:
    """Embedded defaults: SQLite in the instance folder, in-process jobs, Chinese first."""
    return {
        "SECRET_KEY": "dev-only-change-me",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "dtmaturity.sqlite"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": None,
        "CURRENT_ROUND": "2026",
        "BROWSER_PATH": None,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "LANGUAGES": ("zh", "en"),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "PER_PAGE": 25,
        "API_TITLE": "Digital transformation maturity API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def environment_overrides(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Map the process environment onto configuration keys.

    ``DATABASE_URL`` becomes ``SQLALCHEMY_DATABASE_URI``; a ``postgres://`` or ``postgresql://``
    URL is pointed at the psycopg 3 driver.
    """
    env = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for key in ENV_KEYS:
        value = env.get(key)
        if value:
            out[key] = value
    url = out.pop("DATABASE_URL", None)
    if url:
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix) :]
        out["SQLALCHEMY_DATABASE_URI"] = url
    return out
