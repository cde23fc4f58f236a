"""The roadmap of a stored assessment (issue 19) and what it reads besides the firm's answers:
the version-2 instrument, the catalogue in the database (with its version-2 fields) and the
support programmes in the database."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from assessment.catalogue import Catalogue
from assessment.instrument import applicable_answers, load_instrument
from assessment.localised import language_of
from assessment.programmes import Programme
from assessment.roadmap import FirmFigures, Roadmap, RoadmapStep, build_roadmap
from assessment.types import AssessmentResult, EnterpriseProfile, Instrument, Responses
from models import Assessment, Enterprise, User
from reports.needs_list import needs_list_xlsx
from reports.roadmap_view import build_roadmap_view
from webapp.extensions import db
from webapp.services import catalogue, snapshots
from webapp.services.assessment_rows import instrument_of
from webapp.services.assessments import latest_submitted
from webapp.services.errors import NotFoundError, ServiceError
from webapp.services.loaders import enterprise_for_staff
from webapp.services.programmes import current_programmes


@cache
def v2_instrument() -> Instrument:
    """Instrument dmi version 2."""
    return load_instrument("dmi", "2")


def programmes() -> tuple[Programme, ...]:
    """The programmes in force, from the database (``programmes.current_programmes``; demo
    entries are marked ``is_demo``)."""
    return current_programmes()


def roadmap_catalogue() -> Catalogue:
    """The catalogue the roadmap matches products from: the one in the database.

    Raises
    ------
    ServiceError
        The database holds no solution (load one with ``flask demo seed`` or an import).
    """
    current = catalogue.current_catalogue()
    if not current.solutions:
        raise ServiceError("the catalogue has no solutions: run flask demo seed or import one")
    return current


def firm_roadmap(
    instrument: Instrument,
    profile: EnterpriseProfile,
    responses: Responses,
    result: AssessmentResult,
    figures: FirmFigures,
    current: Catalogue,
) -> Roadmap | None:
    """The roadmap of one scored set of answers (``assessment.roadmap.build_roadmap`` on the
    answers that apply, with the programmes in the database); None for a version-1 result, which has no
    MIIT level and keeps its task list."""
    if result.miit is None:
        return None
    visible = applicable_answers(instrument, profile, responses)
    return build_roadmap(instrument, profile, visible, result, figures, current, programmes())


def figures_of(enterprise: Enterprise) -> FirmFigures:
    """The firm's revenue (万元) and head count as the roadmap sizes them; the yearly digital
    spend comes from its answer to MGM-05 (``assessment.roadmap.digital_spend``)."""
    return FirmFigures(float(enterprise.revenue_wan), int(enterprise.employees))


def assessment_roadmap(assessment: Assessment) -> Roadmap | None:
    """The roadmap of a submitted assessment, from its stored answers, frozen profile and
    result, the enterprise's figures and the catalogue in the database; None for version 1.

    Raises
    ------
    NotFoundError
        The assessment has no result (not submitted).
    """
    result = snapshots.result_of(assessment)
    if result is None:
        raise NotFoundError("only a submitted assessment has a roadmap")
    if result.miit is None:
        return None
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None  # a foreign key
    return firm_roadmap(
        instrument_of(assessment),
        snapshots.assessment_profile(assessment, enterprise),
        snapshots.responses_of(assessment),
        result,
        figures_of(enterprise),
        catalogue.current_catalogue(),
    )


@dataclass(frozen=True)
class NeedsList:
    """A 改造需求清单 download: the workbook bytes and its file name."""

    data: bytes
    filename: str


def needs_list(assessment: Assessment, lang: str) -> NeedsList:
    """The 改造需求清单 of a submitted version-2 assessment in ``lang`` ("zh" or "en"): one
    row per roadmap step (``reports.needs_list``). The caller has checked access.

    Raises
    ------
    NotFoundError
        Not submitted, or a version-1 assessment (no roadmap).
    """
    roadmap = assessment_roadmap(assessment)
    if roadmap is None:
        raise NotFoundError("a version-1 assessment has no roadmap")
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    view = build_roadmap_view(roadmap, lang)
    return NeedsList(
        needs_list_xlsx(view, enterprise.name, enterprise.uscc, lang),
        f"needs-list-{enterprise.uscc}-{assessment.round_code}-{language_of(lang)}.xlsx",
    )


def staff_needs_list(actor: User, enterprise_id: int, lang: str) -> NeedsList:
    """The needs list of the latest submitted assessment of an enterprise in the actor's
    centre's cohort (``loaders.enterprise_for_staff``: another centre's enterprise is 404).

    Raises
    ------
    NotFoundError
        Not in the actor's cohort, no submitted assessment, or it is version 1.
    """
    enterprise = enterprise_for_staff(actor, enterprise_id)
    assessment = latest_submitted(enterprise.id)
    if assessment is None:
        raise NotFoundError(f"enterprise {enterprise_id} has no submitted assessment")
    return needs_list(assessment, lang)


def _finite(value: float) -> float | None:
    """JSON has no infinity: a payback or multiple without a benefit or spend is null."""
    return value if math.isfinite(value) else None


def _step_document(step: RoadmapStep) -> dict[str, Any]:
    kpi = step.kpi
    share = step.cost_share
    return {
        "capability": step.capability,
        "name": step.name.to_dict(),
        "horizon": int(step.horizon),
        "phase": step.phase.name.lower(),
        "why": [w.to_dict() for w in step.why],
        "prerequisites": list(step.prerequisites),
        "kpi": None
        if kpi is None
        else {
            "item": kpi.item,
            "name": kpi.name.to_dict(),
            "unit": kpi.unit.to_dict(),
            "change": kpi.change,
            "baseline": kpi.baseline,
            "target": kpi.target,
        },
        "budget_wan": list(step.budget_wan),
        "price_model": step.price_model,
        "total_wan": step.total_wan,
        "payback_months": [_finite(m) for m in step.payback_months],
        "payback_assumption": step.payback_assumption.to_dict(),
        "cost_share": {
            "price_wan": share.price,
            "provider_wan": share.provider,
            "programme_wan": share.programme,
            "firm_wan": share.firm,
            "programme": share.programme_code,
            "rule": share.rule.to_dict(),
        },
        "covered_by": step.covered_by,
        "covered": step.covered_text.to_dict() if step.covered_text is not None else None,
        "products": [
            {
                "code": p.code,
                "name": p.name.to_dict(),
                "provider": p.provider_code,
                "provider_name": p.provider.to_dict(),
                "provider_roles": [r.en for r in p.provider_roles],
                "price_band": p.price_band,
                "price_model": p.price_model,
                "delivery_weeks": p.delivery_weeks,
                "is_demo": p.is_demo,
            }
            for p in step.products
        ],
    }


def roadmap_document(roadmap: Roadmap | None) -> dict[str, Any] | None:
    """The roadmap as plain JSON data (the API's ``RoadmapSchema``), both languages side by
    side; money in 万元; None stays None (a version-1 result)."""
    if roadmap is None:
        return None
    pilot = roadmap.pilot
    nxt = pilot.next if pilot is not None else None
    return {
        "steps": [_step_document(s) for s in roadmap.steps],
        "total_wan": roadmap.total_wan,
        "digital_spend_wan": roadmap.digital_spend_wan,
        "spend_source": roadmap.spend_source.to_dict(),
        "multiple": _finite(roadmap.multiple),
        "flagged": roadmap.flagged,
        "flag": roadmap.flag_text.to_dict() if roadmap.flag_text is not None else None,
        "firm_pays_wan": roadmap.firm_pays_wan,
        "subsidy_wan": roadmap.subsidy_wan,
        "provider_discount_wan": roadmap.provider_discount_wan,
        "programmes": [p.code for p in roadmap.programmes],
        "pilot": None
        if pilot is None
        else {
            "programme": pilot.programme.code,
            "programme_name": pilot.programme.name.to_dict(),
            "next_step": nxt.code if nxt is not None else None,
            "next_step_name": nxt.name.to_dict() if nxt is not None else None,
            "bring": nxt.bring.to_dict() if nxt is not None and nxt.bring_zh else None,
        },
    }
