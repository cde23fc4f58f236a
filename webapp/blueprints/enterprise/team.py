"""The owner's team page (members, invitations, claims on the enterprise) and the claim a new
user requests from the profile page.

The routes are added to the enterprise blueprint in ``enterprise/views.py`` (``routes``), so
this module does not import the blueprint back. Who may call them: ``webapp/access.py`` (the
team routes need the owner's right)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from models import Invitation
from webapp.blueprints.claim_decisions import decide_and_redirect
from webapp.blueprints.routes import Routes
from webapp.forms.accounts import ClaimForm, DecideClaimForm, InviteForm
from webapp.forms.errors import refusal_flashed, submitted
from webapp.services import claims, members
from webapp.services.errors import ConflictError

routes = Routes()


@routes.route("/team", methods=["GET", "POST"])
def team() -> Response | str | tuple[str, int]:
    """Members, open invitations (resend, revoke), the invitation form and claims."""
    form = InviteForm()
    invitation = submitted(
        form,
        lambda: members.invite(
            current_user, form.email.data or "", form.member_role.data or "", request.host_url
        ),
    )
    if invitation is not None:
        flash(_("邀请已发送到 %(email)s，链接 7 天内有效。", email=invitation.email), "success")
        return redirect(url_for("enterprise.team"))
    page = render_template(
        "enterprise/team.html",
        team=members.team(current_user),
        form=form,
        claims=claims.claims_for_owner(current_user),
        decide_form=DecideClaimForm(formdata=None),
    )
    return (page, 400) if form.errors else page


@routes.post("/team/invitations/<public_id>/resend")
def invitation_resend(public_id: str) -> Response:
    """Mail a fresh link for an open invitation (the earlier link stops working)."""
    return _on_invitation(
        lambda: members.resend(current_user, public_id, request.host_url),
        lambda invitation: _("已重新发送邀请到 %(email)s。", email=invitation.email),
    )


@routes.post("/team/invitations/<public_id>/revoke")
def invitation_revoke(public_id: str) -> Response:
    """Revoke an open invitation; its link stops working."""
    return _on_invitation(
        lambda: members.revoke(current_user, public_id),
        lambda invitation: _("已撤销对 %(email)s 的邀请。", email=invitation.email),
    )


def _on_invitation(act: Callable[[], Invitation], done: Callable[[Invitation], str]) -> Response:
    """Do ``act`` to an open invitation and go back to the team page: a ``ConflictError`` (the
    invitation was used or revoked meanwhile) flashes as a warning, success as ``done``."""
    try:
        invitation = act()
    except ConflictError as exc:
        flash(str(exc), "warning")
    else:
        flash(done(invitation), "success")
    return redirect(url_for("enterprise.team"))


@routes.post("/team/members/<int:user_id>/remove")
def member_remove(user_id: int) -> Response:
    """Detach a colleague from the enterprise."""
    with refusal_flashed():
        member = members.remove_member(current_user, user_id)
        flash(_("已将 %(email)s 移出本企业。", email=member.email), "success")
    return redirect(url_for("enterprise.team"))


@routes.post("/team/members/<int:user_id>/owner")
def member_make_owner(user_id: int) -> Response:
    """Hand the enterprise's ownership to a colleague (the owner becomes an editor)."""
    with refusal_flashed():
        member = members.hand_over_ownership(current_user, user_id, request.host_url)
        flash(
            _("%(name)s 已成为本企业的负责人，您现在是编辑成员。", name=member.display_name),
            "success",
        )
        return redirect(url_for("enterprise.home"))
    return redirect(url_for("enterprise.team"))


@routes.post("/team/claims/<public_id>")
def decide_claim(public_id: str) -> Response:
    """The owner approves or refuses a claim on the enterprise."""
    return decide_and_redirect(public_id, "enterprise.team")


@routes.post("/claims")
def claim() -> Response:
    """Request a claim on the enterprise registered under the USCC the profile named."""
    form = ClaimForm()
    if not form.validate_on_submit():
        flash(_("请求无效，请重试。"), "danger")
        return redirect(url_for("enterprise.profile"))
    with refusal_flashed():
        claims.request_claim(
            current_user, form.uscc.data or "", form.note.data or "", request.host_url
        )
        flash(_("认领申请已提交。审核结果会通过邮件通知您。"), "success")
    return redirect(url_for("enterprise.profile"))
