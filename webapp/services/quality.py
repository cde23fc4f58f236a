"""Measurement quality of a round, computed from the stored assessments."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from assessment.consistency import RULES
from assessment.instrument import applicable_answers
from assessment.quality import (
    REFLECTIVE_DIMENSIONS,
    Agreement,
    ItemResponse,
    QualityReport,
    agreement,
    answer_agreement,
    miit_tables,
    quality_report,
    response_rates,
)
from assessment.types import MIIT_LEVEL_CODES, EnterpriseProfile, Instrument, Responses, Stage
from models import Assessment, AssessmentStatus, OnsiteRating, in_force
from webapp.extensions import db
from webapp.registries import instruments
from webapp.services import snapshots
from webapp.services.validation import staff_stages


def quality_versions(round_code: str) -> list[str]:
    """The questionnaire versions the quality page offers for a round: those of the current
    instrument id with submitted assessments in force in the round, and the current version
    (the default, even before anyone answered it); oldest first."""
    current = instruments().current()
    answered = db.session.scalars(
        select(Assessment.instrument_version)
        .where(
            Assessment.round_code == round_code,
            in_force(),
            Assessment.instrument_id == current.id,
        )
        .distinct()
    )
    return sorted({*answered, current.version}, key=lambda v: (len(v), v))  # "2" before "10"


def round_quality(round_code: str, version: str | None = None) -> QualityReport:
    """Quality figures for the round's submitted assessments on one questionnaire version.

    Parameters
    ----------
    version : str or None
        A version of the current instrument id (``quality_versions``); None means the current
        version. Only assessments answered on that version count.

    Only answers visible to each enterprise count (an answer left behind by skip logic, or to
    an item the version does not have, does not). Agreement uses the newest staff-validated stage of each assessment.

    Raises
    ------
    InstrumentVersionError
        ``version`` is neither packaged nor published (:func:`_answered`).
    """
    instrument, rows, profiles, answers = _answered(round_code, version)
    responses = [
        applicable_answers(instrument, p, a) for p, a in zip(profiles, answers, strict=True)
    ]
    stages = [a.stage or "S0" for a in rows]
    warnings = [a.consistency_warnings or [] for a in rows]
    labels = staff_stages([a.id for a in rows])
    report = quality_report(
        instrument,
        responses,
        stages,
        warnings,
        {r.code: r.items for r in RULES},
        [labels.get(a.id) for a in rows],
    )
    levels = [(a.result or {}).get("miit", {}).get("level") for a in rows]
    if not rows or any(level is None for level in levels):
        return report  # a version-1 round: no MIIT levels
    shares, table = miit_tables([a.stage or "S0" for a in rows], [str(v) for v in levels])
    return dataclasses.replace(report, miit_shares=shares, stage_by_level=table)


@dataclass(frozen=True)
class Checks:
    """What tests the instrument on real answers, for one round and questionnaire version.

    ``staff_stage``: the staff-validated stage (rows) against the questionnaire's stage;
    ``onsite_level``: the MIIT level an on-site rating verified (rows) against the
    self-reported one; ``retest_stage``/``retest_level``: the first submission (rows) against
    the correction of the same firm in the same round, ``retest_answers`` the share of answers
    given identically; ``responses``: item non-response and "don't know" rates;
    ``reflective``: the dimension codes whose alpha is meaningful (``REFLECTIVE_DIMENSIONS``).
    """

    staff_stage: Agreement
    onsite_level: Agreement
    retest_stage: Agreement
    retest_level: Agreement
    retest_answers: float | None
    responses: tuple[ItemResponse, ...]
    reflective: frozenset[str]


def _level_code(row: Assessment) -> str | None:
    level = ((row.result or {}).get("miit") or {}).get("level")
    return str(level) if level is not None else None


def _answered(
    round_code: str, version: str | None
) -> tuple[Instrument, list[Assessment], list[EnterpriseProfile], list[Responses]]:
    """The instrument of ``version`` (None: the current one), the round's submitted assessments
    in force on it, and each one's stored profile and answers, in the same order.

    Raises
    ------
    InstrumentVersionError
        ``version`` is neither packaged nor published.
    """
    current = instruments().current()
    instrument = current if version is None else instruments().get(current.id, version)
    rows = list(
        db.session.scalars(
            select(Assessment).where(
                Assessment.round_code == round_code,
                in_force(),
                Assessment.instrument_id == instrument.id,
                Assessment.instrument_version == instrument.version,
            )
        )
    )
    profiles = []
    for a in rows:
        assert a.profile_snapshot is not None
        profiles.append(snapshots.profile_from_json(a.profile_snapshot))
    return instrument, rows, profiles, [snapshots.responses_of(a) for a in rows]


def round_checks(round_code: str, version: str | None = None) -> Checks:
    """The agreement, test-retest and response-rate figures of a round on one version (None:
    the current one); see :class:`Checks`.

    Raises
    ------
    InstrumentVersionError
        As :func:`round_quality`.
    """
    instrument, rows, profiles, answers = _answered(round_code, version)
    staff = staff_stages([a.id for a in rows])
    stage_pairs = [(staff[a.id], a.stage or "S0") for a in rows if a.id in staff]
    finished: list[dict[str, Any] | None] = list(
        db.session.scalars(
            select(OnsiteRating.finished).where(
                OnsiteRating.assessment_id.in_([a.id for a in rows]),
                OnsiteRating.finished_at.is_not(None),
            )
        )
    )
    level_pairs = [
        (MIIT_LEVEL_CODES[int(done["level"])], MIIT_LEVEL_CODES[int(done["self_level"])])
        for done in finished
        if done
    ]
    first = aliased(Assessment)
    retests = db.session.execute(
        select(first, Assessment)
        .join(Assessment, Assessment.corrects_id == first.id)
        .where(
            Assessment.round_code == round_code,
            Assessment.status == AssessmentStatus.SUBMITTED.value,
            first.status == AssessmentStatus.SUBMITTED.value,
            Assessment.instrument_version == instrument.version,
            first.instrument_version == instrument.version,
        )
    ).all()
    stages = [s.code for s in Stage]
    levelled = [(b, a) for b, a in retests if _level_code(b) and _level_code(a)]
    return Checks(
        staff_stage=agreement([p[0] for p in stage_pairs], [p[1] for p in stage_pairs], stages),
        onsite_level=agreement(
            [p[0] for p in level_pairs], [p[1] for p in level_pairs], MIIT_LEVEL_CODES
        ),
        retest_stage=agreement(
            [b.stage or "S0" for b, _a in retests], [a.stage or "S0" for _b, a in retests], stages
        ),
        retest_level=agreement(
            [str(_level_code(b)) for b, _a in levelled],
            [str(_level_code(a)) for _b, a in levelled],
            MIIT_LEVEL_CODES,
        ),
        retest_answers=answer_agreement(
            [(snapshots.responses_of(b), snapshots.responses_of(a)) for b, a in retests]
        ),
        responses=response_rates(instrument, profiles, answers),
        reflective=REFLECTIVE_DIMENSIONS,
    )
