"""Time what the owner waits for: submit -> result page, and the PDF download.

Runs the real app in-process (Flask test client) on a temporary SQLite database holding the demo
catalogue and a 300-enterprise demo cohort, registers ``runs`` new enterprises, answers every
page, and times the submit (including the redirect to and rendering of the result page) and the
PDF download. The first PDF of the process includes starting the headless browser that exports
the chart; later ones are warm. Run with ``make bench``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from assessment.instrument import current_instrument, most_mature_responses
from assessment.uscc import make_uscc
from models import Assessment, Enterprise
from reports.pdf import render_enterprise_pdf
from tests.integration.questionnaire_client import DECLARED, answer_everything
from webapp import create_app
from webapp.extensions import db
from webapp.services import demo, snapshots
from webapp.services.enterprise_reports import build_report

EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def run(runs: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"submit_to_result_page": [], "pdf": [], "pdf_floor": []}
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": "bench",
            }
        )
        with app.app_context():
            db.create_all()
            demo.seed_demo(enterprises=300, seed=1)
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
            start = time.perf_counter()
            pdf = client.get(base + "/report.pdf")
            timings["pdf"].append(_ms(time.perf_counter() - start))
            assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
            with app.app_context():  # floor: WeasyPrint on the same report, chart left empty
                report = build_report(db.session.get(Assessment, assessment.id), "zh")
                start = time.perf_counter()
                render_enterprise_pdf(report, chart_svgs={"radar": EMPTY_SVG})
                timings["pdf_floor"].append(_ms(time.perf_counter() - start))
    return timings


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    timings = run(runs)
    submit = timings["submit_to_result_page"]
    pdf = timings["pdf"]
    print(f"report timing over {runs} new enterprises (cohort of 300, SQLite)")
    print(
        f"  submit -> result page: median {statistics.median(submit):.0f} ms, "
        f"max {max(submit):.0f} ms"
    )
    print(f"  PDF download, first in process (starts the chart browser): {pdf[0]:.0f} ms")
    warm = statistics.median(pdf[1:])
    floor = statistics.median(timings["pdf_floor"][1:])
    print(
        f"  PDF download, warm: median {warm:.0f} ms, max {max(pdf[1:]):.0f} ms "
        f"(goal under 1.5 s: {'met' if warm < 1500 else 'NOT met'})"
    )
    print(
        f"  floor: WeasyPrint on the same report without the chart: median {floor:.0f} ms "
        f"(ratio {warm / floor:.2f}x)",
        flush=True,
    )


if __name__ == "__main__":
    main()
