"""plotly figures of a cohort: stage distribution, path segment profiles, persona heatmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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


def _written_heatmap(
    z: Sequence[Sequence[float]],
    x: Sequence[str],
    y: Sequence[str],
    value_format: str,
    hover: str,
    **scale: object,
) -> go.Figure:
    """A heatmap of ``z`` (``z[i][j]``: row ``y[i]``, column ``x[j]``) with each value written
    in its cell by ``value_format`` (a ``str.format`` pattern); ``hover`` is the plotly hover
    template and ``scale`` the colour settings (``colorscale``, ``zmin``/``zmax`` or ``zmid``,
    ``showscale``)."""
    return go.Figure(
        go.Heatmap(
            z=z,
            x=list(x),
            y=list(y),
            text=[[value_format.format(v) for v in row] for row in z],
            texttemplate="%{text}",
            hovertemplate=hover,
            **scale,
        )
    )


def segment_profile_figure(
    segments: Sequence[str], columns: Sequence[str], profiles: Sequence[Sequence[float]]
) -> go.Figure:
    """Path profiles of segments: a diverging heatmap, one column per segment and one row per
    profile column (rows read across on a phone), of points above (blue) or below (orange) each
    segment's firms' own mean, values written in the cells. ``profiles[i][j]``: segment i,
    column j."""
    by_column = [[row[j] for row in profiles] for j in range(len(columns))]
    fig = _written_heatmap(
        by_column,
        segments,
        columns,
        "{:+.0f}",
        "%{x}<br>%{y}: %{z:+.1f}<extra></extra>",
        zmid=0,
        colorscale=[[0.0, "#D55E00"], [0.5, "#FFFFFF"], [1.0, "#0072B2"]],
        showscale=False,
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    return _layout(fig, 80 + 34 * len(columns))


def persona_heatmap_figure(
    personas: Sequence[str], dimensions: Sequence[str], means: Sequence[Sequence[float]]
) -> go.Figure:
    """Heatmap of mean dimension scores (0-100) per persona, values written in the cells."""
    fig = _written_heatmap(
        means,
        dimensions,
        personas,
        "{:.0f}",
        "%{y}<br>%{x}: %{z:.1f}<extra></extra>",
        zmin=0,
        zmax=100,
        colorscale="Blues",
    )
    fig.update_xaxes(tickangle=-35)
    return _layout(fig, 200 + 36 * len(personas))
