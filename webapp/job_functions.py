"""The heavy work that runs as background jobs."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import gettext as _

from models import Job
from webapp.jobs import job_function


def _computing(job: Job) -> str:
    """What a government report job says while it computes, in the report's language."""
    with force_locale(job.params.get("lang", "zh")):
        return _("正在计算汇总数据")


@job_function("government_pdf")
def government_pdf(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    from webapp.services import government_reports

    report(20, _computing(job))
    data = government_reports.pdf(job.params["round"], job.params.get("lang", "zh"))
    return data, f"aggregate-{job.params['round']}.pdf", "application/pdf"


@job_function("government_xlsx")
def government_xlsx(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    from webapp.services import government_reports

    report(20, _computing(job))
    data = government_reports.workbook(job.params["round"], job.params.get("lang", "zh"))
    return (
        data,
        f"aggregate-{job.params['round']}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@job_function("statistics_release")
def statistics_release(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Cut a statistics release of a round (``params``: round, trigger)."""
    from webapp.services import releases

    release = releases.cut_release(
        job.params["round"], job.params.get("trigger", "auto"), actor_id=job.created_by_id
    )
    summary = f"release {release.id}: {release.status}"
    report(99, summary)
    return summary.encode(), f"release-{release.round_code}.txt", "text/plain; charset=utf-8"


@job_function("rescore_round")
def rescore_round(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Re-score a round under a scoring version (``params``: round, scoring_version)."""
    from webapp.services import rescoring

    outcome = rescoring.rescore_round(
        job.params["round"], job.params["scoring_version"], progress=report
    )
    report(99, outcome.summary())
    return (
        outcome.summary().encode(),
        f"rescore-{outcome.round_code}.txt",
        "text/plain; charset=utf-8",
    )


@job_function("refit_clusters")
def refit_clusters(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Refit the round's peer clusters and assign personas (``params``: round)."""
    from webapp.services import clusters

    record = clusters.fit_round(job.params["round"], progress=report)
    summary = (
        f"round {record.round_code}: k={record.k} over {record.metrics['n']} assessments, "
        f"stability ARI {record.metrics['stability_ari']}"
    )
    report(99, summary)
    return summary.encode(), f"clusters-{record.round_code}.txt", "text/plain; charset=utf-8"


@job_function("cohort_pdfs")
def cohort_pdfs(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """A zip of a centre cohort's enterprise reports (``params``: actor, round, lang)."""
    from webapp.services import report_batches

    lang = job.params.get("lang", "zh")
    with force_locale(lang):
        data, count = report_batches.cohort_pdf_zip(
            job.params["actor"], job.params["round"], lang, progress=report
        )
    report(99, f"{count} PDFs")
    return data, f"reports-{job.params['round']}-{lang}.zip", "application/zip"
