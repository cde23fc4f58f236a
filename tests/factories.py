"""Test data: fixtures that build users and enterprises through the services (``make_user``,
``make_enterprise``), and factory_boy factories that write a few rows directly
(``EnterpriseFactory``, ``SubmittedAssessmentFactory``) for tests that need a handful of firms
with chosen stages and indices rather than a whole scored demo cohort."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

import factory
import pytest
from factory.alchemy import SQLAlchemyModelFactory
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Select, select
from werkzeug.test import TestResponse

from assessment import scoring
from assessment.classification import cluster_for_industry, is_above_scale, size_class
from assessment.types import Stage, StageResult
from assessment.uscc import make_uscc
from models import (
    Assessment,
    AssessmentStatus,
    EnablingCentre,
    Enterprise,
    Job,
    OnsiteRating,
    Role,
    StageValidation,
    User,
)
from models.base import utcnow
from webapp.extensions import db
from webapp.services import accounts
from webapp.services.enterprises import ProfileData, save_profile
from webapp.services.privacy import NOTICE_VERSION
from webapp.services.snapshots import plan_indicator_columns

T = TypeVar("T")

PASSWORD = "correct-horse-battery"
#: A medium garment maker (C18, textiles cluster) in 虎门: 150 persons, 6,000 万元 revenue.
GARMENT_MAKER = {"industry_code": "C18", "employees": 150, "town": "humen", "revenue_wan": 6000.0}
_serial = itertools.count(1)


def new_uscc() -> str:
    """A valid, unique USCC (GB 32100-2015): Dongguan prefix 91441900, a serial, the check char."""
    return make_uscc(f"91441900MT{next(_serial):07d}")  # MT: never used by the demo cohort


class _SessionFactory(SQLAlchemyModelFactory):
    """Rows added to the current app context's ``db.session`` and flushed (ids assigned); the
    test commits, or not, as the code under test would."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 (read at each build)
        sqlalchemy_session_persistence = "flush"


class EnterpriseFactory(_SessionFactory):
    """An enterprise: furniture (C21) in Houjie, 50 employees, 3,000 万元 revenue; the cluster,
    size class and above-scale flag follow from those as in ``save_profile``; confirmed as an
    administrator's import (``webapp.services.confirmation``)."""

    class Meta:
        model = Enterprise

    uscc = factory.LazyFunction(new_uscc)
    name = factory.Sequence(lambda n: f"东莞市测试{n}号制造有限公司")
    industry_code = "C21"
    production_type = "discrete"
    town = "houjie"
    employees = 50
    revenue_wan = 3000.0
    cluster = factory.LazyAttribute(lambda o: cluster_for_industry(o.industry_code).value)
    size_class = factory.LazyAttribute(
        lambda o: size_class(o.industry_code, o.employees, o.revenue_wan).value
    )
    above_scale = factory.LazyAttribute(lambda o: is_above_scale(o.revenue_wan))
    # As if imported by an administrator: confirmed, so it counts in government statistics.
    confirmed_at = datetime(2026, 1, 5, tzinfo=UTC)
    confirmation = "import"


class SubmittedAssessmentFactory(_SessionFactory):
    """A submitted assessment in round 2026 with a given ``stage`` (default S1) and
    ``maturity_index`` (0-100, default 30.0), for a new ``EnterpriseFactory`` enterprise unless
    ``enterprise`` is given. Its plan-target flags follow from ``responses`` (default none); no
    dimension scores or result history are written (score through the services for those)."""

    class Meta:
        model = Assessment
        exclude = ("enterprise",)

    enterprise = factory.SubFactory(EnterpriseFactory)
    enterprise_id = factory.SelfAttribute("enterprise.id")
    public_id = factory.LazyFunction(lambda: uuid.uuid4().hex)
    round_code = "2026"
    instrument_id = "dmi"
    instrument_version = "1"
    scoring_version = "1"
    status = AssessmentStatus.SUBMITTED.value
    responses = factory.LazyFunction(dict)
    stage = "S1"
    maturity_index = 30.0

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        return kwargs | plan_indicator_columns(kwargs["responses"], kwargs["instrument_version"])


class StageValidationFactory(_SessionFactory):
    """Centre staff's check of an assessment's stage (``assessment_id``, by ``actor_id``): the
    model's ``model_stage`` and the stage staff set, ``staff_stage`` (both default S1)."""

    class Meta:
        model = StageValidation

    model_stage = "S1"
    staff_stage = "S1"


