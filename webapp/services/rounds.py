"""Assessment rounds (评估批次): which one is current, and an administrator opening the next.

The current round is the latest round an administrator opened in the UI; until one was
opened it is the configuration value ``CURRENT_ROUND`` (the default only). Each opened round is
a row ``setting`` keyed ``round:<code>`` (the key is the primary key, so opening the same
round twice, even in two requests at once, stores it once), and the current round is the
greatest such code: one primary-key range read, done at most once per request (cached in
``flask.g``) and always from the database, so every gunicorn worker agrees at once.

Opening a round is audited and enqueues ``round_opened_mail``: every active enterprise user who
can answer (owner and editor members) is told in their language that the round is open, that
their draft will start from their last round's answers when they have one, with a link to
start. The administrator's list of rounds shows how that mail went (``RoundNotice``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from models import (
    Assessment,
    AssessmentStatus,
    AuditLog,
    Job,
    MemberRole,
    Role,
    Setting,
    User,
    utcnow,
)
from webapp.extensions import db
from webapp.jobs import enqueue
from webapp.services.errors import InvalidInputError
from webapp.services.mail import OutgoingMail, compose, deliver, language_of, link

log = logging.getLogger("dtmaturity.mail")

#: Prefix of the ``setting`` keys of opened rounds (``round:2027``).
ROUND_KEY = "round:"
#: A round code: a four-digit year (the Dongguan plan assesses once a year).
ROUND_CODE = re.compile(r"\d{4}")
_CACHE = "current_round"
#: The job kind that mails a round's opening (``webapp.job_functions.round_opened_mail``).
ROUND_MAIL_JOB = "round_opened_mail"


def current_round() -> str:
    """The current round's code (four digits): the latest round an administrator opened, else
    the configuration's ``CURRENT_ROUND``. Read once per request (cached on ``flask.g``)."""
    if has_request_context() and _CACHE in g:
        return str(g.get(_CACHE))
    opened = db.session.scalar(
        select(func.max(Setting.key)).where(Setting.key.like(f"{ROUND_KEY}%"))
    )
    code = opened[len(ROUND_KEY) :] if opened else str(current_app.config["CURRENT_ROUND"])
    if has_request_context():
        setattr(g, _CACHE, code)
    return code


@dataclass(frozen=True)
class RoundNotice:
    """Where the mail announcing an opened round stands: the job's ``state`` ("queued",
    "running", "done" or "failed"), and once done how many recipients were mailed (``sent``,
    or logged when no mail server is set) and how many failed (``failed``, see the log)."""

    state: str
    sent: int
    failed: int


@dataclass(frozen=True)
class RoundRow:
    """One round of the administrator's list: its code, whether it is current, when and by
    whom it was opened (``None`` for the configured default and rounds only seen in data),
    its submitted and draft assessment counts, and its opening mail (``None`` for a round not
    opened in the UI)."""

    code: str
    current: bool
    opened_at: datetime | None
    opened_by: str | None
    submitted: int
    drafts: int
    notice: RoundNotice | None = None


def round_rows() -> list[RoundRow]:
    """Every known round, newest first: the opened ones, the configured default and every
    round that has assessments."""
    current = current_round()
    opened: dict[str, tuple[datetime | None, str | None]] = {}
    for row in db.session.scalars(select(Setting).where(Setting.key.like(f"{ROUND_KEY}%"))):
        opened[row.key[len(ROUND_KEY) :]] = (row.updated_at, row.value.get("by"))
    counts: dict[str, dict[str, int]] = {}
    for code, status, n in db.session.execute(
        select(Assessment.round_code, Assessment.status, func.count()).group_by(
            Assessment.round_code, Assessment.status
        )
    ):
        counts.setdefault(code, {})[status] = int(n)
    notices = {
        str(job.params.get("round")): RoundNotice(
            job.state, int(job.params.get("sent", 0)), int(job.params.get("failed", 0))
        )
        for job in db.session.scalars(
            select(Job).where(Job.kind == ROUND_MAIL_JOB).order_by(Job.created_at)
        )
    }
    codes = set(opened) | set(counts) | {current, str(current_app.config["CURRENT_ROUND"])}
    return [
        RoundRow(
            code=code,
            current=code == current,
            opened_at=opened.get(code, (None, None))[0],
            opened_by=opened.get(code, (None, None))[1],
            submitted=counts.get(code, {}).get(AssessmentStatus.SUBMITTED.value, 0),
            drafts=counts.get(code, {}).get(AssessmentStatus.DRAFT.value, 0),
            notice=notices.get(code),
        )
        for code in sorted(codes, reverse=True)
    ]


