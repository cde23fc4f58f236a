"""Staff forms."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from assessment.types import Stage
from webapp.forms.validators import PlainText


class StageValidationForm(FlaskForm):
    staff_stage = SelectField(
        _l("校验后的阶段"),
        choices=[SelectChoice(s.code, s.code) for s in Stage],  # labelled per request below
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        _l("理由（修改阶段时必填）"),
        validators=[Length(max=1000), PlainText(multiline=True)],
        description=_l("例如：现场走访发现 MES 只覆盖一条产线。"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        locale = get_locale()
        self.staff_stage.choices = [
            SelectChoice(s.code, f"{s.code} {s.label.for_locale(locale)}") for s in Stage
        ]


class HandOverForm(FlaskForm):
    """Hand an enterprise over to another centre; choices are set by the view."""

    centre = SelectField(_l("接收的赋能中心"), validators=[DataRequired(_l("请选择赋能中心"))])
    reason = TextAreaField(
        _l("移交原因"),
        validators=[
            DataRequired(_l("请写明移交原因（最多 500 字）。")),
            Length(max=500, message=_l("请写明移交原因（最多 500 字）。")),
        ],
        description=_l("例如：企业已迁至谢岗，由当地中心跟进。"),
    )
