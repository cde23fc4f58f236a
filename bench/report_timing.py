"""Time what the owner waits for: submit -> result page, submit -> PDF stored, the download,
a warm PDF against WeasyPrint alone, and a centre's batch per PDF against a warm PDF.

Runs the real app in-process (Flask test client) on a temporary SQLite database holding the demo
catalogue and a 300-enterprise demo cohort, warmed as a gunicorn worker is (``webapp.warmup``:
the chart browser starts in the background), registers ``runs`` new enterprises, answers every
page, and times the submit (including the redirect to and rendering of the result page) and
the PDF, which a background job renders at submit (``report_files``; in a thread of this
process, as without ``REDIS_URL``). Run with ``make bench``.
"""

from __future__ import annotations

import statistics
import sys
import time

from sqlalchemy import delete, select

from assessment.instrument import current_instrument, most_mature_responses
from assessment.uscc import make_uscc
from bench.scratch import scratch_app
from models import Assessment, Enterprise, ReportFile, User
from reports.pdf import render_enterprise_pdf
from tests.integration.questionnaire_client import DECLARED, answer_everything
from webapp.extensions import db
from webapp.services import demo, report_batches, report_files, snapshots
from webapp.services.enterprise_reports import build_report
from webapp.warmup import warm

EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def run(runs: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {
        "submit_to_result_page": [],
        "submit_to_pdf_stored": [],
        "download": [],
        "pdf": [],
        "pdf_floor": [],
        "batch_per_pdf": [],
    }
    with scratch_app("bench.sqlite", WTF_CSRF_ENABLED=False) as app:
        with app.app_context():
            demo.seed_demo(enterprises=300, seed=1)
        warm(app)
        for n in range(runs):
            client = app.test_client()
            password = "bench-password-123"
            client.post(
                "/auth/register",
                data={
                    "email": f"bench{n}@example.com",
                    "display_name": "基准",
                    "password": password,
                    "confirm": password,
                    "consent": "y",
                },
            )
            uscc = make_uscc(f"91441900MB{n:07d}")
            client.post(
                "/enterprise/profile",
                data={
                    "name": f"基准测试企业{n}",
                    "uscc": uscc,
                    "industry_code": "C21",
                    "production_type": "discrete",
                    "town": "houjie",
                    "employees": "150",
                    "revenue_wan": "5200",
                },
            )
            with app.app_context():
                enterprise = db.session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
                assert enterprise is not None
                profile = snapshots.profile_of(enterprise)
                enterprise_id = enterprise.id
            answers = most_mature_responses(current_instrument(), profile)
            assessment = answer_everything(client, app, enterprise_id, answers)
            base = f"/enterprise/assessments/{assessment.public_id}"
            start = time.perf_counter()
            response = client.post(base + "/submit", data=DECLARED)
            page = client.get(response.headers["Location"])
            timings["submit_to_result_page"].append(_ms(time.perf_counter() - start))
            assert page.status_code == 200
            with app.app_context():
                record = db.session.get(Assessment, assessment.id)
                assert record is not None
                while not (state := report_files.pdf_state(record, "zh")).ready:
                    if state.job is not None and state.job.state == "failed":
                        raise RuntimeError(f"PDF job failed: {state.job.message}")
                    if time.perf_counter() - start > 120:
                        raise RuntimeError(f"PDF not stored after 120 s: {state}")
                    db.session.rollback()
                    time.sleep(0.02)
            timings["submit_to_pdf_stored"].append(_ms(time.perf_counter() - start))
            start = time.perf_counter()
            pdf = client.get(base + "/report.pdf")
            timings["download"].append(_ms(time.perf_counter() - start))
            assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
            with app.app_context():  # a warm render (the job's work) against WeasyPrint alone
                start = time.perf_counter()
                report_files.make_pdf(assessment.id, "zh")
                timings["pdf"].append(_ms(time.perf_counter() - start))
                report = build_report(db.session.get(Assessment, assessment.id), "zh")
                start = time.perf_counter()
                render_enterprise_pdf(report, chart_svgs={"radar": EMPTY_SVG})
                timings["pdf_floor"].append(_ms(time.perf_counter() - start))
        with app.app_context():  # a centre's batch, nothing stored yet, in one process
            staff = db.session.scalar(select(User.id).where(User.email == "staff@demo.invalid"))
            assert staff is not None
            db.session.execute(delete(ReportFile))
            db.session.commit()
            start = time.perf_counter()
            _, count = report_batches.cohort_pdf_zip(staff, "2026", "zh")
            timings["batch_per_pdf"].append(_ms((time.perf_counter() - start) / max(count, 1)))
            timings["batch_count"] = [count]
    return timings


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    timings = run(runs)
    submit = timings["submit_to_result_page"]
    stored = timings["submit_to_pdf_stored"]
    pdf = timings["pdf"]
    print(f"report timing over {runs} new enterprises (cohort of 300, SQLite)")
    print(
        f"  submit -> result page: median {statistics.median(submit):.0f} ms, "
        f"max {max(submit):.0f} ms"
    )
    print(
        f"  submit -> PDF stored (background job at submit): first {stored[0]:.0f} ms, "
        f"then median {statistics.median(stored[1:]):.0f} ms "
        f"(goal: ready when the result page is: "
        f"{'met' if statistics.median(stored) <= statistics.median(submit) else 'NOT met'})"
    )
    print(f"  PDF download from storage: median {statistics.median(timings['download']):.0f} ms")
    warm = statistics.median(pdf)
    floor = statistics.median(timings["pdf_floor"])
    print(
        f"  PDF render, warm: median {warm:.0f} ms, max {max(pdf):.0f} ms; "
        f"floor: WeasyPrint on the same report without the chart: median {floor:.0f} ms "
        f"(ratio {warm / floor:.2f}x; goal <= 1.2x: {'met' if warm <= 1.2 * floor else 'NOT met'})"
    )
    batch = timings["batch_per_pdf"][0]
    print(
        f"  centre batch of {timings['batch_count'][0]:.0f} PDFs in one process: "
        f"{batch:.0f} ms per PDF (ratio to a warm PDF {batch / warm:.2f}x; "
        f"goal <= 1.2x: {'met' if batch <= 1.2 * warm else 'NOT met'})",
    )


if __name__ == "__main__":
    main()
