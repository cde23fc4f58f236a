"""PDF batches: the enterprise reports of a centre's cohort for one round, in one zip file.

Run as a background job (``webapp/job_functions.py``). Each PDF is the one stored for the
report's version (``report_files``): made at submit or by an earlier batch, it is read, not
rendered again. The PDFs still to make are split into chunks of ``CHUNK``; with RQ
(``REDIS_URL``), every chunk but the last is handed to other workers as ``enterprise_pdf_chunk``
jobs (``fan_out``) while the batch's own job renders from the end of the list, taking whatever
the others have stored by the time it gets there, so the batch never waits idle for a worker
and a single worker still finishes it. Without RQ the batch's job renders them all in turn.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence

from models import Assessment, Role, User
from reports.i18n import gettext_for
from webapp.extensions import db
from webapp.services import cohorts, enterprise_reports, report_files
from webapp.services.errors import NotFoundError

#: ``progress(percent, message)``: percent in [0, 100], message for the job page in the batch's
#: language (``done_message``).
Progress = Callable[[int, str], None]
#: ``fan_out(chunks)``: hand lists of assessment ids to other workers (``request_chunks``).
FanOut = Callable[[list[list[int]]], None]
#: PDFs per job handed to another worker: a chunk is about ten seconds of work.
CHUNK = 10


def cohort_assessments(actor_id: int, round_code: str) -> list[Assessment]:
    """The submitted assessments of the actor's centre's cohort in the round, in the order of
    the cohort page (``cohorts.cohort_rows``: enterprise names).

    Raises
    ------
    NotFoundError
        The actor does not exist, is not centre staff, or has no centre.
    """
    actor = db.session.get(User, actor_id)
    if actor is None or actor.role != Role.CENTRE_STAFF.value or actor.centre_id is None:
        raise NotFoundError(f"no centre staff account {actor_id}")
    rows = cohorts.cohort_rows(actor, cohorts.CohortFilter(round_code, status="submitted"))
    return [a for _, a in rows if a is not None]


def chunks_of(ids: Sequence[int], size: int = CHUNK) -> list[list[int]]:
    """``ids`` in consecutive lists of ``size`` (the last may be shorter); ``size`` >= 1."""
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def render_chunk(assessment_ids: Sequence[int], lang: str) -> int:
    """Make and store the PDF of each assessment whose current version is not stored yet;
    returns how many were rendered (the job of one chunk)."""
    made = 0
    for assessment_id in assessment_ids:
        assessment = db.session.get(Assessment, assessment_id)
        if assessment is None or report_files.pdf_state(assessment, lang).ready:
            continue
        report_files.make_pdf(assessment_id, lang)
        made += 1
    return made


def done_message(done: int, total: int, lang: str) -> str:
    """How far a batch is, for its job page, in the batch's language ``lang`` (the language of
    its reports and of the page that started it): "已生成 11/45 份报告" / "11 of 45 reports
    made"."""
    return gettext_for(lang)("已生成 %(done)s/%(total)s 份报告", done=done, total=total)


def cohort_pdf_zip(
    actor_id: int,
    round_code: str,
    lang: str,
    progress: Progress | None = None,
    fan_out: FanOut | None = None,
) -> tuple[bytes, int]:
    """A zip of the PDF report of every submitted assessment of the actor's centre's cohort.

    Parameters
    ----------
    actor_id : int
        The member of centre staff who asked; the cohort is their centre's, scoped exactly as
        the cohort page (``cohort_assessments``), so the batch holds what the page lists.
    round_code : str
        The assessment round, e.g. ``"2026"``.
    lang : {"zh", "en"}
        Language of the reports.
    progress : callable, optional
        Called after each PDF with the share done (0-100) and ``done_message(n, N, lang)``.
    fan_out : callable, optional
        Hands every chunk of PDFs to make but the last to other workers (RQ); without it this
        call renders them all.

    Returns
    -------
    (bytes, int)
        The zip file (one ``report-<USCC>-<round>-<lang>.pdf`` per enterprise, in the order of
        enterprise names) and the number of PDFs in it (0 when no one has submitted yet).

    Raises
    ------
    NotFoundError
        The actor does not exist, is not centre staff, or has no centre.
    """
    assessments = cohort_assessments(actor_id, round_code)
    missing = [a.id for a in assessments if not report_files.pdf_state(a, lang).ready]
    chunks = chunks_of(missing, CHUNK)
    if fan_out is not None and len(chunks) > 1:
        fan_out(chunks[:-1])
    pdfs: dict[int, bytes] = {}
    # From the end: the chunks handed out are made from the start meanwhile.
    for assessment in reversed(assessments):
        state = report_files.pdf_state(assessment, lang)
        pdfs[assessment.id] = (
            state.pdf if state.pdf is not None else report_files.make_pdf(assessment.id, lang)[0]
        )
        if progress is not None:
            done = len(pdfs)
            progress(done * 100 // len(assessments), done_message(done, len(assessments), lang))
    buffer = io.BytesIO()
    # PDFs are already compressed; storing them is as small and much faster than deflating.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for assessment in assessments:
            archive.writestr(enterprise_reports.pdf_filename(assessment, lang), pdfs[assessment.id])
    return buffer.getvalue(), len(assessments)
