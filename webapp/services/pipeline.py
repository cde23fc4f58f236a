"""The centre's pipeline (升级漏斗): firms one answer from the next stage or MIIT level, firms at
一级 one step from 二级, and the gaps many firms of one industry share."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from assessment.localised import Localised
from assessment.paths import RULES_BY_CODE, PathCode, PathRule, level, path_of
from assessment.types import (
    MIIT_LEVEL_CODES,
    MIIT_LEVEL_LABELS,
    Borderline,
    IndustryCluster,
    Instrument,
)
from models import Assessment, Enterprise, Referral, User
from reports.viewmodels import borderline_text
from webapp.extensions import db
from webapp.services.assessment_rows import instrument_of
from webapp.services.cohorts import CohortFilter, cohort_rows

#: What the pipeline lists: one answer from the next stage, from the next MIIT level, or at
#: 一级 one answer from 二级 (the pilot target, MIIT 2024; domain review §4 "pipeline counts").
KINDS = ("level2", "stage", "miit")
SORTS = ("name", "index", "cluster")
#: Deciding answers named per firm (the rest are counted): the first are the most relevant
#: (moves up, in instrument order, as ``assessment.borderline`` orders them).
SHOWN_FINDINGS = 3
#: A common gap: at least this share of an industry's firms at L1 or below on one item ...
GAP_SHARE = 0.5
#: ... among at least this many firms (fewer say nothing about the industry).
GAP_MIN_FIRMS = 5


@dataclass(frozen=True)
class PipelineRow:
    """One firm in the pipeline: its deciding answers (``findings``: the first
    :data:`SHOWN_FINDINGS` borderline findings that move it up, as
    ``reports.viewmodels.borderline_text`` words them; ``more`` counts the others), its
    rule-based path and the state of its newest referral of the centre (None without one)."""

    enterprise: Enterprise
    assessment: Assessment
    miit_level: str
    findings: tuple[str, ...]
    path: PathRule
    referral_state: str | None
    more: int = 0

    @property
    def miit_label(self) -> Localised:
        """The MIIT level's name (无等级, 一级 .. 四级) in both languages."""
        return Localised(*MIIT_LEVEL_LABELS[MIIT_LEVEL_CODES.index(self.miit_level)])


def _rank(finding: Borderline, code: str) -> int:
    codes = MIIT_LEVEL_CODES if finding.classification == "miit" else ("S0", "S1", "S2", "S3")
    return codes.index(code)


def _moves_up(kind: str, miit_level: str, finding: Borderline) -> bool:
    if _rank(finding, finding.reached) <= _rank(finding, finding.current):
        return False
    if kind == "stage":
        return finding.classification == "stage"
    if kind == "miit":
        return finding.classification == "miit"
    return finding.classification == "miit" and miit_level == "1" and finding.reached == "2"


def _latest_states(enterprise_ids: list[int], centre_id: int | None) -> dict[int, str]:
    states: dict[int, str] = {}
    rows = db.session.execute(
        select(Referral.enterprise_id, Referral.state)
        .where(Referral.enterprise_id.in_(enterprise_ids), Referral.centre_id == centre_id)
        .order_by(Referral.created_at)
    )
    for enterprise_id, state in rows:
        states[enterprise_id] = state
    return states


def pipeline_rows(
    actor: User,
    round_code: str,
    kind: str,
    lang: str,
    cluster: str | None = None,
    gap_item: str | None = None,
    sort: str = "name",
) -> list[PipelineRow]:
    """The actor's centre's firms of ``kind`` (:data:`KINDS`; unknown = "level2") in the round,
    of one industry ``cluster`` when given; with ``gap_item``, instead every firm of the
    cluster at L1 or below on that item (a common gap). Sorted by ``sort`` (:data:`SORTS`)."""
    kind = kind if kind in KINDS else KINDS[0]
    f = CohortFilter(round_code=round_code, cluster=cluster, status="submitted")
    candidates = [(e, a) for e, a in cohort_rows(actor, f) if a is not None and a.result]
    out: list[PipelineRow] = []
    for e, a in candidates:
        result = a.result or {}
        miit_level = (result.get("miit") or {}).get("level", "none")
        if gap_item:
            if a.instrument_version != "2" or level(a.responses.get(gap_item)) > 1:
                continue
            if gap_item not in a.responses:
                continue
            texts: tuple[str, ...] = ()
            more = 0
        else:
            findings = [Borderline.from_dict(b) for b in result.get("borderline", [])]
            moving = [b for b in findings if _moves_up(kind, miit_level, b)]
            if not moving:
                continue
            instrument = instrument_of(a)
            shown = moving[:SHOWN_FINDINGS]
            texts = tuple(borderline_text(instrument, b, lang) for b in shown)
            more = len(moving) - len(shown)
        # stored when scored (``segments.refresh_segments``); rows scored before it was
        # stored read it from their answers
        path = RULES_BY_CODE[PathCode(a.path_rule) if a.path_rule else path_of(a.responses)]
        out.append(PipelineRow(e, a, miit_level, texts, path, None, more))
    states = _latest_states([r.enterprise.id for r in out], actor.centre_id)
    out = [
        PipelineRow(
            r.enterprise,
            r.assessment,
            r.miit_level,
            r.findings,
            r.path,
            states.get(r.enterprise.id),
            r.more,
        )
        for r in out
    ]
    keys = {
        "name": lambda r: (r.enterprise.name,),
        "index": lambda r: (-(r.assessment.maturity_index or 0.0), r.enterprise.name),
        "cluster": lambda r: (r.enterprise.cluster, r.enterprise.name),
    }
    return sorted(out, key=keys.get(sort, keys["name"]))


@dataclass(frozen=True)
class CommonGap:
    """``count`` of the ``firms`` of industry ``cluster`` answering ``item`` at L1 or below."""

    cluster: IndustryCluster
    item: str
    question: str
    count: int
    firms: int

    @property
    def share(self) -> float:
        return self.count / self.firms


def common_gaps(actor: User, round_code: str, lang: str, limit: int = 8) -> list[CommonGap]:
    """Items on which at least :data:`GAP_SHARE` of an industry's firms in the centre (at least
    :data:`GAP_MIN_FIRMS` answering) are at L1 or below: the 16 scenarios and the industry
    modules (e.g. food firms' 产品追溯 FOD-03), largest share first, at most ``limit``. The
    gaps a centre can serve with one group (链式) package (domain review §4)."""
    f = CohortFilter(round_code=round_code, status="submitted")
    answered: Counter[tuple[str, str]] = Counter()
    low: Counter[tuple[str, str]] = Counter()
    instruments: dict[str, Instrument] = {}
    for e, a in cohort_rows(actor, f):
        if a is None or a.instrument_version != "2":
            continue
        instruments.setdefault(a.instrument_version, instrument_of(a))
        for code, answer in a.responses.items():
            if not (code.startswith("OPS-") or code[:3] in {"ELE", "EQP", "TEX", "FOD", "FUR"}):
                continue
            if not isinstance(answer, str) or answer == "na":
                continue
            answered[(e.cluster, code)] += 1
            low[(e.cluster, code)] += level(answer) <= 1
    instrument = instruments.get("2")
    gaps = [
        CommonGap(
            IndustryCluster(cluster),
            code,
            instrument.item(code).text.for_locale(lang) if instrument else code,
            low[(cluster, code)],
            n,
        )
        for (cluster, code), n in answered.items()
        if n >= GAP_MIN_FIRMS and low[(cluster, code)] / n >= GAP_SHARE
    ]
    return sorted(gaps, key=lambda g: (-g.share, -g.count, g.cluster.value, g.item))[:limit]
