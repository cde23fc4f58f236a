"""The enterprise report's view-model: plain, already-localised values that the renderers take,
and the pure builder that makes it from ``ReportInputs``. No ORM, no Flask."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from assessment.catalogue import (
    PRICE_BANDS,
    Catalogue,
    EnablingCentre,
    ServiceProvider,
)
from assessment.classification import MANUFACTURING_DIVISIONS, TOWNS
from assessment.costs import ESTIMATE_SHARES, CostShares, enterprise_cost
from assessment.localised import Localised, language_of
from assessment.matching import Match, recommend
from assessment.miit import PARTS
from assessment.onsite import ShownStage, Verified, shown_stage
from assessment.roadmap import Roadmap
from assessment.round_change import RoundChange
from assessment.stages_v2 import stage_narrative
from assessment.tasks import task_list
from assessment.types import (
    MIIT_LEVEL_CODES,
    AssessmentResult,
    Borderline,
    EnterpriseProfile,
    IndustryCluster,
    Instrument,
    Responses,
    Stage,
    Task,
)
from reports import formatting
from reports.basis_view import BasisView, build_basis_view, level_name, stage_note
from reports.i18n import gettext_for
from reports.roadmap_view import RoadmapView, build_roadmap_view
from reports.round_change_view import ChangeView, build_change_view


@dataclass(frozen=True)
class DimensionRow:
    """One dimension: this enterprise's score, the peer median and the next-stage target (0-100)."""

    code: str
    name: str
    score: float
    peer_median: float | None
    target: float | None
    percentile: float | None = None


@dataclass(frozen=True)
class ConditionRow:
    code: str
    text: str


@dataclass(frozen=True)
class TaskRow:
    order: int
    title: str
    detail: str
    dimension_name: str
    solutions: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecommendationRow:
    """A matched enabling centre or service provider with its reasons in words."""

    name: str
    kind: str
    reasons: tuple[str, ...]
    contact: str
    is_demo: bool
    code: str = ""


@dataclass(frozen=True)
class SolutionRow:
    """A recommended solution with the price band and the estimated enterprise share."""

    name: str
    provider: str
    reasons: tuple[str, ...]
    price: str
    estimate: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioRow:
    """One MIIT business scenario: its name, level 0 (not yet) to 4 and its label ("L2" or
    "not yet"), and whether it is one of MIIT's constrained scenarios."""

    name: str
    level: int
    level_label: str
    constrained: bool


@dataclass(frozen=True)
class MiitPart:
    """One part of the MIIT score: its name, the points reached and the part's maximum."""

    name: str
    points: float
    maximum: float


@dataclass(frozen=True)
class MiitView:
    """The MIIT 2024 level of a version-2 result, localised: level name, score 0-100 and by part,
    the 16 scenarios, one sentence per gap to the next level(s) (for a pilot firm below 二级 the
    gap to 二级 first) and the borderline (临界) finding, if any (the first, most relevant)."""

    level_code: str
    level_name: str
    score: float
    parts: tuple[MiitPart, ...]
    scenarios: tuple[ScenarioRow, ...]
    next_steps: tuple[str, ...]
    borderline: str | None
    stage_narrative: str


@dataclass(frozen=True)
class EnterpriseReport:
    """Everything the enterprise report shows, in one language (``lang`` is "zh" or "en")."""

    lang: str
    enterprise_name: str
    uscc: str
    industry: str
    cluster: str
    production_type: str
    size_class: str
    town: str
    assessed_on: date
    round_label: str
    stage_code: str
    stage_name: str
    stage_meaning: str
    next_stage_name: str | None
    maturity_index: float
    peer_group_label: str
    peer_count: int
    dimensions: tuple[DimensionRow, ...]
    unmet_conditions: tuple[ConditionRow, ...]
    tasks: tuple[TaskRow, ...]
    centres: tuple[RecommendationRow, ...]
    providers: tuple[RecommendationRow, ...]
    instrument_version: str
    scoring_version: str
    generated_at: datetime
    #: The stage ladder: (code, localised name) for S0..S3.
    stages: tuple[tuple[str, str], ...] = ()
    #: Percentile (0-100) of the index in the benchmark group (same cluster, size, round).
    index_percentile: float | None = None
    benchmark_label: str = ""
    benchmark_count: int = 0
    solutions: tuple[SolutionRow, ...] = ()
    cost_note: str = ""
    #: The MIIT level and the answers-built stage narrative (version-2 results only).
    miit: MiitView | None = None
    #: The roadmap (version-2 results only); it replaces ``tasks`` and ``solutions``.
    roadmap: RoadmapView | None = None
    #: The change since the firm's previous round (None for a first round).
    change: ChangeView | None = None
    #: How far the result is checked: self-reported, staff-verified or on-site rated, with
    #: the verified MIIT level beside the self-reported one (``reports.basis_view``).
    basis: BasisView | None = None
    #: After ``stage_code``/``stage_name`` when centre staff changed the model's stage: that
    #: the centre validated it and what the model gave (``reports.basis_view.stage_note``).
    stage_note: str = ""


