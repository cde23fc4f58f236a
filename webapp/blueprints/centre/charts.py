"""Cohort chart fragments for the staff page (interactive plotly, plotly.js served locally)."""

from __future__ import annotations

from assessment.types import Stage
from reports.charts import figure_html
from reports.cohort_charts import cohort_map_figure, persona_heatmap_figure, stage_bar_figure
from webapp.services.cohorts import CohortCharts


def cohort_figures(charts: CohortCharts, lang: str) -> dict[str, str]:
    """HTML fragments by name: "stages", "map", "heatmap" (absent when there is no data)."""
    names = {s.code: s.label.for_locale(lang) for s in Stage}
    out = {}
    if charts.stage_counts:
        out["stages"] = figure_html(stage_bar_figure(charts.stage_counts, names), "chart-stages")
    if len(charts.map_points) >= 3:
        axes = ("PC1", "PC2")
        out["map"] = figure_html(cohort_map_figure(charts.map_points, axes), "chart-map")
    if charts.heatmap is not None:
        out["heatmap"] = figure_html(persona_heatmap_figure(*charts.heatmap), "chart-heatmap")
    return out
