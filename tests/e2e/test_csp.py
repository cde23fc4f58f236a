"""The content security policy in a real browser: every chart page draws its charts and the
browser reports no policy violation (docs/security.md, promise 17)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select
from werkzeug.serving import make_server

from models import Assessment, User
from webapp import create_app
from webapp.extensions import db
from webapp.services import demo, releases

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo-password-2026"
# Injected by the browser driver, not by the page, so the policy does not block it.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def chart_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A server with the demo accounts and a scored cohort; yields (base URL, owner's result)."""
    folder = tmp_path_factory.mktemp("csp")
    app = create_app(
        {
            "SECRET_KEY": "e2e-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'csp.sqlite'}",
            "CURRENT_ROUND": "2026",
            "SESSION_COOKIE_SECURE": False,  # plain http on 127.0.0.1
        }
    )
    with app.app_context():
        db.create_all()

        demo.seed_demo(enterprises=30, seed=2)
        # The officer's dashboard shows a release; without one it says one is being cut.
        releases.cut_release("2026", trigger="auto")
        db.session.commit()
        owner = db.session.scalar(select(User).where(User.email == "owner@demo.invalid"))
        assert owner is not None
        public_id = db.session.scalar(
            select(Assessment.public_id).where(Assessment.enterprise_id == owner.enterprise_id)
        )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", f"/enterprise/assessments/{public_id}/result"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("email", "url"),
    [
        ("owner@demo.invalid", None),
        ("staff@demo.invalid", "/centre/"),
        ("officer@demo.invalid", "/government/"),
    ],
)
def test_chart_pages_work_under_the_content_security_policy(
    browser: Browser, chart_server: tuple[str, str], email: str, url: str | None
) -> None:
    base, result_url = chart_server
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/auth/login")
    page.locator("input[type=email]").fill(email)
    page.locator("input[type=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    response = page.goto(base + (url or result_url))
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    charts = page.locator("[data-plotly-figure]")
    assert charts.count() >= 1
    for i in range(charts.count()):
        # plotly draws an <svg class="main-svg"> inside each chart it renders
        charts.nth(i).locator("svg.main-svg").first.wait_for(timeout=15000)
    assert page.evaluate("window.__cspViolations") == []
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()