@dataclass(frozen=True)
class ReportInputs:
    """What the enterprise report is built from: plain values loaded from the database.

    Scores are on 0-100; ``peer_medians``/``target_medians`` map dimension codes to medians of
    the cluster's peers and of enterprises already at the next stage (``target_medians`` is
    None at the top stage); ``percentiles`` maps "index" and dimension codes to 0-100 within the
    benchmark group (same cluster, size class and round; empty when it is too small).
    """

    enterprise_name: str
    uscc: str
    industry_code: str
    town: str
    cluster: IndustryCluster
    profile: EnterpriseProfile
    round_code: str
    submitted_on: date
    instrument: Instrument
    responses: Responses
    result: AssessmentResult
    catalogue: Catalogue
    peer_medians: Mapping[str, float]
    peer_count: int
    target_medians: Mapping[str, float] | None
    benchmark_count: int
    percentiles: Mapping[str, float]
    instrument_version: str
    scoring_version: str
    generated_at: datetime
    #: The firm's roadmap, built by the service from the stored answers (version-2 results;
    #: None for version 1, whose report keeps the task list).
    roadmap: Roadmap | None = None
    #: What moved since the firm's previous round (``assessment.round_change``); None for a
    #: first round.
    change: RoundChange | None = None
    #: The round the cluster peers come from: ``round_code``, or an earlier round when this
    #: one has too few peers yet ("" means ``round_code``).
    peer_round: str = ""
    #: The stage the result shows and its basis (``assessment.onsite.shown_stage``); None
    #: for the model's stage, self-reported.
    shown: ShownStage | None = None
    #: The finished on-site rating, if any.
    verified: Verified | None = None


def _dimension_name(instrument: Instrument, code: str, locale: str) -> str:
    """The name of dimension ``code`` in ``locale``, or "" when the instrument has no such
    dimension (the roadmap steps of ``assessment.tasks`` name version-1 dimensions; on a
    version-2 result a step of a dimension v2 does not have is shown without one)."""
    names = {d.code: d.name for d in instrument.dimensions}
    return names[code].for_locale(locale) if code in names else ""


def _answer_text(instrument: Instrument, finding: Borderline, locale: str) -> tuple[str, str]:
    """The question and the answer of a borderline finding, in ``locale``."""
    item = instrument.item(finding.item)
    codes = finding.answer if isinstance(finding.answer, tuple) else (finding.answer,)
    texts = []
    for code in codes:
        option = item.option(code) if isinstance(code, str) else None
        texts.append(option.text.for_locale(locale) if option else f"{code:g}")
    return item.text.for_locale(locale), " / ".join(texts)


def borderline_text(instrument: Instrument, finding: Borderline, locale: str) -> str:
    _ = gettext_for(locale)
    question, answer = _answer_text(instrument, finding, locale)
    if finding.classification == "stage":
        what = _("所处阶段")
        current, reached = finding.current, finding.reached
    else:
        what = _("工信部等级")
        current = level_name(MIIT_LEVEL_CODES.index(finding.current), locale)
        reached = level_name(MIIT_LEVEL_CODES.index(finding.reached), locale)
    return _(
        "临界：若第 %(code)s 题（%(q)s）的答案改为“%(a)s”，%(what)s将从 %(c)s 变为 %(r)s。",
        code=finding.item,
        q=question,
        a=answer,
        what=what,
        c=current,
        r=reached,
    )


def build_miit_view(
    instrument: Instrument,
    profile: EnterpriseProfile,
    responses: Responses,
    result: AssessmentResult,
    locale: str,
) -> MiitView | None:
    """The MIIT part of the report for a version-2 result (None for a version-1 result).

    Scenario levels and gaps come from ``result.miit`` (``assessment.miit``), the narrative
    from ``assessment.stages_v2.stage_narrative``, so the page never contradicts the answers.
    """
    miit = result.miit
    if miit is None:
        return None
    _ = gettext_for(locale)
    names = {d.code: d.name for d in instrument.dimensions}
    parts = tuple(
        MiitPart(names[code].for_locale(locale) if code in names else code, points, PARTS[code])
        for code, points in miit.parts.items()
    )
    scenarios = tuple(
        ScenarioRow(
            s.name.for_locale(locale),
            s.level,
            f"L{s.level}" if s.level else _("尚未"),
            s.constrained,
        )
        for s in miit.scenarios
    )
    by_code = {s.code: s.name.for_locale(locale) for s in miit.scenarios}
    steps = []
    for gap in miit.next:
        picks = _("、").join(by_code[c] for c in gap.candidates[: max(gap.scenarios_missing, 1)])
        steps.append(
            _(
                "达到%(level)s：评测得分还差 %(p)s 分；还需 %(n)d 个场景达到 L%(l)d 及以上"
                "（其中约束性场景 %(c)d 个），可先从 %(picks)s 入手。",
                level=level_name(gap.target, locale),
                p=f"{gap.points_missing:g}",
                n=gap.scenarios_missing,
                l=gap.scenario_level,
                c=gap.constrained_missing,
                picks=picks,
            )
        )
    narrative = stage_narrative(instrument, profile, responses, result.stage.stage)
    return MiitView(
        level_code=miit.level_code,
        level_name=level_name(miit.level, locale),
        score=miit.score,
        parts=parts,
        scenarios=scenarios,
        next_steps=tuple(steps),
        borderline=borderline_text(instrument, result.borderline[0], locale)
        if result.borderline
        else None,
        stage_narrative=narrative.text.for_locale(locale),
    )


