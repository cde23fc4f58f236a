"""Fit peer models per round, store them, and assign personas to assessments."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import numpy as np
from sqlalchemy import select, update

from assessment.clustering import PeerModel, Persona, fit_peer_model
from assessment.features import feature_columns, feature_matrix
from models import Assessment, DimensionScore, PeerModelRecord, in_force
from webapp.extensions import db
from webapp.registries import instruments


def _scores_of_round(round_code: str) -> tuple[list[int], list[dict[str, float]], list[str]]:
    rows = db.session.execute(
        select(Assessment.id, Assessment.stage, DimensionScore.dimension, DimensionScore.score)
        .join(DimensionScore, DimensionScore.assessment_id == Assessment.id)
        .where(
            Assessment.round_code == round_code,
            in_force(),
        )
        .order_by(Assessment.id)
    )
    scores: dict[int, dict[str, float]] = defaultdict(dict)
    stages: dict[int, str] = {}
    for aid, stage, dim, value in rows:
        scores[aid][dim] = value
        stages[aid] = stage or "S0"
    ids = sorted(scores)
    return ids, [scores[i] for i in ids], [stages[i] for i in ids]


def _comparable(
    loaded: tuple[list[int], list[dict[str, float]], list[str]], columns: tuple[str, ...]
) -> tuple[list[int], list[dict[str, float]], list[str]]:
    """The assessments of ``loaded`` scored on every one of ``columns``: peers are compared on one
    questionnaire version, so in a round where v1 and v2 assessments stand side by side the
    model is fitted on those of the current version."""
    keep = [i for i, s in enumerate(loaded[1]) if all(c in s for c in columns)]
    return (
        [loaded[0][i] for i in keep],
        [loaded[1][i] for i in keep],
        [loaded[2][i] for i in keep],
    )


def fit_round(
    round_code: str, random_state: int = 0, progress: Callable[[int, str], None] | None = None
) -> PeerModelRecord:
    """Fit the peer model of a round on all its submitted assessments and assign personas.

    ``progress(percent, message)``, when given, is called as the scores are loaded and after
    the fit (most of the time: one k-means per candidate k plus the stability resamples);
    percent is in [0, 100]. It is never called once writing has begun, because a job's
    progress report commits: the new model and its personas are stored in one transaction.

    Raises
    ------
    ValueError
        Too few submitted assessments to cluster.
    """
    report = progress or (lambda percent, message: None)
    instrument = instruments().current()
    columns = feature_columns(instrument)
    report(5, "loading dimension scores")
    ids, scores, stages = _comparable(_scores_of_round(round_code), columns)
    report(15, f"fitting {len(ids)} assessments")
    names = {d.code: (d.name_zh, d.name_en) for d in instrument.dimensions}
    started = time.perf_counter()
    model = fit_peer_model(
        feature_matrix(scores, columns),
        columns,
        dimension_names=names,
        stages=stages,
        random_state=random_state,
    )
    seconds = time.perf_counter() - started
    report(80, f"fitted k={model.k} in {seconds:.1f} s; assigning personas")
    db.session.execute(
        update(PeerModelRecord)
        .where(PeerModelRecord.round_code == round_code)
        .values(is_current=False)
    )
    record = PeerModelRecord(
        round_code=round_code,
        k=model.k,
        params={
            "columns": list(model.columns),
            "mean": list(model.mean),
            "scale": list(model.scale),
            "centers": [list(c) for c in model.centers],
            "random_state": model.random_state,
        },
        metrics={
            "n": len(ids),
            "silhouette_by_k": {str(k): v for k, v in model.silhouette_by_k.items()},
            "stability_ari": model.stability_ari,
            "fit_seconds": round(seconds, 3),
        },
        personas=[asdict(p) for p in model.personas],
        is_current=True,
    )
    db.session.add(record)
    db.session.flush()
    for label in range(model.k):
        members = [aid for aid, lab in zip(ids, model.labels, strict=True) if lab == label]
        if members:
            db.session.execute(
                update(Assessment)
                .where(Assessment.id.in_(members))
                .values(persona=label, peer_model_id=record.id),
                execution_options={"synchronize_session": False},
            )
    db.session.commit()
    return record


def current_model(round_code: str) -> PeerModelRecord | None:
    return db.session.scalar(
        select(PeerModelRecord).where(
            PeerModelRecord.round_code == round_code, PeerModelRecord.is_current
        )
    )


def model_of(record: PeerModelRecord) -> PeerModel:
    """The stored numbers as a ``PeerModel`` that can assign new rows."""
    p = record.params
    personas = tuple(
        Persona(x["label"], x["name_zh"], x["name_en"], x["size"], x["centroid"], x["stage_mix"])
        for x in record.personas
    )
    return PeerModel(
        columns=tuple(p["columns"]),
        mean=tuple(p["mean"]),
        scale=tuple(p["scale"]),
        centers=tuple(tuple(c) for c in p["centers"]),
        k=record.k,
        silhouette_by_k={int(k): v for k, v in record.metrics["silhouette_by_k"].items()},
        stability_ari=record.metrics["stability_ari"],
        personas=personas,
        labels=(),
        random_state=p["random_state"],
    )


def assign_persona(assessment: Assessment, dimension_scores: dict[str, float]) -> None:
    """Give a newly submitted assessment the persona of the nearest cluster, without refitting.

    Does nothing when the round has no fitted model yet, or its model was fitted on another
    questionnaire version (other dimensions). The caller commits.
    """
    record = current_model(assessment.round_code)
    if record is None:
        return
    model = model_of(record)
    if not all(c in dimension_scores for c in model.columns):
        return
    x = np.array([[dimension_scores[c] for c in model.columns]])
    assessment.persona = int(model.assign(x)[0])
    assessment.peer_model_id = record.id


def persona_names(round_code: str) -> dict[int, dict[str, Any]]:
    """Label -> persona dict of the round's current model (empty without one)."""
    record = current_model(round_code)
    return {p["label"]: p for p in record.personas} if record else {}
