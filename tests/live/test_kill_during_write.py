"""Killing the server in the middle of a save or a submit leaves the database consistent.

gunicorn serves the app; a hook in ``tests/live/wsgi.py`` stops the worker inside the open
transaction, right after the assessment row was written and before the commit, and the test
then SIGKILLs the whole server. Afterwards the database must hold exactly the state before
the request (nothing half-written), and a fresh server must carry on normally.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from assessment.instrument import current_instrument, least_mature_responses
from models import Assessment, AssessmentResultRecord, DimensionScore, Enterprise, Role
from tests.factories import new_uscc, profile_data
from tests.integration.questionnaire_client import form_data
from tests.live.browser import Browser
from webapp.extensions import db
from webapp.services import accounts, snapshots
from webapp.services.enterprises import save_profile
from webapp.services.privacy import NOTICE_VERSION

pytestmark = pytest.mark.load
PASSWORD = "live-password-2026"


def seed_owner(app: Any, email: str, uscc: str) -> None:
    with app.app_context():
        user = accounts.register_user(
            email, PASSWORD, "测试", Role.ENTERPRISE, consent_version=NOTICE_VERSION
        )
        save_profile(
            user,
            profile_data(name="东莞市测试有限公司", uscc=uscc),
        )
        db.session.remove()


def state(app: Any) -> dict[str, Any]:
    """Everything a save or a submit writes, for the one assessment."""
    with app.app_context():
        a = db.session.scalars(select(Assessment)).one()
        out = {
            "responses": a.responses,
            "version": a.version_id,
            "status": a.status,
            "updated_at": a.updated_at,
            "result": a.result,
            "stage": a.stage,
            "dimension_scores": db.session.scalar(select(func.count()).select_from(DimensionScore)),
            "results": db.session.scalar(select(func.count()).select_from(AssessmentResultRecord)),
        }
        db.session.remove()
        return out


def kill_when_paused(server: Any, marker: Path, request: Any) -> None:
    """Send ``request`` in a thread, wait until the worker is paused inside its transaction,
    then SIGKILL the server; the request must not have been answered."""
    answered: list[Any] = []
    thread = threading.Thread(target=lambda: answered.append(_try(request)), daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert time.monotonic() < deadline, "the worker never reached the pause"
        time.sleep(0.05)
    time.sleep(0.2)  # the worker is asleep inside the transaction
    server.kill()
    thread.join(30)
    assert answered and not hasattr(answered[0], "status_code"), answered  # connection dropped


def _try(call: Any) -> Any:
    try:
        return call()
    except Exception as exc:  # noqa: BLE001  (the dropped connection is the expected outcome)
        return exc


def test_kill_in_the_middle_of_a_save_and_of_a_submit(live_app, start_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    seed_owner(live_app, "owner@live.invalid", new_uscc())
    instrument = current_instrument()
    with live_app.app_context():
        profile = snapshots.profile_of(db.session.scalars(select(Enterprise)).one())
        db.session.remove()
    answers = least_mature_responses(instrument, profile)

    # A: the owner answers every page.
    marker = tmp_path / "paused"
    arm = tmp_path / "paused.arm"
    server = start_server(LIVE_PAUSE_MARKER=marker)
    user = Browser(server.base)
    user.login("owner@live.invalid", PASSWORD)
    public_id = user.start()
    for dim in instrument.dimensions:
        token, version = user.open_page(public_id, dim.code)
        body = {
            k[5:]: v for k, v in form_data(instrument.items_of(dim.code), answers, None).items()
        }
        assert user.autosave(public_id, dim.code, body, token, version).json()["saved"]
    before = state(live_app)
    assert before["status"] == "draft" and len(before["responses"]) >= 20

    # B: killed in the middle of a save that changes an answer.
    arm.write_text("draft")
    dim = instrument.dimensions[0]
    token, version = user.open_page(public_id, dim.code)
    item = next(i for i in instrument.items_of(dim.code) if i.kind.value == "single")
    other = next(o.code for o in item.options if o.code != before["responses"][item.code])
    kill_when_paused(
        server,
        marker,
        lambda: user.autosave(public_id, dim.code, {item.code: other}, token, version),
    )
    assert state(live_app) == before  # nothing of the interrupted save, nothing lost

    # C: killed in the middle of the submit (status, result, dimension scores, history).
    marker.unlink()
    arm.write_text("submitted")
    server = start_server(LIVE_PAUSE_MARKER=marker)
    user.base = server.base
    token, _ = user.open_page(public_id, dim.code)
    kill_when_paused(server, marker, lambda: user.submit(public_id, token))
    after_kill = state(live_app)
    assert after_kill == before  # still a complete draft: no result without its rows, or v.v.

    # D: a fresh server: the submit goes through once, and a repeated submit changes nothing.
    arm.unlink()
    server = start_server()
    user.base = server.base
    token, _ = user.open_page(public_id, dim.code)
    assert user.submit(public_id, token).status_code == 302
    submitted = state(live_app)
    assert submitted["status"] == "submitted" and submitted["results"] == 1
    # One score per scored dimension (version 2's cluster and profile parts are not scored).
    assert submitted["dimension_scores"] == sum(1 for d in instrument.dimensions if d.scored)
    assert submitted["responses"] == before["responses"]
    assert user.submit(public_id, token).status_code == 302
    assert state(live_app) == submitted
