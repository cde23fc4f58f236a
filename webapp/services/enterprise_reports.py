"""Build the enterprise report view-model from stored rows, and render it.

The same view-model feeds the result page (interactive plotly radar) and the PDF (static SVG of
the same figure), so the two cannot disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from assessment.catalogue import PRICE_BANDS
from assessment.classification import MANUFACTURING_DIVISIONS, TOWNS
from assessment.costs import enterprise_cost
from assessment.matching import recommend
from assessment.tasks import task_list
from assessment.types import (
    AssessmentResult,
    IndustryCluster,
    Stage,
)
from models import Assessment, Enterprise
from reports.charts import figure_html, radar_figure
from reports.pdf import render_enterprise_pdf
from reports.viewmodels import (
    ConditionRow,
    DimensionRow,
    EnterpriseReport,
    RecommendationRow,
    SolutionRow,
    TaskRow,
)
from webapp.extensions import db
from webapp.services import assessments, catalogue, peers, settings, snapshots
from webapp.services.errors import NotFoundError

_TOWN_NAMES = {t.code: (t.name_zh, t.name_en) for t in TOWNS}


def _pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def build_report(assessment: Assessment, lang: str) -> EnterpriseReport:
    """The report of a submitted assessment in ``lang`` ("zh" or "en")."""
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    result: AssessmentResult | None = snapshots.result_of(assessment)
    assert result is not None, "only submitted assessments have a report"
    instrument = assessments.instrument_of(assessment)
    profile = snapshots.assessment_profile(assessment, enterprise)
    responses = snapshots.responses_of(assessment)
    stage = result.stage.stage
    next_stage = stage.next

    cluster_peers = peers.cluster_peers(assessment.round_code, enterprise.cluster)
    target = peers.stage_peers(assessment.round_code, next_stage.code) if next_stage else None
    bench_count, ranks = peers.percentiles(assessment, enterprise)
    dimensions = tuple(
        DimensionRow(
            code=dim.code,
            name=_pick(lang, dim.name_zh, dim.name_en),
            score=result.scorecard.dimension_scores[dim.code],
            peer_median=cluster_peers.medians.get(dim.code),
            target=target.medians.get(dim.code) if target else None,
            percentile=ranks.get(dim.code),
        )
        for dim in instrument.dimensions
    )
    tasks = task_list(instrument, profile, responses, result)
    names = {d.code: (d.name_zh, d.name_en) for d in instrument.dimensions}
    current = catalogue.current_catalogue()
    # Contacts and demo flags come from the catalogue already loaded, not one query per match.
    entries = {c.code: c for c in current.centres} | {p.code: p for p in current.providers}
    matches = recommend(profile, result, tasks, current, dimension_names=names)
    shares = settings.cost_shares()
    division = MANUFACTURING_DIVISIONS.get(enterprise.industry_code, ("", ""))
    cluster = IndustryCluster(enterprise.cluster)
    town = _TOWN_NAMES.get(enterprise.town, (enterprise.town, enterprise.town))
    submitted = assessment.submitted_at or datetime.now(UTC)
    return EnterpriseReport(
        lang=lang,
        enterprise_name=enterprise.name,
        uscc=enterprise.uscc,
        industry=f"{enterprise.industry_code} {_pick(lang, *division)}",
        cluster=_pick(lang, cluster.label_zh, cluster.label_en),
        production_type=_pick(
            lang, profile.production_type.label_zh, profile.production_type.label_en
        ),
        size_class=_pick(lang, profile.size_class.label_zh, profile.size_class.label_en),
        town=_pick(lang, *town),
        assessed_on=submitted.date(),
        round_label=assessment.round_code,
        stage_code=stage.code,
        stage_name=_pick(lang, stage.label_zh, stage.label_en),
        stage_meaning=_pick(lang, stage.meaning_zh, stage.meaning_en),
        next_stage_name=_pick(lang, next_stage.label_zh, next_stage.label_en)
        if next_stage
        else None,
        maturity_index=result.scorecard.maturity_index,
        peer_group_label=_pick(
            lang,
            f"{cluster.label_zh}产业集群 · {assessment.round_code} 批次",
            f"{cluster.label_en} cluster · round {assessment.round_code}",
        ),
        peer_count=cluster_peers.count,
        dimensions=dimensions,
        unmet_conditions=tuple(
            ConditionRow(g.code, _pick(lang, g.text_zh, g.text_en)) for g in result.stage.unmet_next
        ),
        tasks=tuple(
            TaskRow(
                order=i + 1,
                title=_pick(lang, t.title_zh, t.title_en),
                detail=_pick(lang, t.detail_zh, t.detail_en),
                dimension_name=_pick(
                    lang,
                    instrument.dimension(t.dimension).name_zh,
                    instrument.dimension(t.dimension).name_en,
                ),
                solutions=_task_solutions(t, matches.solutions, current, lang),
            )
            for i, t in enumerate(tasks)
        ),
        centres=tuple(_row(m, lang, entries) for m in matches.centres),
        providers=tuple(_row(m, lang, entries) for m in matches.providers),
        instrument_version=f"{assessment.instrument_id}-v{assessment.instrument_version}",
        scoring_version=assessment.scoring_version or "",
        generated_at=datetime.now(UTC),
        stages=tuple((s.code, _pick(lang, s.label_zh, s.label_en)) for s in Stage),
        index_percentile=ranks.get("index"),
        benchmark_label=_pick(
            lang,
            f"{cluster.label_zh} · {profile.size_class.label_zh}企业 · {assessment.round_code} 批次",
            f"{cluster.label_en} · {profile.size_class.label_en} · round {assessment.round_code}",
        ),
        benchmark_count=bench_count,
        solutions=tuple(_solution_rows(matches.solutions, current, lang, shares)),
        cost_note=_pick(
            lang,
            f"费用按“赋能中心让一点、政府补一点、企业出一点”估算：中心优惠 {shares.centre:g}%、"
            f"政府补贴 {shares.government:g}%（仅限可补贴方案）、企业承担 {shares.enterprise:g}%。"
            "仅为估算，以服务商报价和实际政策为准。",
            f"Costs are estimated under 'the centre gives a little, government subsidises a "
            f"little, the enterprise pays a little': centre discount {shares.centre:g}%, "
            f"subsidy {shares.government:g}% (eligible solutions only), enterprise "
            f"{shares.enterprise:g}%. Estimates only; the provider's quote and the policy in "
            "force decide.",
        ),
    )


def _row(match: object, lang: str, entries: dict[str, Any]) -> RecommendationRow:
    entry = entries.get(match.code)  # type: ignore[attr-defined]
    return RecommendationRow(
        name=_pick(lang, match.name_zh, match.name_en),  # type: ignore[attr-defined]
        kind=_pick(lang, match.kind_zh, match.kind_en),  # type: ignore[attr-defined]
        reasons=tuple(match.reasons_en if lang == "en" else match.reasons_zh),  # type: ignore[attr-defined]
        contact=entry.contact if entry is not None else "",
        is_demo=bool(entry.is_demo) if entry is not None else False,
        code=match.code,  # type: ignore[attr-defined]
    )


def _task_solutions(
    task: Any, matches: tuple[Any, ...], current: Any, lang: str
) -> tuple[str, ...]:
    """Up to two recommended solutions that close the task's gate (else serve its dimension)."""
    by_code = {s.code: s for s in current.solutions}
    closing = [m for m in matches if task.gate and task.gate in by_code[m.code].gates]
    serving = [m for m in matches if task.dimension in by_code[m.code].dimensions]
    chosen = (closing or serving)[:2]
    return tuple(_pick(lang, m.name_zh, m.name_en) for m in chosen)


