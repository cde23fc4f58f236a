"""Generate a large synthetic region quickly: bulk inserts, several rounds, stage progress."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, insert, select

from assessment.catalogue import CentreType
from assessment.consistency import check_consistency
from assessment.synthetic import synthetic_cohort
from models import (
    Assessment,
    AssessmentStatus,
    EnablingCentre,
    Enterprise,
)
from webapp.extensions import db
from webapp.registries import instruments, scorer_for
from webapp.services import demo, results, snapshots

BATCH = 1000


def _centre_for_cluster() -> dict[str, int]:
    """Cluster -> the 专业型 centre serving it, else the 平台型 centre (fast assignment at scale)."""
    centres = db.session.scalars(
        select(EnablingCentre).where(EnablingCentre.retired.is_(False))
    ).all()
    fallback = next((c.id for c in centres if c.centre_type == CentreType.PLATFORM.value), None)
    out: dict[str, int] = {}
    for c in centres:
        if c.centre_type == CentreType.SPECIALISED.value:
            for cluster in c.clusters:
                out.setdefault(cluster, c.id)
    return {
        **{
            k: fallback
            for k in ("electronics", "equipment", "textiles", "food", "furniture", "other")
            if fallback is not None
        },
        **out,
    }


def generate_region(
    n: int, rounds: int, last_round: int, seed: int, progress: Callable[[int], None] | None = None
) -> int:
    """Add ``n`` synthetic enterprises, each with one submitted assessment per round
    (``last_round - rounds + 1`` .. ``last_round``), in batches of ``BATCH``.

    Returns the number of assessments written. ``progress`` is called with the number of
    enterprises done after each batch.
    """
    demo.load_catalogue()
    instrument = instruments().current()
    centres = _centre_for_cluster()
    first = int(db.session.scalar(select(func.count(Enterprise.id))) or 0) + 1_000_000
    round_codes = [str(last_round - rounds + 1 + i) for i in range(rounds)]
    written = 0
    batch: list = []

    def flush() -> None:
        nonlocal written
        if not batch:
            return
        ids = db.session.scalars(
            insert(Enterprise).returning(Enterprise.id, sort_by_parameter_order=True),
            [e for e, _ in batch],
        ).all()
        assessments, payloads = [], []
        for eid, (_, rounds_data) in zip(ids, batch, strict=True):
            for round_code, (profile, responses, result, warnings) in rounds_data:
                assessments.append(
                    {
                        "public_id": uuid.uuid4().hex,
                        "enterprise_id": eid,
                        "round_code": round_code,
                        "instrument_id": instrument.id,
                        "instrument_version": instrument.version,
                        "status": AssessmentStatus.SUBMITTED.value,
                        "responses": snapshots.responses_to_json(responses),
                        **snapshots.plan_indicator_columns(responses, instrument.version),
                        **snapshots.path_columns(responses, instrument.version),
                        "submitted_at": datetime(int(round_code), 4, 1, tzinfo=UTC),
                        "profile_snapshot": snapshots.profile_to_json(profile),
                        **snapshots.profile_columns(profile),
                        **snapshots.result_columns(result),
                        "consistency_warnings": warnings,
                        "version_id": 1,
                    }
                )
                payloads.append(result)
        aids = db.session.scalars(
            insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True), assessments
        ).all()
        results.record_results(
            [
                (aid, a["round_code"], r)
                for aid, a, r in zip(aids, assessments, payloads, strict=True)
            ],
            replace=False,
        )
        db.session.commit()
        written += len(aids)
        batch.clear()

    done = 0
    for e in synthetic_cohort(instrument, n, seed, rounds=rounds, first_serial=first):
        columns = snapshots.enterprise_columns(
            e.industry_code, e.production_type, e.town, e.employees, e.revenue_wan
        )
        profile = snapshots.profile_from_json(columns)
        enterprise = {
            "uscc": e.uscc,
            "name": e.name,
            "centre_id": centres.get(columns["cluster"]),
            "is_demo": True,
            **columns,
            # generated data stands for an administrator's import: confirmed (confirmation.py)
            "confirmed_at": datetime(int(round_codes[0]), 3, 1, tzinfo=UTC),
            "confirmation": "import",
        }
        rounds_data = []
        for round_code, responses in zip(round_codes, (e.responses, *e.later), strict=True):
            result = scorer_for(instrument)(instrument, profile, responses)
            warnings = [w.code for w in check_consistency(instrument, profile, responses)]
            rounds_data.append((round_code, (profile, responses, result, warnings)))
        batch.append((enterprise, rounds_data))
        done += 1
        if len(batch) >= BATCH:
            flush()
            if progress:
                progress(done)
    flush()
    if progress:
        progress(done)
    return written
