"""The single mapping from errors to HTTP answers."""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from webapp.extensions import api, db, login_manager
from webapp.services.errors import ConflictError, NotFoundError, PermissionDeniedError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _page(status: int, title: str, message: str) -> ResponseReturnValue:
    if _wants_json():
        return jsonify({"error": title, "message": message}), status
    return render_template("error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(NotFoundError)
    def not_found_error(exc: NotFoundError) -> ResponseReturnValue:
        return _page(404, _("页面不存在"), _("您要找的内容不存在，或您无权查看。"))

    @app.errorhandler(PermissionDeniedError)
    def permission_denied(exc: PermissionDeniedError) -> ResponseReturnValue:
        return _page(403, _("无权访问"), str(exc))

    @app.errorhandler(ConflictError)
    def conflict(exc: ConflictError) -> ResponseReturnValue:
        return _page(409, _("内容已被更改"), str(exc))

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> ResponseReturnValue:
        return _page(
            400,
            _("页面已过期"),
            _("页面停留时间过长或表单已失效，请返回上一页刷新后重试。您已保存的内容不会丢失。"),
        )

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: Exception) -> ResponseReturnValue:
        db.session.rollback()
        app.logger.error("database error: %s", exc)
        # Rendering the page must not ask the database who the user is (the language choice
        # and the template context read ``current_user``): answer this request as anonymous.
        g._login_user = login_manager.anonymous_user()
        return _page(503, _("服务暂时不可用"), _("数据库暂时无法连接，请稍后再试。"))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        if request.path.startswith("/api/"):
            return api.handle_http_exception(exc)  # JSON body with per-field ``errors``
        status = exc.code or 500
        if status == 429:
            # The same words whether or not the account exists (no account enumeration).
            return _page(429, _("尝试次数过多"), _("请 15 分钟后再试，或使用“忘记密码”。"))
        titles = {
            403: _("无权访问"),
            404: _("页面不存在"),
            405: _("请求方式不允许"),
            413: _("上传内容过大"),
        }
        return _page(status, titles.get(status, exc.name), exc.description or "")
