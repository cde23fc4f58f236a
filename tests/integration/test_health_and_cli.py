"""Health check, CLI report, and the migrations matching the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from assessment.instrument import load_instrument, most_mature_responses
from models import Enterprise
from tests.integration.questionnaire_client import DECLARED, answer_everything
from webapp import create_app
from webapp.extensions import db
from webapp.services import snapshots

#: About questionnaire v1 behaviour (v1 item codes and gates): the app starts drafts on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")


def test_healthz_ok(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json == {"status": "ok"}


def test_healthz_503_when_database_unreachable(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}},
        }
    )
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503 and resp.json["status"] == "unavailable"


def test_cli_writes_pdf_of_latest_submitted(client, app, runner, tmp_path, enterprise):
    with app.app_context():
        profile = snapshots.profile_of(db.session.get(Enterprise, enterprise.id))
    answers = most_mature_responses(load_instrument("dmi", "1"), profile)
    assessment = answer_everything(client, app, enterprise.id, answers)
    client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    out = tmp_path / "r.pdf"
    result = runner.invoke(args=["report", "enterprise", enterprise.uscc, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "创新突破" in text and enterprise.name in text


def test_cli_report_refuses_bad_and_unknown_uscc(runner, tmp_path: Path):
    bad = runner.invoke(args=["report", "enterprise", "123", "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code != 0 and "18" in bad.output
    unknown = runner.invoke(
        args=["report", "enterprise", "91350100M000100Y43", "-o", str(tmp_path / "x.pdf")]
    )
    assert unknown.exit_code != 0 and "no enterprise" in unknown.output
    assert not (tmp_path / "x.pdf").exists()
