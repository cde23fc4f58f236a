"""How well the catalogue serves a round: gap coverage, breadth and concentration of providers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from assessment.matching import GAP_NAMES, recommend
from assessment.referrals import ReferralState
from assessment.tasks import task_list
from models import Assessment, Enterprise, Referral, in_force
from webapp.extensions import db
from webapp.services import catalogue, snapshots
from webapp.services.assessments import instrument_of


@dataclass(frozen=True)
class MatchingEvaluation:
    assessments: int
    unmet_gates: int
    covered_gates: int
    distinct_providers: int
    top_provider: str
    top_provider_share: float
    uncovered: dict[str, int]

    @property
    def coverage(self) -> float:
        return self.covered_gates / self.unmet_gates if self.unmet_gates else 1.0

    def summary(self) -> str:
        missing = ", ".join(f"{k} {v}" for k, v in sorted(self.uncovered.items())) or "none"
        return (
            f"{self.assessments} assessments; unmet capability conditions covered by at least one "
            f"recommended solution: {self.covered_gates}/{self.unmet_gates} ({self.coverage:.1%}); "
            f"distinct providers recommended: {self.distinct_providers}; top provider "
            f"{self.top_provider} has {self.top_provider_share:.1%} of provider recommendations; "
            f"uncovered: {missing}"
        )


def evaluate_round(round_code: str) -> MatchingEvaluation:
    """Run matching for every submitted assessment of the round and measure the result."""
    current = catalogue.current_catalogue()
    unmet = covered = n = 0
    providers: Counter[str] = Counter()
    uncovered: Counter[str] = Counter()
    rows = db.session.execute(
        select(Assessment, Enterprise)
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(
            Assessment.round_code == round_code,
            in_force(),
        )
    )
    for assessment, enterprise in rows:
        result = snapshots.result_of(assessment)
        assert result is not None
        instrument = instrument_of(assessment)
        profile = snapshots.assessment_profile(assessment, enterprise)
        responses = snapshots.responses_of(assessment)
        rec = recommend(profile, result, task_list(instrument, profile, responses, result), current)
        gates = [g.code for g in result.stage.unmet_next if g.code in GAP_NAMES]
        unmet += len(gates)
        covered += len(gates) - len(rec.uncovered)
        uncovered.update(rec.uncovered)
        providers.update(m.code for m in rec.providers)
        n += 1
    top, count = providers.most_common(1)[0] if providers else ("-", 0)
    total = sum(providers.values())
    return MatchingEvaluation(
        n, unmet, covered, len(providers), top, count / total if total else 0.0, dict(uncovered)
    )


#: Completed referrals with a later-round assessment needed before outcomes could inform ranking.
MIN_OUTCOMES = 10


def provider_outcomes() -> tuple[dict[str, tuple[int, int, float | None]], str]:
    """Per provider or centre code: (completed referrals, of which re-assessed, mean index
    change from the assessment the referral was made on to the post-project assessment that
    re-assessed it), and a sentence saying whether ranking uses outcomes yet (it does not before
    ``MIN_OUTCOMES`` re-assessed completions)."""
    before, after = aliased(Assessment), aliased(Assessment)
    completed = db.session.execute(
        select(Referral.target_code, before.maturity_index, after.maturity_index)
        .join(before, before.id == Referral.assessment_id)
        .outerjoin(after, after.id == Referral.reassessment_id)
        .where(Referral.state.in_([ReferralState.COMPLETED.value, ReferralState.REASSESSED.value]))
    ).all()
    out: dict[str, list[float]] = {}
    counts: Counter[str] = Counter()
    for code, index_before, index_after in completed:
        counts[code] += 1
        if index_before is not None and index_after is not None:
            out.setdefault(code, []).append(index_after - index_before)
    table = {
        code: (
            n,
            len(out.get(code, [])),
            round(sum(out[code]) / len(out[code]), 2) if out.get(code) else None,
        )
        for code, n in counts.items()
    }
    measured = sum(len(v) for v in out.values())
    note = (
        f"outcomes: {sum(counts.values())} completed referrals, {measured} re-assessed after the "
        f"project; ranking does not use outcomes until at least {MIN_OUTCOMES} are re-assessed"
    )
    return table, note
