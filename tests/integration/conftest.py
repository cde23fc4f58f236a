"""Fixtures shared by the integration tests: a logged-in owner's enterprise and started draft, a
referral (and its centre's staff logged in), and
a real Redis server (RQ queues, rate limits).

The Redis server is ``TEST_REDIS_URL`` (CI sets it; a missing server then fails the run). Without it the
tests try the local default database 15 and skip when no server answers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue
from sqlalchemy import select

from assessment.instrument import least_mature_responses
from models import Assessment, Enterprise, Referral, Role, ServiceProvider, User
from tests.integration.questionnaire_client import current_assessment, submit_with
from tests.integration.referral_client import StaffedReferral
from webapp import jobs
from webapp.extensions import db
from webapp.services import demo

LOCAL_REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url() -> str:
    """The URL of a Redis server that answers a ping; skips the test when none does.

    Raises ``redis.exceptions.ConnectionError`` when ``TEST_REDIS_URL`` is set but its server does
    not answer (a CI misconfiguration must fail, not skip).
    """
    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL")
    try:
        redis.Redis.from_url(url or LOCAL_REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        if url:
            raise
        pytest.skip("no Redis server (set TEST_REDIS_URL)")
    return url or LOCAL_REDIS_URL


@pytest.fixture
def queue(redis_url: str) -> Iterator[Queue]:
    """The app's RQ queue on an emptied Redis database, emptied again and closed afterwards."""
    connection = Redis.from_url(redis_url)
    connection.flushdb()
    yield Queue(jobs.QUEUE_NAME, connection=connection)
    connection.flushdb()
    connection.close()


@pytest.fixture
def admin_client(client: FlaskClient, make_user: Callable[..., User], login) -> FlaskClient:  # type: ignore[no-untyped-def]
    """The test client, logged in as a new administrator."""
    login(make_user(Role.ADMIN))
    return client


@pytest.fixture
def catalogue_admin(  # type: ignore[no-untyped-def]
    app: Flask, client: FlaskClient, make_user: Callable[..., User], login
) -> FlaskClient:
    """The test client, logged in as a new administrator after the demo catalogue (solutions,
    providers, programmes) is loaded."""
    with app.app_context():
        demo.load_catalogue()
    login(make_user(Role.ADMIN))
    return client


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    """The owner of ``enterprise``: a new enterprise user (the factory's defaults, detached)."""
    return make_user()


@pytest.fixture
def enterprise(
    owner: User,
    make_enterprise: Callable[..., Enterprise],
    login: Callable[[User], None],
) -> Enterprise:
    """The ``owner``'s enterprise (the factory's defaults), with the owner logged in (detached)."""
    firm = make_enterprise(owner)
    login(owner)
    return firm


@pytest.fixture
def draft(client: FlaskClient, app: Flask, enterprise: Enterprise) -> Assessment:
    """The logged-in owner's assessment, just started (as stored, detached)."""
    client.post("/enterprise/assessments/start")
    return current_assessment(app, enterprise.id)


@pytest.fixture
def referral(
    app: Flask, client: FlaskClient, make_user, make_enterprise, login
) -> tuple[User, str, int]:  # type: ignore[no-untyped-def]
    """An English-speaking owner who asked for a service provider: (owner, referral id,
    the firm's centre id)."""
    with app.app_context():
        demo.load_catalogue()
    owner = make_user(email="owner-en@example.com", locale="en")
    firm = make_enterprise(owner)
    login(owner)
    assessment = submit_with(client, app, firm.id, least_mature_responses).public_id
    assert current_assessment(app, firm.id).status == "submitted"
    page = client.get(f"/enterprise/assessments/{assessment}/result").get_data(as_text=True)
    with app.app_context():
        providers = set(db.session.scalars(select(ServiceProvider.code)))
    targets = re.findall(r'name="target" value="([^"]+)"', page)
    provider = next(t for t in targets if t in providers)
    client.post(f"/enterprise/assessments/{assessment}/referrals", data={"target": provider})
    client.post("/auth/logout")
    with app.app_context():
        row = db.session.scalar(select(Referral))
        assert row is not None
        return owner, row.public_id, firm.centre_id  # type: ignore[return-value]


@pytest.fixture
def staff_of(app: Flask, make_user: Callable[..., User]) -> Callable[[int], User]:
    """Makes a staff account of the given centre (detached)."""

    def make(centre_id: int) -> User:
        return make_user(Role.CENTRE_STAFF, centre_id=centre_id)

    return make


@pytest.fixture
def by_staff(
    app: Flask,
    client: FlaskClient,
    staff_of: Callable[[int], User],
    login: Callable[[User], None],
    referral: tuple[User, str, int],
) -> StaffedReferral:
    """The ``referral`` with a staff member of its centre logged in."""
    owner, rid, centre_id = referral
    staff = staff_of(centre_id)
    login(staff)
    return StaffedReferral(app, client, login, owner, rid, staff)