class OnsiteRatingFactory(_SessionFactory):
    """A finished on-site rating of an assessment (``assessment_id``) at MIIT ``level`` against
    the self-rated ``self_level`` (levels 1-5, both default 2), with no per-capability levels or
    changes, finished now."""

    class Meta:
        model = OnsiteRating

    class Params:
        level = 2
        self_level = 2

    finished = factory.LazyAttribute(
        lambda o: {"level": o.level, "self_level": o.self_level, "levels": {}, "changed": []}
    )
    finished_at = factory.LazyFunction(utcnow)


def profile_data(**overrides: Any) -> ProfileData:
    """A valid profile form: a medium furniture maker (C21, 120 persons, 3500 万元) in 厚街 with
    a fresh USCC; ``overrides`` replace any field."""
    data: dict[str, Any] = {
        "name": "东莞市测试家具有限公司",
        "uscc": new_uscc(),
        "industry_code": "C21",
        "production_type": "discrete",
        "town": "houjie",
        "employees": 120,
        "revenue_wan": 3500.0,
    }
    return ProfileData(**(data | overrides))


def profile_form(name: str, uscc: str, **fields: str) -> dict[str, str]:
    """The enterprise profile form as posted: ``name`` and ``uscc`` as typed, a discrete furniture
    maker (C21) in 厚街 with 50 persons and 1000 万元 revenue; ``fields`` replace any field."""
    form = {
        "name": name,
        "uscc": uscc,
        "industry_code": "C21",
        "production_type": "discrete",
        "town": "houjie",
        "employees": "50",
        "revenue_wan": "1000",
    }
    return form | fields


def registration_form(email: str, display_name: str, password: str) -> dict[str, str]:
    """The registration form as posted: ``email``, ``display_name`` and ``password`` as typed,
    the password confirmed and the privacy notice accepted (``consent``)."""
    return {
        "email": email,
        "display_name": display_name,
        "password": password,
        "confirm": password,
        "consent": "y",
    }


def solution_form(code: str, **fields: str) -> dict[str, str]:
    """The administrator's solution form as posted: product ``code`` of the demo provider
    P-ERPDEMO, named 表单方案 / Form product, price band under 5 万元 (``lt5``), delivered in 2
    weeks; ``fields`` replace or add any field."""
    form = {
        "code": code,
        "provider": "P-ERPDEMO",
        "name_zh": "表单方案",
        "name_en": "Form product",
        "price_band": "lt5",
        "delivery_weeks": "2",
    }
    return form | fields


def add_centre(code: str, **fields: Any) -> EnablingCentre:
    """Add a platform-type enabling centre with no clusters, towns, dimensions or gates, capacity
    10 and the given ``code``; ``fields`` override any column. Needs an app context; flushes (so
    ``id`` is set) but does not commit."""
    defaults: dict[str, Any] = {
        "name_zh": "测试中心",
        "name_en": "Test centre",
        "centre_type": "platform",
        "clusters": [],
        "towns": [],
        "dimensions": [],
        "gates": [],
        "capacity": 10,
        "contact": "",
    }
    centre = EnablingCentre(code=code, **(defaults | fields))
    db.session.add(centre)
    db.session.flush()
    return centre


def finished_job(
    public_id: str, kind: str, created_by_id: int, result_name: str, result_type: str, **fields: Any
) -> Job:
    """A background job of ``kind`` started by user ``created_by_id`` that is done (progress
    100) with the file ``result_name`` (bytes ``b"PK"``, MIME type ``result_type``);
    ``dedupe_key`` defaults to ``public_id`` (which must be 32 characters) and ``fields``
    override any column. Not added to the session."""
    columns: dict[str, Any] = {
        "dedupe_key": public_id,
        "state": "done",
        "progress": 100,
        "result": b"PK",
    }
    return Job(
        public_id=public_id,
        kind=kind,
        created_by_id=created_by_id,
        result_name=result_name,
        result_type=result_type,
        **(columns | fields),
    )


def register_owner(
    email: str,
    password: str,
    display_name: str,
    enterprise: tuple[str, str, str, int, float],
) -> User:
    """Register an enterprise owner and save a discrete-production profile in 长安 for them.

    ``enterprise`` is (name, USCC body of 17 characters, GB/T 4754 industry code, employees,
    revenue in 万元); the USCC check character is computed. Needs an app context; does not commit.
    """
    name, uscc_body, industry_code, employees, revenue_wan = enterprise
    owner = accounts.register_user(
        email, password, display_name, Role.ENTERPRISE, consent_version=NOTICE_VERSION
    )
    profile = ProfileData(
        name, make_uscc(uscc_body), industry_code, "discrete", "changan", employees, revenue_wan
    )
    save_profile(owner, profile)
    return owner


