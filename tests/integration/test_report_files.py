"""The enterprise PDF is rendered once per report version in the background at submit and
served from storage; a PDF not yet made shows its job's progress instead of blocking (issue 18)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessment.instrument import least_mature_responses
from models import Assessment, Enterprise, Job, ReportFile, utcnow
from tests.integration.questionnaire_client import current_assessment, submit_with
from webapp import jobs
from webapp.extensions import db
from webapp.services import enterprise_reports, report_cache, report_files


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every PDF rendered, by the report's language."""
    calls: list[str] = []
    render = report_files.render_enterprise_pdf

    def counting(report: object) -> bytes:
        calls.append(getattr(report, "lang", "?"))
        return render(report)  # type: ignore[arg-type]

    monkeypatch.setattr(report_files, "render_enterprise_pdf", counting)
    return calls


def _stored(app: Flask, assessment_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(ReportFile.lang, ReportFile.report_key).where(
                ReportFile.assessment_id == assessment_id
            )
        )
        return [(lang, key) for lang, key in rows]


def _pdf_jobs(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count()).select_from(Job).where(Job.kind == report_files.KIND)
            )
            or 0
        )


def _submitted(app: Flask, client: FlaskClient, enterprise: Enterprise) -> Assessment:
    submit_with(client, app, enterprise.id, least_mature_responses)
    return current_assessment(app, enterprise.id)


def test_the_pdf_is_made_at_submit_and_served_from_storage(
    client: FlaskClient,
    app: Flask,
    enterprise: Enterprise,
    renders: list[str],
) -> None:
    app.config["REPORT_PDF_AT_SUBMIT"] = True
    assessment = _submitted(app, client, enterprise)
    assert len(renders) == 1  # rendered at submit (jobs run synchronously in tests)
    with app.app_context():
        record = db.session.get(Assessment, assessment.id)
        assert record is not None
        key = report_cache.report_key(record, "zh")
    assert _stored(app, assessment.id) == [("zh", key)]

    base = f"/enterprise/assessments/{assessment.public_id}"
    page = client.get(f"{base}/result").get_data(as_text=True)
    assert f'href="{base}/report.pdf" download' in page  # ready: a plain download link
    first, second = client.get(f"{base}/report.pdf"), client.get(f"{base}/report.pdf")
    assert first.status_code == second.status_code == 200
    assert first.mimetype == "application/pdf" and first.data == second.data
    assert len(renders) == 1  # both downloads read the stored file

    with app.app_context():  # a change of an input makes a new version of the report
        firm = db.session.get(Enterprise, enterprise.id)
        assert firm is not None
        firm.name = firm.name + "（更名）"  # the firm's details changed
        db.session.commit()
    again = client.get(f"{base}/report.pdf")
    assert again.status_code == 200 and len(renders) == 2
    stored = _stored(app, assessment.id)
    assert len(stored) == 1 and stored[0][1] != key  # replaced, not added

    english = client.get(f"{base}/report.pdf", headers={"Accept-Language": "en"})
    assert english.status_code == 200 and len(renders) == 3
    assert sorted(lang for lang, _ in _stored(app, assessment.id)) == ["en", "zh"]


def test_the_pdf_download_name_is_percent_encoded(
    client: FlaskClient,
    app: Flask,
    enterprise: Enterprise,
    renders: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Chinese file name reaches the browser as RFC 6266 ``filename*`` (UTF-8,
    percent-encoded) with an ASCII fallback, never as raw non-ASCII header bytes."""
    app.config["REPORT_PDF_AT_SUBMIT"] = True
    assessment = _submitted(app, client, enterprise)
    monkeypatch.setattr(enterprise_reports, "pdf_filename", lambda a, lang: "成熟度报告 2026.pdf")
    resp = client.get(f"/enterprise/assessments/{assessment.public_id}/report.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"] == (
        'attachment; filename="______2026.pdf"; '
        "filename*=UTF-8''%E6%88%90%E7%86%9F%E5%BA%A6%E6%8A%A5%E5%91%8A%202026.pdf"
    )


def test_a_pdf_being_made_shows_progress_and_is_asked_for_once(
    client: FlaskClient, app: Flask, enterprise: Enterprise, renders: list[str]
) -> None:
    assessment = _submitted(app, client, enterprise)  # REPORT_PDF_AT_SUBMIT is off in tests
    assert renders == [] and _pdf_jobs(app) == 0
    with app.app_context():  # a worker has the job: running, alive, 40 % done
        record = db.session.get(Assessment, assessment.id)
        assert record is not None
        params = {
            "assessment": record.id,
            "lang": "zh",
            "key": report_cache.report_key(record, "zh"),
        }
        db.session.add(
            Job(
                public_id="pdf-in-progress",
                kind=report_files.KIND,
                params=params,
                dedupe_key=jobs.dedupe_key(report_files.KIND, params),
                state="running",
                progress=40,
                heartbeat_at=utcnow(),
            )
        )
        db.session.commit()

    base = f"/enterprise/assessments/{assessment.public_id}"
    for _ in range(2):
        waiting = client.get(f"{base}/report.pdf")
        assert waiting.status_code == 202 and waiting.mimetype == "text/html"
        text = waiting.get_data(as_text=True)
        assert 'http-equiv="refresh"' in text and 'aria-valuenow="40"' in text
    assert _pdf_jobs(app) == 1 and renders == []  # not asked twice, nothing rendered here

    page = client.get(f"{base}/result").get_data(as_text=True)
    assert "PDF 报告正在后台生成（40%）" in page
    assert f'href="{base}/report.pdf" download' not in page  # no link that would save the page

    with app.app_context():  # the job failed: the page says so and asking again starts anew
        job = db.session.scalar(select(Job).where(Job.public_id == "pdf-in-progress"))
        assert job is not None
        job.state, job.message = "failed", "chart export failed"
        db.session.commit()
    assert "PDF 报告生成失败：chart export failed" in client.get(f"{base}/result").get_data(
        as_text=True
    )
    retry = client.get(f"{base}/report.pdf")
    assert retry.status_code == 200 and retry.mimetype == "application/pdf"
    assert _pdf_jobs(app) == 2 and len(renders) == 1


def test_a_deleted_firms_stored_pdfs_are_removed(
    client: FlaskClient, app: Flask, enterprise: Enterprise
) -> None:
    assessment = _submitted(app, client, enterprise)
    client.get(f"/enterprise/assessments/{assessment.public_id}/report.pdf")
    assert len(_stored(app, assessment.id)) == 1
    with app.app_context():
        assert report_files.forget_enterprise(enterprise.id) == 1
        db.session.commit()
    assert _stored(app, assessment.id) == []
