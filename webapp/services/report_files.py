"""Enterprise PDFs rendered once per report version, in the background, and served from storage.

A PDF costs about a second to render (the first in a process several: the chart browser
starts), too long to hold a request for (issue 18). At submit, ``request_pdf`` asks a background
job (``webapp.jobs``; kind ``KIND``) to render the report in the submitter's language and store
it as a ``ReportFile`` under the report's version (``report_cache.report_key``). A download
serves the stored file when its version is current; otherwise it asks for one (once: the job's
``dedupe_key`` holds the version) and the page shows the job's progress instead of waiting.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from models import Assessment, Job, ReportFile
from reports.pdf import render_enterprise_pdf
from webapp import jobs
from webapp.extensions import db
from webapp.services import enterprise_reports, report_cache

#: The job kind that renders and stores one enterprise PDF (``webapp.job_functions``).
KIND = "enterprise_pdf"


@dataclass(frozen=True)
class PdfState:
    """Where the PDF of one report version is: ``pdf`` holds its bytes when stored; otherwise
    ``job`` is the job making it (queued, running or failed), or ``None`` when none was asked."""

    pdf: bytes | None
    job: Job | None

    @property
    def ready(self) -> bool:
        return self.pdf is not None

    @property
    def progress(self) -> int:
        """0-100: how far the job has got (100 when stored)."""
        if self.pdf is not None:
            return 100
        return self.job.progress if self.job is not None else 0


def _params(assessment: Assessment, lang: str, key: str) -> dict[str, object]:
    return {"assessment": assessment.id, "lang": lang, "key": key}


def pdf_state(assessment: Assessment, lang: str) -> PdfState:
    """The stored PDF of ``assessment``'s current report in ``lang``, or the latest job asked
    to make it. Reads the report's key (``report_cache.report_key``) and at most two rows."""
    key = report_cache.report_key(assessment, lang)
    pdf = db.session.scalar(
        select(ReportFile.pdf).where(
            ReportFile.assessment_id == assessment.id,
            ReportFile.lang == lang,
            ReportFile.report_key == key,
        )
    )
    if pdf is not None:
        return PdfState(pdf, None)
    job = db.session.scalar(
        select(Job)
        .where(Job.dedupe_key == jobs.dedupe_key(KIND, _params(assessment, lang, key)))
        .order_by(Job.id.desc())
        .limit(1)
    )
    return PdfState(None, job)


def request_pdf(assessment: Assessment, lang: str, actor_id: int | None) -> PdfState:
    """The PDF's state after asking for it: stored already, or a job started to make it (the
    running one when it was asked before: ``jobs.enqueue`` starts each version once). A job
    that failed is asked again. With ``JOBS_SYNC`` (tests, CLI) the PDF is made before this
    returns."""
    state = pdf_state(assessment, lang)
    if state.ready:
        return state
    key = report_cache.report_key(assessment, lang)
    job = jobs.enqueue(KIND, _params(assessment, lang, key), actor_id)
    if job.state == "done":
        return pdf_state(assessment, lang)
    return PdfState(None, job)


def request_at_submit(assessment: Assessment, lang: str, actor_id: int) -> None:
    """Start rendering a just-submitted assessment's PDF, unless ``REPORT_PDF_AT_SUBMIT`` is off
    (the test configuration turns it off: a chart browser per test would be slow)."""
    if current_app.config.get("REPORT_PDF_AT_SUBMIT", True):
        request_pdf(assessment, lang, actor_id)


def make_pdf(assessment_id: int, lang: str) -> tuple[bytes, str]:
    """Render ``assessment_id``'s report in ``lang`` from its current inputs (the cached build
    when there is one) and store it, replacing the stored PDF of an earlier version. Returns
    the PDF and its download name.

    Raises ``LookupError`` when the assessment no longer exists.
    """
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise LookupError(f"no assessment {assessment_id}")
    key = report_cache.report_key(assessment, lang)
    pdf = render_enterprise_pdf(report_cache.cached_report(assessment, lang).report)
    db.session.execute(
        delete(ReportFile).where(ReportFile.assessment_id == assessment_id, ReportFile.lang == lang)
    )
    db.session.add(ReportFile(assessment_id=assessment_id, lang=lang, report_key=key, pdf=pdf))
    try:
        db.session.commit()
    except IntegrityError:  # another job stored this assessment's PDF at the same moment
        db.session.rollback()
    return pdf, enterprise_reports.pdf_filename(assessment, lang)


def forget_enterprise(enterprise_id: int) -> int:
    """Delete the stored PDFs of every assessment of the enterprise (they name it: a privacy
    deletion must not leave them behind); returns how many. Does not commit."""
    mine = select(Assessment.id).where(Assessment.enterprise_id == enterprise_id)
    result = db.session.execute(delete(ReportFile).where(ReportFile.assessment_id.in_(mine)))
    return int(getattr(result, "rowcount", 0) or 0)
