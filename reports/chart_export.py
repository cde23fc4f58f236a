"""Static export of plotly figures (SVG) for PDFs, through kaleido and a headless Chromium.

kaleido 1.x drives a browser. Starting one costs ~3 s, so each process keeps one warm server,
started lazily on first use (never at import, never before a fork). The server is not
thread-safe - concurrent calls were seen to return each other's figures - so every export holds
``_LOCK``. One browser costs about 0.5 GiB; in production, export charts in job workers or
keep one server per web worker process.
"""

from __future__ import annotations

import shutil
import threading
import warnings
from typing import Any

import kaleido
import plotly.graph_objects as go
import plotly.io as pio

_LOCK = threading.Lock()
_started = False


class ChartExportError(RuntimeError):
    """No browser to export with, or the export itself failed."""


def _ensure_server(browser_path: str | None) -> None:
    global _started
    if _started:
        return
    path = browser_path or shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise ChartExportError(
            "static chart export needs Chromium: install the Debian package 'chromium'"
        )
    kaleido.start_sync_server(n=1, path=path, mathjax=False, silence_warnings=True)
    _started = True


def figure_to_svg(
    fig: go.Figure | dict[str, Any],
    *,
    width: int = 640,
    height: int = 480,
    browser_path: str | None = None,
) -> str:
    """The figure (a ``go.Figure`` or a figure specification as plain dicts) as an SVG document;
    text keeps its font-family, so CJK renders in the PDF. ``width``/``height`` in CSS pixels.

    Raises
    ------
    ChartExportError
        Chromium is missing, or kaleido failed to render the figure.
    """
    with _LOCK:
        _ensure_server(browser_path)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "The kopts argument is ignored")
                data: bytes = pio.to_image(fig, format="svg", width=width, height=height)
        except Exception as exc:  # kaleido raises several unrelated types; keep the cause
            raise ChartExportError(f"chart export failed: {exc}") from exc
    return data.decode("utf-8")


def start_export_server(browser_path: str | None = None) -> None:
    """Start this process's warm browser now (a worker's start-up), so that the first PDF does
    not pay for it. Idempotent. Raises ``ChartExportError`` when Chromium is missing."""
    with _LOCK:
        _ensure_server(browser_path)


def stop_export_server() -> None:
    """Stop the warm browser (tests, shutdown). The next export starts a new one."""
    global _started
    with _LOCK:
        if _started:
            kaleido.stop_sync_server(silence_warnings=True)
            _started = False
