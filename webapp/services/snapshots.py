"""The one adapter between ORM rows and the pure ``assessment`` values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assessment.types import (
    AssessmentResult,
    EnterpriseProfile,
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
    )


def profile_to_json(profile: EnterpriseProfile) -> dict[str, Any]:
    return {
        "industry_code": profile.industry_code,
        "production_type": profile.production_type.value,
        "size_class": profile.size_class.value,
        "town": profile.town,
        "above_scale": profile.above_scale,
    }


def profile_from_json(data: Mapping[str, Any]) -> EnterpriseProfile:
    return EnterpriseProfile(
        industry_code=str(data["industry_code"]),
        production_type=ProductionType(data["production_type"]),
        size_class=SizeClass(data["size_class"]),
        town=str(data["town"]),
        above_scale=bool(data["above_scale"]),
    )


def assessment_profile(assessment: Assessment, enterprise: Enterprise) -> EnterpriseProfile:
    """The profile the assessment was scored with (frozen at submit), else the current one."""
    if assessment.profile_snapshot:
        return profile_from_json(assessment.profile_snapshot)
    return profile_of(enterprise)


def responses_of(assessment: Assessment) -> Responses:
    """Stored JSON answers as ``Responses``: lists become tuples, numbers floats."""
    out: dict[str, str | tuple[str, ...] | float] = {}
    for code, value in (assessment.responses or {}).items():
        if isinstance(value, list):
            out[code] = tuple(str(v) for v in value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out[code] = float(value)
        else:
            out[code] = str(value)
    return out


def result_of(assessment: Assessment) -> AssessmentResult | None:
    """The stored result of a submitted assessment, or ``None`` for a draft."""
    if not assessment.result:
        return None
    return AssessmentResult.from_dict(assessment.result)
