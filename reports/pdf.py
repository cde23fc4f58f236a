"""PDF rendering with WeasyPrint through the package's own Jinja environment (no request needed)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from reports.chart_export import figure_to_svg
from reports.charts import radar_figure
from reports.formatting import moment
from reports.i18n import HTML_LANG, gettext_for
from reports.viewmodels import EnterpriseReport

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment


def warm_templates() -> None:
    """Compile every report template now (web and job workers call it at start, so the first
    PDF does not pay for it)."""
    environment = _environment()
    for name in environment.list_templates(extensions=("html",)):
        environment.get_template(name)


@cache
def _fonts() -> FontConfiguration:
    # One configuration per process: the first render pays for font discovery.
    return FontConfiguration()


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_enterprise_html(report: EnterpriseReport, chart_svgs: Mapping[str, str]) -> str:
    """The report as standalone HTML (what the PDF is printed from); all text is escaped."""
    template = _environment().get_template("enterprise_report.html")
    return template.render(
        r=report,
        _=gettext_for(report.lang),
        html_lang=HTML_LANG.for_locale(report.lang),
        moment=lambda value: moment(value, report.lang),
        charts={name: _svg_data_uri(svg) for name, svg in chart_svgs.items()},
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
    )


def render_enterprise_pdf(
    report: EnterpriseReport,
    *,
    chart_svgs: Mapping[str, str] | None = None,
    browser_path: str | None = None,
) -> bytes:
    """The enterprise report as A4 PDF bytes with the Noto Sans CJK SC font embedded.

    Parameters
    ----------
    chart_svgs : mapping, optional
        Pre-rendered charts by name ("radar"); when omitted the radar is exported here from the
        same plotly figure the web page shows.

    Raises
    ------
    reports.chart_export.ChartExportError
        The radar had to be exported and no browser was available.
    """
    if chart_svgs is None:
        chart_svgs = {"radar": figure_to_svg(radar_figure(report), browser_path=browser_path)}
    html = render_enterprise_html(report, chart_svgs)
    document = HTML(string=html, base_url=str(TEMPLATES)).render(font_config=_fonts())
    return document.write_pdf()  # type: ignore[no-any-return]


def render_html_pdf(template: str, locale: str, **context: object) -> bytes:
    """Any report template in ``reports/templates`` as PDF bytes (same fonts and CSS base).

    The template's fixed texts are in ``locale``'s language (``_()``, ``reports.i18n``);
    ``context`` may hold ``chart`` (an SVG string), which is embedded as a data URI.
    """
    chart = context.pop("chart", None)
    html = (
        _environment()
        .get_template(template)
        .render(
            chart=_svg_data_uri(str(chart)) if chart else None,
            css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
            _=gettext_for(locale),
            html_lang=HTML_LANG.for_locale(locale),
            **context,
        )
    )
    document = HTML(string=html, base_url=str(TEMPLATES)).render(font_config=_fonts())
    return document.write_pdf()  # type: ignore[no-any-return]
