"""The chart browser never makes a caller wait without bound: a browser that does not start gives
``ChartExportTimeout`` at once; a browser that died is replaced and the export done again once;
an export that fails twice gives ``ChartExportError``, and the next export starts a fresh browser.

kaleido's own synchronous server waited on a queue with no timeout; when its browser died, the
next PDF blocked forever (a CI run stalled until its 90-minute limit)."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from reports import chart_export
from reports.chart_export import ChartExportError, figure_to_svg, stop_export_server

pytestmark = [
    pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium"),
    # Each starts and kills browsers (about 10 s): CI runs them, the quick loop leaves them out.
    pytest.mark.load,
]

FIGURE = {"data": [{"type": "bar", "x": ["甲", "乙"], "y": [1, 2]}], "layout": {}}


@pytest.fixture(autouse=True)
def _fresh_browser() -> object:
    stop_export_server()
    yield None
    stop_export_server()


def test_a_browser_that_never_answers_is_an_error_after_the_start_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mute = tmp_path / "mute-chromium"
    mute.write_text("#!/bin/sh\nexec sleep 600\n")  # starts, never speaks the devtools protocol
    mute.chmod(0o755)
    monkeypatch.setattr(chart_export, "START_SECONDS", 2.0)
    monkeypatch.setattr(chart_export, "CLOSE_SECONDS", 2.0)
    with pytest.raises(ChartExportError, match="did not start within 2 s"):
        figure_to_svg(FIGURE, browser_path=str(mute))
    monkeypatch.undo()
    assert "甲" in figure_to_svg(FIGURE)  # the next export starts a working browser


def test_a_browser_killed_between_exports_is_replaced_and_the_export_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert "甲" in figure_to_svg(FIGURE)
    browser = chart_export._browser
    assert browser is not None and browser._kaleido is not None
    os.kill(browser._kaleido.subprocess.pid, signal.SIGKILL)
    # the dead browser's export fails, is logged, and is done again on a fresh browser
    assert "乙" in figure_to_svg(FIGURE)
    assert chart_export._browser is not browser
    assert any("retrying on a fresh browser" in r.getMessage() for r in caplog.records)


def test_an_export_that_fails_twice_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> bytes:
        raise ChartExportError(
            "chart export failed (render a chart): kaleido_scopes is not defined"
        )

    monkeypatch.setattr(chart_export._Browser, "svg", broken)
    with pytest.raises(ChartExportError, match="kaleido_scopes"):
        figure_to_svg(FIGURE)
    assert chart_export._browser is None  # discarded: the next export starts a fresh one
