"""plotly figures for the reports: the same figure is interactive in pages and static in PDFs."""

from __future__ import annotations

import functools
import html
import json
import math
import textwrap
import unicodedata
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go

from reports.formatting import display_width
from reports.i18n import gettext_for
from reports.viewmodels import EnterpriseReport

FONT_FAMILY = "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
#: Colour-blind-safe pair (Okabe-Ito blue and vermillion) plus grey; lines also differ in dash.
COLOURS = {"you": "#0072B2", "peers": "#6B6B6B", "target": "#D55E00"}


def _closed(values: list[float], names: list[str]) -> tuple[list[float], list[str]]:
    return values + values[:1], names + names[:1]


#: Longest line of a dimension label around the radar, in Latin characters (a Chinese character
#: counts two). English names of up to 34 characters otherwise reach past the edge of a 375-px
#: phone, as does the longest Chinese name (10 characters).
LABEL_WIDTH = 14


def wrap_label(name: str, width: int = LABEL_WIDTH) -> str:
    """``name`` broken into lines of at most about ``width`` (see ``LABEL_WIDTH``), joined with
    ``<br>`` as plotly writes line breaks.

    Words break on spaces (a longer single word keeps its own line); Chinese, which has no
    spaces, breaks once, after an enumeration comma "、" when there is one, else in the middle
    (the first line the longer: 经营管理/数字化, not 经营管/理数字化).
    """
    if display_width(name) <= width:
        return name
    if " " in name:
        return "<br>".join(textwrap.wrap(name, width, break_long_words=False))
    cut = name.find("、") + 1 or (len(name) + 1) // 2
    return name[:cut] + "<br>" + name[cut:]


#: Rough advance of a character in ems, for sizing the phone layout's margins before plotly.js
#: draws the text: CJK one em, narrow Latin letters and punctuation less, wide ones more.
_NARROW_CHARS = frozenset("fijlrtI.,;:'!|()- ")
_WIDE_CHARS = frozenset("mwMW&")


def _text_px(line: str, size: float) -> float:
    ems = 0.0
    for c in line:
        if unicodedata.east_asian_width(c) in "WF":
            ems += 1.0
        elif c in _NARROW_CHARS:
            ems += 0.33
        elif c in _WIDE_CHARS:
            ems += 0.85
        elif c.isupper() or c.isdigit():
            ems += 0.62
        else:
            ems += 0.56
    return ems * size


def _narrow_layout(names: list[str]) -> tuple[list[str], dict[str, Any]]:
    """Labels and layout of the radar on a phone (``NARROW``): names wrapped shorter (those at
    the top and bottom of the circle may be twice as wide, they stand centred), and side margins
    just wide enough for the labels beside the circle, so the circle gets the rest of the width.
    Top and bottom margins hold the top and bottom labels, the bottom one the legend too."""
    size = NARROW["label_size"]
    line_px = size * 1.3
    count = len(names)
    wrapped: list[str] = []
    left = right = top = bottom = 0.0
    for i, name in enumerate(names):
        angle = math.radians(i * 360 / count)  # clockwise from the top
        x, y = math.sin(angle), math.cos(angle)
        upright = abs(x) < 0.5
        label = wrap_label(name, NARROW["label_width"] * (2 if upright else 1))
        wrapped.append(label)
        lines = label.split("<br>")
        if upright:
            height = len(lines) * line_px
            if y > 0:
                top = max(top, height)
            else:
                bottom = max(bottom, height)
            continue
        # Beside the circle the label starts a few pixels out from the rim; a slanting spoke
        # ends inside the rim's widest point, by (1 - |x|) of the radius (about 70 px on a
        # phone).
        need = max(_text_px(line, size) for line in lines) + 8 - 70 * (1 - abs(x))
        if x < 0:
            left = max(left, need)
        else:
            right = max(right, need)
    layout = {
        **NARROW["layout"],
        "margin.l": math.ceil(max(left, 24)),
        "margin.r": math.ceil(max(right, 24)),
        "margin.t": math.ceil(top + 16),
        "margin.b": math.ceil(bottom + 16 + NARROW["legend_height"]),
    }
    return wrapped, layout


