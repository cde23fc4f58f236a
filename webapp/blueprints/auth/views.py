"""Register, log in, log out."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from models import User
from webapp.access import home_endpoint
from webapp.blueprints.auth import bp
from webapp.blueprints.auth.forms import LoginForm, RegisterForm
from webapp.extensions import db
from webapp.services import accounts
from webapp.services.errors import InvalidInputError


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader."""
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.route("/register", methods=["GET", "POST"])
def register() -> Response | str:
    """Create an enterprise user account, then continue to the enterprise profile."""
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_user(
                form.email.data or "", form.password.data or "", form.display_name.data or ""
            )
        except InvalidInputError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            _start_session(user, remember=False)
            flash(_("注册成功，请填写企业信息。"), "success")
            return redirect(url_for("enterprise.profile"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            form.password.errors.append(_("电子邮箱或密码不正确。"))
        else:
            _start_session(user, remember=bool(form.remember.data))
            target = _safe_next(request.args.get("next"))
            return redirect(target or url_for(home_endpoint(user)))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("main.index"))


def _start_session(user: User, *, remember: bool) -> None:
    # A fresh session on login: nothing from before the login survives but the language.
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user, remember=remember)


@bp.app_context_processor
def inject_user() -> dict[str, object]:
    return {"current_user": current_user}
