"""A live server on 127.0.0.1 (real HTTP, real database file) and Playwright on Debian's chromium."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select
from werkzeug.serving import make_server

from models import Assessment, Enterprise, Role, User
from tests.factories import DRAFT_ENTERPRISE, register_owner
from webapp import create_app
from webapp.extensions import db
from webapp.services import demo, referrals, releases
from webapp.services.accounts import register_user
from webapp.services.assessments import start_assessment
from webapp.services.enterprise_reports import build_report
from webapp.services.privacy import NOTICE_VERSION

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# An assertion waits up to 15 s for the page to get there (Playwright's default is 5 s): a
# submit's result page takes longer than 5 s while a PDF job and a segment refresh start beside
# it on a loaded 2-core CI machine. Nothing in the tests waits on a timing to pass.
expect.set_options(timeout=15_000)
DEMO_PASSWORD = "demo-password-2026"
#: The demo server's owner whose assessment is still a draft.
DRAFT_OWNER = "draft@demo.invalid"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    # Playwright's own browser download is unreachable here: use the distribution's chromium.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def e2e_app(folder: Path) -> Flask:
    """The app on a fresh SQLite file in ``folder``, tables created, cookies over plain http."""
    app = create_app(
        {
            "SECRET_KEY": "e2e-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'e2e.sqlite'}",
            "CURRENT_ROUND": "2026",
            "SESSION_COOKIE_SECURE": False,  # the live server speaks plain http on 127.0.0.1
        }
    )
    with app.app_context():
        db.create_all()
    return app


#: The owner of ``owner_server``.
OWNER = "owner-e2e@example.com"


@pytest.fixture
def owner_server(tmp_path: Path) -> Iterator[tuple[str, Flask]]:
    """A server of its own with the demo catalogue and one owner (``OWNER``, ``DEMO_PASSWORD``)
    whose enterprise profile is filled in and who has no assessment yet; yields (URL, app)."""
    app = e2e_app(tmp_path)
    with app.app_context():
        demo.load_catalogue()
        register_owner(
            OWNER,
            DEMO_PASSWORD,
            "测试厂长",
            ("东莞市测试示例五金有限公司", "91441900MT9000077", "C33", 60, 3000.0),
        )
        db.session.commit()
    for base in _serve(app):
        yield base, app


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """The app served by werkzeug in a thread; yields its base URL."""
    app = e2e_app(tmp_path)
    with app.app_context():
        demo.load_catalogue()
    yield from _serve(app)


#: The administrator of ``admin_server``.
ADMIN = "admin@example.com"


@pytest.fixture
def admin_server(tmp_path: Path) -> Iterator[str]:
    """A server of its own (the administrator's changes stay out of the shared demo server): the
    demo catalogue and one administrator account."""
    app = e2e_app(tmp_path)
    with app.app_context():
        demo.load_catalogue()
        register_user(ADMIN, DEMO_PASSWORD, "管理员", Role.ADMIN)
        db.session.commit()
    yield from _serve(app)


def seed_demo_world(app: Flask) -> None:
    """The demo accounts (README) and a scored demo cohort of 60 enterprises in ``app``'s
    database; the demo owner has asked for one referral, an enterprise of the demo staff's centre
    for another, and ``DRAFT_OWNER`` has an assessment in progress."""
    with app.app_context():
        demo.seed_demo(enterprises=60, seed=7)
        owner = db.session.scalar(select(User).where(User.email == "owner@demo.invalid"))
        assessment = db.session.scalar(
            select(Assessment).where(Assessment.enterprise_id == owner.enterprise_id)
        )
        report = build_report(assessment, "zh")
        referrals.request_referral(owner, assessment.public_id, report.centres[0].code)
        # And one in the demo staff's own queue: from an enterprise of the staff's centre.
        staff = db.session.scalar(select(User).where(User.email == "staff@demo.invalid"))
        member = db.session.scalar(
            select(Enterprise).where(Enterprise.centre_id == staff.centre_id).limit(1)
        )
        asker = register_user(
            "member@demo.invalid",
            DEMO_PASSWORD,
            "赵厂长",
            Role.ENTERPRISE,
            consent_version=NOTICE_VERSION,
        )
        asker.enterprise_id = member.id
        asked = db.session.scalar(select(Assessment).where(Assessment.enterprise_id == member.id))
        referrals.request_referral(
            asker, asked.public_id, build_report(asked, "zh").centres[0].code
        )
        db.session.commit()
        # The round's first statistics release, as an officer's first visit would cut it
        # (until then the dashboard says it is being prepared).
        releases.cut_release("2026", trigger="auto")
        db.session.commit()
        # A second owner with an assessment in progress, for the questionnaire pages.
        drafter = register_owner(DRAFT_OWNER, DEMO_PASSWORD, "李经理", DRAFT_ENTERPRISE)
        start_assessment(drafter, "2026")
        db.session.commit()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the whole session with ``seed_demo_world``'s data. Tests that only read
    pages (accessibility, phone layout) share it; journeys that change state use
    ``journey_server`` or data of their own, so the order tests run in cannot matter."""
    app = e2e_app(tmp_path_factory.mktemp("demo-server"))
    seed_demo_world(app)
    yield from _serve(app)


@pytest.fixture
def journey_server(tmp_path: Path) -> Iterator[str]:
    """A server of its own with ``seed_demo_world``'s data, for a journey that changes it
    (validates stages, moves referrals)."""
    app = e2e_app(tmp_path)
    seed_demo_world(app)
    yield from _serve(app)


def _serve(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


def log_in(
    page: Page, base: str, email: str, password: str = DEMO_PASSWORD, next_url: str | None = None
) -> None:
    """Log in through the form (labels in either language) and wait to leave the login page
    (for the role's home page, or ``next_url``)."""
    page.goto(f"{base}/auth/login" + (f"?next={next_url}" if next_url else ""))
    page.locator("input[type=email]").fill(email)
    page.locator("input[type=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/auth/login" not in url)
