"""Registration and login forms."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from webapp.forms.validators import PlainText
from webapp.services.passwords import MAX_LENGTH, MIN_LENGTH

# The form checks length for a quick message; the service applies every rule again.
_LENGTH = Length(min=MIN_LENGTH, max=MAX_LENGTH, message=_l("密码长度须为 12 至 128 个字符"))


def _new_password_fields(
    label: LazyString, confirm_label: LazyString
) -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation (must equal the field named ``password``), for the
    forms that set a password."""
    password = PasswordField(
        label,
        validators=[DataRequired(_l("请设置密码")), _LENGTH],
        description=_l("至少 12 个字符；不能是常见或已泄露的密码"),
    )
    confirm = PasswordField(
        confirm_label,
        validators=[
            DataRequired(_l("请再次输入密码")),
            EqualTo("password", _l("两次输入的密码不一致")),
        ],
    )
    return password, confirm


def _consent_field() -> BooleanField:
    """The privacy notice's consent box that every self-registration ticks (the view records
    ``webapp.services.privacy.NOTICE_VERSION`` with the account)."""
    return BooleanField(
        _l("我已阅读并同意《隐私说明》"),
        validators=[DataRequired(_l("请阅读隐私说明并勾选同意"))],
    )


def _display_name_field(label: LazyString, missing: LazyString) -> StringField:
    return StringField(label, validators=[DataRequired(missing), Length(max=100), PlainText()])


class NewAccountForm(FlaskForm):
    """What every self-registration asks besides the address and the name: a new password,
    its confirmation and the consent to the privacy notice (each subclass adds its
    ``display_name``)."""

    display_name: StringField
    password, confirm = _new_password_fields(_l("密码"), _l("确认密码"))
    consent = _consent_field()


class RegisterForm(NewAccountForm):
    email = EmailField(
        _l("电子邮箱"),
        validators=[DataRequired(_l("请填写电子邮箱")), Email(_l("电子邮箱格式不正确"))],
    )
    display_name = _display_name_field(_l("联系人姓名"), _l("请填写联系人姓名"))


class InvitationRegisterForm(NewAccountForm):
    """Registration through an invitation: the address is the invited one (shown, not sent)."""

    email = EmailField(_l("电子邮箱"), render_kw={"readonly": True})
    display_name = _display_name_field(_l("姓名"), _l("请填写姓名"))


class LoginForm(FlaskForm):
    email = EmailField(_l("电子邮箱"), validators=[DataRequired(_l("请填写电子邮箱"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请填写密码"))])
    remember = BooleanField(_l("在此设备上保持登录"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("电子邮箱"),
        validators=[DataRequired(_l("请填写电子邮箱")), Email(_l("电子邮箱格式不正确"))],
    )


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields(_l("新密码"), _l("确认新密码"))
