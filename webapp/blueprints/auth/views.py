"""Register, log in, log out, reset a forgotten password."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from models import Enterprise, User
from webapp.access import home_endpoint
from webapp.blueprints.auth.forms import (
    ForgotPasswordForm,
    InvitationRegisterForm,
    LoginForm,
    NewAccountForm,
    RegisterForm,
    ResetPasswordForm,
)
from webapp.extensions import db, limiter
from webapp.forms.errors import refusal_flashed, submitted
from webapp.security import safe_local_path
from webapp.services import accounts, members, privacy
from webapp.services.errors import NotFoundError

bp = Blueprint("auth", __name__, url_prefix="/auth")


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the session must carry the account's current token."""
    return accounts.user_for_session(session_id)


def _login_failed(response: Response) -> bool:
    # A successful login redirects; the form shown again means the attempt failed.
    return response.status_code != 302


def _account_address_key() -> str:
    # Per account AND client address: a flood of wrong passwords from one address delays that
    # address for that account only, so nobody can lock the owner out from elsewhere.
    email = accounts.normalise_email(request.form.get("email", ""))
    return f"account:{email}|{get_remote_address()}"


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT"], methods=["POST"])
def register() -> Response | str:
    """Create an enterprise user account, then continue to the enterprise profile."""
    form = RegisterForm()
    if submitted(form, lambda: _register(form, form.email.data or "")) is not None:
        flash(_("注册成功，请填写企业信息。"), "success")
        return redirect(url_for("enterprise.profile"))
    return render_template("auth/register.html", form=form)


def _register(form: NewAccountForm, email: str) -> User:
    """Create the account a valid registration form describes (consenting to the current
    notice) and start its session.

    Raises
    ------
    InvalidInputError
        The service refused the account (``submitted`` shows the reason on the form's field).
    """
    user = accounts.register_user(
        email,
        form.password.data or "",
        form.display_name.data or "",
        locale=str(get_locale()),
        consent_version=privacy.NOTICE_VERSION,
    )
    _start_session(user, remember=False)
    return user


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_login_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    methods=["POST"],
    key_func=_account_address_key,
    deduct_when=_login_failed,
)
def login() -> Response | str:
    """Log in; failed attempts are throttled per (account, client address) and per address."""
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            form.password.errors.append(_("电子邮箱或密码不正确。"))
        else:
            _start_session(user, remember=bool(form.remember.data))
            target = safe_local_path(request.args.get("next"))
            return redirect(target or url_for(home_endpoint(user)))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """End the session: the account's session token changes, so no copy of the cookie works."""
    accounts.end_sessions(current_user.id)
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("main.index"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT"], methods=["POST"])
def forgot_password() -> Response | str:
    """Ask for a reset link; the answer is the same whether or not the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        minutes = int(current_app.config["PASSWORD_RESET_TTL_MINUTES"])
        accounts.request_password_reset(
            form.email.data or "", timedelta(minutes=minutes), base_url=request.host_url
        )
        flash(
            _("如果该电子邮箱已注册，重置密码的链接已发送，请在 %(m)d 分钟内使用。", m=minutes),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    """Set a new password with a single-use, expiring link."""
    form = ResetPasswordForm()
    try:
        accounts.check_reset_token(token)
    except NotFoundError:
        return render_template("auth/reset.html", form=None), 410
    try:
        user = submitted(form, lambda: accounts.reset_password(token, form.password.data or ""))
    except NotFoundError:
        return render_template("auth/reset.html", form=None), 410
    if user is not None:
        logout_user()
        session.clear()
        flash(_("密码已更新，请用新密码登录。"), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Response | str | tuple[str, int]:
    """Join an enterprise through a colleague's invitation: a visitor registers with the
    invited address (or logs in and comes back); a logged-in user confirms."""
    try:
        invitation = members.invitation_for_token(token)
    except members.InvitationUnusable as exc:
        return render_template("auth/invitation.html", problem=exc.problem.value), 410
    firm = db.session.get(Enterprise, invitation.enterprise_id)
    form: InvitationRegisterForm | None = InvitationRegisterForm(email=invitation.email)
    if current_user.is_authenticated:
        form = None
        if request.method == "POST":
            return _join(current_user, token)
    elif form is not None:
        user = submitted(form, lambda: _register(form, invitation.email))
        if user is not None:
            return _join(user, token)
    taken = accounts.email_registered(invitation.email)
    context = {"invitation": invitation, "firm": firm, "form": form, "taken": taken}
    return render_template("auth/invitation.html", problem=None, **context)


def _join(user: User, token: str) -> Response | tuple[str, int]:
    try:
        with refusal_flashed():
            firm = members.accept_invitation(user, token)
            flash(_("您已加入“%(firm)s”。", firm=firm.name), "success")
            return redirect(url_for("enterprise.home"))
    except members.InvitationUnusable as exc:
        return render_template("auth/invitation.html", problem=exc.problem.value), 410
    return redirect(url_for(home_endpoint(user)))


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
