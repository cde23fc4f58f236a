"""Factory fixtures: users, enterprises and answered questionnaires, built through services."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment import scoring
from assessment.types import Stage, StageResult
from assessment.uscc import make_uscc
from models import Enterprise, Role, User
from webapp.extensions import db
from webapp.services import accounts
from webapp.services.enterprises import ProfileData, save_profile

PASSWORD = "correct-horse-battery"
_serial = itertools.count(1)


def new_uscc() -> str:
    """A valid, unique USCC (GB 32100-2015): Dongguan prefix 91441900, a serial, the check char."""
    return make_uscc(f"91441900MT{next(_serial):07d}")  # MT: never used by the demo cohort


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    def make(role: Role = Role.ENTERPRISE, email: str | None = None) -> User:
        with app.app_context():
            user = accounts.register_user(
                email or f"user{next(_serial)}@example.com", PASSWORD, "测试用户", role
            )
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def make_enterprise(app: Flask) -> Callable[..., Enterprise]:
    def make(user: User, **overrides: Any) -> Enterprise:
        data = {
            "name": "东莞市测试家具有限公司",
            "uscc": new_uscc(),
            "industry_code": "C21",
            "production_type": "discrete",
            "town": "houjie",
            "employees": 120,
            "revenue_wan": 3500.0,
        } | overrides
        with app.app_context():
            actor = db.session.get(User, user.id)
            assert actor is not None
            enterprise = save_profile(actor, ProfileData(**data))
            db.session.refresh(enterprise)
            db.session.expunge(enterprise)
            return enterprise

    return make


@pytest.fixture
def login(client: FlaskClient) -> Callable[[User], None]:
    def do(user: User) -> None:
        resp = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert resp.status_code == 302, resp.data[:500]

    return do


def strict_scorer(instrument, profile, responses):  # type: ignore[no-untyped-def]
    """Scoring version "2" for re-scoring tests: a hypothetical stricter model under which
    nobody is above S1 (everything else as version 1)."""
    result = scoring.score(instrument, profile, responses)
    stage = min(result.stage.stage, Stage.S1)
    return replace(
        result,
        scoring_version="2",
        stage=StageResult(stage, result.stage.met, result.stage.unmet_next),
    )
