"""Evaluate the roadmap on a synthetic dmi-v2 cohort: the invariants of ``assessment.roadmap``
counted per horizon, the roadmap total as a multiple of the yearly digital spend, and how many
steps have a matched product. No golden files: every count is an invariant that must hold
(zero) or a figure to report."""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assessment.catalogue import Catalogue
from assessment.classification import classify
from assessment.instrument import is_applicable
from assessment.programmes import Programme
from assessment.roadmap import (
    FLAG_MULTIPLE,
    FirmFigures,
    Horizon,
    Roadmap,
    build_roadmap,
    check_roadmap,
    security_missing,
)
from assessment.scoring import score_v2
from assessment.synthetic import SyntheticEnterprise, synthetic_cohort
from assessment.types import EnterpriseProfile, Instrument, Responses


@dataclass(frozen=True)
class HorizonFigures:
    """One horizon over the cohort: steps, steps for a capability the firm had (must be 0),
    steps before a prerequisite (must be 0), steps with at least one matched product, the
    median total in 万元 of the steps that carry their own cost, and the steps covered by an
    earlier step's product (costed there, so 0 here)."""

    steps: int
    already_had: int
    out_of_order: int
    with_product: int
    median_step_wan: float
    covered: int

    @property
    def product_share(self) -> float:
        """Share of steps with at least one matched product (1.0 without steps)."""
        return self.with_product / self.steps if self.steps else 1.0


@dataclass(frozen=True)
class KpiFigures:
    """The steps' KPI lines over the cohort: steps that move a KPI, those with the firm's
    baseline (so a baseline -> target line), targets at or beyond the item's bound (must be 0:
    no project makes a percentage perfect), and per KPI item (PRF code) the median baseline
    and median target of its lines, in the item's unit."""

    steps: int
    with_baseline: int
    at_bound: int
    medians: dict[str, tuple[float, float]]

    def line(self) -> str:
        """One text line (English; a CLI report)."""
        share = self.with_baseline / self.steps if self.steps else 0.0
        medians = "; ".join(f"{code} {b:g} -> {t:g}" for code, (b, t) in self.medians.items())
        return (
            f"KPI lines: {self.steps} steps move a KPI, {share:.1%} with the firm's baseline; "
            f"targets at the item's bound {self.at_bound}; median baseline -> target: {medians}"
        )


@dataclass(frozen=True)
class CohortEvaluation:
    """The cohort's figures: firms, per-horizon figures, firms with a missing security measure
    and those of them without a security step (must be 0), the median roadmap total as a
    multiple of the yearly digital spend (overall and per horizon) and the share flagged."""

    firms: int
    horizons: dict[Horizon, HorizonFigures]
    insecure_firms: int
    insecure_without_step: int
    median_multiple: float
    median_multiple_by_horizon: dict[Horizon, float]
    flagged_share: float
    kpis: KpiFigures

    def lines(self) -> list[str]:
        """The evaluation as text lines (English; a CLI report)."""
        out = [f"{self.firms} synthetic firms (dmi v2)"]
        for h, f in self.horizons.items():
            out.append(
                f"{h.label.en}: {f.steps} steps; capability already held "
                f"{f.already_had / f.steps if f.steps else 0:.1%} ({f.already_had}); out of "
                f"prerequisite order {f.out_of_order}; with >= 1 matched product "
                f"{f.product_share:.1%}; covered by an earlier step's product {f.covered}; "
                f"median costed step ¥{f.median_step_wan * 10:,.0f}k; median "
                f"horizon total / yearly digital spend {self.median_multiple_by_horizon[h]:.2f}x"
            )
        out.append(
            f"firms with a missing security measure: {self.insecure_firms}; of them without a "
            f"security step: {self.insecure_without_step}"
        )
        out.append(
            f"median roadmap total / yearly digital spend: {self.median_multiple:.2f}x; flagged "
            f"(> {FLAG_MULTIPLE:g}x): {self.flagged_share:.1%}"
        )
        out.append(self.kpis.line())
        return out


