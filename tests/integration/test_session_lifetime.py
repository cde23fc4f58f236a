"""Server-side session lifetime (ASVS 3.3.1, 3.3.2): 30 minutes idle, 12 hours in all, on a
frozen clock that the tests move forward (no sleeping)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from models import Assessment, Enterprise
from tests.factories import PASSWORD
from tests.integration.questionnaire_client import autosave_first_answer, current_assessment
from webapp import session_lifetime

T0 = 1_780_000_000.0  # any fixed instant


class FrozenClock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now

    def advance(self, *, minutes: float = 0, hours: float = 0) -> None:
        self.now += 60 * minutes + 3600 * hours


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    frozen = FrozenClock()
    monkeypatch.setattr(session_lifetime, "clock", frozen)
    return frozen


@pytest.mark.parametrize(
    ("started", "seen", "now", "expected"),
    [
        (0, 0, 29 * 60, None),
        (0, 0, 30 * 60, "idle"),
        (0, 11 * 3600, 11 * 3600 + 29 * 60, None),
        (0, 11.9 * 3600, 12 * 3600, "absolute"),
    ],
)
def test_expiry_reason(started: float, seen: float, now: float, expected: str | None) -> None:
    assert (
        session_lifetime.expiry_reason(
            started, seen, now, idle_seconds=30 * 60, absolute_seconds=12 * 3600
        )
        == expected
    )


def test_limits_of_zero_are_off() -> None:
    assert session_lifetime.expiry_reason(0, 0, 10**9, idle_seconds=0, absolute_seconds=0) is None


def test_idle_session_is_logged_out_with_a_message(
    client: FlaskClient, make_user, make_enterprise, login, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    make_enterprise(user)
    login(user)
    assert client.get("/enterprise/").status_code == 200
    clock.advance(minutes=29)
    assert client.get("/enterprise/").status_code == 200  # activity resets the idle timer
    clock.advance(minutes=29)
    assert client.get("/enterprise/").status_code == 200
    clock.advance(minutes=30)
    resp = client.get("/enterprise/")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "30 分钟未操作" in page and "请登录后继续" not in page  # the reason, said once
    login(user)  # logging in again works at once
    assert client.get("/enterprise/").status_code == 200


def test_active_session_ends_after_the_absolute_lifetime(
    client: FlaskClient, clock: FrozenClock, enterprise: Enterprise
) -> None:
    client.post("/lang/en", data={"next": "/"})
    for _ in range(25):  # used every 29 minutes, the last time 11 h 36 min after login
        assert client.get("/enterprise/").status_code == 200
        clock.advance(minutes=29)
    assert client.get("/enterprise/").status_code == 302  # 12 h 5 min after it began
    page = client.get("/auth/login").get_data(as_text=True)
    assert "more than 12 hours" in page


def test_limits_come_from_the_configuration(
    app: Flask, client: FlaskClient, make_user, login, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    app.config["SESSION_IDLE_MINUTES"] = 5
    user = make_user()
    login(user)
    client.get("/enterprise/profile")
    clock.advance(minutes=5)
    assert client.get("/enterprise/profile").status_code == 302


def test_expiry_on_a_public_page_is_said_on_the_next_page(
    client: FlaskClient, make_user, login, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    login(make_user())
    client.get("/enterprise/profile")
    clock.advance(minutes=31)
    assert client.get("/").status_code == 200
    assert "30 分钟未操作" in client.get("/auth/login").get_data(as_text=True)


def test_expired_remember_me_login_does_not_come_back(
    client: FlaskClient, make_user, clock: FrozenClock
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert client.get("/enterprise/profile").status_code == 200
    clock.advance(minutes=31)
    assert client.get("/enterprise/profile").status_code == 302
    assert client.get_cookie("remember_token") is None  # logging out cleared it
    assert client.get("/enterprise/profile").status_code == 302


def test_autosave_after_idle_expiry_redirects_and_stores_nothing(
    app: Flask, client: FlaskClient, clock: FrozenClock, enterprise: Enterprise, draft: Assessment
) -> None:
    clock.advance(minutes=45)
    resp = autosave_first_answer(client, draft)
    # The page script treats this redirect as "login expired" and keeps the typed answers.
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    assert current_assessment(app, enterprise.id).responses == {}
