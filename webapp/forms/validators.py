"""Field validators that wrap the pure rules in ``assessment``."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form
from wtforms.validators import ValidationError

from assessment.contacts import normalise_phone
from assessment.errors import InvalidUSCCError
from assessment.text import text_problem
from assessment.uscc import validate_uscc
from webapp.services.plain_text import text_problem_message


class USCC:
    """Unified social credit code, GB 32100-2015: 18 characters with a verified check character.

    Normalises the field's data (spaces removed, upper case) when valid.
    """

    def __call__(self, form: Form, field: Field) -> None:
        try:
            field.data = validate_uscc(field.data or "")
        except InvalidUSCCError as exc:
            raise ValidationError(exc.reason.for_locale(get_locale())) from exc


class PlainText:
    """Names and free text: the rule of ``assessment.text.text_problem`` (no control, bidi
    override or zero-width-only text), shared by every form and the imports.

    ``multiline`` allows line breaks and tabs (text areas).
    """

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form: Form, field: Field) -> None:
        problem = text_problem(field.data or "", multiline=self.multiline)
        if problem is not None:
            raise ValidationError(text_problem_message(problem))


class ChinesePhone:
    """A mainland mobile number or a landline number with area code
    (``assessment.contacts.normalise_phone``); an empty field passes (pair with a required
    validator when needed). Normalises the field's data when valid."""

    def __call__(self, form: Form, field: Field) -> None:
        if not (field.data or "").strip():
            return
        phone = normalise_phone(field.data)
        if phone is None:
            raise ValidationError(str(_l("请填写手机号码或带区号的固定电话。")))
        field.data = phone