#: The owner with a questionnaire in progress in the e2e and English-page tests.
DRAFT_ENTERPRISE = ("东莞市长安示例电子有限公司", "91441900MT9000001", "C39", 80, 5200.0)


def firms_by_centre(app: Flask, label: Any) -> list[tuple[int, list[tuple[int, Any]]]]:
    """Every centre that has firms, with its firms as (enterprise id, ``label``) pairs, where
    ``label`` is an ``Enterprise`` column (``Enterprise.uscc``, ``Enterprise.name``); the centre
    with the most firms first, ties in the order the database returns them."""
    with app.app_context():
        rows = db.session.execute(
            select(Enterprise.centre_id, Enterprise.id, label).where(
                Enterprise.centre_id.is_not(None)
            )
        ).all()
    by_centre: dict[int, list[tuple[int, Any]]] = {}
    for centre_id, eid, value in rows:
        by_centre.setdefault(centre_id, []).append((eid, value))
    return sorted(by_centre.items(), key=lambda kv: -len(kv[1]))


def detached_one(app: Flask, statement: Select[tuple[T]]) -> T:
    """The one row ``statement`` selects, read in an app context of ``app`` and detached from
    its session, so its loaded attributes stay readable afterwards; fails when there is none."""
    with app.app_context():
        row = db.session.scalar(statement)
        assert row is not None, str(statement)
        db.session.expunge(row)
        return row


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Registers a user of ``role`` (password ``PASSWORD``, a new address unless ``email`` is
    given) and sets any other ``User`` columns given as keywords: ``centre_id`` for a staff
    member of that centre, ``enterprise_id`` with ``member_role`` for a member of that firm,
    ``locale``, ``active``. Returns the stored row, detached."""

    def make(role: Role = Role.ENTERPRISE, email: str | None = None, **columns: Any) -> User:
        with app.app_context():
            # Consented as registration records it; tests of consent itself change the field.
            user = accounts.register_user(
                email or f"user{next(_serial)}@example.com",
                PASSWORD,
                "测试用户",
                role,
                consent_version=NOTICE_VERSION if role == Role.ENTERPRISE else None,
            )
            for name, value in columns.items():
                assert name in User.__table__.columns, f"User has no column {name}"
                setattr(user, name, value)
            if columns:
                db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def make_enterprise(app: Flask) -> Callable[..., Enterprise]:
    def make(user: User, **overrides: Any) -> Enterprise:
        with app.app_context():
            actor = db.session.get(User, user.id)
            assert actor is not None
            enterprise = save_profile(actor, profile_data(**overrides))
            db.session.refresh(enterprise)
            db.session.expunge(enterprise)
            return enterprise

    return make


def login_from(client: FlaskClient, email: str, password: str, address: str) -> TestResponse:
    """POST the login form as a browser at IP ``address`` would (the throttles count per
    address)."""
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], None]:
    def do(user: User) -> None:
        resp = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert resp.status_code == 302, resp.data[:500]

    return do


#: A revision of version 1's rule (``scoring.scores_instrument``: it scores v1 answers).
REVISED_V1 = "1.1"


def strict_scorer(instrument, profile, responses):  # type: ignore[no-untyped-def]
    """Scoring version "1.1" for re-scoring tests: a hypothetical stricter revision of version
    1 under which nobody is above S1 (everything else as version 1)."""
    result = scoring.score(instrument, profile, responses)
    stage = min(result.stage.stage, Stage.S1)
    return replace(
        result,
        scoring_version=REVISED_V1,
        stage=StageResult(stage, result.stage.met, result.stage.unmet_next),
    )


@pytest.fixture
def scoring_revision(app: Flask) -> None:
    """The test app knows scoring version "1.1" (``strict_scorer``); other apps do not."""
    app.extensions["scorers"][REVISED_V1] = strict_scorer


@pytest.fixture
def job_functions(app: Flask) -> dict[str, Any]:
    """The test app's job kind -> function table, to add or replace kinds in (this app only)."""
    table: dict[str, Any] = app.extensions["job_functions"]
    return table
