"""Who may see what: the access matrix, its enforcement, and the object-scoping rules.

Everything about access lives here and only here:

* ``MATRIX`` maps every endpoint to the roles that may call it, the resource it touches, the
  actions it performs and the scope of the objects it reaches. ``enforce_matrix`` runs before
  every request and refuses an endpoint that has no entry (fail closed), so a new route cannot
  go live without a decision about who may use it. ``docs/security.md`` carries the same matrix
  as a table (``flask docs security`` rewrites it) and
  ``tests/integration/test_access_matrix.py`` tries every role against every route.
* The ``may_*`` predicates decide whether an actor may reach one object; services call them
  after loading the row and raise ``NotFoundError`` when they say no, so another tenant's
  object and a missing object answer the same 404 (an outsider learns nothing from an id).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from models import Assessment, Enterprise, Job, MemberRole, Role, User
from webapp.extensions import login_manager

#: The pseudo-role of a visitor who is not logged in.
ANONYMOUS = "anonymous"
#: Every role, logged in or not, in the order the matrix and its test list them.
ALL_ROLES = (ANONYMOUS, *(r.value for r in Role))


class Scope(StrEnum):
    """Which objects an allowed role reaches through an endpoint."""

    PUBLIC = "public: no enterprise or personal data"
    OWN_ACCOUNT = "own account and session only"
    OWN_ENTERPRISE = "own enterprise only (assessments, referrals, notifications)"
    OWN_CENTRE = "own centre's cohort and referrals only"
    AGGREGATE = "aggregates with small cells suppressed; never one enterprise"
    OWN_JOB = "background jobs the user started (administrators: every job)"
    ADMINISTRATION = "catalogue, settings and round-level quality statistics"


@dataclass(frozen=True)
class Rule:
    """One row of the access matrix.

    Parameters
    ----------
    roles : tuple of str
        Roles from ``ALL_ROLES`` that may call the endpoint; everyone else is refused
        (anonymous visitors are sent to the login page, or get 401 from the API; a logged-in
        user of another role gets 403).
    resource : str
        What the endpoint reads or changes, in the field's words.
    actions : str
        ``read``, ``change``, ``download`` or a combination.
    scope : Scope
        Which objects of that resource the allowed roles reach.
    change_needs : str
        For enterprise users: the least ``MemberRole`` that may send a change (any method but
        GET/HEAD/OPTIONS) through the endpoint; a viewer answers 403 on every write route.
    read_needs : str
        For enterprise users: the least ``MemberRole`` that may read the endpoint (the team
        pages are the owner's).
    """

    roles: tuple[str, ...]
    resource: str
    actions: str
    scope: Scope
    change_needs: str = MemberRole.EDITOR.value
    read_needs: str = MemberRole.VIEWER.value


_EVERYONE = ALL_ROLES
_ENTERPRISE = (Role.ENTERPRISE.value,)
_STAFF = (Role.CENTRE_STAFF.value,)
_GOVERNMENT = (Role.GOVERNMENT.value,)
_ADMIN = (Role.ADMIN.value,)
_LOGGED_IN = tuple(r.value for r in Role)
_JOB_USERS = (*_STAFF, *_GOVERNMENT, *_ADMIN)
_OWNER = MemberRole.OWNER.value
_VIEWER = MemberRole.VIEWER.value
_EDITOR = MemberRole.EDITOR.value
#: Member roles from the least to the most rights.
MEMBER_RANK = {_VIEWER: 0, _EDITOR: 1, _OWNER: 2}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _section(
    roles: tuple[str, ...], scope: Scope, rows: dict[str, tuple[str, ...]]
) -> dict[str, Rule]:
    """Matrix rows of endpoints that share their roles and scope: ``rows`` maps an endpoint to
    (resource, actions), optionally followed by ``change_needs`` and ``read_needs`` (``Rule``)."""
    return {
        endpoint: Rule(roles, row[0], row[1], scope, *row[2:]) for endpoint, row in rows.items()
    }


MATRIX: dict[str, Rule] = {
    # public pages, assets and the public API
    **_section(
        _EVERYONE,
        Scope.PUBLIC,
        {
            "main.index": ("landing page", "read"),
            "main.healthz": ("health check", "read"),
            "main.set_language": (
                "language choice (session; the account's mail language)",
                "change",
                _VIEWER,
            ),
            "main.plotly_js": ("chart library", "read"),
            "static": ("static files", "read"),
            "privacy.notice": ("privacy notice", "read"),
            "api-docs.openapi_json": ("API description", "read"),
            "api.CurrentInstrument": ("instrument", "read"),
            "api.Score": ("stateless scoring (nothing stored)", "read"),
        },
    ),
    # accounts
    **_section(
        _EVERYONE,
        Scope.OWN_ACCOUNT,
        {
            "auth.login": ("session", "read, change"),
            "auth.register": ("account", "change"),
            "auth.forgot_password": ("password reset", "change"),
            "auth.reset_password": ("password reset", "change"),
            "auth.accept_invitation": (
                "invitation into an enterprise (token)",
                "read, change",
                _VIEWER,
            ),
        },
    ),
    **_section(
        _LOGGED_IN,
        Scope.OWN_ACCOUNT,
        {
            "auth.logout": ("session", "change", _VIEWER),
        },
    ),
    # enterprise user (the team pages are the owner's)
    **_section(
        _ENTERPRISE,
        Scope.OWN_ENTERPRISE,
        {
            "enterprise.home": ("enterprise, assessments", "read"),
            "enterprise.profile": ("enterprise profile", "read, change"),
            "enterprise.start": ("assessment", "change"),
            "enterprise.page": ("assessment responses", "read, change"),
            "enterprise.review": ("assessment", "read"),
            "enterprise.submit": ("assessment", "change"),
            "enterprise.result": ("assessment report", "read"),
            "enterprise.report_pdf": ("assessment report", "download"),
            "enterprise.needs_list": ("roadmap needs list (改造需求清单)", "download"),
            "enterprise.request_referral": ("referral", "change"),
            "enterprise.my_referrals": ("referrals, notifications", "read"),
            "enterprise.team": (
                "members, invitations, claims on the enterprise",
                "read, change",
                _OWNER,
                _OWNER,
            ),
            "enterprise.invitation_resend": ("invitation", "change", _OWNER, _OWNER),
            "enterprise.invitation_revoke": ("invitation", "change", _OWNER, _OWNER),
            "enterprise.member_remove": ("member of the enterprise", "change", _OWNER, _OWNER),
            "enterprise.member_make_owner": (
                "ownership of the enterprise (hand over to a member)",
                "change",
                _OWNER,
                _OWNER,
            ),
            "enterprise.decide_claim": ("claim on the enterprise", "change", _OWNER, _OWNER),
            "enterprise.evidence_upload": ("evidence file of an answer (draft only)", "change"),
            "enterprise.evidence_delete": ("evidence file of an answer (draft only)", "change"),
            "enterprise.evidence_file": ("evidence file", "download"),
            "enterprise.start_correction": ("assessment correction (new record)", "change"),
            "privacy.my_data": ("the firm's data: export, deletion request", "read"),
            "privacy.export_json": ("all of the firm's data (JSON)", "download"),
            "privacy.export_xlsx": ("all of the firm's data (Excel)", "download"),
            "privacy.deletion": ("deletion request", "read, change"),
            "api.OwnAssessments": ("assessments", "read"),
            "api.OwnAssessment": ("assessment", "read"),
        },
    ),
    **_section(
        _ENTERPRISE,
        Scope.OWN_ACCOUNT,
        {
            "enterprise.claim": ("claim on a registered enterprise (by USCC)", "change"),
            "privacy.consent": ("consent to the notice", "read, change"),
        },
    ),
    # enabling-centre staff
    **_section(
        _STAFF,
        Scope.OWN_CENTRE,
        {
            "centre.cohort": ("cohort", "read"),
            "centre.export": ("cohort", "download"),
            "centre.enterprise": ("enterprise, answers, stage validation", "read, change"),
            "centre.needs_list": ("roadmap needs list (改造需求清单)", "download"),
            "centre.evidence_file": ("evidence file", "download"),
            "centre.onsite_rating": ("on-site rating of the scenarios (audit row)", "read, change"),
            "centre.hand_over": ("enterprise's centre (hand-over, audit row)", "read, change"),
            "centre.referral_queue": ("referrals", "read"),
            "centre.move_referral": ("referral", "change"),
            "centre.request_reports": ("cohort PDF batch job", "change"),
            "centre.claims_page": ("claims on the cohort's enterprises without users", "read"),
            "centre.decide_claim": ("claim", "change"),
            "centre.pipeline_page": ("pipeline and common gaps", "read"),
            "centre.pipeline_export": ("pipeline", "download"),
            "centre.refer_group": ("referrals of many firms to a package", "change"),
        },
    ),
    # government officer
    **_section(
        _GOVERNMENT,
        Scope.AGGREGATE,
        {
            "government.dashboard": ("aggregate dashboard", "read"),
            "government.table_download": ("aggregate tables", "download"),
            "government.request_report": ("aggregate report job", "change"),
        },
    ),
    # background jobs (government reports, cohort PDF batches, re-scoring, cluster refits)
    **_section(
        _JOB_USERS,
        Scope.OWN_JOB,
        {
            "jobs.status": ("job progress", "read"),
            "jobs.download": ("job result file", "download"),
        },
    ),
    # administrator
    **_section(
        _ADMIN,
        Scope.ADMINISTRATION,
        {
            "admin.index": ("measurement quality of a round", "read"),
            "admin.catalogue_page": ("catalogue, audit log", "read"),
            "admin.catalogue_import": ("catalogue", "change"),
            "admin.catalogue_export": ("catalogue", "download"),
            "admin.catalogue_retire": ("catalogue entry", "change"),
            "admin.catalogue_edit": ("catalogue entry", "read, change"),
            "admin.instruments_page": ("instrument versions", "read"),
            "admin.instruments_publish": ("instrument version", "change"),
            "admin.instrument_download": ("instrument version", "download"),
            "admin.instrument_workbook_download": ("instrument version (Excel)", "download"),
            "admin.enterprises_page": ("enterprise bulk import", "read"),
            "admin.enterprises_import": ("enterprises (bulk import)", "change"),
            "admin.enterprises_template": ("enterprise import template", "download"),
            "admin.request_rescore": ("re-scoring job", "change"),
            "admin.request_refit": ("peer cluster refit job", "change"),
            "admin.releases_page": ("statistics releases and their audits", "read"),
            "admin.cut_release": ("statistics release job", "change"),
            "admin.users_page": ("user accounts (list, search, open)", "read, change"),
            "admin.user_update": ("user account (centre, active)", "change"),
            "admin.user_invite": ("user account (set-password invitation)", "change"),
            "admin.rounds_page": (
                "assessment rounds (open the next; mails enterprises)",
                "read, change",
            ),
            "admin.deletions": ("pending deletion requests", "read"),
            "admin.carry_out_deletion": (
                "enterprise personal data (anonymised, audit row)",
                "change",
            ),
        },
    ),
}


def role_of(user: object) -> str:
    """The matrix role of a user object (``ANONYMOUS`` when not logged in)."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    return str(getattr(user, "role", ANONYMOUS))


def enforce_matrix() -> None:
    """A ``before_request`` hook: apply ``MATRIX`` to the endpoint being called.

    An endpoint without a matrix entry answers 403 for everyone (fail closed); an unmatched URL
    (``request.endpoint`` is ``None``) is left to answer its own 404 or 405.
    """
    endpoint = request.endpoint
    if endpoint is None:
        return
    rule = MATRIX.get(endpoint)
    if rule is None:
        abort(403)
    role = role_of(current_user)
    if role in rule.roles:
        if role == Role.ENTERPRISE.value:
            _enforce_member_right(rule)
        return
    if role == ANONYMOUS:
        if request.path.startswith("/api/"):
            abort(401)
        abort(login_manager.unauthorized())
    abort(403)


def _enforce_member_right(rule: Rule) -> None:
    """Refuse (403, with the reason) an enterprise member whose ``member_role`` is below what
    the endpoint needs for this request's method."""
    needed = rule.read_needs if request.method in _SAFE_METHODS else rule.change_needs
    if has_member_right(current_user, needed):
        return
    if needed == _OWNER:
        abort(403, description=_("只有企业负责人可以管理成员和认领申请。"))
    abort(403, description=_("您在本企业的账户只能查看，不能修改或提交。请联系企业负责人。"))


def has_member_right(actor: User, needed: str) -> bool:
    """Whether an enterprise user's ``member_role`` is at least ``needed`` (``MEMBER_RANK``)."""
    return MEMBER_RANK.get(actor.member_role, -1) >= MEMBER_RANK[needed]


def may_answer(actor: User) -> bool:
    """An enterprise user who may answer, submit and ask for referrals: owner or editor."""
    return actor.role == Role.ENTERPRISE.value and has_member_right(actor, MemberRole.EDITOR.value)


def may_manage_enterprise(actor: User, enterprise_id: int) -> bool:
    """The owner of the enterprise: invites and removes members, decides claims on it."""
    return (
        actor.role == Role.ENTERPRISE.value
        and actor.enterprise_id == enterprise_id
        and actor.member_role == _OWNER
    )


def home_endpoint(user: User) -> str:
    """The endpoint a user lands on after login, by role."""
    return {
        Role.ENTERPRISE.value: "enterprise.home",
        Role.CENTRE_STAFF.value: "centre.cohort",
        Role.ADMIN.value: "admin.index",
        Role.GOVERNMENT.value: "government.dashboard",
    }.get(user.role, "main.index")


# Object scoping: each predicate answers for one loaded row. ----------------------------------


def may_reach_assessment(actor: User, assessment: Assessment) -> bool:
    """An enterprise user reaches the assessments of their own enterprise only."""
    return (
        actor.role == Role.ENTERPRISE.value
        and actor.enterprise_id is not None
        and actor.enterprise_id == assessment.enterprise_id
    )


def may_act_for_centre(actor: User, centre_id: int | None) -> bool:
    """Centre staff act on what is assigned to their own centre only: the enterprises of its
    cohort and the referrals routed to it. ``centre_id`` is the record's centre (``None``:
    not assigned, nobody's)."""
    return (
        actor.role == Role.CENTRE_STAFF.value
        and actor.centre_id is not None
        and centre_id == actor.centre_id
    )


def may_reach_evidence(actor: User, enterprise: Enterprise) -> bool:
    """Evidence files of an enterprise: its own users (any member role may read) and the staff
    of the centre it is assigned to; nobody else (officers and administrators neither)."""
    if actor.role == Role.ENTERPRISE.value:
        return actor.enterprise_id is not None and actor.enterprise_id == enterprise.id
    return may_act_for_centre(actor, enterprise.centre_id)


#: Job kinds an administrator oversees whoever started them (no enterprise-level result file).
ADMIN_JOB_KINDS = frozenset({"rescore_round", "refit_clusters"})


def may_reach_job(actor: User, job: Job) -> bool:
    """A job and its file belong to the user who started it; administrators also oversee the
    administrative jobs (``ADMIN_JOB_KINDS``: a re-score started by another administrator).
    A centre's batch of enterprise reports or an officer's report stays with its owner: the
    administrator sees no enterprise's report (review finding 14)."""
    if actor.role == Role.ADMIN.value and job.kind in ADMIN_JOB_KINDS:
        return True
    return job.created_by_id is not None and job.created_by_id == actor.id


#: Markers around the generated table in ``docs/security.md``.
MATRIX_BEGIN = "<!-- access matrix: generated by `flask docs security` -->"
MATRIX_END = "<!-- end of access matrix -->"


def markdown_matrix() -> str:
    """The matrix as a Markdown table (roles x endpoints), as ``docs/security.md`` shows it."""
    roles = list(ALL_ROLES)
    lines = [
        "| endpoint | resource | actions | "
        + " | ".join(roles)
        + " | enterprise member (read / change) | scope |",
        "|---|---|---|" + "---|" * len(roles) + "---|---|",
    ]
    for endpoint in sorted(MATRIX):
        rule = MATRIX[endpoint]
        marks = " | ".join("yes" if r in rule.roles else "—" for r in roles)
        member = "—"
        if Role.ENTERPRISE.value in rule.roles:
            member = f"{rule.read_needs} / {rule.change_needs}"
        lines.append(
            f"| `{endpoint}` | {rule.resource} | {rule.actions} | {marks} | {member} "
            f"| {rule.scope.value} |"
        )
    return "\n".join(lines)
