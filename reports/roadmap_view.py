"""The roadmap (issue 19) as the result page, the PDF and the 改造需求清单 show it: plain strings in
one language, built from ``assessment.roadmap.Roadmap``. Pure; no ORM, no Flask.

A step reads the way a factory owner asks: why (the firm's own answers behind it), what it builds
(capability, prerequisites, the KPI it moves), what it costs (budget band sized to the firm,
one-off or per year, payback with its assumption, who pays what) and who can do it (matched
products with their providers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from assessment.localised import Localised
from assessment.roadmap import CAPABILITIES, Horizon, KpiMove, Roadmap, RoadmapStep
from reports import formatting
from reports.i18n import gettext_for


@dataclass(frozen=True)
class ProductRow:
    """A matched product: its name, the provider, the provider's roles ("数字化牵引单位", ...),
    delivery in weeks (0: not stated) and whether it is demo data."""

    name: str
    provider: str
    roles: str
    delivery_weeks: int
    is_demo: bool


@dataclass(frozen=True)
class StepRow:
    """One roadmap step in one language. ``number`` counts within the horizon (1-based);
    ``budget`` is the band sized to the firm (per year when ``price_model`` says
    "按年订阅");
    ``total`` the step's 24-month amount; ``kpi`` "first-pass yield +3% (92 → 94.8 %)" or None;
    ``programme`` the name of the programme paying part of it ("" when none); ``covered`` says
    the step shares an earlier step's product and adds no cost (None when it carries its own);
    money in the language's own format (``reports.formatting``)."""

    number: int
    capability: str
    name: str
    phase: str
    why: tuple[str, ...]
    prerequisites: tuple[str, ...]
    kpi: str | None
    budget: str
    price_model: str
    total: str
    payback: str
    payback_assumption: str
    cost_rule: str
    provider_discount: str
    programme: str
    support: str
    firm_pays: str
    products: tuple[ProductRow, ...]
    covered: str | None


@dataclass(frozen=True)
class HorizonGroup:
    """The steps of one horizon (0-3, 3-12 or 12-24 months) and their 24-month total."""

    code: int
    title: str
    steps: tuple[StepRow, ...]
    total: str


@dataclass(frozen=True)
class RoadmapView:
    """The whole roadmap in one language: the three horizons (empty ones left out), the totals
    against the firm's yearly digital spend, the spend flag, and the firm's next step on the
    pilot path (None when it is not on it or the path is complete)."""

    horizons: tuple[HorizonGroup, ...]
    total: str
    digital_spend: str
    spend_source: str
    multiple: str
    flagged: bool
    flag_text: str | None
    firm_pays: str
    subsidy: str
    provider_discount: str
    programmes: tuple[str, ...]
    pilot_programme: str | None
    pilot_next: str | None
    pilot_bring: str | None

    @property
    def step_count(self) -> int:
        """Steps over all horizons."""
        return sum(len(h.steps) for h in self.horizons)


def price_model_label(price_model: str, locale: str) -> str:
    """ "一次性" / "one-off" or "按年订阅" / "subscription (per year)" (``PRICE_MODELS``)."""
    _ = gettext_for(locale)
    return _("按年订阅") if price_model == "subscription" else _("一次性")


def kpi_text(kpi: KpiMove | None, locale: str) -> str | None:
    """The KPI a step moves with its relative change, and baseline → target when the firm gave
    a baseline: "产品一次合格率 +3%（92 → 94.8 %）"; None when the step moves no KPI."""
    if kpi is None:
        return None
    _ = gettext_for(locale)
    text = f"{kpi.name.for_locale(locale)} {kpi.change:+.0%}"
    if kpi.baseline is not None and kpi.target is not None:
        text += _(
            "（%(baseline)s → %(target)s %(unit)s）",
            baseline=f"{kpi.baseline:g}",
            target=f"{kpi.target:g}",
            unit=kpi.unit.for_locale(locale),
        )
    return text


