"""plotly figures of a cohort: stage distribution, persona map and persona heatmap."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from reports.charts import FONT_FAMILY

#: Okabe-Ito palette: distinguishable with colour-vision deficiency.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
STAGE_COLOURS = {"S0": "#6B7280", "S1": "#0072B2", "S2": "#7A4FC2", "S3": "#009E73"}


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": 12},
        height=height,
        margin={"l": 50, "r": 20, "t": 30, "b": 40},
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    return fig


def stage_bar_figure(counts: Mapping[str, int | None], stage_names: Mapping[str, str]) -> go.Figure:
    """Bars of enterprises per stage (S0..S3), counts as text on the bars; a suppressed count
    (None) has no bar and the text "x"."""
    codes = ["S0", "S1", "S2", "S3"]
    fig = go.Figure(
        go.Bar(
            x=[f"{c} {stage_names.get(c, '')}" for c in codes],
            y=[counts.get(c, 0) or 0 for c in codes],
            marker_color=[STAGE_COLOURS[c] for c in codes],
            text=["x" if counts.get(c, 0) is None else counts.get(c, 0) for c in codes],
            textposition="outside",
        )
    )
    fig.update_yaxes(gridcolor="#e3e8ee", rangemode="tozero")
    return _layout(fig, 280)


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    persona: str
    label: str  # hover text: enterprise name, stage, index


def cohort_map_figure(points: Sequence[MapPoint], axis_titles: tuple[str, str]) -> go.Figure:
    """Scatter of the cohort on two principal components, one trace (colour, marker) per persona."""
    fig = go.Figure()
    symbols = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")
    for i, persona in enumerate(dict.fromkeys(p.persona for p in points)):
        mine = [p for p in points if p.persona == persona]
        fig.add_trace(
            go.Scatter(
                x=[p.x for p in mine],
                y=[p.y for p in mine],
                mode="markers",
                name=persona,
                text=[p.label for p in mine],
                hovertemplate="%{text}<extra>" + html.escape(persona) + "</extra>",
                marker={
                    "color": PALETTE[i % len(PALETTE)],
                    "symbol": symbols[i % len(symbols)],
                    "size": 8,
                    "opacity": 0.8,
                },
            )
        )
    fig.update_xaxes(title=axis_titles[0], zeroline=False, gridcolor="#e3e8ee")
    fig.update_yaxes(title=axis_titles[1], zeroline=False, gridcolor="#e3e8ee")
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return _layout(fig, 420)


def persona_heatmap_figure(
    personas: Sequence[str], dimensions: Sequence[str], means: Sequence[Sequence[float]]
) -> go.Figure:
    """Heatmap of mean dimension scores (0-100) per persona, values written in the cells."""
    fig = go.Figure(
        go.Heatmap(
            z=means,
            x=list(dimensions),
            y=list(personas),
            zmin=0,
            zmax=100,
            colorscale="Blues",
            text=[[f"{v:.0f}" for v in row] for row in means],
            texttemplate="%{text}",
            hovertemplate="%{y}<br>%{x}: %{z:.1f}<extra></extra>",
        )
    )
    fig.update_xaxes(tickangle=-35)
    return _layout(fig, 200 + 36 * len(personas))
