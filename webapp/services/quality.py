"""Measurement quality of a round, computed from the stored assessments."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from assessment.consistency import RULES
from assessment.instrument import applicable_answers
from assessment.quality import QualityReport, miit_tables, quality_report
from models import Assessment, in_force
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
        ``version`` is neither packaged nor published.
    """
    current = instruments().current()
    instrument = current if version is None else instruments().get(current.id, version)
    rows = db.session.scalars(
        select(Assessment).where(
            Assessment.round_code == round_code,
            in_force(),
            Assessment.instrument_id == instrument.id,
            Assessment.instrument_version == instrument.version,
        )
    ).all()
    responses, stages, warnings = [], [], []
    for a in rows:
        assert a.profile_snapshot is not None
        profile = snapshots.profile_from_json(a.profile_snapshot)
        answers = snapshots.responses_of(a)
        responses.append(applicable_answers(instrument, profile, answers))
        stages.append(a.stage or "S0")
        warnings.append(a.consistency_warnings or [])
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
