"""Consent and deletion-request forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField
from wtforms.validators import DataRequired


class ConsentForm(FlaskForm):
    """Agreement to one version of the notice: the version shown travels with the form, so a
    consent always names the text the user read."""

    notice_version = HiddenField()
    agree = BooleanField(
        _l("我已阅读并同意《隐私说明》"),
        validators=[DataRequired(_l("请阅读隐私说明并勾选同意"))],
    )


class DeletionForm(FlaskForm):
    """The confirmation step of a deletion request."""

    confirm = BooleanField(
        _l("我明白：删除后企业信息和全部账户无法恢复，评估只作为匿名统计保留"),
        validators=[DataRequired(_l("请勾选确认后再提交删除申请"))],
    )