def cohort_roadmaps(
    instrument: Instrument,
    catalogue: Catalogue,
    programmes: Sequence[Programme],
    n: int,
    seed: int,
) -> Iterator[tuple[SyntheticEnterprise, EnterpriseProfile, Responses, Roadmap]]:
    """Each synthetic firm of ``synthetic_cohort(instrument, n, seed)`` with its profile,
    visible answers and roadmap (revenue from the firm, digital spend from MGM-05)."""
    for firm in synthetic_cohort(instrument, n, seed):
        c = classify(firm.industry_code, firm.employees, firm.revenue_wan)
        profile = EnterpriseProfile(
            firm.industry_code,
            firm.production_type,
            c.size_class,
            firm.town,
            c.above_scale,
            c.cluster,
        )
        visible = {
            i.code: firm.responses[i.code]
            for i in instrument.items
            if i.code in firm.responses and is_applicable(i, profile, firm.responses)
        }
        result = score_v2(instrument, profile, visible)
        figures = FirmFigures(firm.revenue_wan, firm.employees)
        roadmap = build_roadmap(
            instrument, profile, visible, result, figures, catalogue, programmes
        )
        yield firm, profile, visible, roadmap


def evaluate_cohort(
    instrument: Instrument,
    catalogue: Catalogue,
    programmes: Sequence[Programme],
    n: int = 300,
    seed: int = 7,
) -> CohortEvaluation:
    """Build every firm's roadmap and count (see :class:`CohortEvaluation`)."""
    steps = dict.fromkeys(Horizon, 0)
    had, disorder, product = dict(steps), dict(steps), dict(steps)
    step_totals: dict[Horizon, list[float]] = {h: [] for h in Horizon}
    covered = dict(steps)
    multiples: list[float] = []
    by_horizon: dict[Horizon, list[float]] = {h: [] for h in Horizon}
    insecure = insecure_missing = flagged = firms = kpi_steps = at_bound = 0
    lines: dict[str, list[tuple[float, float]]] = {}
    for _firm, _profile, visible, roadmap in cohort_roadmaps(
        instrument, catalogue, programmes, n, seed
    ):
        firms += 1
        check = check_roadmap(roadmap, visible)
        for h in Horizon:
            steps[h] += check.steps[h]
            had[h] += check.already_had[h]
            disorder[h] += check.out_of_order[h]
            product[h] += check.with_product[h]
            horizon_total = sum(s.total_wan for s in roadmap.by_horizon(h))
            by_horizon[h].append(horizon_total / roadmap.digital_spend_wan)
            for s in roadmap.by_horizon(h):
                if s.covered_by is None:
                    step_totals[h].append(s.total_wan)
                else:
                    covered[h] += 1
        if security_missing(visible):
            insecure += 1
            insecure_missing += check.security_gap
        multiples.append(roadmap.multiple)
        flagged += roadmap.flagged
        for step in roadmap.steps:
            if step.kpi is None:
                continue
            kpi_steps += 1
            if step.kpi.baseline is not None and step.kpi.target is not None:
                lines.setdefault(step.kpi.item, []).append((step.kpi.baseline, step.kpi.target))
                bound = instrument.item(step.kpi.item).maximum
                at_bound += bound is not None and step.kpi.target >= bound
    return CohortEvaluation(
        firms=firms,
        horizons={
            h: HorizonFigures(
                steps[h],
                had[h],
                disorder[h],
                product[h],
                statistics.median(step_totals[h]) if step_totals[h] else 0.0,
                covered[h],
            )
            for h in Horizon
        },
        insecure_firms=insecure,
        insecure_without_step=insecure_missing,
        median_multiple=statistics.median(multiples) if multiples else 0.0,
        median_multiple_by_horizon={
            h: statistics.median(v) if v else 0.0 for h, v in by_horizon.items()
        },
        flagged_share=flagged / firms if firms else 0.0,
        kpis=KpiFigures(
            kpi_steps,
            sum(len(v) for v in lines.values()),
            at_bound,
            {
                code: (
                    statistics.median(b for b, _t in lines[code]),
                    statistics.median(t for _b, t in lines[code]),
                )
                for code in sorted(lines)
            },
        ),
    )
