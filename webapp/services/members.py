"""Several users per enterprise: the owner invites colleagues by e-mail, manages the team, and a
colleague joins through the mailed link.

An invitation's link carries a random token; only its SHA-256 digest is stored, and only the
mail job makes it (``invitation_mail``), so the token exists nowhere but in the mail. A resend
makes a new token (the old link stops working) and a new ``INVITATION_TTL``. Who may manage the
team is ``access.may_manage_enterprise`` (the owner).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import select

from assessment.localised import Localised
from models import Enterprise, Invitation, MemberRole, Role, User, utcnow
from webapp.access import may_manage_enterprise
from webapp.extensions import db
from webapp.jobs import enqueue
from webapp.services import audit
from webapp.services.accounts import as_utc, new_session_token, normalise_email, token_digest
from webapp.services.errors import ConflictError, InvalidInputError, NotFoundError
from webapp.services.mail import OutgoingMail, compose, language_of, link

#: How long an invitation link works after it was (last) sent (issue 15: 7 days).
INVITATION_TTL = timedelta(days=7)
#: The member roles an owner may give a colleague.
INVITABLE_ROLES = (MemberRole.EDITOR.value, MemberRole.VIEWER.value)
#: Labels of the member roles, Chinese first.
MEMBER_ROLE_LABELS = {
    MemberRole.OWNER.value: Localised("负责人", "Owner"),
    MemberRole.EDITOR.value: Localised("编辑（可作答）", "Editor (can answer)"),
    MemberRole.VIEWER.value: Localised("只读（仅查看）", "Viewer (can only view)"),
}


class LinkProblem(StrEnum):
    """Why an invitation link does not work (each gets its own page)."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


class InvitationUnusable(NotFoundError):
    """The invitation link is unknown, used, expired or revoked (``problem`` says which)."""

    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Team:
    """The owner's view of the enterprise: its members (owner first) and open invitations."""

    enterprise: Enterprise
    members: list[User]
    invitations: list[Invitation]


def _owned_enterprise(actor: User) -> Enterprise:
    if actor.enterprise_id is None or not may_manage_enterprise(actor, actor.enterprise_id):
        raise NotFoundError("team")
    enterprise = db.session.get(Enterprise, actor.enterprise_id)
    if enterprise is None:
        raise NotFoundError("team")
    return enterprise


def team(actor: User) -> Team:
    """The actor's enterprise with its active members and open (not accepted or revoked)
    invitations, newest first.

    Raises
    ------
    NotFoundError
        The actor is not the owner of an enterprise.
    """
    enterprise = _owned_enterprise(actor)
    members = list(
        db.session.scalars(
            select(User).where(User.enterprise_id == enterprise.id).order_by(User.id)
        )
    )
    members.sort(key=lambda u: u.member_role != MemberRole.OWNER.value)
    invitations = list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.enterprise_id == enterprise.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .order_by(Invitation.id.desc())
        )
    )
    return Team(enterprise, members, invitations)


def invite(actor: User, email: str, member_role: str, base_url: str) -> Invitation:
    """Invite ``email`` into the actor's enterprise as ``member_role`` (editor or viewer) and
    have the link mailed (job ``invitation_mail``). Audited; commits.

    Raises
    ------
    NotFoundError
        The actor is not the owner of an enterprise.
    InvalidInputError
        Field ``member_role``: not an invitable role. Field ``email``: already a member of
        this enterprise, or already invited and not yet answered (resend that one instead).
    """
    enterprise = _owned_enterprise(actor)
    if member_role not in INVITABLE_ROLES:
        raise InvalidInputError("member_role", _("请选择成员权限。"))
    email = normalise_email(email)
    member = db.session.scalar(
        select(User.id).where(User.email == email, User.enterprise_id == enterprise.id)
    )
    if member is not None:
        raise InvalidInputError("email", _("此电子邮箱已是本企业成员。"))
    open_invitation = db.session.scalar(
        select(Invitation.id).where(
            Invitation.enterprise_id == enterprise.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    )
    if open_invitation is not None:
        raise InvalidInputError("email", _("已邀请过此电子邮箱，如需要请在下方重新发送。"))
    invitation = Invitation(
        public_id=uuid.uuid4().hex,
        enterprise_id=enterprise.id,
        email=email,
        member_role=member_role,
        invited_by_id=actor.id,
    )
    db.session.add(invitation)
    _audit(actor, enterprise, "member_invited", {"email": email, "member_role": member_role})
    db.session.commit()
    _send(invitation, actor, base_url)
    return invitation


def _send(invitation: Invitation, actor: User, base_url: str) -> None:
    enqueue(
        "invitation_mail",
        {"invitation_id": invitation.id, "issued_at": utcnow().isoformat(), "base_url": base_url},
        actor_id=actor.id,
    )


def _open_invitation(actor: User, public_id: str) -> tuple[Enterprise, Invitation]:
    enterprise = _owned_enterprise(actor)
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.public_id == public_id, Invitation.enterprise_id == enterprise.id
        )
    )
    if invitation is None:
        raise NotFoundError(public_id)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ConflictError(_("该邀请已被接受或撤销。"))
    return enterprise, invitation


