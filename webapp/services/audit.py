"""The audit log's one writer: who changed what, when (``models.AuditLog``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from models import AuditLog, User
from webapp.extensions import db


def record(
    actor: User, entity: str, code: str, action: str, detail: Mapping[str, Any] | None = None
) -> AuditLog:
    """Add one audit row to the session and return it; the caller commits.

    ``entity`` is the kind of thing changed ("enterprise", "assessment", "user", "setting",
    a catalogue kind, ...), ``code`` its stable key (USCC, public id, email, setting key),
    ``action`` a short verb, ``detail`` a JSON-able mapping (copied; empty when omitted).
    """
    row = AuditLog(
        actor_id=actor.id, entity=entity, entity_code=code, action=action, detail=dict(detail or {})
    )
    db.session.add(row)
    return row
