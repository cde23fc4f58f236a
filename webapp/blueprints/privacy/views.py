"""Privacy pages: the notice, (re-)consent, the firm's data export and deletion request."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from reports.exports import XLSX_MIMETYPE
from webapp.access import home_endpoint
from webapp.blueprints.privacy.forms import ConsentForm, DeletionForm
from webapp.blueprints.responses import download
from webapp.security import safe_local_path
from webapp.services import data_export, privacy
from webapp.services.errors import ConflictError, InvalidInputError

#: Who may call each route: MATRIX in webapp/access.py.
bp = Blueprint("privacy", __name__, url_prefix="/privacy")

#: Endpoints a user who has not consented to the current notice may still reach: the notice
#: itself, consent, leaving, the language switch, assets, and the firm's own data (export and
#: deletion stay open to someone who does not agree).
_OPEN_WITHOUT_CONSENT = frozenset(
    {
        "static",
        "main.healthz",
        "main.plotly_js",
        "main.set_language",
        "auth.logout",
        "privacy.notice",
        "privacy.consent",
        "privacy.my_data",
        "privacy.export_json",
        "privacy.export_xlsx",
        "privacy.deletion",
    }
)


@bp.before_app_request
def ask_for_consent() -> Response | None:
    """Send a logged-in user who has not agreed to the current notice to the consent page
    (once; the page itself and the endpoints above stay open, so it cannot loop)."""
    if request.endpoint is None or request.endpoint in _OPEN_WITHOUT_CONSENT:
        return None
    if not current_user.is_authenticated or not privacy.needs_consent(current_user):
        return None
    here = request.full_path if request.query_string else request.path
    target = here if request.method == "GET" else None
    return redirect(url_for("privacy.consent", next=target), 303)


@bp.get("/")
def notice() -> str:
    """The privacy notice: who sees what, how long data is kept, export and deletion."""
    return render_template(
        "privacy/notice.html", version=privacy.NOTICE_VERSION, years=privacy.RETENTION_YEARS
    )


@bp.route("/consent", methods=["GET", "POST"])
def consent() -> Response | str:
    """Agree to the current notice (asked again whenever its version changes)."""
    form = ConsentForm(notice_version=privacy.NOTICE_VERSION)
    if form.validate_on_submit():
        try:
            privacy.record_consent(current_user.id, form.notice_version.data or "")
        except InvalidInputError as exc:
            form.agree.errors.append(exc.message)
        else:
            target = safe_local_path(request.args.get("next"))
            return redirect(target or url_for(home_endpoint(current_user)))
    form.notice_version.data = privacy.NOTICE_VERSION
    return render_template(
        "privacy/consent.html",
        form=form,
        version=privacy.NOTICE_VERSION,
        years=privacy.RETENTION_YEARS,
        renewed=current_user.consent_version is not None,
    )


@bp.get("/my-data")
def my_data() -> str:
    """The firm's data: downloads, the consent on record, the deletion request."""
    enterprise_id = current_user.enterprise_id
    pending = privacy.pending_request(enterprise_id) if enterprise_id else None
    return render_template("privacy/my_data.html", pending=pending)


@bp.get("/my-data.json")
def export_json() -> Response:
    """All of the firm's data as JSON (its own users only)."""
    if current_user.enterprise_id is None:
        return redirect(url_for("enterprise.profile"))
    data = data_export.firm_data(current_user.enterprise_id)
    return download(data_export.firm_json(data), "application/json", "enterprise-data.json")


@bp.get("/my-data.xlsx")
def export_xlsx() -> Response:
    """All of the firm's data as an Excel workbook (its own users only)."""
    if current_user.enterprise_id is None:
        return redirect(url_for("enterprise.profile"))
    data = data_export.firm_data(current_user.enterprise_id)
    body = data_export.firm_workbook(data, str(get_locale()))
    return download(body, XLSX_MIMETYPE, "enterprise-data.xlsx")


@bp.route("/deletion", methods=["GET", "POST"])
def deletion() -> Response | str:
    """Ask for the firm's personal data to be deleted, after a confirmation step."""
    if current_user.enterprise_id is None:
        return redirect(url_for("enterprise.profile"))
    form = DeletionForm()
    if form.validate_on_submit():
        try:
            privacy.request_deletion(current_user)
        except ConflictError as exc:
            flash(str(exc), "info")
        else:
            flash(_("删除申请已提交。管理员处理后，我们会发邮件通知您。"), "success")
        return redirect(url_for("privacy.my_data"))
    pending = privacy.pending_request(current_user.enterprise_id)
    return render_template("privacy/deletion.html", form=form, pending=pending)