def resend(actor: User, public_id: str, base_url: str) -> Invitation:
    """Mail a fresh link for an open invitation of the actor's enterprise (the earlier link
    stops working; valid ``INVITATION_TTL`` from now).

    Raises
    ------
    NotFoundError
        No such invitation in the actor's enterprise, or the actor is not its owner.
    ConflictError
        The invitation was already accepted or revoked.
    """
    _enterprise, invitation = _open_invitation(actor, public_id)
    _send(invitation, actor, base_url)
    return invitation


def revoke(actor: User, public_id: str) -> Invitation:
    """Revoke an open invitation of the actor's enterprise; its link stops working. Audited.

    Raises
    ------
    NotFoundError, ConflictError
        As ``resend``.
    """
    enterprise, invitation = _open_invitation(actor, public_id)
    invitation.revoked_at = utcnow()
    _audit(actor, enterprise, "invitation_revoked", {"email": invitation.email})
    db.session.commit()
    return invitation


def remove_member(actor: User, user_id: int) -> User:
    """Detach a colleague from the actor's enterprise; their sessions end. Audited.

    The removed account keeps its login and may register an enterprise of its own (its member
    role goes back to ``owner`` of nothing yet).

    Raises
    ------
    NotFoundError
        No such user in the actor's enterprise, or the actor is not its owner.
    InvalidInputError
        Field ``user``: the actor tried to remove themselves or another owner.
    """
    enterprise = _owned_enterprise(actor)
    member = db.session.get(User, user_id)
    if member is None or member.enterprise_id != enterprise.id:
        raise NotFoundError(str(user_id))
    if member.member_role == MemberRole.OWNER.value:
        raise InvalidInputError("user", _("不能移除企业负责人。"))
    member.enterprise_id = None
    member.member_role = MemberRole.OWNER.value
    member.session_token = new_session_token()
    _audit(actor, enterprise, "member_removed", {"email": member.email})
    db.session.commit()
    return member


def hand_over_ownership(actor: User, user_id: int, base_url: str) -> User:
    """Make a colleague the enterprise's owner; the actor stays as an editor member. Both are
    mailed in their language (job ``ownership_mail``). Audited; commits.

    A view-only member is refused: ownership includes answering, inviting and deciding claims,
    more than the owner chose to give them; the owner removes and re-invites them as an editor
    first, a deliberate step.

    Raises
    ------
    NotFoundError
        The actor is not the owner of an enterprise, or ``user_id`` is not one of its members.
    InvalidInputError
        Field ``user``: the actor named themselves, or the member is deactivated or view-only.
    """
    enterprise = _owned_enterprise(actor)
    member = db.session.get(User, user_id)
    if member is None or member.enterprise_id != enterprise.id:
        raise NotFoundError(str(user_id))
    if member.id == actor.id:
        raise InvalidInputError("user", _("您已是本企业的负责人。"))
    if not member.active:
        raise InvalidInputError("user", _("该账户已停用，不能成为负责人。"))
    if member.member_role != MemberRole.EDITOR.value:
        raise InvalidInputError(
            "user",
            _("只读成员不能直接成为负责人：请先将其移除，再以“编辑”权限重新邀请。"),
        )
    member.member_role = MemberRole.OWNER.value
    actor.member_role = MemberRole.EDITOR.value
    _audit(actor, enterprise, "owner_changed", {"before": actor.email, "after": member.email})
    db.session.commit()
    enqueue(
        "ownership_mail",
        {
            "enterprise_id": enterprise.id,
            "previous_id": actor.id,
            "owner_id": member.id,
            "base_url": base_url,
        },
        actor_id=actor.id,
    )
    return member


