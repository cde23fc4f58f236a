"""Server-side session lifetime (OWASP ASVS 4.0 3.3.1, 3.3.2): an idle timeout and an absolute one.

The session cookie records when this session began and when it was last used (seconds since the
epoch). Before every request an expired session is logged out, with a flash that says why; the
access matrix then treats the request as anonymous, so a page is sent to the login form and the
questionnaire's autosave gets the redirect its script already handles by keeping the answers.
The cookie is signed, so a client cannot move its own clock back.
"""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, flash, g, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from webapp.extensions import login_manager

STARTED = "_started_at"
SEEN = "_seen_at"
#: The time source, seconds since the epoch; looked up on each request so tests can freeze it.
clock = time.time


def expiry_reason(
    started: float, seen: float, now: float, *, idle_seconds: float, absolute_seconds: float
) -> str | None:
    """Why a session has ended at ``now``: ``"idle"``, ``"absolute"`` or None (still valid).

    All values are seconds (since the epoch for the three times). A limit of 0 or less is off.
    """
    if absolute_seconds > 0 and now - started >= absolute_seconds:
        return "absolute"
    if idle_seconds > 0 and now - seen >= idle_seconds:
        return "idle"
    return None


def register(app: Flask) -> None:
    """Check every request of a logged-in user against the configured limits."""

    def enforce_session_lifetime() -> None:
        if not current_user.is_authenticated:
            return
        now = clock()
        # A session without stamps began just now (for instance from a remember-me cookie).
        started = float(session.setdefault(STARTED, now))
        seen = float(session.get(SEEN, now))
        reason = expiry_reason(
            started,
            seen,
            now,
            idle_seconds=60 * float(current_app.config["SESSION_IDLE_MINUTES"]),
            absolute_seconds=3600 * float(current_app.config["SESSION_ABSOLUTE_HOURS"]),
        )
        if reason is None:
            session[SEEN] = now
            return
        logout_user()  # also clears a remember-me cookie
        session.pop(STARTED, None)
        session.pop(SEEN, None)
        if reason == "idle":
            minutes = int(current_app.config["SESSION_IDLE_MINUTES"])
            g.session_notice = _(
                "您已 %(m)d 分钟未操作，为保护数据已自动退出，请重新登录。", m=minutes
            )
        else:
            hours = int(current_app.config["SESSION_ABSOLUTE_HOURS"])
            g.session_notice = _(
                "登录已超过 %(h)d 小时，为保护数据已自动退出，请重新登录。", h=hours
            )

    def login_message(message: str) -> str:
        # On the way to the login form the reason replaces the generic "please log in".
        return str(g.pop("session_notice", None) or message)

    def flash_unused_notice(response: Response) -> Response:
        # A page open to everyone was served: say why the user is no longer logged in.
        if "session_notice" in g:
            flash(g.pop("session_notice"), "warning")
        return response

    login_manager.login_message = _l("请登录后继续。")
    login_manager.localize_callback = login_message
    app.before_request(enforce_session_lifetime)
    app.after_request(flash_unused_notice)
