"""Showing a service's refusal to the user: under the form field it concerns (a page with a
form), or as a flash message on the page a button posts back to (an action without a form
page)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import flash
from flask_wtf import FlaskForm
from wtforms import Form

from webapp.services.errors import ConflictError, InvalidInputError

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


@contextmanager
def refusal_flashed() -> Iterator[None]:
    """Run the block (a service call, then the success flash) and, when the service refuses the
    input (``InvalidInputError``) or finds the state changed meanwhile (``ConflictError``),
    flash its message as a warning and go on after the block, where the view redirects.

    Usage::

        with refusal_flashed():
            user = user_admin.send_set_password_link(current_user, user_id, base_url)
            flash(_("...", email=user.email), "success")
        return redirect(...)

    Other errors (``NotFoundError``, ``PermissionDeniedError``) propagate, for the view or
    ``webapp/errors.py`` to answer with their status.
    """
    try:
        yield
    except InvalidInputError as exc:
        flash(exc.message, "warning")
    except ConflictError as exc:
        flash(str(exc), "warning")
