"""E-mail: composed in the recipient's language, sent over SMTP by background jobs only.

A request never talks to the mail server: it enqueues a job (``webapp/jobs.py``; in-process
without ``REDIS_URL``, on RQ with it) whose function composes the mail from the database and
calls ``deliver``. Each mail's text is a template ``templates/mail/<name>.txt`` rendered by
``compose``. ``deliver`` tries ``MAIL_SEND_ATTEMPTS`` times with a doubling wait, and RQ
retries the whole job on top of that. Without ``MAIL_SERVER`` the mail is written to the log
(logger ``dtmaturity.mail``, level WARNING) instead, so development needs no mail server.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_mailman import EmailMessage

from models import User
from webapp.extensions import mail

log = logging.getLogger("dtmaturity.mail")

#: The languages a mail can be written in; anything else gets the default language.
MAIL_LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class OutgoingMail:
    """One plain-text mail to one address; ``subject`` and ``body`` already localised."""

    to: str
    subject: str
    body: str


def language_of(user: User) -> str:
    """The language the user's mails are written in: the stored preference (set from the page
    language at registration), else ``BABEL_DEFAULT_LOCALE``."""
    if user.locale in MAIL_LANGUAGES:
        return str(user.locale)
    return str(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh"))


def link(path: str, base_url: str | None) -> str:
    """An absolute link for a mail: ``PUBLIC_BASE_URL`` (or, when unset, ``base_url``, the
    address the request came to) joined with ``path`` (which starts with ``/``)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or base_url or "http://localhost"
    return base.rstrip("/") + path


def compose(template: str, to: str, lang: str, **context: object) -> OutgoingMail:
    """The mail to ``to`` that ``templates/mail/<template>.txt`` writes in ``lang`` from
    ``context``: the template sets ``subject``, and what it outputs is the body. Plain text (no
    HTML escaping); works without a request (jobs have only the application context).

    Raises
    ------
    jinja2.TemplateNotFound
        No such template.
    KeyError
        The template sets no ``subject``.
    """
    with force_locale(lang):
        module = current_app.jinja_env.get_template(f"mail/{template}.txt").make_module(context)
        return OutgoingMail(to=to, subject=str(vars(module)["subject"]), body=str(module).strip())


def deliver(message: OutgoingMail) -> str:
    """Send ``message`` through SMTP (``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USERNAME``,
    ``MAIL_PASSWORD``, ``MAIL_USE_TLS``, from ``MAIL_DEFAULT_SENDER``), or log it when no
    server is configured. Returns ``"sent"`` or ``"logged"``.

    Raises
    ------
    smtplib.SMTPException, OSError
        The server refused or could not be reached ``MAIL_SEND_ATTEMPTS`` times in a row (the
        job records the failure; RQ retries it).
    """
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        log.warning(
            "MAIL_SERVER is not set; this mail was not sent.\nTo: %s\nSubject: %s\n\n%s",
            message.to,
            message.subject,
            message.body,
        )
        return "logged"
    attempts = max(1, int(config["MAIL_SEND_ATTEMPTS"]))
    wait = float(config["MAIL_RETRY_SECONDS"])
    for attempt in range(1, attempts + 1):
        connection = mail.get_connection(
            backend="smtp",
            host=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            use_tls=bool(config.get("MAIL_USE_TLS")),
            timeout=config.get("MAIL_TIMEOUT"),
        )
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=config["MAIL_DEFAULT_SENDER"],
            to=[message.to],
            connection=connection,
        )
        try:
            email.send()
        except (smtplib.SMTPException, OSError) as exc:
            if attempt == attempts:
                raise
            log.warning("mail to %s failed (attempt %d): %s", message.to, attempt, exc)
            time.sleep(wait * 2 ** (attempt - 1))
        else:
            return "sent"
    raise AssertionError("unreachable")  # the loop returns or raises
