"""On-site rating (现场评定) by the staff of the firm's centre, and the basis of each result.

Staff rate the 16 MIIT scenarios of the firm's latest submitted (version-2) assessment against
its evidence. The page autosaves a working copy (``OnsiteRating.levels``/``reasons``) with the
questionnaire's rules: every change is sent at once, a save from a stale page is refused
(``version_id``), and the browser keeps what the server could not take. Finishing computes the
verified level through ``assessment.onsite.rate`` (the MIIT rule of ``assessment.miit``), keeps
it in ``OnsiteRating.finished`` and writes an audit row; the submitted result is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Integer, String, cast, null, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from assessment.onsite import (
    Basis,
    ChangedScenario,
    RatingError,
    ShownStage,
    Verified,
    basis_of,
    rate,
    shown_stage,
)
from assessment.types import MiitResult
from models import (
    Assessment,
    AuditLog,
    Enterprise,
    Evidence,
    OnsiteRating,
    StageValidation,
    User,
    utcnow,
)
from webapp.extensions import db
from webapp.services import snapshots
from webapp.services.assessment_rows import instrument_of
from webapp.services.assessments import latest_submitted
from webapp.services.confirmation import confirm
from webapp.services.errors import ConflictError, InvalidInputError
from webapp.services.loaders import enterprise_for_staff


@dataclass(frozen=True)
class Subject:
    """What a rating is about: the enterprise, its latest submitted assessment and that
    assessment's self-reported MIIT result."""

    enterprise: Enterprise
    assessment: Assessment
    miit: MiitResult


def subject_for(actor: User, enterprise_id: int) -> Subject:
    """The enterprise of the actor's cohort and the assessment its staff rate.

    Raises
    ------
    NotFoundError
        The enterprise is not in the actor's centre's cohort.
    ConflictError
        It has no submitted assessment with a MIIT level (none, or only questionnaire v1).
    """
    enterprise = enterprise_for_staff(actor, enterprise_id)
    assessment = latest_submitted(enterprise.id)
    result = snapshots.result_of(assessment) if assessment is not None else None
    if assessment is None or result is None or result.miit is None:
        raise ConflictError(_("该企业还没有按第二版问卷提交的评估，无法现场评定。"))
    return Subject(enterprise, assessment, result.miit)


def working_copy(subject: Subject) -> OnsiteRating:
    """The assessment's rating row; before the first save a new row that is not in the session
    yet, holding the self-reported levels (so opening the page writes nothing)."""
    rating = rating_of(subject.assessment.id)
    if rating is None:
        rating = OnsiteRating(
            assessment_id=subject.assessment.id,
            levels={s.code: s.level for s in subject.miit.scenarios},
            reasons={},
        )
    return rating


def version_of(rating: OnsiteRating) -> int:
    """The optimistic-locking version a page loads and sends back (1 before the first save)."""
    return rating.version_id or 1


def _read_levels(subject: Subject, levels: Mapping[str, str]) -> dict[str, int]:
    """Staff's levels from the form (scenario code -> "0".."4"); blank keeps the old value.

    Raises ``InvalidInputError`` (field ``levels``) for an unknown scenario or a level that is
    not 0-4.
    """
    known = {s.code for s in subject.miit.scenarios}
    read: dict[str, int] = {}
    for code, raw in levels.items():
        if raw == "":
            continue
        if code not in known or raw not in {"0", "1", "2", "3", "4"}:
            raise InvalidInputError("levels", _("场景等级只能是 0 至 4。"))
        read[code] = int(raw)
    return read


def save(
    actor: User,
    enterprise_id: int,
    levels: Mapping[str, str],
    reasons: Mapping[str, str],
    expected_version: int | None,
) -> OnsiteRating:
    """Save the working copy of the rating (autosave and the page's save button).

    Parameters
    ----------
    levels : scenario code -> "0".."4" (blank: unchanged)
    reasons : scenario code -> text (at most 500 characters each; blank removes it)
    expected_version : the ``version_id`` the page was loaded with; None skips the check

    Raises
    ------
    NotFoundError, ConflictError
        As :func:`subject_for`; ``ConflictError`` also when the rating was saved elsewhere
        since the page was loaded (stale ``expected_version``).
    InvalidInputError
        A level outside 0-4 or an unknown scenario (``levels``); a reason over 500 characters
        (``reasons``).
    """
    subject = subject_for(actor, enterprise_id)
    rating = working_copy(subject)
    if expected_version is not None and expected_version != version_of(rating):
        raise ConflictError(_("这份评定已在别处修改，请刷新页面后再修改。"))
    new_levels = dict(rating.levels or {})
    new_levels.update(_read_levels(subject, levels))
    new_reasons = dict(rating.reasons or {})
    for code, text in reasons.items():
        if code not in new_levels:
            continue
        text = text.strip()
        if len(text) > 500:
            raise InvalidInputError("reasons", _("理由最多 500 字。"))
        if text:
            new_reasons[code] = text
        else:
            new_reasons.pop(code, None)
    rating.levels = new_levels
    rating.reasons = new_reasons
    rating.updated_by_id = actor.id
    db.session.add(rating)
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):  # saved by another request at the same moment
        db.session.rollback()
        raise ConflictError(_("这份评定已在别处修改，请刷新页面后再修改。")) from None
    return rating


