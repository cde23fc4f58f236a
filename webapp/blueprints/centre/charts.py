"""Cohort chart fragments for the staff page (interactive plotly, plotly.js served locally)."""

from __future__ import annotations

from assessment.paths import PROFILE_COLUMNS
from assessment.types import Stage
from reports.charts import figure_html
from reports.cohort_charts import persona_heatmap_figure, segment_profile_figure, stage_bar_figure
from webapp.services.cohorts import CohortCharts


def cohort_figures(charts: CohortCharts, lang: str) -> dict[str, str]:
    """HTML fragments by name: "stages", "segments", "heatmap" (absent when there is no data)."""
    names = {s.code: s.label.for_locale(lang) for s in Stage}
    out = {}
    if charts.stage_counts:
        out["stages"] = figure_html(stage_bar_figure(charts.stage_counts, names), "chart-stages")
    if charts.segments is not None:
        segments = charts.segments.segments
        figure = segment_profile_figure(
            [s.title.for_locale(lang) for s in segments],
            [c.name.for_locale(lang) for c in PROFILE_COLUMNS],
            [[s.profile[c.code] for c in PROFILE_COLUMNS] for s in segments],
        )
        out["segments"] = figure_html(figure, "chart-segments")
    if charts.heatmap is not None:
        out["heatmap"] = figure_html(persona_heatmap_figure(*charts.heatmap), "chart-heatmap")
    return out
