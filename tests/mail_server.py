"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, collecting what arrives.

The ``smtp_server`` fixture points the test app at it (``MAIL_SERVER``/``MAIL_PORT``) and runs
jobs synchronously (``JOBS_SYNC``), so a mail queued by a request has arrived when the
response is back.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask


@dataclass
class SmtpServer:
    """The test SMTP server's address and the messages it received, oldest first."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        """The messages addressed to ``address``."""
        return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def body(message: EmailMessage) -> str:
        """The plain-text body, decoded."""
        part = message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    def links(self, message: EmailMessage) -> list[str]:
        """Every http(s) link in the body."""
        return re.findall(r"https?://\S+", self.body(message))


class _Collector:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        self.server.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_smtp_server(app: Flask) -> Iterator[SmtpServer]:
    """A real SMTP server on a free port of 127.0.0.1, ``app`` pointed at it (jobs run in the
    sending request, no retry delay); stopped on exit."""
    server = SmtpServer("127.0.0.1", _free_port())
    controller = Controller(_Collector(server), hostname=server.host, port=server.port)
    controller.start()
    app.config.update(
        MAIL_SERVER=server.host, MAIL_PORT=server.port, JOBS_SYNC=True, MAIL_RETRY_SECONDS=0
    )
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SmtpServer]:
    with running_smtp_server(app) as server:
        yield server
