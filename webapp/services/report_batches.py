"""PDF batches: the enterprise reports of a centre's cohort for one round, in one zip file.

Run as a background job (``webapp/job_functions.py``): rendering one PDF takes about a second,
so a cohort of a few hundred enterprises is minutes of work, too long for a request.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from models import Role, User
from webapp.extensions import db
from webapp.services import cohorts, enterprise_reports
from webapp.services.errors import NotFoundError

#: ``progress(percent, message)``: percent in [0, 100], message in English for the job page.
Progress = Callable[[int, str], None]


def cohort_pdf_zip(
    actor_id: int, round_code: str, lang: str, progress: Progress | None = None
) -> tuple[bytes, int]:
    """A zip of the PDF report of every submitted assessment of the actor's centre's cohort.

    Parameters
    ----------
    actor_id : int
        The member of centre staff who asked; the cohort is their centre's, scoped exactly as
        the cohort page (``cohorts.cohort_rows``), so the batch holds what the page lists.
    round_code : str
        The assessment round, e.g. ``"2026"``.
    lang : {"zh", "en"}
        Language of the reports.
    progress : callable, optional
        Called after each PDF with the share done (0-100) and ``"n/N PDFs"``.

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
    actor = db.session.get(User, actor_id)
    if actor is None or actor.role != Role.CENTRE_STAFF.value or actor.centre_id is None:
        raise NotFoundError(f"no centre staff account {actor_id}")
    rows = cohorts.cohort_rows(actor, cohorts.CohortFilter(round_code, status="submitted"))
    assessments = [a for _, a in rows if a is not None]
    buffer = io.BytesIO()
    # PDFs are already compressed; storing them is as small and much faster than deflating.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for done, assessment in enumerate(assessments, start=1):
            archive.writestr(
                enterprise_reports.pdf_filename(assessment, lang),
                enterprise_reports.render_pdf(assessment, lang),
            )
            if progress is not None:
                progress(done * 100 // len(assessments), f"{done}/{len(assessments)} PDFs")
    return buffer.getvalue(), len(assessments)
