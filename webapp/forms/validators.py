"""Field validators that wrap the pure rules in ``assessment``."""

from __future__ import annotations

from flask_babel import get_locale
from wtforms import Field, Form
from wtforms.validators import ValidationError

from assessment.errors import InvalidUSCCError
from assessment.uscc import validate_uscc


class USCC:
    """Unified social credit code, GB 32100-2015: 18 characters with a verified check character.

    Normalises the field's data (spaces removed, upper case) when valid.
    """

    def __call__(self, form: Form, field: Field) -> None:
        try:
            field.data = validate_uscc(field.data or "")
        except InvalidUSCCError as exc:
            raise ValidationError(exc.reason.for_locale(get_locale())) from exc
