"""50 simulated owners fill questionnaires for 60 seconds against gunicorn on 127.0.0.1.

Each user logs in, starts the assessment and then, like the page script, opens a page, changes
one to three answers and autosaves the whole page, with a short think time, until the time is
up. Every HTTP answer other than the expected one counts as an error. Afterwards every
answer a user last sent for an item must be the answer stored in the database (zero lost
answers). The run is bounded: ``USERS`` threads, ``DURATION`` seconds, 127.0.0.1 only.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select

from assessment.instrument import current_instrument, is_applicable, normalise_response
from assessment.types import EnterpriseProfile, ItemKind
from models import Assessment, Enterprise, Role
from tests.factories import profile_data
from tests.live.browser import Browser
from webapp.extensions import db
from webapp.services import accounts, snapshots
from webapp.services.enterprises import save_profile
from webapp.services.privacy import NOTICE_VERSION

pytestmark = pytest.mark.load
USERS = 50
DURATION = 60.0
PASSWORD = "live-password-2026"
INSTRUMENT = current_instrument()


def answerable(dimension: str, profile: EnterpriseProfile) -> list[Any]:
    """Items on the page a user answers: those that apply to the enterprise (its production type
    and, for version 2's cluster modules, its industry cluster) and are always shown."""
    return [
        i
        for i in INSTRUMENT.items_of(dimension)
        if i.show_if is None and is_applicable(i, profile, {})
    ]


def random_answer(item: Any, rng: random.Random) -> Any:
    if item.kind == ItemKind.SINGLE:
        return rng.choice(item.options).code
    if item.kind == ItemKind.MULTI:
        real = [o.code for o in item.options if o.code != "none"]
        return rng.sample(real, rng.randint(1, min(len(real), item.max_choices or len(real))))
    return f"{rng.uniform(item.minimum or 0, item.maximum or 100):.1f}"


class SimulatedUser(threading.Thread):
    def __init__(
        self, base: str, email: str, seed: int, deadline: float, profile: EnterpriseProfile
    ) -> None:
        super().__init__(daemon=True)
        self.profile = profile
        self.browser, self.email, self.deadline = Browser(base), email, deadline
        self.rng = random.Random(seed)
        self.sent: dict[str, Any] = {}  # item code -> the answer last acknowledged as saved
        self.requests = 0
        self.saves = 0
        self.errors: list[str] = []
        self.public_id = ""

    def run(self) -> None:
        try:
            self.browser.login(self.email, PASSWORD)
            self.public_id = self.browser.start()
            self.requests += 4  # login page, login, home, start
            pages = [d.code for d in INSTRUMENT.dimensions]
            while time.monotonic() < self.deadline:
                self.fill_one_page(self.rng.choice(pages))
                time.sleep(self.rng.uniform(0.3, 1.0))  # think time
        except Exception as exc:  # noqa: BLE001  (any failure is an error of the run)
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def fill_one_page(self, dimension: str) -> None:
        token, version = self.browser.open_page(self.public_id, dimension)
        self.requests += 1
        items = answerable(dimension, self.profile)
        page = {i.code: self.sent[i.code] for i in items if i.code in self.sent}
        for item in self.rng.sample(items, min(len(items), self.rng.randint(1, 3))):
            page[item.code] = random_answer(item, self.rng)
        resp = self.browser.autosave(self.public_id, dimension, page, token, version)
        self.requests += 1
        body = (
            resp.json()
            if resp.headers.get("Content-Type", "").startswith("application/json")
            else {}
        )
        if resp.status_code != 200 or not body.get("saved") or body.get("errors"):
            self.errors.append(f"save {dimension}: {resp.status_code} {resp.text[:200]}")
            return
        self.saves += 1
        # Items of the page left out of the post are cleared, as in the browser.
        for item in INSTRUMENT.items_of(dimension):
            self.sent.pop(item.code, None)
        self.sent.update(page)


def seed(app: Any) -> tuple[list[str], EnterpriseProfile]:
    """``USERS`` owners of enterprises with one and the same profile; their e-mail addresses and
    that profile as the scoring model sees it."""
    emails = [f"load{n}@live.invalid" for n in range(USERS)]
    with app.app_context():
        for email in emails:
            user = accounts.register_user(
                email, PASSWORD, "负载测试", Role.ENTERPRISE, consent_version=NOTICE_VERSION
            )
            save_profile(
                user,
                profile_data(name="东莞市负载测试有限公司"),
            )
        profile = snapshots.profile_of(db.session.get_one(Enterprise, user.enterprise_id))
        db.session.remove()
    return emails, profile


def test_fifty_users_for_sixty_seconds_no_errors_no_lost_answers(live_app, start_server) -> None:  # type: ignore[no-untyped-def]
    emails, profile = seed(live_app)
    server = start_server(workers=2, threads=8)
    deadline = time.monotonic() + DURATION
    users = [SimulatedUser(server.base, e, n, deadline, profile) for n, e in enumerate(emails)]
    started = time.monotonic()
    for user in users:
        user.start()
    for user in users:
        user.join(DURATION + 60)
    elapsed = time.monotonic() - started
    requests = sum(u.requests for u in users)
    saves = sum(u.saves for u in users)
    errors = [e for u in users for e in u.errors]
    print(
        f"\nload: {USERS} users, {elapsed:.0f} s, {requests} requests, {saves} saves, "
        f"{len(errors)} errors"
    )
    assert not any(u.is_alive() for u in users)
    assert errors == [], Counter(e.split(":")[0] for e in errors)
    assert saves >= USERS * 10  # the run really exercised the server

    lost = 0
    with live_app.app_context():
        for user in users:
            stored = db.session.scalars(
                select(Assessment.responses)
                .join(Enterprise)
                .where(Assessment.public_id == user.public_id)
            ).one()
            expected = {
                code: normalise_response(INSTRUMENT.item(code), value)
                for code, value in user.sent.items()
            }
            actual = {
                code: normalise_response(INSTRUMENT.item(code), value)
                for code, value in stored.items()
            }
            lost += sum(1 for code, v in expected.items() if actual.get(code) != v)
            assert actual == expected, user.email
        db.session.remove()
    print(f"load: {sum(len(u.sent) for u in users)} answers checked in the database, {lost} lost")
    assert lost == 0