def _solution_rows(
    matches: tuple[Any, ...], current: Any, lang: str, shares: Any
) -> list[SolutionRow]:
    by_code = {s.code: s for s in current.solutions}
    rows = []
    for m in matches:
        s = by_code[m.code]
        provider = current.provider(s.provider)
        low, high = PRICE_BANDS[s.price_band]
        e_low, e_high = enterprise_cost(s.price_band, s.subsidy_eligible, shares)
        flags = [
            _pick(lang, zh, en)
            for on, zh, en in (
                (s.light_fast, "小快轻准", "light & fast"),
                (s.cloud_voucher, "可用上云服务券", "cloud vouchers"),
                (s.subsidy_eligible, "可申请补贴", "subsidy eligible"),
            )
            if on
        ]
        rows.append(
            SolutionRow(
                name=_pick(lang, s.name_zh, s.name_en),
                provider=_pick(lang, provider.name_zh, provider.name_en)
                if provider
                else s.provider,
                reasons=tuple(m.reasons_en if lang == "en" else m.reasons_zh),
                price=_pick(lang, f"{low:g}–{high:g} 万元", f"CNY {low * 10:g}k–{high * 10:g}k"),
                estimate=_pick(
                    lang,
                    f"约 {e_low:g}–{e_high:g} 万元（估算）",
                    f"about CNY {e_low * 10:g}k–{e_high * 10:g}k (estimate)",
                ),
                flags=tuple(flags),
            )
        )
    return rows


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
