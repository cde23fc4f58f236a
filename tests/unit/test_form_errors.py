"""A service's refusal lands on the field it names (``webapp.forms.errors``)."""

from __future__ import annotations

import pytest
from wtforms import Form, StringField

from webapp.forms.errors import show_field_error
from webapp.services.errors import InvalidInputError


class _Pair(Form):
    email = StringField()
    name = StringField()


def test_the_message_goes_to_the_named_field_only() -> None:
    form = _Pair()
    form.validate()
    show_field_error(form, InvalidInputError("email", "该邮箱已注册。"))
    assert list(form.email.errors) == ["该邮箱已注册。"]
    assert list(form.name.errors) == []


def test_a_field_the_form_lacks_is_an_error() -> None:
    with pytest.raises(AttributeError):
        show_field_error(_Pair(), InvalidInputError("uscc", "x"))
