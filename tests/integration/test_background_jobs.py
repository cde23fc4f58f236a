"""The heavy work as background jobs, started from the pages: re-scoring a round and refitting
the peer clusters (administrators), a zip of the cohort's PDF reports (centre staff).

Each kind runs in-process (``JOBS_SYNC``) through its button and its outcome is checked in the
database or the file; progress is reported from inside the work; asking again while a job runs
returns that job; a job page is for whoever started it (and administrators) only.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select

from models import Assessment, AssessmentResultRecord, Enterprise, Job, PeerModelRecord, Role, User
from tests.factories import PASSWORD, detached_one
from tests.integration.test_jobs import wait_done
from webapp.extensions import db
from webapp.services import demo, rescoring

# About questionnaire v1 behaviour (v1 item codes and gates): drafts start on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")

ROUND = "2026"
COHORT = 60

# The jobs run at once (JOBS_SYNC) on the test's connection, on a demo cohort seeded once per
# session: more than one batch of re-scoring (50) and enough to cluster (the rescore tests'
# cohort), or a few enterprises per centre (a PDF takes about a second to render).
SEEDED = pytest.mark.demo_cohort(enterprises=COHORT, seed=5, round_code=ROUND)
SMALL = pytest.mark.demo_cohort(enterprises=16, seed=3, round_code=ROUND)


@pytest.fixture
def progress_of(job_functions: dict[str, Any]) -> Callable[[str], list[tuple[int, str]]]:
    """``progress_of(kind)``: the (percent, message) reports of that kind's job, as sent."""
    seen: dict[str, list[tuple[int, str]]] = {}

    def spy(kind: str) -> list[tuple[int, str]]:
        original = job_functions[kind]
        calls = seen.setdefault(kind, [])

        def recording(job, report):  # type: ignore[no-untyped-def]
            def forward(progress: int, message: str) -> None:
                calls.append((progress, message))
                report(progress, message)

            return original(job, forward)

        job_functions[kind] = recording
        return calls

    return spy


