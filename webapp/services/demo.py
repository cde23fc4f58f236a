"""Demo data: the catalogue from the seeds, demo accounts, and a scored synthetic cohort.

Everything here is idempotent: running it twice leaves the database as after the first run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from assessment.catalogue import parse_catalogue
from assessment.consistency import check_consistency
from assessment.matching import recommend
from assessment.programmes import parse_programmes
from assessment.synthetic import synthetic_cohort
from assessment.tasks import task_list
from models import (
    Assessment,
    AssessmentStatus,
    EnablingCentre,
    Enterprise,
    Role,
    SupportProgramme,
    User,
    in_force,
    utcnow,
)
from webapp.extensions import db
from webapp.registries import instruments, scorer_for
from webapp.services import catalogue, results, segments, snapshots
from webapp.services.assessment_rows import new_assessment
from webapp.services.clusters import fit_round
from webapp.services.passwords import hash_password
from webapp.services.privacy import NOTICE_VERSION
from webapp.services.programmes import add_programmes

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "demo" / "catalogue.toml"
PROGRAMMES_FILE = CATALOGUE_FILE.with_name("programmes.toml")
DEMO_PASSWORD = "demo-password-2026"
DEMO_ACCOUNTS = (
    ("owner@demo.invalid", "演示企业用户", Role.ENTERPRISE),
    ("staff@demo.invalid", "演示赋能中心人员", Role.CENTRE_STAFF),
    ("officer@demo.invalid", "演示政府人员", Role.GOVERNMENT),
    ("admin@demo.invalid", "演示管理员", Role.ADMIN),
)


@dataclass(frozen=True)
class SeedOutcome:
    centres: int
    providers: int
    solutions: int
    enterprises_added: int
    stage_counts: dict[str, int]

    def summary(self) -> str:
        stages = ", ".join(f"{k} {v}" for k, v in sorted(self.stage_counts.items()))
        return (
            f"catalogue: {self.centres} centres, {self.providers} providers, "
            f"{self.solutions} solutions; enterprises added: {self.enterprises_added}; "
            f"stages in round: {stages}"
        )


def load_catalogue() -> None:
    """Load the demo catalogue file into an empty catalogue and the demo programmes into an
    empty programme table (each a no-op when entries exist)."""
    if not db.session.scalar(select(func.count(EnablingCentre.id))):
        parsed = parse_catalogue(CATALOGUE_FILE.read_text(encoding="utf-8"))
        catalogue.import_catalogue(parsed)
    if not db.session.scalar(select(func.count(SupportProgramme.id))):
        add_programmes(parse_programmes(PROGRAMMES_FILE.read_text(encoding="utf-8")))
    db.session.commit()


def _demo_accounts() -> dict[str, User]:
    users = {}
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, role in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            # Demo accounts are fictional people: seeded as having agreed to the current
            # notice, so a demo starts at the role's home (a version change still asks again).
            user = User(
                email=email,
                display_name=name,
                role=role.value,
                password_hash=password_hash,
                consent_version=NOTICE_VERSION,
                consented_at=utcnow(),
            )
            db.session.add(user)
        users[email] = user
    db.session.flush()
    return users


def seed_demo(*, enterprises: int, seed: int, round_code: str = "2026") -> SeedOutcome:
    """Load catalogue, accounts and a cohort of ``enterprises`` submitted assessments.

    The cohort comes from ``assessment.synthetic.synthetic_cohort`` with ``seed``; each
    enterprise is scored with the current instrument and assigned to the enabling centre that
    matching ranks first, so centre staff have a cohort to work with. The demo staff account
    works at the centre with the largest cohort, and the demo owner's firm is one of its firms,
    so a referral the demo owner asks for reaches the demo staff.
    """
    load_catalogue()
    users = _demo_accounts()
    existing = db.session.scalar(select(func.count(Enterprise.id)).where(Enterprise.is_demo))
    added = 0
    if not existing:
        added = _generate_cohort(enterprises, seed, round_code)
        db.session.commit()
        fit_round(round_code)
        segments.refresh_round_segments(round_code)
        # The demo staff work at the centre with the largest cohort, and the demo owner's firm
        # is one of its firms: a referral the demo owner asks for reaches the demo staff.
        staff = db.session.get(User, users["staff@demo.invalid"].id)
        assert staff is not None
        staff.centre_id = db.session.scalar(
            select(Enterprise.centre_id)
            .where(Enterprise.centre_id.is_not(None))
            .group_by(Enterprise.centre_id)
            .order_by(func.count().desc(), Enterprise.centre_id)
            .limit(1)
        )
        users["owner@demo.invalid"].enterprise_id = db.session.scalar(
            select(Enterprise.id)
            .where(Enterprise.is_demo, Enterprise.centre_id == staff.centre_id)
            .order_by(Enterprise.id)
            .limit(1)
        )
    db.session.commit()
    counts = dict(
        db.session.execute(
            select(Assessment.stage, func.count())
            .where(Assessment.round_code == round_code, in_force())
            .group_by(Assessment.stage)
        ).all()
    )
    return SeedOutcome(
        centres=catalogue.count_centres(),
        providers=catalogue.count_providers(),
        solutions=catalogue.count_solutions(),
        enterprises_added=added,
        stage_counts={str(k): int(v) for k, v in counts.items()},
    )


def _generate_cohort(n: int, seed: int, round_code: str) -> int:
    instrument = instruments().current()
    current = catalogue.current_catalogue()
    centre_ids = catalogue.centre_ids_by_code()
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    for i, synthetic in enumerate(synthetic_cohort(instrument, n, seed)):
        columns = snapshots.enterprise_columns(
            synthetic.industry_code,
            synthetic.production_type,
            synthetic.town,
            synthetic.employees,
            synthetic.revenue_wan,
        )
        profile = snapshots.profile_from_json(columns)
        result = scorer_for(instrument)(instrument, profile, synthetic.responses)
        tasks = task_list(instrument, profile, synthetic.responses, result)
        matches = recommend(profile, result, tasks, current)
        enterprise = Enterprise(
            uscc=synthetic.uscc,
            name=synthetic.name,
            centre_id=centre_ids.get(matches.centres[0].code) if matches.centres else None,
            is_demo=True,
            **columns,
            # demo data stands for an administrator's import: confirmed (confirmation.py)
            confirmed_at=start,
            confirmation="import",
        )
        db.session.add(enterprise)
        db.session.flush()
        submitted = start + timedelta(hours=7 * i)
        assessment = new_assessment(
            enterprise.id,
            round_code,
            instrument,
            snapshots.responses_to_json(synthetic.responses),
            AssessmentStatus.SUBMITTED,
            submitted_at=submitted,
            profile_snapshot=snapshots.profile_to_json(profile),
            **snapshots.profile_columns(profile),
            consistency_warnings=[
                w.code for w in check_consistency(instrument, profile, synthetic.responses)
            ],
        )
        db.session.add(assessment)
        db.session.flush()
        results.apply_result(assessment, result)
    return n
