"""The enterprise profile form (企业信息) and the form that starts a correction (更正)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from assessment.classification import MANUFACTURING_DIVISIONS, TOWNS
from assessment.localised import Localised
from assessment.types import ProductionType
from webapp.forms.validators import USCC, ChinesePhone, PlainText


class ProfileForm(FlaskForm):
    name = StringField(
        _l("企业名称"),
        validators=[DataRequired(_l("请填写企业名称")), Length(max=200), PlainText()],
        description=_l("与营业执照一致"),
    )
    uscc = StringField(
        _l("统一社会信用代码"),
        validators=[DataRequired(_l("请填写统一社会信用代码")), USCC()],
        description=_l("18 位，见营业执照，例如 91441900MA4UXXXXXX"),
    )
    industry_code = SelectField(
        _l("所属行业（国民经济行业分类 GB/T 4754-2017 制造业大类）"),
        validators=[DataRequired(_l("请选择所属行业"))],
    )
    production_type = RadioField(
        _l("生产类型"),
        validators=[InputRequired(_l("请选择生产类型"))],
    )
    town = SelectField(_l("所在镇街/园区"), validators=[DataRequired(_l("请选择所在镇街或园区"))])
    employees = IntegerField(
        _l("从业人员（人）"),
        validators=[
            InputRequired(_l("请填写从业人员数，须为整数")),
            NumberRange(min=0, max=1_000_000, message=_l("从业人员数须在 0 至 1,000,000 之间")),
        ],
    )
    revenue_wan = DecimalField(
        _l("上年度营业收入（万元）"),
        places=2,
        validators=[
            InputRequired(_l("请填写营业收入，单位为万元")),
            NumberRange(
                min=0, max=100_000_000, message=_l("营业收入须在 0 至 100,000,000 万元之间")
            ),
        ],
    )
    contact_name = StringField(
        _l("联系人"),
        validators=[Length(max=100)],
        description=_l("赋能中心与谁联系；不填则为注册账户的联系人"),
    )
    contact_phone = StringField(
        _l("联系电话"),
        validators=[Length(max=30), ChinesePhone()],
        description=_l("手机号码，或带区号的固定电话，例如 0769-22881234"),
    )
    contact_email = EmailField(
        _l("联系邮箱"),
        validators=[Optional(), Length(max=254), Email(_l("电子邮箱格式不正确"))],
        description=_l("不填则为登录邮箱"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        locale = get_locale()
        self.industry_code.choices = [SelectChoice("", str(_l("请选择")))] + [
            SelectChoice(code, f"{code} {Localised(*names).for_locale(locale)}")
            for code, names in MANUFACTURING_DIVISIONS.items()
        ]
        self.production_type.choices = [
            SelectChoice(p.value, p.label.for_locale(locale)) for p in ProductionType
        ]
        self.town.choices = [SelectChoice("", str(_l("请选择")))] + [
            SelectChoice(t.code, t.name.for_locale(locale)) for t in TOWNS
        ]


class CorrectionForm(FlaskForm):
    reason = TextAreaField(
        _l("更正原因"),
        validators=[
            DataRequired(_l("请说明更正的原因。")),
            Length(max=500, message=_l("原因最多 500 个字。")),
            PlainText(multiline=True),
        ],
        description=_l("例如：某题选错了、数据填错了。原报告会保留，更正后以新的结果为准。"),
    )
