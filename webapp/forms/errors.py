"""Showing a service's refusal on the form field it concerns."""

from __future__ import annotations

from wtforms import Form

from webapp.services.errors import InvalidInputError


def show_field_error(form: Form, exc: InvalidInputError) -> None:
    """Append ``exc.message`` (already localised) to the errors of the field ``exc.field``
    names, so the re-rendered form shows it under that field.

    Raises
    ------
    AttributeError
        ``form`` has no field named ``exc.field`` (a service and its form disagree).
    """
    getattr(form, exc.field).errors.append(exc.message)
