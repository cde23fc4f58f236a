"""Measurement quality of a round, computed from the stored assessments."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from assessment.consistency import RULES
from assessment.instrument import is_applicable
from assessment.quality import QualityReport, miit_tables, quality_report
from models import Assessment, in_force
from webapp.extensions import db
from webapp.registries import instruments
from webapp.services import snapshots
from webapp.services.validation import staff_stages


def round_quality(round_code: str) -> QualityReport:
    """Quality figures for the round's submitted assessments on the current instrument.

    Only answers visible to each enterprise count (an answer left behind by skip logic does
    not). Agreement uses the newest staff-validated stage of each assessment.
    """
    instrument = instruments().current()
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
        responses.append(
            {
                code: value
                for code, value in answers.items()
                if is_applicable(instrument.item(code), profile, answers)
            }
        )
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
