"""A service's refusal lands on the field it names, or in a flash message when there is no form
page (``webapp.forms.errors``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import Form, StringField
from wtforms.validators import DataRequired

from webapp.forms.errors import refusal_flashed, show_field_error, submitted
from webapp.services.errors import ConflictError, InvalidInputError, NotFoundError


class _Pair(Form):
    email = StringField()
    name = StringField()


class _PostedPair(FlaskForm):
    email = StringField(validators=[DataRequired()])
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


@pytest.fixture
def web() -> Iterator[Flask]:
    """A bare Flask app (no product app: only the form machinery) without CSRF."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    yield app


def _refuse() -> str:
    raise InvalidInputError("email", "该邮箱已注册。")


def test_a_refused_valid_form_shows_the_message_under_the_field(web: Flask) -> None:
    with web.test_request_context(method="POST", data={"email": "a@example.cn", "name": "李"}):
        form = _PostedPair()
        assert submitted(form, _refuse) is None
        assert list(form.email.errors) == ["该邮箱已注册。"]
        assert list(form.name.errors) == []


def test_an_invalid_form_does_not_run_the_action(web: Flask) -> None:
    calls: list[str] = []
    with web.test_request_context(method="POST", data={"name": "李"}):
        form = _PostedPair()
        assert submitted(form, lambda: calls.append("ran")) is None
        assert calls == []
        assert form.email.errors  # the validator's reason, not the service's


def test_a_get_request_does_not_run_the_action(web: Flask) -> None:
    calls: list[str] = []
    with web.test_request_context(method="GET"):
        assert submitted(_PostedPair(), lambda: calls.append("ran")) is None
        assert calls == []


def test_an_accepted_form_returns_the_action_result(web: Flask) -> None:
    with web.test_request_context(method="POST", data={"email": "a@example.cn"}):
        form = _PostedPair()
        assert submitted(form, lambda: f"saved {form.email.data}") == "saved a@example.cn"
        assert form.errors == {}


def test_other_service_errors_pass_through(web: Flask) -> None:
    def conflict() -> str:
        raise ConflictError("已被他人修改。")

    with web.test_request_context(method="POST", data={"email": "a@example.cn"}):
        with pytest.raises(ConflictError):
            submitted(_PostedPair(), conflict)


@pytest.mark.parametrize(
    ("refusal", "shown"),
    [
        (InvalidInputError("share", "比例之和须为 100。"), "比例之和须为 100。"),
        (ConflictError("该对接已被他人更新，请刷新后再试。"), "该对接已被他人更新，请刷新后再试。"),
    ],
)
def test_a_refusal_is_flashed_as_a_warning_and_the_rest_of_the_block_skipped(
    web: Flask, refusal: Exception, shown: str
) -> None:
    ran: list[str] = []
    with web.test_request_context(method="POST"):
        with refusal_flashed():
            ran.append("service")
            raise refusal
        ran.append("after the block")
        assert get_flashed_messages(with_categories=True) == [("warning", shown)]
    assert ran == ["service", "after the block"]


def test_an_accepted_action_runs_the_whole_block_and_flashes_nothing_itself(web: Flask) -> None:
    with web.test_request_context(method="POST"):
        with refusal_flashed():
            done = "saved"
        assert done == "saved" and get_flashed_messages() == []


def test_errors_other_than_refusals_propagate_from_the_block(web: Flask) -> None:
    with web.test_request_context(method="POST"), pytest.raises(NotFoundError):
        with refusal_flashed():
            raise NotFoundError("no such referral")
