"""The attacker's review, the findings outside statistics: each test reproduces a finding (its
number in the review is in the test's comment) and shows the attack now fails."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import Notification
from tests.factories import PASSWORD
from webapp import create_app
from webapp.config import SECRET_KEY_FILE
from webapp.extensions import db
from webapp.services.errors import InvalidInputError
from webapp.services.passwords import check_password_rules


def _post_login(client: FlaskClient, email: str, password: str, address: str) -> int:
    resp = client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return resp.status_code


# Finding 3: login throttling -------------------------------------------------------------------


def test_a_flood_of_wrong_passwords_from_one_address_does_not_lock_the_owner_out_elsewhere(
    client: FlaskClient, make_user
) -> None:  # type: ignore[no-untyped-def]
    victim = make_user()
    statuses = [
        _post_login(client, victim.email, "wrong-password-1", "203.0.113.9") for _ in range(30)
    ]
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}  # the flooding address is delayed
    assert _post_login(client, victim.email, PASSWORD, "203.0.113.9") == 429
    assert _post_login(client, victim.email, PASSWORD, "198.51.100.7") == 302  # the owner


def test_an_owner_locked_out_at_their_own_address_can_still_reset_by_mail(
    app: Flask, client: FlaskClient, make_user
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    address = {"REMOTE_ADDR": "192.0.2.44"}
    for _ in range(11):
        _post_login(client, user.email, "wrong-password-1", "192.0.2.44")
    assert _post_login(client, user.email, PASSWORD, "192.0.2.44") == 429
    forgot = client.post("/auth/forgot", data={"email": user.email}, environ_base=address)
    assert forgot.status_code == 302  # the login limiter does not cover the reset flow
    with app.app_context():
        link = db.session.scalar(select(Notification.link).where(Notification.user_id == user.id))
    assert link is not None
    new = "a-new-passphrase-东莞-77"
    reset = client.post(link, data={"password": new, "confirm": new}, environ_base=address)
    assert reset.status_code == 302


@pytest.fixture
def redis_url() -> str:
    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL")
    try:
        redis.Redis.from_url(url or "redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        if url:
            raise
        pytest.skip("no Redis server (set TEST_REDIS_URL)")
    return url or "redis://127.0.0.1:6379/15"


def test_login_counters_live_in_redis_and_are_shared_by_every_process(
    app: Flask, tmp_path: Path, redis_url: str
) -> None:
    # Two app instances stand for two gunicorn workers: a counter kept in one process's memory
    # would let an attacker spread attempts over the workers.
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WTF_CSRF_ENABLED": False,
        "REDIS_URL": redis_url,
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
    }
    first, second = create_app(config), create_app(config)
    assert first.config["RATELIMIT_STORAGE_URI"] == redis_url
    email = f"redis-{uuid.uuid4().hex}@example.com"
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    one, two = first.test_client(), second.test_client()
    assert [_post_login(one, email, "wrong-password-1", address) for _ in range(2)] == [200, 200]
    assert _post_login(two, email, "wrong-password-1", address) == 200
    assert _post_login(one, email, "wrong-password-1", address) == 429


# Finding 12 and 11: open redirect and control characters in next= ----------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/",
        "/%0a/evil.example/",
        "/%0d%0aX-Injected:%201",
        "/%5C/evil.example",
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ],
)
def test_login_never_redirects_off_site_or_fails_on_next(
    client: FlaskClient, make_user, target: str
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    resp = client.post(
        f"/auth/login?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/enterprise/"


def test_login_follows_a_local_next(client: FlaskClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    resp = client.post(
        "/auth/login?next=/enterprise/profile", data={"email": user.email, "password": PASSWORD}
    )
    assert resp.headers["Location"] == "/enterprise/profile"


def test_language_switch_never_redirects_off_site(client: FlaskClient) -> None:
    resp = client.post("/lang/en", data={"next": "/\t/evil.example/"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


# Finding 13: no public default SECRET_KEY -------------------------------------------------------


def test_without_a_secret_key_the_app_uses_a_private_key_kept_in_the_instance_folder(
    tmp_path: Path,
) -> None:
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.sqlite'}"}
    app = create_app(config)
    key = app.config["SECRET_KEY"]
    assert key and key != "dev-only-change-me" and len(key) == 64
    keyfile = Path(app.instance_path) / SECRET_KEY_FILE
    assert keyfile.read_text() == key
    assert oct(keyfile.stat().st_mode & 0o777) == "0o600"
    assert create_app(config).config["SECRET_KEY"] == key  # every process signs alike


def test_the_old_public_default_secret_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            {
                "SECRET_KEY": "dev-only-change-me",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.sqlite'}",
            }
        )


# Finding 15: weak passwords -------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "123456789012",
        "qwertyuiopas",
        "aaaaaaaaaaaa",
        "P@ssw0rd2026",
        "iloveyou1234",
        "changeme1234",
        "x" * 128,
        "\x00" * 12,
        "你好" * 6,
        "210987654321",
        "abcdabcdabcd",
    ],
)
def test_the_weak_passwords_the_review_got_accepted_are_refused(app: Flask, password: str) -> None:
    with app.test_request_context(), pytest.raises(InvalidInputError) as exc:
        check_password_rules(password, "user@example.com")
    assert exc.value.field == "password"


# Finding 22: Cache-Control and COOP -----------------------------------------------------------


def test_authenticated_pages_downloads_and_api_are_not_stored_by_caches(
    client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    login(make_user())
    for path in ("/enterprise/", "/enterprise/profile", "/api/v1/assessments", "/auth/login"):
        resp = client.get(path)
        assert resp.headers.get("Cache-Control") == "no-store", path
        assert resp.headers.get("Cross-Origin-Opener-Policy") == "same-origin", path
    static = client.get("/vendor/plotly.min.js")
    static.close()  # a streamed file: close it so no file handle is left open
    assert "no-store" not in static.headers.get("Cache-Control", "")
