"""Showing a service's refusal on the form field it concerns."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_wtf import FlaskForm
from wtforms import Form

from webapp.services.errors import InvalidInputError

T = TypeVar("T")


def show_field_error(form: Form, exc: InvalidInputError) -> None:
    """Append ``exc.message`` (already localised) to the errors of the field ``exc.field``
    names, so the re-rendered form shows it under that field.

    Raises
    ------
    AttributeError
        ``form`` has no field named ``exc.field`` (a service and its form disagree).
    """
    getattr(form, exc.field).errors.append(exc.message)


def submitted(form: FlaskForm, action: Callable[[], T]) -> T | None:
    """Run ``action`` (one service call reading the form's data) when ``form`` is submitted and
    valid, and return its result; ``None`` when the form was not submitted, is invalid (its
    fields carry the reasons) or the service refused the input with an ``InvalidInputError``,
    whose message is then shown under the field it names (``show_field_error``).

    ``action`` must return what the view needs on success (the saved row, the opened code),
    never ``None``, so that ``None`` can only mean "show the form again".

    Raises
    ------
    AttributeError
        The service named a field ``form`` lacks (``show_field_error``).
    Exception
        Whatever else ``action`` raises (a ``ConflictError``, a ``NotFoundError``) propagates
        unchanged, for the view or ``webapp/errors.py`` to answer.
    """
    if not form.validate_on_submit():
        return None
    try:
        return action()
    except InvalidInputError as exc:
        show_field_error(form, exc)
        return None
