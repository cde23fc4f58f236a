"""An enabling centre's cohort (企业群): the enterprises assigned to it and their latest results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from assessment.consistency import RULES
from assessment.instrument import is_applicable
from assessment.types import Stage
from models import Assessment, AssessmentStatus, Enterprise, User
from webapp.extensions import db
from webapp.services import snapshots
from webapp.services.assessments import instrument_of, latest_submitted
from webapp.services.errors import NotFoundError


@dataclass(frozen=True)
class CohortPage:
    """One page of a centre's enterprises and their assessment of the round (two queries)."""

    pagination: Pagination
    assessments: dict[int, Assessment]

    @property
    def rows(self) -> list[tuple[Enterprise, Assessment | None]]:
        return [(e, self.assessments.get(e.id)) for e in self.pagination.items]


def cohort_page(
    actor: User, round_code: str, stage: str | None, page: int, per_page: int
) -> CohortPage:
    """One page of the actor's centre's enterprises, optionally those at one stage.

    Scoped to the actor's centre: a member of staff never sees another centre's enterprises.
    """
    query = (
        select(Enterprise)
        .where(Enterprise.centre_id == actor.centre_id, Enterprise.centre_id.is_not(None))
        .order_by(Enterprise.name)
    )
    if stage in {s.code for s in Stage}:
        query = query.join(
            Assessment,
            (Assessment.enterprise_id == Enterprise.id) & (Assessment.round_code == round_code),
        ).where(Assessment.stage == stage)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
    ids = [e.id for e in pagination.items]
    found = db.session.scalars(
        select(Assessment).where(
            Assessment.enterprise_id.in_(ids), Assessment.round_code == round_code
        )
    )
    return CohortPage(pagination, {a.enterprise_id: a for a in found})


@dataclass(frozen=True)
class AnswerRow:
    code: str
    question_zh: str
    question_en: str
    answer_zh: str
    answer_en: str
    warned: bool


def enterprise_for_staff(actor: User, enterprise_id: int) -> Enterprise:
    """The enterprise if it belongs to the actor's centre; ``NotFoundError`` otherwise."""
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None or actor.centre_id is None or enterprise.centre_id != actor.centre_id:
        raise NotFoundError(str(enterprise_id))
    return enterprise


def enterprise_detail(actor: User, enterprise_id: int) -> dict[str, Any]:
    """Profile, latest submitted assessment, visible answers and consistency warnings."""
    enterprise = enterprise_for_staff(actor, enterprise_id)
    assessment = latest_submitted(enterprise.id)
    answers: list[AnswerRow] = []
    warnings = []
    if assessment is not None and assessment.status == AssessmentStatus.SUBMITTED.value:
        instrument = instrument_of(assessment)
        profile = snapshots.assessment_profile(assessment, enterprise)
        responses = snapshots.responses_of(assessment)
        warned_codes = set(assessment.consistency_warnings or [])
        warnings = [r for r in RULES if r.code in warned_codes]
        warned_items = {code for r in warnings for code in r.items}
        for item in instrument.items:
            if item.code not in responses or not is_applicable(item, profile, responses):
                continue
            value = responses[item.code]
            chosen = value if isinstance(value, tuple) else (value,)
            options = [item.option(str(c)) for c in chosen]
            zh = "；".join(o.text_zh for o in options if o) or f"{value:g} {item.unit_zh}"  # type: ignore[str-format]
            en = "; ".join(o.text_en for o in options if o) or f"{value:g} {item.unit_en}"  # type: ignore[str-format]
            answers.append(
                AnswerRow(item.code, item.text_zh, item.text_en, zh, en, item.code in warned_items)
            )
    return {"enterprise": enterprise, "assessment": assessment, "answers": answers,
            "warnings": warnings}  # fmt: skip
