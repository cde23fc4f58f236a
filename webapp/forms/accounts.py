"""Forms of the account pages shared by several blueprints: inviting a colleague, requesting
and deciding a claim, and the administrator's account forms."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from assessment.localised import Localised
from models import EnablingCentre
from webapp.forms.validators import USCC, PlainText
from webapp.services.members import INVITABLE_ROLES, MEMBER_ROLE_LABELS
from webapp.services.user_admin import CREATABLE_ROLES, ROLE_LABELS


class InviteForm(FlaskForm):
    email = EmailField(
        _l("同事的电子邮箱"),
        validators=[DataRequired(_l("请填写电子邮箱")), Email(_l("电子邮箱格式不正确"))],
    )
    member_role = RadioField(
        _l("权限"), validators=[DataRequired(_l("请选择成员权限。"))], default="editor"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        locale = get_locale()
        self.member_role.choices = [
            SelectChoice(code, MEMBER_ROLE_LABELS[code].for_locale(locale))
            for code in INVITABLE_ROLES
        ]


class ClaimForm(FlaskForm):
    uscc = HiddenField(validators=[DataRequired(), USCC()])
    note = TextAreaField(
        _l("说明（可选）"),
        validators=[
            Optional(),
            Length(max=500, message=_l("说明最多 500 字。")),
            PlainText(multiline=True),
        ],
        description=_l("例如：您在企业的职务、联系电话，便于审核人核实。"),
    )


class DecideClaimForm(FlaskForm):
    decision = HiddenField(validators=[DataRequired()])
    reason = StringField(
        _l("拒绝原因"),
        validators=[Optional(), Length(max=500, message=_l("原因最多 500 字。")), PlainText()],
    )


class NewAccountForm(FlaskForm):
    email = EmailField(
        _l("电子邮箱"),
        validators=[DataRequired(_l("请填写电子邮箱")), Email(_l("电子邮箱格式不正确"))],
    )
    display_name = StringField(
        _l("姓名"), validators=[DataRequired(_l("请填写姓名")), Length(max=100), PlainText()]
    )
    role = SelectField(_l("角色"), validators=[DataRequired(_l("请选择角色。"))])
    centre = SelectField(_l("所属赋能中心（赋能中心人员必选）"), validators=[Optional()])
    locale = SelectField(
        _l("邮件语言"), choices=[SelectChoice("zh", "中文"), SelectChoice("en", "English")]
    )

    def __init__(self, centres: list[EnablingCentre], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        locale = get_locale()
        self.role.choices = [
            SelectChoice(role, ROLE_LABELS[role].for_locale(locale)) for role in CREATABLE_ROLES
        ]
        self.centre.choices = centre_choices(centres)


class AccountUpdateForm(FlaskForm):
    centre = SelectField(_l("所属赋能中心"), validators=[Optional()])
    active = HiddenField()

    def __init__(self, centres: list[EnablingCentre], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.centre.choices = centre_choices(centres)


def centre_choices(centres: list[EnablingCentre]) -> list[SelectChoice]:
    """``(code, "code name")`` per centre in the page language, after an empty choice."""
    locale = get_locale()
    return [SelectChoice("", "—")] + [
        SelectChoice(
            c.code, f"{c.code} {Localised(c.name_zh, c.name_en or c.name_zh).for_locale(locale)}"
        )
        for c in centres
    ]