def radar_figure(report: EnterpriseReport) -> dict[str, Any]:
    """Radar of dimension scores (0-100): the enterprise, the peer median, the next-stage target.

    Returns a plotly figure specification (``{"data": [...], "layout": {...}}``, plotly's JSON
    schema) as plain dicts and lists: building ``go.Figure`` objects validates every property and
    cost ~25 ms per result page; ``go.Figure(spec)`` validates the same spec (the unit tests do).
    Traces whose values are missing for some dimension (too few peers) are left out rather than
    drawn with gaps. The polygon is closed by repeating the first point.
    """
    _ = gettext_for(report.lang)
    full_names = [d.name for d in report.dimensions]
    names = [wrap_label(name) for name in full_names]
    narrow_names, narrow_layout = _narrow_layout(full_names)
    series: list[tuple[str, str, list[float | None], str, str]] = [
        ("you", _("本企业"), [d.score for d in report.dimensions], "solid", "toself"),
        ("peers", _("同行中位数"), [d.peer_median for d in report.dimensions], "dot", "none"),
        ("target", _("下一阶段目标"), [d.target for d in report.dimensions], "dash", "none"),
    ]
    traces: list[dict[str, Any]] = []
    for key, label, values, dash, fill in series:
        present = [float(v) for v in values if v is not None]
        if len(present) < len(values):
            continue
        r, theta = _closed(present, names)
        trace: dict[str, Any] = {
            "type": "scatterpolar",
            "r": r,
            "theta": theta,
            "name": label,
            "mode": "lines+markers",
            "fill": fill,
            "line": {"color": COLOURS[key], "dash": dash, "width": 2.5},
            "marker": {"size": 6},
            "customdata": full_names + full_names[:1],  # hover shows the unbroken name
            "hovertemplate": "%{customdata}: %{r:.1f}<extra>" + label + "</extra>",
        }
        if fill == "toself":
            trace["fillcolor"] = "rgba(0,114,178,0.15)"
        traces.append(trace)
    layout = {
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1d2733"},
        "polar": {
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [20, 40, 60, 80, 100],
                "angle": 67.5,  # between two spokes, clear of the top label
                "tickfont": {"size": 10},
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90},
        },
        # Room for three-line labels above and below the circle and beside it; the legend sits
        # at the foot of the whole figure, clear of the bottom label.
        "legend": {
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0.01,
            "x": 0.5,
            "xanchor": "center",
        },
        "margin": {"l": 110, "r": 110, "t": 64, "b": 96},
        "paper_bgcolor": "white",
        "showlegend": True,
        "meta": {
            "narrow": {
                "below": NARROW["below"],
                "layout": narrow_layout,
                "theta": narrow_names + narrow_names[:1],
                "square": True,
            }
        },
        "template": default_template(),
    }
    return {"data": traces, "layout": layout}


@functools.cache
def default_template() -> dict[str, Any]:
    """plotly's default template as plain JSON, once per process: the look ``go.Figure`` would
    give a specification, which plotly.js and kaleido do not add by themselves."""
    template: dict[str, Any] = json.loads(go.Figure().to_json())["layout"]["template"]
    return template


#: How ``static/app.js`` draws the radar when it is narrower than ``below`` pixels (phones):
#: labels of ``label_size`` pixels wrapped at ``label_width`` (``wrap_label``), side margins
#: fitted to them (``_narrow_layout``) so the circle gets the rest of the width, no "100" at
#: the rim where it met a label, and a box only as tall as the circle, its labels and the
#: legend (``legend_height``: its three rows) need. ``layout`` keys are plotly's dotted paths.
NARROW: dict[str, Any] = {
    "below": 520,
    "label_width": 12,
    "label_size": 11,
    "legend_height": 70,
    "layout": {
        "polar.angularaxis.tickfont.size": 11,
        "polar.radialaxis.tickfont.size": 9,
        "polar.radialaxis.tickvals": [20, 40, 60, 80],
        "legend.font.size": 12,
    },
}


def figure_html(fig: go.Figure | dict[str, Any], div_id: str) -> str:
    """An interactive chart for a page: a ``<div>`` carrying the figure as JSON.

    No inline script: the page's ``static/app.js`` draws every ``[data-plotly-figure]`` with
    plotly.js (served by the app, not a CDN), so the content security policy can forbid inline
    scripts. The JSON is HTML-escaped inside the attribute. ``fig`` is a ``go.Figure`` or a figure
    specification as plain dicts (``radar_figure``). The box is as tall as the figure's own
    ``layout.height`` (pixels; a ranking grows with its rows), else ``DEFAULT_HEIGHT``.
    """
    figure = json.loads(fig.to_json()) if isinstance(fig, go.Figure) else dict(fig)
    figure["config"] = {"displaylogo": False, "responsive": True}
    height = int(figure.get("layout", {}).get("height") or DEFAULT_HEIGHT)
    payload = html.escape(json.dumps(figure, separators=(",", ":")), quote=True)
    return (
        f'<div id="{html.escape(div_id)}" class="plotly-chart" style="height:{height}px;'
        f'width:100%" data-plotly-figure="{payload}"></div>'
    )


#: Height (pixels) of a page chart whose figure does not set its own.
DEFAULT_HEIGHT = 460


def plotly_js_path() -> Path:
    """plotly.min.js as shipped inside the installed plotly package."""
    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