def _peer_group_label(inputs: ReportInputs, cluster: str, locale: str) -> str:
    """ "家具制造产业集群 · 2026 批次", saying so when the peers come from an earlier round."""
    _ = gettext_for(locale)
    peer_round = inputs.peer_round or inputs.round_code
    label = _("%(cluster)s产业集群 · %(round)s 批次", cluster=cluster, round=peer_round)
    if peer_round != inputs.round_code:
        label += _(
            "（%(round)s 批次的同类企业还不足 5 家，暂用上一批次对标）", round=inputs.round_code
        )
    return label


def build_enterprise_report(inputs: ReportInputs, locale: str) -> EnterpriseReport:
    """The enterprise report in ``locale``'s language ("zh", "en", "en_GB", ...; see
    ``assessment.localised.language_of``), with its roadmap (version 2) or task list (version
    1) and recommendations.

    Pure: the roadmap view (``reports.roadmap_view``) from ``inputs.roadmap``; the task list (``assessment.tasks``), matching (``assessment.matching``) and cost
    estimates (``assessment.costs``) are computed from ``inputs``; fixed texts come from the
    product's catalogue (``reports.i18n``), data texts from their ``Localised`` values.
    """
    _ = gettext_for(locale)
    instrument, profile, result = inputs.instrument, inputs.profile, inputs.result
    shown = inputs.shown or shown_stage(result.stage.stage.code, None, onsite_rated=False)
    stage = Stage.from_code(shown.stage)  # staff's stage when they changed the model's
    next_stage = result.stage.stage.next  # the answers' next step, as the conditions below
    cluster = inputs.cluster.label.for_locale(locale)
    dimensions = tuple(
        DimensionRow(
            code=dim.code,
            name=dim.name.for_locale(locale),
            score=result.scorecard.dimension_scores[dim.code],
            peer_median=inputs.peer_medians.get(dim.code),
            target=inputs.target_medians.get(dim.code) if inputs.target_medians else None,
            percentile=inputs.percentiles.get(dim.code),
        )
        for dim in instrument.dimensions
        if dim.code in result.scorecard.dimension_scores
    )
    tasks = task_list(instrument, profile, inputs.responses, result)
    names = {d.code: (d.name_zh, d.name_en) for d in instrument.dimensions}
    matches = recommend(profile, result, tasks, inputs.catalogue, dimension_names=names)
    entries: dict[str, EnablingCentre | ServiceProvider] = {}
    entries.update((c.code, c) for c in inputs.catalogue.centres)
    entries.update((p.code, p) for p in inputs.catalogue.providers)
    division = MANUFACTURING_DIVISIONS.get(inputs.industry_code, ("", ""))
    town = _TOWNS.get(inputs.town)
    shares = ESTIMATE_SHARES
    roadmap = build_roadmap_view(inputs.roadmap, locale) if inputs.roadmap else None
    # The roadmap replaces the task list and the solution list with their fixed cost split.
    shown_tasks = () if roadmap is not None else tasks
    shown_solutions = () if roadmap is not None else matches.solutions
    return EnterpriseReport(
        lang=language_of(locale),
        enterprise_name=inputs.enterprise_name,
        uscc=inputs.uscc,
        industry=f"{inputs.industry_code} {Localised(*division).for_locale(locale)}",
        cluster=cluster,
        production_type=profile.production_type.label.for_locale(locale),
        size_class=profile.size_class.label.for_locale(locale),
        town=town.name.for_locale(locale) if town else inputs.town,
        assessed_on=inputs.submitted_on,
        round_label=inputs.round_code,
        stage_code=stage.code,
        stage_name=stage.label.for_locale(locale),
        stage_meaning=stage.meaning.for_locale(locale),
        miit=build_miit_view(instrument, profile, inputs.responses, result, locale),
        change=build_change_view(inputs.change, locale) if inputs.change else None,
        stage_note=stage_note(shown, locale),
        basis=build_basis_view(
            shown,
            inputs.verified,
            {s.code: Localised(s.name_zh, s.name_en) for s in result.miit.scenarios}
            if result.miit
            else {},
            locale,
        ),
        next_stage_name=next_stage.label.for_locale(locale) if next_stage else None,
        maturity_index=result.scorecard.maturity_index,
        peer_group_label=_peer_group_label(inputs, cluster, locale),
        peer_count=inputs.peer_count,
        dimensions=dimensions,
        unmet_conditions=tuple(
            ConditionRow(g.code, g.text.for_locale(locale)) for g in result.stage.unmet_next
        ),
        tasks=tuple(
            TaskRow(
                order=i + 1,
                title=t.title.for_locale(locale),
                detail=t.detail.for_locale(locale),
                dimension_name=_dimension_name(instrument, t.dimension, locale),
                solutions=_task_solutions(t, matches.solutions, inputs.catalogue, locale),
            )
            for i, t in enumerate(shown_tasks)
        ),
        centres=tuple(_recommendation_row(m, locale, entries) for m in matches.centres),
        providers=tuple(_recommendation_row(m, locale, entries) for m in matches.providers),
        instrument_version=inputs.instrument_version,
        scoring_version=inputs.scoring_version,
        generated_at=inputs.generated_at,
        stages=tuple((s.code, s.label.for_locale(locale)) for s in Stage),
        index_percentile=inputs.percentiles.get("index"),
        benchmark_label=_(
            "%(cluster)s · %(size)s企业 · %(round)s 批次",
            cluster=cluster,
            size=profile.size_class.label.for_locale(locale),
            round=inputs.round_code,
        ),
        benchmark_count=inputs.benchmark_count,
        solutions=tuple(_solution_rows(shown_solutions, inputs.catalogue, locale, shares)),
        roadmap=roadmap,
        cost_note=_(
            "费用按“赋能中心让一点、政府补一点、企业出一点”估算：中心优惠 %(centre)s%%、"
            "政府补贴 %(government)s%%（仅限可补贴方案）、企业承担 %(enterprise)s%%。"
            "仅为估算，以服务商报价和实际政策为准。",
            centre=formatting.decimal(shares.centre, locale),
            government=formatting.decimal(shares.government, locale),
            enterprise=formatting.decimal(shares.enterprise, locale),
        ),
    )


