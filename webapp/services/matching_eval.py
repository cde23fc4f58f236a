"""How well the catalogue serves a round: gap coverage, breadth and concentration of providers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from assessment.matching import GAP_NAMES, recommend
from assessment.tasks import task_list
from models import Assessment, AssessmentStatus, Enterprise
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
            Assessment.status == AssessmentStatus.SUBMITTED.value,
        )  # fmt: skip
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
    return MatchingEvaluation(n, unmet, covered, len(providers), top,
                              count / total if total else 0.0, dict(uncovered))  # fmt: skip
