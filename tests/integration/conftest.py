"""Fixtures shared by the integration tests: a logged-in owner's enterprise and started draft, and
a real Redis server (RQ queues, rate limits).

The Redis server is ``TEST_REDIS_URL`` (CI sets it; a missing server then fails the run). Without it the
tests try the local default database 15 and skip when no server answers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue

from models import Assessment, Enterprise, User
from tests.integration.questionnaire_client import current_assessment
from webapp import jobs

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
def enterprise(
    make_user: Callable[..., User],
    make_enterprise: Callable[..., Enterprise],
    login: Callable[[User], None],
) -> Enterprise:
    """An owner's enterprise (the factory's defaults), with the owner logged in (detached)."""
    user = make_user()
    firm = make_enterprise(user)
    login(user)
    return firm


@pytest.fixture
def draft(client: FlaskClient, app: Flask, enterprise: Enterprise) -> Assessment:
    """The logged-in owner's assessment, just started (as stored, detached)."""
    client.post("/enterprise/assessments/start")
    return current_assessment(app, enterprise.id)