_TOWNS = {t.code: t for t in TOWNS}


def _recommendation_row(
    match: Match, locale: str, entries: Mapping[str, EnablingCentre | ServiceProvider]
) -> RecommendationRow:
    """A matched centre or provider; contact and demo flag come from its catalogue entry."""
    entry = entries.get(match.code)
    return RecommendationRow(
        name=match.name.for_locale(locale),
        kind=match.kind.for_locale(locale),
        reasons=tuple(r.for_locale(locale) for r in match.reasons),
        contact=entry.contact if entry is not None else "",
        is_demo=entry.is_demo if entry is not None else False,
        code=match.code,
    )


def _task_solutions(
    task: Task, matches: Sequence[Match], catalogue: Catalogue, locale: str
) -> tuple[str, ...]:
    """Up to two recommended solutions that close the task's gate (else serve its dimension)."""
    by_code = {s.code: s for s in catalogue.solutions}
    closing = [m for m in matches if task.gate and task.gate in by_code[m.code].gates]
    serving = [m for m in matches if task.dimension in by_code[m.code].dimensions]
    return tuple(m.name.for_locale(locale) for m in (closing or serving)[:2])


def _solution_rows(
    matches: Sequence[Match], catalogue: Catalogue, locale: str, shares: CostShares
) -> list[SolutionRow]:
    """Recommended solutions with price band and estimated enterprise share, in 万元."""
    _ = gettext_for(locale)
    by_code = {s.code: s for s in catalogue.solutions}
    rows = []
    for m in matches:
        s = by_code[m.code]
        provider = catalogue.provider(s.provider)
        low, high = PRICE_BANDS[s.price_band]
        e_low, e_high = enterprise_cost(s.price_band, s.subsidy_eligible, shares)
        flags = [
            text
            for on, text in (
                (s.light_fast, _("小快轻准")),
                (s.cloud_voucher, _("可用上云服务券")),
                (s.subsidy_eligible, _("可申请补贴")),
            )
            if on
        ]
        rows.append(
            SolutionRow(
                name=s.name.for_locale(locale),
                provider=provider.name.for_locale(locale) if provider else s.provider,
                reasons=tuple(r.for_locale(locale) for r in m.reasons),
                price=formatting.money_range_wan(low, high, locale),
                estimate=_(
                    "约 %(range)s（估算）",
                    range=formatting.money_range_wan(e_low, e_high, locale),
                ),
                flags=tuple(flags),
            )
        )
    return rows
