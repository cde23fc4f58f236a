"""Double-clicked and parallel submits (review finding 4): the second request gets the result
page, never a 500, and the assessment is scored exactly once.

Threads drive the app through test clients of their own, so each request has its own session
and database connection, as in a threaded server. Scoring waits at a barrier until every request
of the round has read the draft, which makes the race certain rather than likely (before the fix
a stale-data error at the first autoflush answered 500). Runs on PostgreSQL too when
``TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessment.instrument import current_instrument, most_mature_responses
from models import Assessment, AssessmentResultRecord, DimensionScore, User
from tests.factories import PASSWORD
from tests.integration.questionnaire_client import DECLARED, answer_with
from webapp.extensions import db
from webapp.services import assessments

# Each thread's request has a session and connection of its own, as in a threaded server: the
# draft must really be committed where they all can read it.
pytestmark = pytest.mark.own_database


def _ready_assessment(app: Flask, make_user, make_enterprise) -> tuple[User, str]:  # type: ignore[no-untyped-def]
    """A user whose assessment has every answer and is not yet submitted: (user, public id)."""
    user = make_user()
    enterprise = make_enterprise(user)
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    return user, answer_with(client, app, enterprise.id, most_mature_responses).public_id


def _submit_at_once(app: Flask, user: User, public_id: str, n: int, monkeypatch) -> list[Any]:  # type: ignore[no-untyped-def]
    """POST submit from ``n`` logged-in clients at the same moment; their responses."""
    clients = []
    for _ in range(n):
        client = app.test_client()
        assert (
            client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code
            == 302
        )
        clients.append(client)
    barrier = threading.Barrier(n, timeout=10)
    real_scorer_for: Callable[..., Any] = assessments.scorer_for

    def scorer_for_when_all_have_read(instrument: Any) -> Callable[..., Any]:
        """The instrument's scorer, made to wait until every request has read the draft."""
        real_score = real_scorer_for(instrument)

        def score_when_all_have_read(*args: Any) -> Any:
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass  # a request that found it submitted already never scores
            return real_score(*args)

        return score_when_all_have_read

    monkeypatch.setattr(assessments, "scorer_for", scorer_for_when_all_have_read)
    answers: list[Any] = [None] * n

    def post(i: int, client: FlaskClient) -> None:
        answers[i] = client.post(f"/enterprise/assessments/{public_id}/submit", data=DECLARED)

    threads = [threading.Thread(target=post, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    monkeypatch.setattr(assessments, "scorer_for", real_scorer_for)
    return answers


def _assert_scored_once(app: Flask, public_id: str) -> None:
    with app.app_context():
        assessment = db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))
        assert assessment is not None and assessment.status == "submitted"
        results = db.session.scalar(
            select(func.count()).where(AssessmentResultRecord.assessment_id == assessment.id)
        )
        dims = db.session.scalar(
            select(func.count()).where(DimensionScore.assessment_id == assessment.id)
        )
    assert results == 1
    # One score per scored dimension (v2's cluster module and profile pages are unscored).
    assert dims == sum(1 for d in current_instrument().dimensions if d.scored)


def _assert_all_land_on_the_result(answers: list[Any], public_id: str) -> None:
    for resp in answers:
        assert resp is not None
        assert resp.status_code == 302, resp.status_code
        assert resp.headers["Location"].endswith(f"/assessments/{public_id}/result")


@pytest.mark.load  # fifteen repeated race trials; the quick loop keeps the 8-way one below
def test_fifteen_double_clicked_submits_all_land_on_the_result_page(
    app: Flask, make_user, make_enterprise, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    for _trial in range(15):
        user, public_id = _ready_assessment(app, make_user, make_enterprise)
        answers = _submit_at_once(app, user, public_id, 2, monkeypatch)
        _assert_all_land_on_the_result(answers, public_id)
        _assert_scored_once(app, public_id)


@pytest.mark.parametrize("n", [8])
def test_parallel_submits_all_land_on_the_result_page(
    app: Flask, make_user, make_enterprise, monkeypatch, n: int
) -> None:  # type: ignore[no-untyped-def]
    user, public_id = _ready_assessment(app, make_user, make_enterprise)
    answers = _submit_at_once(app, user, public_id, n, monkeypatch)
    _assert_all_land_on_the_result(answers, public_id)
    _assert_scored_once(app, public_id)
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert client.get(f"/enterprise/assessments/{public_id}/result").status_code == 200
