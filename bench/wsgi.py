"""The app gunicorn serves in the load benchmark, plus a hello-world route as the floor.

``bench.wsgi:make_app()`` reads the database URL from ``BENCH_DATABASE_URL``. Cookies travel
over plain http and rate limits are off (every simulated user is 127.0.0.1).
"""

from __future__ import annotations

import os

from flask import Flask

from webapp import create_app
from webapp.access import ALL_ROLES, MATRIX, Rule, Scope


def make_app() -> Flask:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
            "SECRET_KEY": "bench-secret",
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "CURRENT_ROUND": "2026",
            # As in production with REDIS_URL: PDFs render in job workers, so a web worker
            # starts no chart browser (it would compete with the first 10 s measured).
            "WARM_CHART_BROWSER": False,
        }
    )

    @app.get("/_bench/hello")
    def bench_hello() -> str:
        return "hello"

    # Through the same before-request hooks as every page: the access matrix must know it.
    MATRIX["bench_hello"] = Rule(ALL_ROLES, "benchmark floor", "read", Scope.PUBLIC)

    return app
