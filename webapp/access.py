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

from models import Assessment, Enterprise, Job, MemberRole, Referral, Role, User
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
#: Member roles from the least to the most rights.
MEMBER_RANK = {_VIEWER: 0, MemberRole.EDITOR.value: 1, _OWNER: 2}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

MATRIX: dict[str, Rule] = {
    # public pages and assets
    "main.index": Rule(_EVERYONE, "landing page", "read", Scope.PUBLIC),
    "main.healthz": Rule(_EVERYONE, "health check", "read", Scope.PUBLIC),
    "main.set_language": Rule(
        _EVERYONE,
        "language choice (session; the account's mail language)",
        "change",
        Scope.PUBLIC,
        _VIEWER,
    ),
    "main.plotly_js": Rule(_EVERYONE, "chart library", "read", Scope.PUBLIC),
    "static": Rule(_EVERYONE, "static files", "read", Scope.PUBLIC),
    # accounts
    "auth.login": Rule(_EVERYONE, "session", "read, change", Scope.OWN_ACCOUNT),
    "auth.register": Rule(_EVERYONE, "account", "change", Scope.OWN_ACCOUNT),
    "auth.forgot_password": Rule(_EVERYONE, "password reset", "change", Scope.OWN_ACCOUNT),
    "auth.reset_password": Rule(_EVERYONE, "password reset", "change", Scope.OWN_ACCOUNT),
    "auth.logout": Rule(_LOGGED_IN, "session", "change", Scope.OWN_ACCOUNT, _VIEWER),
    "auth.accept_invitation": Rule(
        _EVERYONE,
        "invitation into an enterprise (token)",
        "read, change",
        Scope.OWN_ACCOUNT,
        _VIEWER,
    ),
    # enterprise user
    "enterprise.home": Rule(_ENTERPRISE, "enterprise, assessments", "read", Scope.OWN_ENTERPRISE),
    "enterprise.profile": Rule(
        _ENTERPRISE, "enterprise profile", "read, change", Scope.OWN_ENTERPRISE
    ),
    "enterprise.start": Rule(_ENTERPRISE, "assessment", "change", Scope.OWN_ENTERPRISE),
    "enterprise.page": Rule(
        _ENTERPRISE, "assessment responses", "read, change", Scope.OWN_ENTERPRISE
    ),
    "enterprise.review": Rule(_ENTERPRISE, "assessment", "read", Scope.OWN_ENTERPRISE),
    "enterprise.submit": Rule(_ENTERPRISE, "assessment", "change", Scope.OWN_ENTERPRISE),
    "enterprise.result": Rule(_ENTERPRISE, "assessment report", "read", Scope.OWN_ENTERPRISE),
    "enterprise.report_pdf": Rule(
        _ENTERPRISE, "assessment report", "download", Scope.OWN_ENTERPRISE
    ),
    "enterprise.needs_list": Rule(
        _ENTERPRISE, "roadmap needs list (改造需求清单)", "download", Scope.OWN_ENTERPRISE
    ),
    "enterprise.request_referral": Rule(_ENTERPRISE, "referral", "change", Scope.OWN_ENTERPRISE),
    "enterprise.my_referrals": Rule(
        _ENTERPRISE, "referrals, notifications", "read", Scope.OWN_ENTERPRISE
    ),
    "enterprise.claim": Rule(
        _ENTERPRISE, "claim on a registered enterprise (by USCC)", "change", Scope.OWN_ACCOUNT
    ),
    "enterprise.team": Rule(
        _ENTERPRISE,
        "members, invitations, claims on the enterprise",
        "read, change",
        Scope.OWN_ENTERPRISE,
        _OWNER,
        _OWNER,
    ),
    "enterprise.invitation_resend": Rule(
        _ENTERPRISE, "invitation", "change", Scope.OWN_ENTERPRISE, _OWNER, _OWNER
    ),
    "enterprise.invitation_revoke": Rule(
        _ENTERPRISE, "invitation", "change", Scope.OWN_ENTERPRISE, _OWNER, _OWNER
    ),
    "enterprise.member_remove": Rule(
        _ENTERPRISE, "member of the enterprise", "change", Scope.OWN_ENTERPRISE, _OWNER, _OWNER
    ),
    "enterprise.member_make_owner": Rule(
        _ENTERPRISE,
        "ownership of the enterprise (hand over to a member)",
        "change",
        Scope.OWN_ENTERPRISE,
        _OWNER,
        _OWNER,
    ),
    "enterprise.decide_claim": Rule(
        _ENTERPRISE, "claim on the enterprise", "change", Scope.OWN_ENTERPRISE, _OWNER, _OWNER
    ),
    "enterprise.evidence_upload": Rule(
        _ENTERPRISE, "evidence file of an answer (draft only)", "change", Scope.OWN_ENTERPRISE
    ),
    "enterprise.evidence_delete": Rule(
        _ENTERPRISE, "evidence file of an answer (draft only)", "change", Scope.OWN_ENTERPRISE
    ),
    "enterprise.evidence_file": Rule(
        _ENTERPRISE, "evidence file", "download", Scope.OWN_ENTERPRISE
    ),
    "enterprise.start_correction": Rule(
        _ENTERPRISE, "assessment correction (new record)", "change", Scope.OWN_ENTERPRISE
    ),
    # enabling-centre staff
    "centre.cohort": Rule(_STAFF, "cohort", "read", Scope.OWN_CENTRE),
    "centre.export": Rule(_STAFF, "cohort", "download", Scope.OWN_CENTRE),
    "centre.enterprise": Rule(
        _STAFF, "enterprise, answers, stage validation", "read, change", Scope.OWN_CENTRE
    ),
    "centre.needs_list": Rule(
        _STAFF, "roadmap needs list (改造需求清单)", "download", Scope.OWN_CENTRE
    ),
    "centre.evidence_file": Rule(_STAFF, "evidence file", "download", Scope.OWN_CENTRE),
    "centre.onsite_rating": Rule(
        _STAFF, "on-site rating of the scenarios (audit row)", "read, change", Scope.OWN_CENTRE
    ),
    "centre.hand_over": Rule(
        _STAFF, "enterprise's centre (hand-over, audit row)", "read, change", Scope.OWN_CENTRE
    ),
    "centre.referral_queue": Rule(_STAFF, "referrals", "read", Scope.OWN_CENTRE),
    "centre.move_referral": Rule(_STAFF, "referral", "change", Scope.OWN_CENTRE),
    "centre.request_reports": Rule(_STAFF, "cohort PDF batch job", "change", Scope.OWN_CENTRE),
    "centre.claims_page": Rule(
        _STAFF, "claims on the cohort's enterprises without users", "read", Scope.OWN_CENTRE
    ),
    "centre.decide_claim": Rule(_STAFF, "claim", "change", Scope.OWN_CENTRE),
    "centre.pipeline_page": Rule(_STAFF, "pipeline and common gaps", "read", Scope.OWN_CENTRE),
    "centre.pipeline_export": Rule(_STAFF, "pipeline", "download", Scope.OWN_CENTRE),
    "centre.refer_group": Rule(
        _STAFF, "referrals of many firms to a package", "change", Scope.OWN_CENTRE
    ),
    # government officer
    "government.dashboard": Rule(_GOVERNMENT, "aggregate dashboard", "read", Scope.AGGREGATE),
    "government.table_download": Rule(_GOVERNMENT, "aggregate tables", "download", Scope.AGGREGATE),
    "government.request_report": Rule(
        _GOVERNMENT, "aggregate report job", "change", Scope.AGGREGATE
    ),
    # background jobs (government reports, cohort PDF batches, re-scoring, cluster refits)
    "jobs.status": Rule(_JOB_USERS, "job progress", "read", Scope.OWN_JOB),
    "jobs.download": Rule(_JOB_USERS, "job result file", "download", Scope.OWN_JOB),
    # administrator
    "admin.index": Rule(_ADMIN, "measurement quality of a round", "read", Scope.ADMINISTRATION),
    "admin.catalogue_page": Rule(
        _ADMIN, "catalogue, cost shares, audit log", "read", Scope.ADMINISTRATION
    ),
    "admin.catalogue_import": Rule(_ADMIN, "catalogue", "change", Scope.ADMINISTRATION),
    "admin.catalogue_export": Rule(_ADMIN, "catalogue", "download", Scope.ADMINISTRATION),
    "admin.catalogue_retire": Rule(_ADMIN, "catalogue entry", "change", Scope.ADMINISTRATION),
    "admin.catalogue_edit": Rule(_ADMIN, "catalogue entry", "read, change", Scope.ADMINISTRATION),
    "admin.cost_shares": Rule(_ADMIN, "cost-sharing settings", "change", Scope.ADMINISTRATION),
    "admin.instruments_page": Rule(_ADMIN, "instrument versions", "read", Scope.ADMINISTRATION),
    "admin.instruments_publish": Rule(_ADMIN, "instrument version", "change", Scope.ADMINISTRATION),
    "admin.instrument_download": Rule(
        _ADMIN, "instrument version", "download", Scope.ADMINISTRATION
    ),
    "admin.instrument_workbook_download": Rule(
        _ADMIN, "instrument version (Excel)", "download", Scope.ADMINISTRATION
    ),
    "admin.enterprises_page": Rule(_ADMIN, "enterprise bulk import", "read", Scope.ADMINISTRATION),
    "admin.enterprises_import": Rule(
        _ADMIN, "enterprises (bulk import)", "change", Scope.ADMINISTRATION
    ),
    "admin.enterprises_template": Rule(
        _ADMIN, "enterprise import template", "download", Scope.ADMINISTRATION
    ),
    "admin.request_rescore": Rule(_ADMIN, "re-scoring job", "change", Scope.ADMINISTRATION),
    "admin.request_refit": Rule(_ADMIN, "peer cluster refit job", "change", Scope.ADMINISTRATION),
    "admin.releases_page": Rule(
        _ADMIN, "statistics releases and their audits", "read", Scope.ADMINISTRATION
    ),
    "admin.cut_release": Rule(_ADMIN, "statistics release job", "change", Scope.ADMINISTRATION),
    "admin.users_page": Rule(
        _ADMIN, "user accounts (list, search, open)", "read, change", Scope.ADMINISTRATION
    ),
    "admin.user_update": Rule(
        _ADMIN, "user account (centre, active)", "change", Scope.ADMINISTRATION
    ),
    "admin.user_invite": Rule(
        _ADMIN, "user account (set-password invitation)", "change", Scope.ADMINISTRATION
    ),
    "admin.rounds_page": Rule(
        _ADMIN,
        "assessment rounds (open the next; mails enterprises)",
        "read, change",
        Scope.ADMINISTRATION,
    ),
    "admin.deletions": Rule(_ADMIN, "pending deletion requests", "read", Scope.ADMINISTRATION),
    "admin.carry_out_deletion": Rule(
        _ADMIN, "enterprise personal data (anonymised, audit row)", "change", Scope.ADMINISTRATION
    ),
    # privacy: the notice, consent, the firm's own data
    "privacy.notice": Rule(_EVERYONE, "privacy notice", "read", Scope.PUBLIC),
    "privacy.consent": Rule(
        _ENTERPRISE, "consent to the notice", "read, change", Scope.OWN_ACCOUNT
    ),
    "privacy.my_data": Rule(
        _ENTERPRISE, "the firm's data: export, deletion request", "read", Scope.OWN_ENTERPRISE
    ),
    "privacy.export_json": Rule(
        _ENTERPRISE, "all of the firm's data (JSON)", "download", Scope.OWN_ENTERPRISE
    ),
    "privacy.export_xlsx": Rule(
        _ENTERPRISE, "all of the firm's data (Excel)", "download", Scope.OWN_ENTERPRISE
    ),
    "privacy.deletion": Rule(_ENTERPRISE, "deletion request", "read, change", Scope.OWN_ENTERPRISE),
    # JSON API
    "api-docs.openapi_json": Rule(_EVERYONE, "API description", "read", Scope.PUBLIC),
    "api.CurrentInstrument": Rule(_EVERYONE, "instrument", "read", Scope.PUBLIC),
    "api.Score": Rule(_EVERYONE, "stateless scoring (nothing stored)", "read", Scope.PUBLIC),
    "api.OwnAssessments": Rule(_ENTERPRISE, "assessments", "read", Scope.OWN_ENTERPRISE),
    "api.OwnAssessment": Rule(_ENTERPRISE, "assessment", "read", Scope.OWN_ENTERPRISE),
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


def may_reach_cohort_enterprise(actor: User, enterprise: Enterprise) -> bool:
    """Centre staff reach the enterprises assigned to their own centre only."""
    return (
        actor.role == Role.CENTRE_STAFF.value
        and actor.centre_id is not None
        and enterprise.centre_id == actor.centre_id
    )


def may_reach_evidence(actor: User, enterprise: Enterprise) -> bool:
    """Evidence files of an enterprise: its own users (any member role may read) and the staff
    of the centre it is assigned to; nobody else (officers and administrators neither)."""
    if actor.role == Role.ENTERPRISE.value:
        return actor.enterprise_id is not None and actor.enterprise_id == enterprise.id
    return may_reach_cohort_enterprise(actor, enterprise)


def may_handle_referral(actor: User, referral: Referral) -> bool:
    """Centre staff follow up the referrals routed to their own centre only."""
    return (
        actor.role == Role.CENTRE_STAFF.value
        and actor.centre_id is not None
        and referral.centre_id == actor.centre_id
    )


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
