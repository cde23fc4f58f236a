"""Who may see what: the role guards and scoping rules, in one place."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from models import Role, User


def home_endpoint(user: User) -> str:
    """The endpoint a user lands on after login, by role."""
    return {
        Role.ENTERPRISE.value: "enterprise.home",
        Role.CENTRE_STAFF.value: "centre.cohort",
        Role.ADMIN.value: "admin.index",
        Role.GOVERNMENT.value: "government.dashboard",
    }.get(user.role, "main.index")


def require_role(*roles: Role) -> Callable[[], None]:
    """A ``before_request`` hook: anonymous users go to login, other roles get 403."""

    def guard() -> None:
        if not current_user.is_authenticated:
            from webapp.extensions import login_manager

            abort(login_manager.unauthorized())
        if current_user.role not in {r.value for r in roles}:
            abort(403)

    return guard
