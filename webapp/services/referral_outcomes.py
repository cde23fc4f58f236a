"""What the referrals made on a round's diagnoses came to: the officer's "对接成效" figures.

Issue 15: outcomes feed the officer's dashboard (contracts, amounts, completed projects, firms
re-assessed and their level change). They are frozen in each statistics release
(``releases.cut_release`` stores them in the release summary), so every officer sees the same
figures until the next release, and they follow the release's disclosure rules:

* a count of firms between 1 and k - 1 is hidden (k = the release's threshold, 5);
* the contract amount is shown only when at least k firms signed, and hidden when the set of
  signing firms changed by 1 to k - 1 since the previous release (the difference of two sums
  would be one firm's contract);
* level changes are counted only over re-assessed firms, with the same small-count rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from assessment.miit import PILOT_TARGET
from assessment.plan_targets import (
    CURRENT_TARGETS,
    PILOT_AT_LEVEL2,
    PILOT_INDUSTRIES,
    PILOT_REASSESSED,
    pilot_completed_key,
)
from assessment.referrals import ReferralState
from assessment.types import IndustryCluster, Stage
from models import Assessment, Enterprise, Referral
from webapp.extensions import db
from webapp.services.snapshots import submitted_profile

S = ReferralState
CONTRACTED_OR_LATER = (S.CONTRACTED.value, S.COMPLETED.value, S.REASSESSED.value)
COMPLETED_OR_LATER = (S.COMPLETED.value, S.REASSESSED.value)

#: The figures, in the order the dashboard shows them (all counts are firms).
COUNTS = ("referred", "contracted", "completed", "reassessed", "level_up", "stage_up", "at_level2")
#: What the dashboard's outcomes card shows of a release's outcomes (the pilot's figures are
#: shown as plan targets).
SHOWN = (*COUNTS, "amount_wan")
#: The pilot's figures (plan targets, ``assessment.plan_targets``): firms of the pilot
#: industries whose project was completed (all, and per industry), re-assessed after it, and at
#: MIIT 二级 or above then. Published under the same small-count rule as ``COUNTS``.
#: Key of the unpublished raw counts behind outcome shares in a release's outcomes.
SHARE_COUNTS = "share_counts"
PILOT_COUNTS = (
    pilot_completed_key(),
    *(pilot_completed_key(cluster) for cluster in PILOT_INDUSTRIES),
    PILOT_REASSESSED,
    PILOT_AT_LEVEL2,
)


def _level(result: Mapping[str, Any] | None) -> int:
    """The MIIT level (0 = 无等级) a stored result carries; 0 for results without one (v1)."""
    level = ((result or {}).get("miit") or {}).get("level", "none")
    return int(level) if str(level).isdigit() else 0


def _stage(code: str | None) -> int:
    """The stage rank (S0 = 0 .. S3 = 3) of a stored stage code; 0 for none."""
    return int(Stage.from_code(code)) if code else 0


def raw_outcomes(round_code: str) -> dict[str, Any]:
    """The round's referral outcomes before protection: firms referred, contracted,
    completed, re-assessed, re-assessed firms whose MIIT level / stage rose and that reached
    二级 or above, the contract amount (万元) and the ids of the contracted firms; the same for
    firms of the pilot industries (``PILOT_COUNTS``, by the cluster the diagnosis was submitted
    under)."""
    before, after = aliased(Assessment), aliased(Assessment)
    rows = db.session.execute(
        select(
            Referral.enterprise_id,
            Referral.state,
            Referral.contract_amount_wan,
            submitted_profile(before)["cluster"],
            before.stage,
            before.result,
            after.stage,
            after.result,
        )
        .join(before, before.id == Referral.assessment_id)
        .join(Enterprise, Enterprise.id == before.enterprise_id)
        .outerjoin(after, after.id == Referral.reassessment_id)
        .where(before.round_code == round_code)
    ).all()
    firms: dict[str, set[int]] = {name: set() for name in (*COUNTS, *PILOT_COUNTS)}
    amount = 0.0
    for firm, state, wan, cluster, stage0, result0, stage1, result1 in rows:
        pilot = cluster in PILOT_INDUSTRIES
        if pilot and state in COMPLETED_OR_LATER:
            firms[pilot_completed_key()].add(firm)
            firms[pilot_completed_key(IndustryCluster(cluster))].add(firm)
        if pilot and state == S.REASSESSED.value and result1 is not None:
            firms[PILOT_REASSESSED].add(firm)
            if _level(result1) >= PILOT_TARGET:
                firms[PILOT_AT_LEVEL2].add(firm)
        firms["referred"].add(firm)
        if state in CONTRACTED_OR_LATER:
            firms["contracted"].add(firm)
            amount += wan or 0.0
        if state in COMPLETED_OR_LATER:
            firms["completed"].add(firm)
        if state == S.REASSESSED.value and result1 is not None:
            firms["reassessed"].add(firm)
            if _level(result1) > _level(result0):
                firms["level_up"].add(firm)
            if _stage(stage1) > _stage(stage0):
                firms["stage_up"].add(firm)
            if _level(result1) >= 2:
                firms["at_level2"].add(firm)
    out: dict[str, Any] = {name: len(ids) for name, ids in firms.items()}
    out["amount_wan"] = round(amount, 2)
    out["contracted_ids"] = sorted(firms["contracted"])
    return out


def protect(
    raw: Mapping[str, Any], previous_ids: list[int] | None, k: int
) -> dict[str, int | float | None]:
    """The figures a release may publish (see the module's rules); None marks a hidden one.

    ``previous_ids`` are the contracted firms of the previous release of the round (None when
    there is none).
    """
    out: dict[str, int | float | None] = {
        name: raw[name] if raw[name] == 0 or raw[name] >= k else None
        for name in (*COUNTS, *PILOT_COUNTS)
    }
    ids = set(raw["contracted_ids"])
    changed = len(ids ^ set(previous_ids)) if previous_ids is not None else 0
    few_changed = 0 < changed < k
    out["amount_wan"] = raw["amount_wan"] if len(ids) >= k and not few_changed else None
    return out


def release_outcomes(
    round_code: str, previous_summary: Mapping[str, Any] | None, k: int
) -> dict[str, Any]:
    """What a new release stores under ``summary["outcomes"]``: the protected figures, plus
    the contracted firms' ids under ``"contracted_ids"`` and the raw (numerator, denominator)
    of every outcome share among the plan targets under ``SHARE_COUNTS`` (never shown: the
    release's audit and the next release compare against them)."""
    raw = raw_outcomes(round_code)
    previous = (previous_summary or {}).get("outcomes")
    previous_ids = previous.get("contracted_ids") if previous else None
    return protect(raw, previous_ids, k) | {
        "contracted_ids": raw["contracted_ids"],
        SHARE_COUNTS: {
            target.key: [raw[target.outcome[0]], raw[target.outcome[1]]]
            for target in CURRENT_TARGETS
            if target.outcome and target.outcome[1]
        },
    }
