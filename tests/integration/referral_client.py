"""A referral as its centre's staff handle it through the test client: the steps the referral
tests take on the centre's referral page, and the stored row they check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from models import Referral, User
from tests.factories import detached_one

#: What the contract step of ``StaffedReferral.walk`` records: the products and amount (万元).
CONTRACT = {"products": "云 MES 标准版（牵引单位 A）", "amount_wan": "12.5"}


@dataclass(frozen=True)
class StaffedReferral:
    """A referral its owner asked for, with a staff member of its centre logged in on
    ``client`` (the ``by_staff`` fixture); ``owner`` and ``staff`` are detached rows."""

    app: Flask
    client: FlaskClient
    login: Callable[[User], None]
    owner: User
    public_id: str
    staff: User

    def move(
        self, state: str, note: str = "", *, for_owner: bool = False, **fields: str
    ) -> TestResponse:
        """POST a change to ``state`` with ``note`` (shown to the owner when ``for_owner``) and
        any other form ``fields`` as whoever is logged in; the response is not followed."""
        data = {"state": state, "note": note, **fields} | ({"for_owner": "1"} if for_owner else {})
        return self.client.post(f"/centre/referrals/{self.public_id}", data=data)

    def walk(self, *states: str) -> None:
        """Move through ``states`` in order, each accepted (302); the contract step records
        ``CONTRACT``."""
        for state in states:
            fields = CONTRACT if state == "contracted" else {}
            assert self.move(state, **fields).status_code == 302

    def row(self) -> Referral:
        """The referral as stored now (detached)."""
        return detached_one(self.app, select(Referral).where(Referral.public_id == self.public_id))

    def as_owner(self) -> None:
        """Log the staff member out and the referral's owner in."""
        self.client.post("/auth/logout")
        self.login(self.owner)