def finish(actor: User, enterprise_id: int) -> OnsiteRating:
    """Finish the rating: the verified level from the saved levels (``assessment.onsite.rate``),
    kept in ``finished`` with the changed scenarios and reasons, an audit row, and the firm
    confirmed for statistics (staff have met it, as a stage validation does).

    Raises
    ------
    InvalidInputError
        ``reasons``: a scenario rated differently from the answers has no reason (the message
        names them).
    NotFoundError, ConflictError
        As :func:`subject_for`.
    """
    subject = subject_for(actor, enterprise_id)
    rating = working_copy(subject)
    try:
        outcome = rate(subject.miit.score, subject.miit.scenarios, rating.levels, rating.reasons)
    except RatingError as exc:
        names = {s.code: s.name_zh for s in subject.miit.scenarios}
        missing = _("、").join(names.get(c, c) for c in exc.missing_reasons + exc.bad_levels)
        raise InvalidInputError(
            "reasons", _("以下场景的评定与企业填报不同，请写明理由：%(names)s", names=missing)
        ) from None
    rating.finished = {
        "level": outcome.level,
        "self_level": outcome.self_level,
        "levels": {s.code: s.level for s in outcome.scenarios},
        "changed": [asdict(c) for c in outcome.changed],
    }
    rating.finished_at = utcnow()
    rating.finished_by_id = actor.id
    db.session.add(rating)
    db.session.add(
        AuditLog(
            actor_id=actor.id,
            entity="onsite_rating",
            entity_code=subject.enterprise.uscc,
            action="finish",
            detail={"assessment": subject.assessment.public_id, **rating.finished},
        )
    )
    confirm(subject.enterprise, "validation")
    db.session.commit()
    return rating


def verified_of(rating: OnsiteRating | None) -> Verified | None:
    """The finished part of a rating row (None when never finished)."""
    if rating is None or rating.finished is None:
        return None
    done: dict[str, Any] = rating.finished
    return Verified(
        int(done["level"]),
        int(done["self_level"]),
        tuple(ChangedScenario(**c) for c in done.get("changed", [])),
    )


def rating_of(assessment_id: int) -> OnsiteRating | None:
    """The rating row of an assessment, finished or not."""
    return db.session.scalar(
        select(OnsiteRating).where(OnsiteRating.assessment_id == assessment_id)
    )


def onsite_rated_ids() -> Any:
    """SQL subquery: ids of the assessments with a finished on-site rating."""
    return select(OnsiteRating.assessment_id).where(OnsiteRating.finished_at.is_not(None))


def staff_validated_ids() -> Any:
    """SQL subquery: ids of the assessments with a staff stage validation."""
    return select(StageValidation.assessment_id)


def basis_condition(basis: Basis) -> ColumnElement[bool]:
    """SQL condition on ``Assessment``: its result rests on exactly ``basis``."""
    onsite = Assessment.id.in_(onsite_rated_ids())
    staff = Assessment.id.in_(staff_validated_ids())
    if basis == Basis.ONSITE_RATED:
        return onsite
    if basis == Basis.STAFF_VERIFIED:
        return staff & ~onsite
    return ~staff & ~onsite


def shown_stages(assessments: Sequence[Assessment]) -> dict[int, ShownStage]:
    """The stage each assessment shows and its basis, by assessment id
    (``assessment.onsite.shown_stage``: the newest staff stage over the model's); assessments
    without a stage are absent. One query: the validations and the finished ratings."""
    ids = [a.id for a in assessments if a.stage]
    if not ids:
        return {}
    rows = db.session.execute(
        union_all(
            select(
                StageValidation.assessment_id, StageValidation.id, StageValidation.staff_stage
            ).where(StageValidation.assessment_id.in_(ids)),
            onsite_rated_ids()
            .add_columns(cast(null(), Integer), cast(null(), String))
            .where(OnsiteRating.assessment_id.in_(ids)),
        )
    ).all()
    onsite = {aid for aid, _vid, stage in rows if stage is None}
    validations = sorted((vid, aid, stage) for aid, vid, stage in rows if stage is not None)
    staff = {aid: stage for _vid, aid, stage in validations}  # the newest one wins
    return {
        a.id: shown_stage(a.stage, staff.get(a.id), onsite_rated=a.id in onsite)
        for a in assessments
        if a.stage
    }


def bases_of(assessment_ids: Sequence[int]) -> dict[int, Basis]:
    """The basis of each assessment (``assessment.onsite.basis_of``)."""
    ids = list(assessment_ids)
    if not ids:
        return {}
    onsite = set(db.session.scalars(onsite_rated_ids().where(OnsiteRating.assessment_id.in_(ids))))
    staff = set(
        db.session.scalars(staff_validated_ids().where(StageValidation.assessment_id.in_(ids)))
    )
    return {i: basis_of(staff_validated=i in staff, onsite_rated=i in onsite) for i in ids}


def verified_levels_of(assessment_ids: Sequence[int]) -> dict[int, int]:
    """The verified MIIT level (0-4) of each of the assessments with a finished on-site
    rating; assessments without one are absent."""
    ids = list(assessment_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(OnsiteRating.assessment_id, OnsiteRating.finished).where(
            OnsiteRating.assessment_id.in_(ids), OnsiteRating.finished_at.is_not(None)
        )
    )
    return {aid: int(done["level"]) for aid, done in rows if done is not None}


def evidence_by_scenario(subject: Subject) -> dict[str, list[Evidence]]:
    """The assessment's evidence files by the scenario of the item they were attached to
    (files on items without a scenario under ``""``)."""
    instrument = instrument_of(subject.assessment)
    rows = db.session.scalars(
        select(Evidence)
        .where(Evidence.assessment_id == subject.assessment.id)
        .order_by(Evidence.id)
    )
    grouped: dict[str, list[Evidence]] = {}
    for row in rows:
        try:
            scenario = instrument.item(row.item_code).scenario or ""
        except KeyError:
            scenario = ""
        grouped.setdefault(scenario, []).append(row)
    return grouped
