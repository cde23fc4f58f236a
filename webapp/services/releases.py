"""Statistics releases: government tables published as frozen, audited snapshots.

Officers never see a table computed live: every figure on the dashboard, in the PDF and in the
workbook comes from the round's newest *published* release (``aggregates.dashboard``), so one
submission, correction or profile change cannot be read off by comparing two page views
(security review, finding 1a).

When a release is cut:

* by an administrator (admin page, ``POST /admin/releases``) or ``flask stats release``, at
  any time - e.g. when a round closes, for its final release;
* automatically when an officer opens the dashboard and the round has no release yet, or its
  newest release is at least ``RELEASE_INTERVAL`` (7 days) old *and* at least k enterprises'
  figures changed since (``release_due``) - at most weekly, and never for a lone newcomer.

Cutting runs the LP audit, which takes seconds to minutes on a sparse cohort, so the page and
the administrator's button start it as a background job ("statistics_release"); the officer
sees the newest published release meanwhile.

Cutting takes the facts of confirmed enterprises (``confirmation``), chooses the suppression
pattern on that snapshot and audits it against everything the release publishes and the
previous published release of the round (``reports.release_audit``). A release whose audit
fails is stored with status "failed" and not published: officers keep seeing the previous
one, with a note.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from assessment.plan_targets import CURRENT_SET, targets_of
from models import StatisticsRelease
from reports.release_audit import (
    Block,
    Form,
    Key,
    Pattern,
    Protection,
    protect,
    share_sensitive,
)
from webapp.extensions import db
from webapp.services import aggregates, referral_outcomes
from webapp.services.round_versions import has_submissions

#: Automatic releases during a round come at most this often.
RELEASE_INTERVAL = timedelta(days=7)
#: Who may cut a release: "admin" (page), "cli", "auto" (an officer opened the dashboard).
TRIGGERS = ("admin", "cli", "auto")


def _to_json(hidden: frozenset[Form]) -> list[list[Any]]:
    return sorted([[d, list(codes)] for d, codes in f] for f in hidden)


def _block_audit(pattern: Pattern) -> dict[str, Any]:
    narrowest = pattern.audit.narrowest
    return {
        "passed": pattern.passed,
        "sensitive": len(pattern.audit.intervals),
        "hidden": len(pattern.hidden),
        "primary": pattern.primary,
        "secondary": pattern.secondary,
        "narrowest": None if narrowest is None or narrowest == float("inf") else narrowest,
        "lp_solved": pattern.audit.lp_solved,
        "failing": [
            {"form": [[d, list(c)] for d, c in i.sensitive.form], "kind": i.sensitive.kind}
            for i in pattern.audit.intervals
            if not i.passed
        ],
    }


def _previous_round(round_code: str) -> str | None:
    """The round before ``round_code`` (rounds are years) when it has submitted assessments."""
    if not round_code.isdigit():
        return None
    previous = str(int(round_code) - 1)
    return previous if has_submissions(previous) else None


def _protect(
    block: Block,
    counts: Mapping[Key, int],
    protection: Protection,
    previous: StatisticsRelease | None,
    name: str,
    previous_counts: Mapping[Key, int] | None,
) -> Pattern:
    hidden_before = aggregates.release_hidden(previous, name) if previous else None
    return protect(block, counts, protection, previous_counts, hidden_before)


def cut_release(
    round_code: str,
    trigger: str,
    actor_id: int | None = None,
    now: datetime | None = None,
    k: int = aggregates.DEFAULT_K,
) -> StatisticsRelease:
    """Snapshot, suppress and audit the round's government tables; store the release.

    Returns the new row, status "published" when every block's audit passed, "failed"
    otherwise (then officers keep seeing the previous published release). ``now`` is the cut
    time (default: now, UTC); ``k`` the threshold (5). Commits.

    Raises ``ValueError`` for an unknown ``trigger`` (see ``TRIGGERS``).
    """
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown release trigger {trigger!r}")
    now = now or datetime.now(UTC)
    protection = Protection(k=k)
    facts = aggregates.round_facts(round_code)
    compare = _previous_round(round_code)
    moves = aggregates.moves_rows(round_code, compare) if compare else []
    previous = aggregates.newest_release(round_code)
    started = time.perf_counter()
    facts_pattern = _protect(
        aggregates.FACT_BLOCK,
        aggregates.fact_counts(facts),
        protection,
        previous,
        "facts",
        aggregates.fact_counts(aggregates.facts_from_json(previous.facts)) if previous else None,
    )
    same_moves = previous is not None and previous.compare_round == compare
    moves_pattern = _protect(
        aggregates.MOVES_BLOCK,
        aggregates.moves_counts(moves),
        protection,
        previous if same_moves else None,
        "moves",
        aggregates.moves_counts(previous.moves) if previous and same_moves else None,
    )
    seconds = time.perf_counter() - started
    summary = aggregates.release_summary(round_code, facts)
    outcomes = referral_outcomes.release_outcomes(
        round_code, previous.summary if previous else None, k
    )
    passed = facts_pattern.passed and moves_pattern.passed
    release = StatisticsRelease(
        round_code=round_code,
        compare_round=compare,
        status="published" if passed else "failed",
        trigger=trigger,
        cut_at=now,
        cut_by_id=actor_id,
        k=k,
        facts=aggregates.facts_to_json(facts),
        moves=moves,
        summary=summary
        | {
            "region_means_hidden": _few_changed(facts, previous, k),
            "target_set": CURRENT_SET,
            "targets_hidden": _targets_hidden(
                facts, previous, summary["above_scale_registered"], k, outcomes
            ),
            "outcomes": outcomes,
        },
        hidden={"facts": _to_json(facts_pattern.hidden), "moves": _to_json(moves_pattern.hidden)},
        audit={
            "passed": passed,
            "seconds": round(seconds, 3),
            "previous_release": previous.id if previous else None,
            "facts": _block_audit(facts_pattern),
            "moves": _block_audit(moves_pattern),
        },
    )
    db.session.add(release)
    db.session.commit()
    return release


def _targets_hidden(
    facts: list[Any],
    previous: StatisticsRelease | None,
    registered: int,
    k: int,
    outcomes: Mapping[str, Any],
) -> list[str]:
    """Plan targets of the current set whose percentage this release withholds: the shares
    counting answers (an answer indicator) or referral outcomes (``outcomes``' unpublished
    ``share_counts``) whose numerator is sensitive as a share
    (``release_audit.share_sensitive``: few or all or none meet it, or few changed since the
    previous release)."""
    now = aggregates.target_counts(facts, registered) | {
        key: tuple(pair) for key, pair in outcomes.get(referral_outcomes.SHARE_COUNTS, {}).items()
    }
    before: dict[str, Any] = {}
    if previous:
        before = aggregates.target_counts(aggregates.facts_from_json(previous.facts), registered)
        before |= previous.summary.get("outcomes", {}).get(referral_outcomes.SHARE_COUNTS, {})
    return [
        target.key
        for target in targets_of(CURRENT_SET)
        if (target.indicator or (target.outcome and target.outcome[1]))
        and share_sensitive(
            now[target.key][0],
            now[target.key][1],
            Protection(k=k),
            before[target.key][0] if target.key in before else None,
        )
    ]


def _few_changed(facts: list[Any], previous: StatisticsRelease | None, k: int) -> bool:
    """Whether fewer than k (but some) firms came in or left since ``previous``: then the
    region-wide mean, median and dimension means would give the newcomers' index away
    (n2 x mean2 - n1 x mean1) and are not published in this release."""
    if previous is None:
        return False
    before = sum(f["n"] for f in previous.facts)
    return 0 < abs(sum(f.n for f in facts) - before) < k


def _changed(round_code: str, newest: StatisticsRelease) -> int:
    """How many enterprise figures differ between the newest release and the facts now (sum of
    absolute differences over the joint table)."""
    now = aggregates.fact_counts(aggregates.round_facts(round_code))
    before = aggregates.fact_counts(aggregates.facts_from_json(newest.facts))
    return sum(abs(now.get(key, 0) - before.get(key, 0)) for key in set(now) | set(before))


def release_due(round_code: str, now: datetime | None = None) -> bool:
    """Whether an automatic release is due: the round has submissions but no release yet, or
    its newest release (of any status) is at least ``RELEASE_INTERVAL`` old and at least k
    enterprise figures changed since (so a lone newcomer never triggers one)."""
    now = now or datetime.now(UTC)
    newest = aggregates.newest_release(round_code, published=False)
    if newest is None:
        return has_submissions(round_code)
    cut_at = newest.cut_at if newest.cut_at.tzinfo else newest.cut_at.replace(tzinfo=UTC)
    return now - cut_at >= RELEASE_INTERVAL and _changed(round_code, newest) >= newest.k


def releases_of(round_code: str) -> list[StatisticsRelease]:
    """Every release of the round, newest first (for the administrator's page)."""
    return list(
        db.session.scalars(
            select(StatisticsRelease)
            .where(StatisticsRelease.round_code == round_code)
            .order_by(StatisticsRelease.cut_at.desc(), StatisticsRelease.id.desc())
        )
    )
