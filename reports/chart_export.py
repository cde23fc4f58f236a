"""Static export of plotly figures (SVG) for PDFs, through kaleido and a headless Chromium.

kaleido 1.x drives a browser. Starting one costs ~3 s, so each process keeps one warm browser,
started lazily on first use (never at import, never before a fork). One browser costs about
0.5 GiB; in production, export charts in job workers or keep one browser per web worker process.

Every wait is bounded. kaleido's own synchronous server waits on a queue with no timeout: when
its browser failed to start or died, the next export blocked forever (it stalled a CI run for an
hour). Here the browser lives on an event loop in a thread this module owns; a caller waits
for a start at most ``START_SECONDS`` and for a figure at most ``RENDER_SECONDS``, and on a
timeout or a dead browser gets ``ChartExportError`` while the browser is thrown away, so the next
export starts a fresh one. The browser is not safe for concurrent exports (concurrent calls were
seen to return each other's figures), so every export holds ``_LOCK``.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import shutil
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import kaleido
import plotly.graph_objects as go

_log = logging.getLogger(__name__)

#: Seconds to wait for the browser to start, and for one figure to render.
START_SECONDS = 60.0
RENDER_SECONDS = 60.0
#: Seconds to wait for a browser being thrown away to close.
CLOSE_SECONDS = 10.0

_LOCK = threading.Lock()
_T = TypeVar("_T")


class ChartExportError(RuntimeError):
    """No browser to export with, the browser did not answer in time, or the export failed."""


class ChartExportTimeout(ChartExportError):
    """The browser did not start, render or close within its limit."""


class _Browser:
    """One kaleido browser on an event loop running in a daemon thread of its own."""

    def __init__(self, path: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(_log_without_traceback)
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="chart-export-loop", daemon=True
        )
        self._thread.start()
        self._kaleido: kaleido.Kaleido | None = None
        #: Coroutines given up on; closed once the loop has stopped (one the loop never started
        #: would otherwise warn "never awaited" whenever it is collected).
        self._abandoned: list[Coroutine[Any, Any, Any]] = []
        try:
            self.run(self._open(path), START_SECONDS, "start")
        except BaseException:
            self.close()
            raise

    async def _open(self, path: str) -> None:
        # Kept before it opens, so that a browser that never answers can still be killed.
        self._kaleido = kaleido.Kaleido(n=1, path=path, mathjax=False, timeout=RENDER_SECONDS)
        await self._kaleido.open()

    def run(self, coroutine: Coroutine[Any, Any, _T], seconds: float, what: str) -> _T:
        """Run ``coroutine`` on the browser's loop; its result, or ``ChartExportError`` after
        ``seconds`` or on any failure."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=seconds)
        except concurrent.futures.TimeoutError as exc:
            future.cancel()
            self._abandoned.append(coroutine)
            raise ChartExportTimeout(
                f"chart browser did not {what} within {seconds:.0f} s"
            ) from exc
        except Exception as exc:  # kaleido raises several unrelated types; keep the cause
            raise ChartExportError(f"chart export failed ({what}): {exc}") from exc

    def svg(self, figure: dict[str, Any], width: int, height: int) -> bytes:
        """The figure as SVG bytes."""
        assert self._kaleido is not None
        options = {"format": "svg", "width": width, "height": height, "scale": 1}
        data = self.run(
            self._kaleido.calc_fig(figure, opts=options),
            RENDER_SECONDS,
            "render a chart",
        )
        return bytes(data)

    def close(self) -> None:
        """Close the browser (killing its process when it does not close) and the loop, waiting
        at most ``CLOSE_SECONDS`` for each."""
        if self._kaleido is not None:
            try:
                self.run(self._kaleido.close(), CLOSE_SECONDS, "close")
            except ChartExportError:
                pass  # killed below
            process = getattr(self._kaleido, "subprocess", None)
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(CLOSE_SECONDS)
            self._kaleido = None
        try:
            self.run(_cancel_pending_tasks(), CLOSE_SECONDS, "cancel its tasks")
        except ChartExportError:
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(CLOSE_SECONDS)
        if not self._thread.is_alive():
            self._loop.close()
            for coroutine in self._abandoned:
                coroutine.close()


async def _cancel_pending_tasks() -> None:
    """Cancel what the browser left running and collect the outcomes, so that no task's error
    is reported later from whichever thread collects it."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _log_without_traceback(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The loop's error report in one line. The default handler formats a traceback, which in
    Python 3.11 parses source with ``ast`` in this thread; ``ast`` is not thread-safe there
    ("AST constructor recursion depth mismatch" in a test parsing files at the same moment)."""
    _log.warning("chart browser: %s (%r)", context.get("message"), context.get("exception"))


_browser: _Browser | None = None


def _ensure_browser(browser_path: str | None) -> _Browser:
    global _browser
    if _browser is None:
        path = browser_path or shutil.which("chromium") or shutil.which("chromium-browser")
        if path is None:
            raise ChartExportError(
                "static chart export needs Chromium: install the Debian package 'chromium'"
            )
        _browser = _Browser(path)
    return _browser


def _discard_browser() -> None:
    global _browser
    if _browser is not None:
        _browser.close()
        _browser = None


def figure_to_svg(
    fig: go.Figure | dict[str, Any],
    *,
    width: int = 640,
    height: int = 480,
    browser_path: str | None = None,
) -> str:
    """The figure (a ``go.Figure`` or a figure specification as plain dicts) as an SVG document;
    text keeps its font-family, so CJK renders in the PDF. ``width``/``height`` in CSS pixels.

    Waits at most ``START_SECONDS`` for the browser to start and ``RENDER_SECONDS`` for the
    figure. After a failure the browser is discarded; a failure that is not a timeout (the
    browser died, or its page was not ready: kaleido's "kaleido_scopes is not defined" on a
    loaded machine) is retried once on a fresh browser, a timeout is not (it would double the
    wait).

    Raises
    ------
    ChartExportTimeout
        The browser did not start or answer in time.
    ChartExportError
        Chromium is missing, or the export failed twice.
    """
    figure = (fig if isinstance(fig, go.Figure) else go.Figure(fig)).to_dict()
    with _LOCK:
        try:
            data = _export(figure, width, height, browser_path)
        except ChartExportTimeout:
            raise
        except ChartExportError as first:
            _log.warning("chart export failed, retrying on a fresh browser: %s", first)
            data = _export(figure, width, height, browser_path)
    return data.decode("utf-8")


def _export(figure: dict[str, Any], width: int, height: int, browser_path: str | None) -> bytes:
    """One export on the warm browser (started if there is none), discarded on failure. The
    caller holds ``_LOCK``."""
    browser = _ensure_browser(browser_path)
    try:
        return browser.svg(figure, width, height)
    except ChartExportError:
        _discard_browser()
        raise


def start_export_server(browser_path: str | None = None) -> None:
    """Start this process's warm browser now (a worker's start-up), so that the first PDF does
    not pay for it. Idempotent. Raises ``ChartExportError`` when Chromium is missing or does not
    start within ``START_SECONDS``."""
    with _LOCK:
        _ensure_browser(browser_path)


def stop_export_server() -> None:
    """Stop the warm browser (tests, shutdown). The next export starts a new one."""
    with _LOCK:
        _discard_browser()


@atexit.register
def _stop_at_exit() -> None:
    # Never hang a process's exit on an export stuck holding the lock.
    if _LOCK.acquire(timeout=CLOSE_SECONDS):
        try:
            _discard_browser()
        finally:
            _LOCK.release()
