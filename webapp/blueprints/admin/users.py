"""Administrator pages for accounts: find users, open staff and officer accounts, attach staff
to a centre, deactivate/reactivate, resend the set-password invitation."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from webapp.blueprints.routes import Routes
from webapp.forms.accounts import AccountUpdateForm, NewAccountForm
from webapp.forms.errors import refusal_flashed, submitted
from webapp.services import user_admin

routes = Routes()


@routes.route("/users", methods=["GET", "POST"])
def users_page() -> Response | str | tuple[str, int]:
    """The account list with a search box, and the form that opens a staff or officer account."""
    centres = user_admin.active_centres()
    form = NewAccountForm(centres, locale=str(get_locale() or "zh"))
    status = 200
    user = submitted(
        form,
        lambda: user_admin.create_account(current_user, _new_account(form), request.host_url),
    )
    if user is not None:
        flash(_("账户已开通，设置密码的链接已发送到 %(email)s。", email=user.email), "success")
        return redirect(url_for("admin.users_page"))
    if form.errors:
        status = 400
    query = request.args.get("q", "")[:100]
    page = render_template(
        "admin/users.html",
        form=form,
        users=user_admin.find_users(query),
        query=query,
        centres={c.id: c for c in centres},
        update_form=AccountUpdateForm(centres, formdata=None),
    )
    return page, status


def _new_account(form: NewAccountForm) -> user_admin.NewAccount:
    """The account a valid ``NewAccountForm`` asks for."""
    return user_admin.NewAccount(
        email=form.email.data or "",
        display_name=form.display_name.data or "",
        role=form.role.data or "",
        centre_code=form.centre.data or "",
        locale=form.locale.data or "zh",
    )


@routes.post("/users/<int:user_id>")
def user_update(user_id: int) -> Response:
    """Attach a staff member to a centre, or deactivate/reactivate an account."""
    form = AccountUpdateForm(user_admin.active_centres())
    active = {"1": True, "0": False}.get(form.active.data or "")
    centre = form.centre.data if "centre" in request.form else None
    if not form.validate() or (active is None and centre is None):
        flash(_("请求无效，请重试。"), "danger")
        return redirect(url_for("admin.users_page"))
    with refusal_flashed():
        user = user_admin.update_account(current_user, user_id, centre, active)
        flash(_("账户 %(email)s 已更新。", email=user.email), "success")
    return redirect(url_for("admin.users_page", q=request.args.get("q", "")))


@routes.post("/users/<int:user_id>/invitation")
def user_invite(user_id: int) -> Response:
    """Mail the account a new set-password link (the earlier links still expire on time)."""
    with refusal_flashed():
        user = user_admin.send_set_password_link(current_user, user_id, request.host_url)
        flash(_("设置密码的链接已重新发送到 %(email)s。", email=user.email), "success")
    return redirect(url_for("admin.users_page", q=request.args.get("q", "")))