def _payback(months: tuple[float, float], locale: str) -> str:
    _ = gettext_for(locale)
    low, high = months
    if math.isinf(high):
        return _("无法估算")
    return _("%(low)s–%(high)s 个月", low=f"{low:g}", high=f"{high:g}")


def _step_row(
    number: int, step: RoadmapStep, programme_names: dict[str, Localised], locale: str
) -> StepRow:
    share = step.cost_share
    programme = programme_names.get(share.programme_code or "")
    return StepRow(
        number=number,
        capability=step.capability,
        name=step.name.for_locale(locale),
        phase=step.phase.label.for_locale(locale),
        why=tuple(w.for_locale(locale) for w in step.why),
        prerequisites=tuple(CAPABILITIES[p].name.for_locale(locale) for p in step.prerequisites),
        kpi=kpi_text(step.kpi, locale),
        budget=formatting.money_range_wan(*step.budget_wan, locale),
        price_model=price_model_label(step.price_model, locale),
        total=formatting.money_wan(step.total_wan, locale),
        payback=_payback(step.payback_months, locale),
        payback_assumption=step.payback_assumption.for_locale(locale),
        cost_rule=share.rule.for_locale(locale),
        # rounded as the rule's text rounds them, so the two never differ by a last digit
        provider_discount=formatting.money_wan(round(share.provider, 1), locale),
        programme=programme.for_locale(locale) if programme is not None else "",
        support=formatting.money_wan(round(share.programme, 1), locale),
        firm_pays=formatting.money_wan(round(share.firm, 1), locale),
        products=tuple(
            ProductRow(
                name=p.name.for_locale(locale),
                provider=p.provider.for_locale(locale),
                roles=gettext_for(locale)("、").join(
                    r.for_locale(locale) for r in p.provider_roles
                ),
                delivery_weeks=p.delivery_weeks,
                is_demo=p.is_demo,
            )
            for p in step.products
        ),
        covered=step.covered_text.for_locale(locale) if step.covered_text is not None else None,
    )


def build_roadmap_view(roadmap: Roadmap, locale: str) -> RoadmapView:
    """The roadmap in ``locale``'s language ("zh", "en", ...): values from ``roadmap``, fixed
    texts from the product's catalogue (``reports.i18n``)."""
    _ = gettext_for(locale)
    names = {p.code: p.name for p in roadmap.programmes}
    groups = []
    for horizon in Horizon:
        steps = roadmap.by_horizon(horizon)
        if steps:
            groups.append(
                HorizonGroup(
                    code=int(horizon),
                    title=horizon.label.for_locale(locale),
                    steps=tuple(_step_row(n, s, names, locale) for n, s in enumerate(steps, 1)),
                    total=formatting.money_wan(round(sum(s.total_wan for s in steps), 1), locale),
                )
            )
    pilot = roadmap.pilot
    step = pilot.next if pilot is not None else None
    return RoadmapView(
        horizons=tuple(groups),
        total=formatting.money_wan(roadmap.total_wan, locale),
        digital_spend=formatting.money_wan(roadmap.digital_spend_wan, locale),
        spend_source=roadmap.spend_source.for_locale(locale),
        multiple=_("%(x)s 倍", x=f"{roadmap.multiple:.1f}")
        if math.isfinite(roadmap.multiple)
        else "—",
        flagged=roadmap.flagged,
        flag_text=roadmap.flag_text.for_locale(locale) if roadmap.flag_text else None,
        firm_pays=formatting.money_wan(roadmap.firm_pays_wan, locale),
        subsidy=formatting.money_wan(roadmap.subsidy_wan, locale),
        provider_discount=formatting.money_wan(roadmap.provider_discount_wan, locale),
        programmes=tuple(p.name.for_locale(locale) for p in roadmap.programmes),
        pilot_programme=pilot.programme.name.for_locale(locale) if pilot is not None else None,
        pilot_next=step.name.for_locale(locale) if step is not None else None,
        pilot_bring=step.bring.for_locale(locale) if step is not None and step.bring else None,
    )