def _login(client: FlaskClient, email: str) -> None:
    resp = client.post("/auth/login", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert resp.status_code == 302


def _start(client: FlaskClient, url: str, data: dict[str, str]) -> str:
    """POST the button's form; return the job page it redirects to (checked to say done)."""
    resp = client.post(url, data=data)
    assert resp.status_code == 302 and "/jobs/" in resp.headers["Location"], resp.data[:300]
    page = client.get(resp.headers["Location"])
    assert page.status_code == 200 and "已完成" in page.get_data(as_text=True)
    return resp.headers["Location"]


def _job(app: Flask, kind: str) -> Job:
    return detached_one(app, select(Job).where(Job.kind == kind))


@SEEDED
def test_admin_rescores_a_round_as_a_job_and_the_new_results_are_stored(
    app: Flask,
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    progress_of,
    scoring_revision: None,
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(rescoring, "BATCH", 50)  # two batches: progress after each
    reports = progress_of("rescore_round")
    _login(client, "admin@demo.invalid")
    assert "重新评分" in client.get("/admin/").get_data(as_text=True)
    _start(client, "/admin/jobs/rescore", {"round": ROUND, "scoring_version": "1.1"})
    with app.app_context():
        assert set(db.session.scalars(select(Assessment.scoring_version))) == {"1.1"}
        assert (
            db.session.scalar(select(func.count()).where(Assessment.stage.in_(["S2", "S3"]))) == 0
        )
        stored = db.session.scalar(
            select(func.count()).where(AssessmentResultRecord.scoring_version == "1.1")
        )
        assert stored == COHORT
    # one report per batch of 50 from inside the loop, then the summary
    assert reports[:2] == [
        (83, f"50/{COHORT} assessments"),
        (100, f"{COHORT}/{COHORT} assessments"),
    ]
    job = _job(app, "rescore_round")
    assert job.state == "done" and job.progress == 100
    assert job.message.startswith(f"round {ROUND}, scoring version 1.1: {COHORT} re-scored")
    assert job.result is not None and job.result.decode() == job.message


@SEEDED
def test_admin_refits_the_clusters_as_a_job(app: Flask, client: FlaskClient, progress_of) -> None:  # type: ignore[no-untyped-def]
    reports = progress_of("refit_clusters")
    with app.app_context():
        before = db.session.scalar(select(PeerModelRecord.id).where(PeerModelRecord.is_current))
    _login(client, "admin@demo.invalid")
    _start(client, "/admin/jobs/refit", {"round": ROUND})
    with app.app_context():
        current = db.session.scalars(
            select(PeerModelRecord).where(PeerModelRecord.is_current)
        ).all()
        assert len(current) == 1 and current[0].id != before
        assert current[0].metrics["n"] == COHORT
        personas = set(db.session.scalars(select(Assessment.peer_model_id)))
        assert personas == {current[0].id}  # every assessment moved to the new model
    assert reports[1] == (15, f"fitting {COHORT} assessments")
    assert reports[2][0] == 80 and reports[2][1].startswith("fitted k=")
    assert _job(app, "refit_clusters").state == "done"


@SMALL
def test_centre_staff_download_one_valid_pdf_per_cohort_enterprise(
    app: Flask, client: FlaskClient, progress_of
) -> None:  # type: ignore[no-untyped-def]
    reports = progress_of("cohort_pdfs")
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "staff@demo.invalid"))
        assert staff is not None
        usccs = set(
            db.session.scalars(
                select(Enterprise.uscc).where(Enterprise.centre_id == staff.centre_id)
            )
        )
    assert 2 <= len(usccs) < 16
    _login(client, "staff@demo.invalid")
    assert "批量下载" in client.get("/centre/").get_data(as_text=True)
    page = _start(client, "/centre/reports", {"round": ROUND})
    resp = client.get(page + "/download")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(resp.data))
    assert sorted(archive.namelist()) == sorted(f"report-{u}-{ROUND}-zh.pdf" for u in usccs)
    for name in archive.namelist():
        pdf = PdfReader(io.BytesIO(archive.read(name)))
        assert len(pdf.pages) >= 1
        text = pdf.pages[0].extract_text()
        assert name.split("-")[1] in text  # the report names its own enterprise's USCC
    n = len(usccs)
    assert [p for p, _ in reports[:n]] == [i * 100 // n for i in range(1, n + 1)]
    assert reports[n - 1][1] == f"已生成 {n}/{n} 份报告"  # in the batch's language


@pytest.fixture
def blocked(job_functions: dict[str, Any]) -> Iterator[threading.Event]:
    """Replace every job kind by one that waits for the event: jobs stay running meanwhile."""
    release = threading.Event()

    def wait(job, report):  # type: ignore[no-untyped-def]
        report(10, "waiting")
        assert release.wait(10)
        return b"done", "done.txt", "text/plain"

    job_functions.update(dict.fromkeys(job_functions, wait))
    yield release
    release.set()


@pytest.mark.parametrize(
    ("email", "url", "data"),
    [
        ("admin@demo.invalid", "/admin/jobs/rescore", {"round": ROUND, "scoring_version": "1"}),
        ("admin@demo.invalid", "/admin/jobs/refit", {"round": ROUND}),
        ("staff@demo.invalid", "/centre/reports", {"round": ROUND}),
        ("officer@demo.invalid", "/government/reports", {"round": ROUND, "kind": "xlsx"}),
    ],
)
@pytest.mark.own_database  # the jobs run in threads, each on a connection of its own
def test_asking_again_while_a_job_runs_returns_the_same_job(
    app: Flask,
    client: FlaskClient,
    blocked: threading.Event,
    email: str,
    url: str,
    data: dict[str, str],
) -> None:
    with app.app_context():
        demo.seed_demo(enterprises=12, seed=3, round_code=ROUND)
    _login(client, email)
    first = client.post(url, data=data).headers["Location"]
    second = client.post(url, data=data).headers["Location"]
    assert first == second and "/jobs/" in first
    assert "页面会自动刷新" in client.get(first).get_data(as_text=True)
    blocked.set()
    with app.app_context():
        job_id = db.session.scalar(select(Job.id))
        assert db.session.scalar(select(func.count(Job.id))) == 1
    assert wait_done(app, job_id).state == "done"
    third = client.post(url, data=data).headers["Location"]
    assert third != first  # a finished job is not handed out again: a new request runs anew
    with app.app_context():
        job_id = db.session.scalar(select(Job.id).where(Job.id != job_id))
    wait_done(app, job_id)


@SMALL
def test_a_centres_report_batch_is_only_for_whoever_started_it_not_even_administrators(
    app: Flask, client: FlaskClient, make_user, job_functions: dict[str, Any]
) -> None:  # type: ignore[no-untyped-def]
    # What the job makes does not matter here, only whose it is.
    job_functions["cohort_pdfs"] = lambda job, report: (b"PK", "r.zip", "application/zip")
    with app.app_context():
        centre_id = db.session.scalar(
            select(User.centre_id).where(User.email == "staff@demo.invalid")
        )
    colleague = make_user(Role.CENTRE_STAFF)
    with app.app_context():
        db.session.get(User, colleague.id).centre_id = centre_id  # same centre, still not theirs
        db.session.commit()
    _login(client, "staff@demo.invalid")
    page = _start(client, "/centre/reports", {"round": ROUND})
    client.post("/auth/logout")
    others = [
        (colleague.email, 404, PASSWORD),
        ("officer@demo.invalid", 404, demo.DEMO_PASSWORD),
        ("owner@demo.invalid", 403, demo.DEMO_PASSWORD),
        # Enterprise reports are not the administrator's to read (review finding 14); they
        # oversee re-scoring and refits only (access.ADMIN_JOB_KINDS).
        ("admin@demo.invalid", 404, demo.DEMO_PASSWORD),
    ]
    for email, status, password in others:
        assert (
            client.post("/auth/login", data={"email": email, "password": password}).status_code
            == 302
        )
        assert client.get(page).status_code == status, email
        assert client.get(page + "/download").status_code == status, email
        client.post("/auth/logout")
    assert client.get(page).status_code == 302  # anonymous: to the login page