def check_round_code(code: str, current: str, now: datetime | None = None) -> str:
    """``code`` stripped, if it may be opened after ``current``: four digits, a later year than
    ``current`` and no later than next year in the region's time (``BABEL_DEFAULT_TIMEZONE``,
    Asia/Shanghai; a typo like 2207 is refused).

    Raises
    ------
    InvalidInputError
        Field ``round_code``: malformed, not later than ``current``, or too far ahead.
    """
    code = code.strip()
    if not ROUND_CODE.fullmatch(code):
        raise InvalidInputError("round_code", _("批次须为四位年份，例如 2027。"))
    if int(code) <= int(current):
        raise InvalidInputError(
            "round_code",
            _("批次须晚于当前批次 %(current)s。", current=current),
        )
    region = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    next_year = (now or utcnow()).astimezone(region).year + 1
    if int(code) > next_year:
        raise InvalidInputError("round_code", _("批次不能晚于 %(year)d 年。", year=next_year))
    return code


def proposed_round(current: str, now: datetime | None = None) -> str:
    """The code the form proposes: the year after ``current`` when it may be opened now
    (``check_round_code``), else empty."""
    try:
        return check_round_code(str(int(current) + 1), current, now)
    except (InvalidInputError, ValueError):
        return ""


def open_round(actor: User, code: str, base_url: str) -> str:
    """Make ``code`` the current round, audit it and enqueue the mail to every enterprise user
    who can answer (job ``round_opened_mail``). Returns the opened code; commits.

    Raises
    ------
    InvalidInputError
        Field ``round_code``: as ``check_round_code`` (so a second submit of the same code,
        now current, is refused and the round is opened and announced once).
    """
    current = current_round()
    code = check_round_code(code, current)
    db.session.add(Setting(key=ROUND_KEY + code, value={"by": actor.email, "previous": current}))
    db.session.add(
        AuditLog(
            actor_id=actor.id,
            entity="round",
            entity_code=code,
            action="round_opened",
            detail={"before": current, "after": code},
        )
    )
    try:
        db.session.commit()
    except IntegrityError:  # the same round opened by a concurrent request
        db.session.rollback()
        raise InvalidInputError(
            "round_code", _("批次须晚于当前批次 %(current)s。", current=code)
        ) from None
    if has_request_context():
        g.pop(_CACHE, None)
    enqueue(ROUND_MAIL_JOB, {"round": code, "base_url": base_url}, actor_id=actor.id)
    return code


def round_mail_recipients() -> list[User]:
    """Active enterprise users who can answer (owner and editor members of an enterprise)."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == Role.ENTERPRISE.value,
                User.active.is_(True),
                User.enterprise_id.is_not(None),
                User.member_role.in_([MemberRole.OWNER.value, MemberRole.EDITOR.value]),
            )
            .order_by(User.id)
        )
    )


def _last_rounds(before: str) -> dict[int, str]:
    """Enterprise id -> its latest round with a submitted assessment before ``before``."""
    rows = db.session.execute(
        select(Assessment.enterprise_id, func.max(Assessment.round_code))
        .where(
            Assessment.status == AssessmentStatus.SUBMITTED.value,
            Assessment.round_code < before,
        )
        .group_by(Assessment.enterprise_id)
    )
    return {int(e): str(r) for e, r in rows}


def round_opened_mail(user: User, code: str, last_round: str | None, base_url: str) -> OutgoingMail:
    """The mail announcing round ``code`` to ``user`` in their language; it says the draft
    starts from ``last_round``'s answers when the firm has one."""
    return compose(
        "round_opened",
        user.email,
        language_of(user),
        user=user,
        round=code,
        last_round=last_round,
        link=link("/enterprise/", base_url),
    )


def send_round_mails(code: str, base_url: str) -> tuple[int, int]:
    """Mail every recipient (``round_mail_recipients``) about round ``code``; a recipient whose
    mail fails after ``deliver``'s attempts is logged and skipped, so a retry of the job never
    mails the others twice. Returns (delivered or logged, failed)."""
    last = _last_rounds(code)
    done = failed = 0
    for user in round_mail_recipients():
        message = round_opened_mail(user, code, last.get(user.enterprise_id or 0), base_url)
        try:
            deliver(message)
        except OSError as exc:  # smtplib.SMTPException is an OSError
            log.warning("round %s mail to %s failed: %s", code, user.email, exc)
            failed += 1
        else:
            done += 1
    return done, failed
