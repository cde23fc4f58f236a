"""Build the enterprise report view-model from stored rows, and render it.

The same view-model feeds the result page (interactive plotly radar) and the PDF (static SVG of
the same figure), so the two cannot disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from assessment.types import IndustryCluster
from models import Assessment, Enterprise
from reports.charts import figure_html, radar_figure
from reports.formatting import local_date
from reports.pdf import render_enterprise_pdf
from reports.viewmodels import EnterpriseReport, ReportInputs, build_enterprise_report
from webapp.extensions import db
from webapp.services import (
    assessments,
    catalogue,
    onsite,
    peers,
    roadmaps,
    round_changes,
    snapshots,
)
from webapp.services.errors import NotFoundError


def report_inputs(assessment: Assessment) -> ReportInputs:
    """Everything the report of a submitted assessment is built from, loaded from the database:
    the enterprise, its answers and result, the catalogue, the peer groups and
    (version 2) the roadmap.

    Raises ``AssertionError`` for an assessment that is not submitted (callers check first).
    """
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    result = snapshots.result_of(assessment)
    assert result is not None, "only submitted assessments have a report"
    next_stage = result.stage.stage.next
    cluster_peers = peers.cluster_peers(assessment.round_code, enterprise.cluster)
    target = peers.stage_peers(assessment.round_code, next_stage.code) if next_stage else None
    bench_count, ranks = peers.percentiles(assessment, enterprise)
    submitted = assessment.submitted_at or datetime.now(UTC)
    instrument = assessments.instrument_of(assessment)
    profile = snapshots.assessment_profile(assessment, enterprise)
    responses = snapshots.responses_of(assessment)
    current = catalogue.current_catalogue()
    figures = roadmaps.figures_of(enterprise)
    return ReportInputs(
        enterprise_name=enterprise.name,
        uscc=enterprise.uscc,
        industry_code=enterprise.industry_code,
        town=enterprise.town,
        cluster=IndustryCluster(enterprise.cluster),
        profile=profile,
        round_code=assessment.round_code,
        submitted_on=local_date(submitted),
        instrument=instrument,
        responses=responses,
        result=result,
        catalogue=current,
        peer_medians=cluster_peers.medians,
        peer_count=cluster_peers.count,
        target_medians=target.medians if target else None,
        benchmark_count=bench_count,
        percentiles=ranks,
        instrument_version=f"{assessment.instrument_id}-v{assessment.instrument_version}",
        scoring_version=assessment.scoring_version or "",
        generated_at=datetime.now(UTC),
        roadmap=roadmaps.firm_roadmap(instrument, profile, responses, result, figures, current),
        change=round_changes.change_from_previous_round(assessment),
        peer_round=cluster_peers.round_code,
        shown=onsite.shown_stages([assessment]).get(assessment.id),
        verified=onsite.verified_of(onsite.rating_of(assessment.id)),
    )


def build_report(assessment: Assessment, lang: str) -> EnterpriseReport:
    """The report of a submitted assessment in ``lang`` ("zh" or "en"): loaded by
    ``report_inputs``, built by ``reports.viewmodels.build_enterprise_report``."""
    return build_enterprise_report(report_inputs(assessment), lang)


def radar_html(report: EnterpriseReport) -> str:
    """The interactive radar for the result page (plotly.js is served locally)."""
    return figure_html(radar_figure(report), "radar")


def render_pdf(assessment: Assessment, lang: str) -> bytes:
    """The report as PDF bytes (charts exported as SVG from the same plotly figures)."""
    return render_enterprise_pdf(build_report(assessment, lang))


def pdf_filename(assessment: Assessment, lang: str) -> str:
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    return f"report-{enterprise.uscc}-{assessment.round_code}-{lang}.pdf"


def latest_submitted_by_uscc(uscc: str) -> Assessment:
    """The latest submitted assessment of the enterprise with this USCC.

    Raises
    ------
    NotFoundError
        No such enterprise, or it has no submitted assessment.
    """
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
    if enterprise is None:
        raise NotFoundError(f"no enterprise with USCC {uscc}")
    assessment = assessments.latest_submitted(enterprise.id)
    if assessment is None:
        raise NotFoundError(f"enterprise {uscc} has no submitted assessment")
    return assessment
