"""The one adapter between ORM rows and the pure ``assessment`` values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, func

from assessment.classification import classify, cluster_for_industry
from assessment.paths import path_of
from assessment.plan_targets import indicators_met
from assessment.types import (
    AssessmentResult,
    EnterpriseProfile,
    IndustryCluster,
    ProductionType,
    Responses,
    SizeClass,
)
from models import Assessment, Enterprise


def profile_of(enterprise: Enterprise) -> EnterpriseProfile:
    """The enterprise's current profile as the scoring model sees it."""
    return EnterpriseProfile(
        industry_code=enterprise.industry_code,
        production_type=ProductionType(enterprise.production_type),
        size_class=SizeClass(enterprise.size_class),
        town=enterprise.town,
        above_scale=bool(enterprise.above_scale),
        cluster=IndustryCluster(enterprise.cluster),
    )


def enterprise_columns(
    industry_code: str,
    production_type: ProductionType | str,
    town: str,
    employees: int,
    revenue_wan: float,
) -> dict[str, Any]:
    """The ``enterprise`` profile columns for these facts, the derived ones (cluster, size class,
    规上) from ``classification.classify``: what every writer of an enterprise row stores.
    ``profile_from_json`` reads the result as an ``EnterpriseProfile``.

    Raises
    ------
    ValueError
        An unknown division or production type, or negative figures.
    """
    classification = classify(industry_code, employees, revenue_wan)
    return {
        "industry_code": industry_code,
        "cluster": classification.cluster.value,
        "production_type": ProductionType(production_type).value,
        "town": town,
        "employees": employees,
        "revenue_wan": revenue_wan,
        "size_class": classification.size_class.value,
        "above_scale": classification.above_scale,
    }


def profile_to_json(profile: EnterpriseProfile) -> dict[str, Any]:
    """The profile as the JSON frozen on a submitted assessment (``profile_snapshot``)."""
    return {
        "industry_code": profile.industry_code,
        "production_type": profile.production_type.value,
        "size_class": profile.size_class.value,
        "town": profile.town,
        "above_scale": profile.above_scale,
        "cluster": profile.cluster.value,
    }


def profile_columns(profile: EnterpriseProfile) -> dict[str, Any]:
    """The ``Assessment.profile_*`` grouping columns for ``profile`` (set at submit; the
    cluster follows the industry code, ``assessment.classification.cluster_for_industry``)."""
    return {
        "profile_town": profile.town,
        "profile_cluster": cluster_for_industry(profile.industry_code).value,
        "profile_size_class": profile.size_class.value,
        "profile_production_type": profile.production_type.value,
        "profile_above_scale": profile.above_scale,
    }


def submitted_profile(record: Any = Assessment) -> dict[str, ColumnElement[Any]]:
    """SQL expressions for the profile a submitted ``record`` (``Assessment`` or an alias) was
    submitted with, by breakdown name: its ``profile_*`` columns, or the enterprise's current
    value for a row written without them. The query must join ``Enterprise``."""
    return {
        "town": func.coalesce(record.profile_town, Enterprise.town),
        "cluster": func.coalesce(record.profile_cluster, Enterprise.cluster),
        "size_class": func.coalesce(record.profile_size_class, Enterprise.size_class),
        "production_type": func.coalesce(
            record.profile_production_type, Enterprise.production_type
        ),
        "above_scale": func.coalesce(record.profile_above_scale, Enterprise.above_scale),
    }


def profile_from_json(data: Mapping[str, Any]) -> EnterpriseProfile:
    """A profile from ``profile_to_json``'s JSON. Snapshots frozen before the cluster was stored
    get the cluster of their industry code (``classification.cluster_for_industry``).

    Raises
    ------
    KeyError
        A field other than ``cluster`` is missing.
    ValueError
        An unknown production type, size class or cluster code.
    """
    industry_code = str(data["industry_code"])
    return EnterpriseProfile(
        industry_code=industry_code,
        production_type=ProductionType(data["production_type"]),
        size_class=SizeClass(data["size_class"]),
        town=str(data["town"]),
        above_scale=bool(data["above_scale"]),
        cluster=(
            IndustryCluster(data["cluster"])
            if "cluster" in data
            else cluster_for_industry(industry_code)
        ),
    )


def assessment_profile(assessment: Assessment, enterprise: Enterprise) -> EnterpriseProfile:
    """The profile the assessment was scored with (frozen at submit), else the current one."""
    if assessment.profile_snapshot:
        return profile_from_json(assessment.profile_snapshot)
    return profile_of(enterprise)


def responses_of(assessment: Assessment) -> Responses:
    """Stored JSON answers as ``Responses``: lists become tuples, numbers floats."""
    return responses_from_json(assessment.responses)


def responses_from_json(data: Mapping[str, Any] | None) -> Responses:
    """The ``assessment.responses`` JSON column as ``Responses`` (lists become tuples, numbers
    floats, everything else an option code)."""
    out: dict[str, str | tuple[str, ...] | float] = {}
    for code, value in (data or {}).items():
        if isinstance(value, list):
            out[code] = tuple(str(v) for v in value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[code] = float(value)
        else:
            out[code] = str(value)
    return out


def responses_to_json(responses: Responses) -> dict[str, Any]:
    """``Responses`` as the ``assessment.responses`` JSON column stores them: tuples (multiple
    choice) become lists, option codes and numbers stay; the inverse of
    ``responses_from_json``."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in responses.items()}


def result_of(assessment: Assessment) -> AssessmentResult | None:
    """The stored result of a submitted assessment, or ``None`` for a draft."""
    if not assessment.result:
        return None
    return AssessmentResult.from_dict(assessment.result)


def result_columns(result: AssessmentResult) -> dict[str, Any]:
    """The ``assessment`` columns that hold its current result."""
    return {
        "scoring_version": result.scoring_version,
        "maturity_index": result.scorecard.maturity_index,
        "stage": result.stage.stage.code,
        "result": result.to_dict(),
    }


def plan_indicator_columns(responses: Mapping[str, Any], version: str) -> dict[str, bool]:
    """The ``assessment.plan_*`` columns for final answers (``responses`` as stored) on
    questionnaire ``version``: whether they meet each plan-target indicator of
    ``assessment.plan_targets``."""
    return {f"plan_{key}": met for key, met in indicators_met(responses, version).items()}


def path_columns(responses: Mapping[str, Any], version: str) -> dict[str, str | None]:
    """The ``assessment.path_rule`` column for final answers (``responses`` as stored) on
    questionnaire ``version``: the rule-based path (``assessment.paths.path_of``; its rules
    read the v2 scenario items, so v1 answers have none)."""
    return {"path_rule": path_of(responses).value if version == "2" else None}


def dimension_score_rows(
    assessment_id: int, round_code: str, result: AssessmentResult
) -> list[dict[str, Any]]:
    """``dimension_score`` rows of a result of an assessment of ``round_code``: one per
    dimension, score 0-100."""
    return [
        {
            "assessment_id": assessment_id,
            "round_code": round_code,
            "dimension": code,
            "score": value,
        }
        for code, value in result.scorecard.dimension_scores.items()
    ]


def result_history_row(assessment_id: int, result: AssessmentResult) -> dict[str, Any]:
    """The ``assessment_result`` row that keeps a result in the assessment's history."""
    columns = result_columns(result)
    return {"assessment_id": assessment_id, **columns}
