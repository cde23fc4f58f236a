"""Registration and login forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

PASSWORD_MIN_LENGTH = 10


class RegisterForm(FlaskForm):
    email = EmailField(
        _l("电子邮箱"),
        validators=[DataRequired(_l("请填写电子邮箱")), Email(_l("电子邮箱格式不正确"))],
    )
    display_name = StringField(
        _l("联系人姓名"),
        validators=[DataRequired(_l("请填写联系人姓名")), Length(max=100)],
    )
    password = PasswordField(
        _l("密码"),
        validators=[
            DataRequired(_l("请设置密码")),
            Length(min=PASSWORD_MIN_LENGTH, max=128, message=_l("密码长度须为 10 至 128 个字符")),
        ],
        description=_l("至少 10 个字符"),
    )
    confirm = PasswordField(
        _l("确认密码"),
        validators=[
            DataRequired(_l("请再次输入密码")),
            EqualTo("password", _l("两次输入的密码不一致")),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("电子邮箱"), validators=[DataRequired(_l("请填写电子邮箱"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请填写密码"))])
    remember = BooleanField(_l("在此设备上保持登录"))
