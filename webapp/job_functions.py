"""The heavy work that runs as background jobs."""

from __future__ import annotations

from collections.abc import Callable

from models import Job
from webapp.jobs import job_function


@job_function("government_pdf")
def government_pdf(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    from webapp.services import government_reports

    report(20, "computing aggregates")
    data = government_reports.pdf(job.params["round"], job.params.get("lang", "zh"))
    return data, f"aggregate-{job.params['round']}.pdf", "application/pdf"


@job_function("government_xlsx")
def government_xlsx(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    from webapp.services import government_reports

    report(20, "computing aggregates")
    data = government_reports.workbook(job.params["round"], job.params.get("lang", "zh"))
    return (data, f"aggregate-{job.params['round']}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
