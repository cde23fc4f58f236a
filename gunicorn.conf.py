"""gunicorn settings for production.

    gunicorn -c gunicorn.conf.py 'webapp:create_app()'

The app is built in each worker after the fork (no ``preload_app``): nothing opened before the
fork is shared. PDFs (enterprise reports at submit, government reports, batches), re-scoring
and cluster refits run in RQ workers (``rq worker -w webapp.worker.WarmWorker --url $REDIS_URL
dtmaturity``), which hold the chart-export browser (kaleido + Chromium, about 0.5 GiB, not
thread-safe, guarded by a lock in ``reports.chart_export``); without ``REDIS_URL`` jobs run in
threads here and each worker starts its browser in the background at start (``webapp.warmup``).
Each worker warms up (``webapp.warmup.warm``: templates, plotly's template, translations,
instruments, ORM, the public pages) in ``post_worker_init``, before it accepts a connection, so
the first requests after a start or a recycle do not stall. Command-line options (``-b``,
``-w``) override these values.
"""

import logging
import multiprocessing

from webapp.warmup import warm

bind = "127.0.0.1:8000"
# One process per core: pages are CPU-bound (rendering, scoring); a worker that has rendered
# an enterprise PDF also holds a browser, so memory, not CPU, caps the count on small hosts.
workers = multiprocessing.cpu_count()
# Threads cover the waits on the database; chart exports serialise on their lock.
worker_class = "gthread"
threads = 4
preload_app = False
timeout = 60
graceful_timeout = 30
# Recycle workers now and then so a slow leak (or a stale browser) cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"


def post_worker_init(worker):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    """Warm the worker's app before it serves (gunicorn calls this after loading the app)."""
    timings = warm(worker.wsgi)
    logging.getLogger("gunicorn.error").info(
        "worker %s warmed in %.1f s (%s)",
        worker.pid,
        sum(timings.values()),
        ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items()),
    )
