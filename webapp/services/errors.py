"""Errors raised by services; ``webapp/errors.py`` maps each to an HTTP answer in one place."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class of the errors a service raises for the web layer to map.

    ``webapp/errors.py`` answers ``NotFoundError`` and ``ConflictError`` wherever they are not
    caught; the errors that carry per-field or per-row messages (``InvalidInputError``,
    ``tabular_import.ImportRefused``, ``instruments.PublicationRefused``,
    ``api_scoring.ScoreInputError``) are caught by the view that shows them on its own page.
    """


class NotFoundError(ServiceError):
    """The object does not exist, or the actor may not know that it exists (answers 404)."""


class PermissionDeniedError(ServiceError):
    """The actor reaches the object but may not do this to it, e.g. a view-only member saving
    an answer (answers 403 with the message, already localised)."""


class ConflictError(ServiceError):
    """A stale edit or a state change that already happened (answers 409 or a flash)."""


class InvalidInputError(ServiceError):
    """Input that a form cannot check alone, e.g. a USCC already registered.

    Parameters
    ----------
    field : str
        The form field the message belongs to.
    message : str
        A message for the user, already localised.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
