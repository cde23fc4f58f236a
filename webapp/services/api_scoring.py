"""What the JSON API does: the instrument as a document, stateless scoring, own assessments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from sqlalchemy import select

from assessment.consistency import check_consistency
from assessment.errors import InstrumentVersionError, InvalidResponseError
from assessment.instrument import (
    missing_items,
    normalise_response,
)
from assessment.roadmap import FirmFigures
from assessment.types import MIIT_LEVEL_CODES, AssessmentResult, Instrument
from models import Assessment, AssessmentStatus, User, round_record
from webapp.extensions import db
from webapp.registries import instruments, scorer_for
from webapp.services import catalogue, onsite, roadmaps, snapshots
from webapp.services.errors import ServiceError
from webapp.services.loaders import assessment_for


class ScoreInputError(ServiceError):
    """Answers the instrument refuses; ``errors`` maps each field path to its messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(str(errors))
        self.errors = errors


def instrument_document(instrument: Instrument | None = None) -> dict[str, Any]:
    """The instrument as plain data (the API's ``InstrumentSchema``)."""
    instrument = instrument or instruments().current()
    return {
        "id": instrument.id,
        "version": instrument.version,
        "title_zh": instrument.title_zh,
        "title_en": instrument.title_en,
        "minutes": instrument.minutes,
        "dimensions": [
            {
                "code": d.code,
                "name_zh": d.name_zh,
                "name_en": d.name_en,
                "weight": d.weight,
                "scored": d.scored,
            }
            for d in instrument.dimensions
        ],
        "items": [
            {
                **{k: v for k, v in asdict(i).items() if k not in ("options", "show_if", "bands")},
                "kind": i.kind.value,
                "cluster": i.cluster.value if i.cluster else None,
                "better": i.better.value if i.better else None,
                "applies_to": sorted(p.value for p in i.applies_to),
                "show_if": {"item": i.show_if.item, "values": sorted(i.show_if.values)}
                if i.show_if
                else None,
                "options": [asdict(o) for o in i.options],
            }
            for i in instrument.items
        ],
    }


def score_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Score a validated request body; nothing is stored.

    Raises
    ------
    ScoreInputError
        Unknown instrument version, unknown item codes, answers the items refuse, or required
        answers missing; each under its own field path.
    """
    try:
        instrument = instruments().get("dmi", str(payload["instrument_version"]))
    except InstrumentVersionError:
        raise ScoreInputError({"instrument_version": ["unknown instrument version"]}) from None
    p = payload["profile"]
    profile = snapshots.profile_from_json(
        snapshots.enterprise_columns(
            p["industry_code"], p["production_type"], p["town"], p["employees"], p["revenue_wan"]
        )
    )
    errors: dict[str, list[str]] = {}
    responses: dict[str, str | tuple[str, ...] | float] = {}
    known = {i.code for i in instrument.items}
    for code, raw in payload["answers"].items():
        if code not in known:
            errors[code] = ["unknown item code"]
            continue
        try:
            responses[code] = normalise_response(instrument.item(code), raw)
        except InvalidResponseError as exc:
            errors[code] = [exc.reason_en]
    if not errors:
        for item in missing_items(instrument, profile, responses):
            errors[item.code] = ["required answer missing"]
    if errors:
        raise ScoreInputError({"answers": errors})
    result = scorer_for(instrument)(instrument, profile, responses)
    figures = FirmFigures(float(p["revenue_wan"]), int(p["employees"]))
    roadmap = roadmaps.firm_roadmap(
        instrument, profile, responses, result, figures, catalogue.current_catalogue()
    )
    stage = result.stage.stage
    return {
        "stage": stage.code,
        "stage_name": stage.label_zh,
        "stage_name_en": stage.label_en,
        "index": result.scorecard.maturity_index,
        "dimensions": dict(result.scorecard.dimension_scores),
        "unmet_conditions": [
            {"code": g.code, "text_zh": g.text_zh, "text_en": g.text_en}
            for g in result.stage.unmet_next
        ],
        "warnings": [asdict(w) for w in check_consistency(instrument, profile, responses)],
        "instrument_version": instrument.version,
        "scoring_version": result.scoring_version,
        **miit_fields(result),
        "roadmap": roadmaps.roadmap_document(roadmap),
    }


def miit_fields(result: AssessmentResult) -> dict[str, Any]:
    """The MIIT part of a score response: level code ("none", "1".."4") and score 0-100 (None on
    a version-1 result), the 16 scenarios, the gaps to the next level(s) (most relevant first)
    and the first borderline finding (None when no single answer changes stage or level)."""
    miit = result.miit
    stored = miit.to_dict() if miit is not None else {}
    return {
        "miit_level": miit.level_code if miit is not None else None,
        "miit_score": miit.score if miit is not None else None,
        "scenarios": stored.get("scenarios", []),
        "miit_next": stored.get("next", []),
        "borderline": result.borderline[0].to_dict() if result.borderline else None,
    }


def _summary(a: Assessment, basis: str) -> dict[str, Any]:
    """The list fields of one assessment; ``basis`` is its ``assessment.onsite.Basis`` code."""
    return {
        "id": a.public_id,
        "round": a.round_code,
        "status": a.status,
        "instrument_version": a.instrument_version,
        "submitted_at": a.submitted_at,
        "stage": a.stage,
        "index": a.maturity_index,
        "dimensions": (a.result or {}).get("dimension_scores"),
        "warnings": a.consistency_warnings,
        "miit_level": ((a.result or {}).get("miit") or {}).get("level"),
        "basis": basis,
    }


def own_assessments(actor: User) -> list[dict[str, Any]]:
    """The actor's enterprise's assessments, newest round first (empty without an enterprise).

    One per round: the record that stands for it (a superseded record, or a correction still
    being filled in, is left out; the superseded one stays reachable by its id).
    """
    if actor.enterprise_id is None:
        return []
    rows = db.session.scalars(
        select(Assessment)
        .where(Assessment.enterprise_id == actor.enterprise_id, round_record())
        .order_by(Assessment.round_code.desc())
    ).all()
    bases = onsite.bases_of([a.id for a in rows])
    return [_summary(a, bases[a.id].value) for a in rows]


def own_assessment(actor: User, public_id: str) -> dict[str, Any]:
    """One assessment of the actor's enterprise with its roadmap (None for a draft or a
    version-1 result); ``NotFoundError`` for anyone else's."""
    assessment = assessment_for(actor, public_id)
    submitted = assessment.status == AssessmentStatus.SUBMITTED.value
    roadmap = roadmaps.assessment_roadmap(assessment) if submitted else None
    basis = onsite.bases_of([assessment.id])[assessment.id].value
    verified = onsite.verified_of(onsite.rating_of(assessment.id))
    return _summary(assessment, basis) | {
        "roadmap": roadmaps.roadmap_document(roadmap),
        "verified": None
        if verified is None
        else {
            "miit_level": MIIT_LEVEL_CODES[verified.level],
            "self_miit_level": MIIT_LEVEL_CODES[verified.self_level],
            "changed": [asdict(c) for c in verified.changed],
        },
    }
