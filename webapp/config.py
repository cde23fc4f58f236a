"""Configuration: embedded defaults and the environment, read in this one place.

Only one other place reads ``os.environ``: ``services/backups.py`` copies it to run ``pg_dump`` and
``pg_restore`` with the database password in their environment. ``create_app`` merges, in order: these defaults,
``instance/config.py`` if present, the environment variables below, then the mapping a test
passes.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

#: Environment variables that override configuration keys of the same name.
ENV_KEYS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CURRENT_ROUND",
    "BROWSER_PATH",
    "MAIL_SERVER",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
    "MAIL_DEFAULT_SENDER",
    "PUBLIC_BASE_URL",
    "EVIDENCE_DIR",
)
#: Environment variables read as yes/no (``1``, ``true``, ``yes``, ``on``) and as integers.
ENV_FLAGS = ("SESSION_COOKIE_SECURE", "FORCE_HTTPS", "MAIL_USE_TLS")
ENV_INTS = (
    "TRUSTED_PROXIES",
    "SESSION_IDLE_MINUTES",
    "SESSION_ABSOLUTE_HOURS",
    "JOB_HEARTBEAT_SECONDS",
    "JOB_STALE_SECONDS",
    "MAIL_PORT",
    "EVIDENCE_MAX_BYTES",
)


def default_config(instance_path: str) -> dict[str, Any]:
    """Embedded defaults: SQLite in the instance folder, in-process jobs, Chinese first."""
    return {
        # None: a random key kept in the instance folder (``instance_secret_key``); never a
        # public default (review finding 13).
        "SECRET_KEY": None,
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
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        # Security (webapp/security.py, docs/security.md). None: Secure cookies unless DEBUG or
        # TESTING, so production is safe by default and local http development still logs in.
        "SESSION_COOKIE_SECURE": None,
        "FORCE_HTTPS": False,  # redirect http to https (leave to the proxy when it does that)
        "TRUSTED_PROXIES": 0,  # reverse proxies in front: their X-Forwarded-For/-Proto count
        "RATELIMIT_STORAGE_URI": None,  # None: Redis at REDIS_URL when set, else memory
        "LOGIN_LIMIT_PER_ACCOUNT": "10 per 15 minutes",  # failed logins per e-mail address
        "LOGIN_LIMIT_PER_ADDRESS": "50 per 15 minutes",  # failed logins per client address
        "REGISTER_LIMIT": "20 per hour",  # registrations per client address
        "PASSWORD_RESET_LIMIT": "5 per 15 minutes",  # reset requests per client address
        "PASSWORD_RESET_TTL_MINUTES": 30,
        "EXPENSIVE_LIMIT": "30 per 10 minutes",  # PDF renders and job starts per user
        # Server-side session lifetime (webapp/session_lifetime.py, ASVS 3.3.2); 0 switches off.
        "SESSION_IDLE_MINUTES": 30,  # logged out after this long without a request
        "SESSION_ABSOLUTE_HOURS": 12,  # logged out this long after the session began
        # E-mail (webapp/services/mail.py), sent by background jobs. Without MAIL_SERVER every
        # mail is written to the log instead (development).
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_USE_TLS": False,  # STARTTLS after connecting (port 587 at most providers)
        "MAIL_DEFAULT_SENDER": "dtmaturity <noreply@localhost>",
        "MAIL_TIMEOUT": 10,  # seconds per SMTP connection
        "MAIL_SEND_ATTEMPTS": 3,  # tries per mail inside one job run (RQ retries the job too)
        "MAIL_RETRY_SECONDS": 2.0,  # wait before the second try, doubled before each further one
        # Base of the links in mails (https://host). None: the address the request came to,
        # which a forged Host header can steer: set it in production.
        "PUBLIC_BASE_URL": None,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Evidence files (佐证材料): bytes per file (the upload route alone admits a request
        # this large), files per assessment, and the folder outside the web root that holds
        # them (None: "evidence" in the instance folder).
        "EVIDENCE_MAX_BYTES": 5 * 1024 * 1024,
        "EVIDENCE_MAX_FILES": 30,
        "EVIDENCE_DIR": None,
        # Background jobs (webapp/jobs.py): a running job's process writes a heartbeat this
        # often; without one for JOB_STALE_SECONDS the job counts as dead (failed).
        "JOB_HEARTBEAT_SECONDS": 10,
        "JOB_STALE_SECONDS": 60,
        "PER_PAGE": 25,
        # Render a submitted assessment's PDF in the background at submit (report_files).
        "REPORT_PDF_AT_SUBMIT": True,
        # Start the chart browser at worker start (webapp/warmup.py; only where PDFs render).
        "WARM_CHART_BROWSER": True,
        # How stale a worker's view of the published questionnaire version may be (seconds).
        "INSTRUMENT_SYNC_SECONDS": 5.0,
        # Derived figures (peer groups): per process, or in Redis when REDIS_URL is set.
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": 600,
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
    for key in ENV_FLAGS:
        if env.get(key):
            out[key] = env[key].strip().lower() in ("1", "true", "yes", "on")
    for key in ENV_INTS:
        if env.get(key, "").strip().isdigit():
            out[key] = int(env[key])
    url = out.pop("DATABASE_URL", None)
    if url:
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix) :]
        out["SQLALCHEMY_DATABASE_URI"] = url
    return out


#: Keys that were once shipped as defaults: an app refuses to start with one of them.
PUBLIC_SECRET_KEYS = frozenset({"dev-only-change-me"})
SECRET_KEY_FILE = "secret_key"


def instance_secret_key(instance_path: str) -> str:
    """The signing key kept in ``<instance>/secret_key``, created (64 hex characters, mode
    0600) on first use.

    Used when no ``SECRET_KEY`` is configured, so a deployment that forgets it never signs
    sessions with a key printed in the source. Every process on the machine reads the same file;
    several machines behind one load balancer must set ``SECRET_KEY`` themselves.
    """
    path = os.path.join(instance_path, SECRET_KEY_FILE)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="ascii") as fh:
            return fh.read().strip()
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def check_secret_key(key: str | None) -> None:
    """Raises ``RuntimeError`` when ``key`` is empty or a publicly known default."""
    if not key or key in PUBLIC_SECRET_KEYS:
        raise RuntimeError(
            "SECRET_KEY is empty or a public default; set SECRET_KEY (or remove it to use the "
            "key kept in the instance folder)"
        )