def ownership_mails(
    enterprise_id: int, previous_id: int, owner_id: int, base_url: str
) -> list[OutgoingMail]:
    """The two mails of a hand-over, each in its recipient's language: to the new owner (what
    they may now do, with a link to the team page) and to the previous owner (now an editor).
    Empty when the enterprise or either user is gone."""
    enterprise = db.session.get(Enterprise, enterprise_id)
    previous = db.session.get(User, previous_id)
    owner = db.session.get(User, owner_id)
    if enterprise is None or previous is None or owner is None:
        return []
    recipients = (
        ("ownership_to_owner", owner, "/enterprise/team"),
        ("ownership_to_previous", previous, "/enterprise/"),
    )
    return [
        compose(
            template,
            user.email,
            language_of(user),
            enterprise=enterprise,
            owner=owner,
            previous=previous,
            link=link(path, base_url),
        )
        for template, user, path in recipients
    ]


def invitation_mail(invitation_id: int, issued_at: str, base_url: str) -> OutgoingMail | None:
    """Make a new token for an open invitation (its digest replaces the previous one, valid
    ``INVITATION_TTL`` from ``issued_at``, ISO 8601 UTC) and the mail that carries its link, in
    the inviter's language (the invitee has no account yet). ``None`` when the invitation is
    gone, accepted or revoked, or its enterprise or inviter is gone. Commits the token."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return None
    enterprise = db.session.get(Enterprise, invitation.enterprise_id)
    inviter = db.session.get(User, invitation.invited_by_id or 0)
    if enterprise is None or inviter is None:
        return None
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_digest(token)
    invitation.expires_at = as_utc(datetime.fromisoformat(issued_at)) + INVITATION_TTL
    db.session.commit()
    lang = language_of(inviter)
    return compose(
        "invitation",
        invitation.email,
        lang,
        inviter=inviter,
        enterprise=enterprise,
        role=MEMBER_ROLE_LABELS[invitation.member_role].for_locale(lang),
        days=INVITATION_TTL.days,
        link=link(f"/auth/invitations/{token}", base_url),
    )


def invitation_for_token(token: str, now: datetime | None = None) -> Invitation:
    """The open invitation a link's token names.

    Raises
    ------
    InvitationUnusable
        The token is unknown, or its invitation was used, revoked or has expired
        (``problem`` tells which, for a page that says what to do).
    """
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if invitation is None:
        # An accepted invitation keeps its digest, so a reused link lands below as USED.
        raise InvitationUnusable(LinkProblem.UNKNOWN)
    if invitation.accepted_at is not None:
        raise InvitationUnusable(LinkProblem.USED)
    if invitation.revoked_at is not None:
        raise InvitationUnusable(LinkProblem.REVOKED)
    if invitation.expires_at is None or as_utc(invitation.expires_at) <= (now or utcnow()):
        raise InvitationUnusable(LinkProblem.EXPIRED)
    return invitation


def accept_invitation(actor: User, token: str, now: datetime | None = None) -> Enterprise:
    """Attach ``actor`` to the invitation's enterprise with its member role; the link is used
    up. Audited; commits.

    Raises
    ------
    InvitationUnusable
        As ``invitation_for_token``.
    InvalidInputError
        Field ``account``: the actor is not an enterprise user, or already belongs to an
        enterprise (one account belongs to one enterprise).
    """
    invitation = invitation_for_token(token, now)
    if actor.role != Role.ENTERPRISE.value:
        raise InvalidInputError("account", _("此账户不是企业用户账户，不能加入企业。"))
    if actor.enterprise_id is not None:
        raise InvalidInputError(
            "account", _("此账户已属于一家企业。请退出后用受邀的电子邮箱注册新账户。")
        )
    enterprise = db.session.get(Enterprise, invitation.enterprise_id)
    assert enterprise is not None
    actor.enterprise_id = enterprise.id
    actor.member_role = invitation.member_role
    invitation.accepted_at = now or utcnow()
    invitation.accepted_by_id = actor.id
    _audit(
        actor,
        enterprise,
        "member_joined",
        {"email": actor.email, "member_role": invitation.member_role},
    )
    db.session.commit()
    return enterprise


def _audit(actor: User, enterprise: Enterprise, action: str, detail: dict[str, str]) -> None:
    audit.record(actor, "enterprise", enterprise.uscc, action, detail)
