"""Administrator page of the assessment rounds (评估批次): the list, and opening the next round."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from webapp.blueprints.routes import Routes
from webapp.forms.errors import submitted
from webapp.services import rounds

routes = Routes()


class OpenRoundForm(FlaskForm):
    """The round code to open; ``rounds.check_round_code`` decides whether it may be."""

    round_code = StringField(
        _l("新批次（年份）"),
        validators=[DataRequired(_l("批次须为四位年份，例如 2027。")), Length(max=10)],
        description=_l("开启后，新评估都记入该批次，并通知所有可作答的企业用户。"),
    )


@routes.route("/rounds", methods=["GET", "POST"])
def rounds_page() -> Response | tuple[str, int]:
    """The rounds with their counts, and the form that opens the next round."""
    current = rounds.current_round()
    form = OpenRoundForm()
    status = 200
    code = submitted(
        form, lambda: rounds.open_round(current_user, form.round_code.data or "", request.host_url)
    )
    if code is not None:
        flash(_("%(round)s 批次已开启，正在发送通知邮件。", round=code), "success")
        return redirect(url_for("admin.rounds_page"))
    if request.method == "GET":
        form.round_code.data = rounds.proposed_round(current)
    if form.errors:
        status = 400
    page = render_template(
        "admin/rounds.html", form=form, rows=rounds.round_rows(), current=rounds.current_round()
    )
    return page, status
