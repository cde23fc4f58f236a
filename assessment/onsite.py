"""On-site rating (现场评定): the verified MIIT level from staff's scenario levels, and the
basis a result rests on.

MIIT's notice (工信厅企业〔2024〕56号) names three uses of its instrument; the third is the
on-site rating of pilot-city pilot firms. Staff rate each of the 16 scenarios 0-4 against the
firm's evidence; the MIIT score stays the one of the submitted answers (staff rate scenarios,
not the scored items), and the verified level is :func:`assessment.miit.miit_level` of that score
and the rated scenarios: the same rule as the self-reported level, never a copy of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from assessment.miit import miit_level
from assessment.types import ScenarioLevel


class Basis(StrEnum):
    """What a result rests on, weakest first: the owner's answers only; a stage that centre
    staff confirmed or corrected (阶段校验); a scenario-by-scenario on-site rating (现场评定)."""

    SELF_REPORTED = "self_reported"
    STAFF_VERIFIED = "staff_verified"
    ONSITE_RATED = "onsite_rated"


def basis_of(*, staff_validated: bool, onsite_rated: bool) -> Basis:
    """The strongest basis a result has: an on-site rating outranks a stage validation."""
    if onsite_rated:
        return Basis.ONSITE_RATED
    return Basis.STAFF_VERIFIED if staff_validated else Basis.SELF_REPORTED


@dataclass(frozen=True)
class ShownStage:
    """The stage a result shows and what it rests on: ``stage`` is the newest stage centre
    staff validated (阶段校验) when there is one, else the model's (``model_stage``, which is
    never overwritten); ``basis`` as :func:`basis_of`. Stage codes are "S0".."S3"."""

    stage: str
    model_stage: str
    basis: Basis

    @property
    def changed(self) -> bool:
        """Whether staff set a stage other than the model's."""
        return self.stage != self.model_stage


def shown_stage(model_stage: str, staff_stage: str | None, *, onsite_rated: bool) -> ShownStage:
    """The one rule for the stage every page, export and report shows: the newest staff stage
    (``staff_stage``, None without a validation) over the model's, with the basis."""
    return ShownStage(
        staff_stage or model_stage,
        model_stage,
        basis_of(staff_validated=staff_stage is not None, onsite_rated=onsite_rated),
    )


@dataclass(frozen=True)
class ChangedScenario:
    """A scenario staff rated differently from the answers: levels 0-4 and staff's reason."""

    code: str
    self_level: int
    level: int
    reason: str


@dataclass(frozen=True)
class Rating:
    """A finished on-site rating: the verified MIIT level (0 = 无等级 .. 4), the self-reported
    one, the rated scenarios in instrument order and the scenarios that changed."""

    level: int
    self_level: int
    scenarios: tuple[ScenarioLevel, ...]
    changed: tuple[ChangedScenario, ...]


@dataclass(frozen=True)
class Verified:
    """A finished on-site rating as results show it: the verified and the self-reported MIIT
    level (0 = 无等级 .. 4) and the scenarios staff changed, with their reasons."""

    level: int
    self_level: int
    changed: tuple[ChangedScenario, ...]

    @property
    def differs(self) -> bool:
        """Whether the verified level is not the self-reported one."""
        return self.level != self.self_level


class RatingError(ValueError):
    """A rating that cannot be finished: ``missing_reasons`` are the scenario codes rated
    differently from the answers without a reason, ``bad_levels`` those whose level is not an
    integer 0-4 or that are not scenarios of the result."""

    def __init__(self, missing_reasons: tuple[str, ...], bad_levels: tuple[str, ...]) -> None:
        super().__init__(f"missing reasons {missing_reasons}, bad levels {bad_levels}")
        self.missing_reasons = missing_reasons
        self.bad_levels = bad_levels


def rate(
    score: float,
    self_scenarios: tuple[ScenarioLevel, ...],
    levels: Mapping[str, int],
    reasons: Mapping[str, str],
) -> Rating:
    """The verified level of a firm whose scenarios staff rated ``levels``.

    Parameters
    ----------
    score : float
        The MIIT score 0-100 of the submitted answers (``MiitResult.score``).
    self_scenarios : tuple of ScenarioLevel
        The scenarios of the self-reported result (``MiitResult.scenarios``), 16 for dmi v2.
    levels : mapping of scenario code to int 0-4
        Staff's levels; a scenario left out keeps its self-reported level.
    reasons : mapping of scenario code to str
        Why a scenario was rated differently; required (non-blank) for each changed one.

    Raises
    ------
    RatingError
        A level outside 0-4 or for an unknown scenario, or a changed scenario without a reason.
    """
    known = {s.code for s in self_scenarios}
    bad = tuple(
        sorted(
            code
            for code, level in levels.items()
            if code not in known or not isinstance(level, int) or not 0 <= level <= 4
        )
    )
    valid = {code: level for code, level in levels.items() if code not in bad}
    rated = tuple(replace(s, level=valid.get(s.code, s.level)) for s in self_scenarios)
    changed = tuple(
        ChangedScenario(s.code, s.level, r.level, (reasons.get(s.code) or "").strip())
        for s, r in zip(self_scenarios, rated, strict=True)
        if r.level != s.level
    )
    missing = tuple(c.code for c in changed if not c.reason)
    if bad or missing:
        raise RatingError(missing, bad)
    return Rating(
        level=miit_level(score, rated),
        self_level=miit_level(score, self_scenarios),
        scenarios=rated,
        changed=changed,
    )
