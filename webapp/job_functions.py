"""The heavy work that runs as background jobs, and ``JOB_FUNCTIONS``, the table of them by kind
that the factory hands to the job runner (``webapp.jobs``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from models import Job
from reports.exports import XLSX_MIMETYPE
from webapp.extensions import db
from webapp.jobs import JobFunction, enqueue
from webapp.services import (
    accounts,
    claims,
    clusters,
    government_reports,
    members,
    referrals,
    releases,
    report_batches,
    report_files,
    rescoring,
    rounds,
    segments,
)
from webapp.services.mail import OutgoingMail, deliver


def _computing(job: Job) -> str:
    """What a government report job says while it computes, in the report's language."""
    with force_locale(job.params.get("lang", "zh")):
        return _("正在计算汇总数据")


def government_pdf(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    report(20, _computing(job))
    data = government_reports.pdf(
        job.params["round"], job.params.get("lang", "zh"), job.params.get("basis", "all")
    )
    return data, f"aggregate-{job.params['round']}.pdf", "application/pdf"


def government_xlsx(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    report(20, _computing(job))
    data = government_reports.workbook(
        job.params["round"], job.params.get("lang", "zh"), job.params.get("basis", "all")
    )
    return data, f"aggregate-{job.params['round']}.xlsx", XLSX_MIMETYPE


def statistics_release(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Cut a statistics release of a round (``params``: round, trigger)."""
    release = releases.cut_release(
        job.params["round"], job.params.get("trigger", "auto"), actor_id=job.created_by_id
    )
    summary = f"release {release.id}: {release.status}"
    report(99, summary)
    return summary.encode(), f"release-{release.round_code}.txt", "text/plain; charset=utf-8"


def rescore_round(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Re-score a round under a scoring version (``params``: round, scoring_version); with RQ,
    chunks of the round go to other workers as ``rescore_chunk`` jobs (``rescoring``)."""
    version = job.params["scoring_version"]

    def fan_out(chunks: list[list[int]]) -> list[int]:
        return [
            enqueue(
                "rescore_chunk",
                {"scoring_version": version, "assessments": chunk},
                job.created_by_id,
            ).id
            for chunk in chunks
        ]

    outcome = rescoring.rescore_round(
        job.params["round"],
        version,
        progress=report,
        fan_out=fan_out if current_app.config.get("REDIS_URL") else None,
        moves=_chunk_moves,
    )
    report(99, outcome.summary())
    return (
        outcome.summary().encode(),
        f"rescore-{outcome.round_code}.txt",
        "text/plain; charset=utf-8",
    )


def rescore_chunk(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Score one chunk of a round's re-scoring (``params``: scoring_version, assessments);
    the result is JSON ``{"rescored", "stage_up", "stage_down"}`` for the round's job."""
    ids = job.params["assessments"]
    outcome = rescoring.rescore_ids(
        ids,
        job.params["scoring_version"],
        lambda total: report(total.rescored * 100 // max(len(ids), 1), f"{total.rescored}"),
    )
    return json.dumps(asdict(outcome)).encode(), "chunk.json", "application/json"


def _chunk_moves(job_ids: list[int]) -> tuple[int, int]:
    """Stage moves (up, down) the finished ``rescore_chunk`` jobs counted."""
    up = down = 0
    for data in db.session.scalars(select(Job.result).where(Job.id.in_(job_ids))):
        counted = json.loads(data or b"{}")
        up, down = up + counted.get("stage_up", 0), down + counted.get("stage_down", 0)
    return up, down


def refit_clusters(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Refit the round's peer clusters and assign personas (``params``: round)."""
    record = clusters.fit_round(job.params["round"], progress=report)
    summary = (
        f"round {record.round_code}: k={record.k} over {record.metrics['n']} assessments, "
        f"stability ARI {record.metrics['stability_ari']}"
    )
    report(99, summary)
    return summary.encode(), f"clusters-{record.round_code}.txt", "text/plain; charset=utf-8"


def cohort_pdfs(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """A zip of a centre cohort's enterprise reports (``params``: actor, round, lang); with RQ,
    chunks of the PDFs to make go to other workers (``report_batches``)."""
    lang = job.params.get("lang", "zh")

    def fan_out(chunks: list[list[int]]) -> None:
        for chunk in chunks:
            enqueue("enterprise_pdf_chunk", {"assessments": chunk, "lang": lang}, job.created_by_id)

    with force_locale(lang):
        data, count = report_batches.cohort_pdf_zip(
            job.params["actor"],
            job.params["round"],
            lang,
            progress=report,
            fan_out=fan_out if current_app.config.get("REDIS_URL") else None,
        )
    report(99, report_batches.done_message(count, count, lang))
    return data, f"reports-{job.params['round']}-{lang}.zip", "application/zip"


def enterprise_pdf_chunk(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Make and store the PDFs of a chunk of a centre's batch (``params``: assessments, lang)."""
    lang = job.params.get("lang", "zh")
    with force_locale(lang):
        made = report_batches.render_chunk(job.params["assessments"], lang)
    summary = f"{made} of {len(job.params['assessments'])} PDFs made"
    return summary.encode(), "chunk.txt", "text/plain; charset=utf-8"


def enterprise_pdf(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Render and store one assessment's PDF (``params``: assessment, lang, key; the file goes
    to ``report_file``, served by the report's own route, so the job keeps only a note)."""
    lang = job.params.get("lang", "zh")
    report(10, "rendering")
    with force_locale(lang):
        pdf, name = report_files.make_pdf(job.params["assessment"], lang)
    summary = f"{name}: {len(pdf)} bytes stored"
    return summary.encode(), "report.txt", "text/plain; charset=utf-8"


def password_reset_mail(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Make a reset token and mail its link (``params``: user_id, ttl_seconds, issued_at,
    base_url, purpose ``reset`` or ``invite``); the token exists only in the mail, the database
    keeps its digest."""
    message = accounts.reset_mail(
        job.params["user_id"],
        job.params["ttl_seconds"],
        job.params["issued_at"],
        job.params.get("base_url", ""),
        job.params.get("purpose", "reset"),
    )
    outcome = deliver(message) if message is not None else "skipped"
    report(99, outcome)
    return outcome.encode(), "mail.txt", "text/plain; charset=utf-8"


def referral_mail(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Mail the enterprise's users about one referral step (``params``: event_id, base_url)."""
    messages = referrals.referral_mails(job.params["event_id"], job.params.get("base_url", ""))
    return _deliver_all(messages, report)


def _deliver_all(
    messages: list[OutgoingMail], report: Callable[[int, str], None]
) -> tuple[bytes, str, str]:
    outcomes = [deliver(message) for message in messages]
    summary = f"{len(outcomes)} mails: " + ", ".join(outcomes)
    report(99, summary)
    return summary.encode(), "mail.txt", "text/plain; charset=utf-8"


def _deliver_one(message: object, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    outcome = deliver(message) if isinstance(message, OutgoingMail) else "skipped"
    report(99, outcome)
    return outcome.encode(), "mail.txt", "text/plain; charset=utf-8"


def invitation_mail(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Make an invitation's token and mail its link (``params``: invitation_id, issued_at,
    base_url); the database keeps the token's digest only."""
    message = members.invitation_mail(
        job.params["invitation_id"], job.params["issued_at"], job.params.get("base_url", "")
    )
    return _deliver_one(message, report)


def claim_decision_mail(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Mail the claimant the decision on their claim (``params``: claim_id, base_url)."""
    message = claims.decision_mail(job.params["claim_id"], job.params.get("base_url", ""))
    return _deliver_one(message, report)


def claim_request_mail(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Tell the deciders of a claim that it arrived (``params``: claim_id, base_url)."""
    messages = claims.request_mails(job.params["claim_id"], job.params.get("base_url", ""))
    return _deliver_all(messages, report)


def ownership_mail(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Tell the new and the previous owner of a hand-over (``params``: enterprise_id,
    previous_id, owner_id, base_url)."""
    p = job.params
    messages = members.ownership_mails(
        p["enterprise_id"], p["previous_id"], p["owner_id"], p.get("base_url", "")
    )
    return _deliver_all(messages, report)


def deletion_mail(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Tell the requester their firm's data was deleted (``params``: to, subject, body,
    request). The mail was composed before the address was removed from the account, so it
    travels in the job; once delivered, the address is blanked in the job row too."""
    params = job.params
    message = OutgoingMail(to=params["to"], subject=params["subject"], body=params["body"])
    result = _deliver_one(message, report)
    job.params = {"request": params["request"], "to": "", "subject": "", "body": ""}
    return result


def round_opened_mail(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Tell every enterprise user who can answer that a round opened (``params``: round,
    base_url); the counts join the params (``sent``, ``failed``) for the administrator's list
    of rounds (``rounds.round_rows``)."""
    done, failed = rounds.send_round_mails(job.params["round"], job.params.get("base_url", ""))
    job.params = {**job.params, "sent": done, "failed": failed}
    summary = f"{done} mails, {failed} failed"
    report(99, summary)
    return summary.encode(), "mail.txt", "text/plain; charset=utf-8"


#: Job kind (``Job.kind``) -> the function that does its work.
def refresh_segments(job: Job, report: Callable[[int, str], None]) -> tuple[bytes, str, str]:
    """Store the path segments of one centre's cohort of a round (``segments.request_refresh``)."""
    report(10, "segmenting")
    # committed with the job's outcome (``webapp.jobs.run_job``)
    written = segments.refresh_segments(job.params["round"], job.params.get("centre"))
    return f"{written} assessments".encode(), "segments.txt", "text/plain; charset=utf-8"


JOB_FUNCTIONS: dict[str, JobFunction] = {
    segments.REFRESH_JOB: refresh_segments,
    "government_pdf": government_pdf,
    "government_xlsx": government_xlsx,
    "rescore_round": rescore_round,
    "rescore_chunk": rescore_chunk,
    "refit_clusters": refit_clusters,
    "cohort_pdfs": cohort_pdfs,
    "enterprise_pdf": enterprise_pdf,
    "enterprise_pdf_chunk": enterprise_pdf_chunk,
    "statistics_release": statistics_release,
    "password_reset_mail": password_reset_mail,
    "referral_mail": referral_mail,
    "invitation_mail": invitation_mail,
    "claim_decision_mail": claim_decision_mail,
    "claim_request_mail": claim_request_mail,
    "ownership_mail": ownership_mail,
    "deletion_mail": deletion_mail,
    rounds.ROUND_MAIL_JOB: round_opened_mail,
}
