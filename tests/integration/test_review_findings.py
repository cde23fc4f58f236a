"""The attacker's review, the findings outside statistics: each test reproduces a finding (its
number in the review is in the test's comment) and shows the attack now fails."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from assessment.text import TextProblem, text_problem
from models import (
    AuditLog,
    EnablingCentre,
    Enterprise,
    PasswordResetToken,
    Role,
    User,
)
from reports.exports import safe_sheet_title
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    add_centre,
    finished_job,
    login_from,
    new_uscc,
    profile_form,
    registration_form,
)
from tests.mail_server import SmtpServer
from webapp import create_app
from webapp.config import SECRET_KEY_FILE
from webapp.extensions import db
from webapp.security import attachment, json_too_deep_or_long
from webapp.services.accounts import MAX_LIVE_RESET_LINKS
from webapp.services.errors import InvalidInputError
from webapp.services.passwords import check_password_rules

EN = {"Accept-Language": "en"}


def _post_login(client: FlaskClient, email: str, password: str, address: str) -> int:
    return login_from(client, email, password, address).status_code


# Finding 3: login throttling -------------------------------------------------------------------


def test_a_flood_of_wrong_passwords_from_one_address_does_not_lock_the_owner_out_elsewhere(
    client: FlaskClient, make_user
) -> None:  # type: ignore[no-untyped-def]
    victim = make_user()
    statuses = [
        _post_login(client, victim.email, "wrong-password-1", "203.0.113.9") for _ in range(30)
    ]
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}  # the flooding address is delayed
    assert _post_login(client, victim.email, PASSWORD, "203.0.113.9") == 429
    assert _post_login(client, victim.email, PASSWORD, "198.51.100.7") == 302  # the owner


def test_an_owner_locked_out_at_their_own_address_can_still_reset_by_mail(
    app: Flask, client: FlaskClient, make_user, smtp_server: SmtpServer
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    address = {"REMOTE_ADDR": "192.0.2.44"}
    for _ in range(11):
        _post_login(client, user.email, "wrong-password-1", "192.0.2.44")
    assert _post_login(client, user.email, PASSWORD, "192.0.2.44") == 429
    forgot = client.post("/auth/forgot", data={"email": user.email}, environ_base=address)
    assert forgot.status_code == 302  # the login limiter does not cover the reset flow
    # The link arrives by mail (no in-app inbox since reset links are mailed).
    (mail,) = smtp_server.to(user.email)
    (link,) = smtp_server.links(mail)
    assert link.startswith("http://localhost/auth/reset/")
    path = link.removeprefix("http://localhost")
    new = "a-new-passphrase-东莞-77"
    reset = client.post(path, data={"password": new, "confirm": new}, environ_base=address)
    assert reset.status_code == 302


def test_login_counters_live_in_redis_and_are_shared_by_every_process(
    app: Flask, tmp_path: Path, redis_url: str
) -> None:
    # Two app instances stand for two gunicorn workers: a counter kept in one process's memory
    # would let an attacker spread attempts over the workers.
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WTF_CSRF_ENABLED": False,
        "REDIS_URL": redis_url,
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes",
    }
    first, second = create_app(config), create_app(config)
    assert first.config["RATELIMIT_STORAGE_URI"] == redis_url
    email = f"redis-{uuid.uuid4().hex}@example.com"
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    one, two = first.test_client(), second.test_client()
    try:
        assert [_post_login(one, email, "wrong-password-1", address) for _ in range(2)] == [
            200,
            200,
        ]
        assert _post_login(two, email, "wrong-password-1", address) == 200
        assert _post_login(one, email, "wrong-password-1", address) == 429
    finally:
        # Close the two apps' pooled connections now: left to the garbage collector, a
        # PostgreSQL connection warns (an error under the test settings) in a later test.
        for instance in (first, second):
            with instance.app_context():
                db.engine.dispose()


# Finding 12 and 11: open redirect and control characters in next= ----------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/",
        "/%0a/evil.example/",
        "/%0d%0aX-Injected:%201",
        "/%5C/evil.example",
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ],
)
def test_login_never_redirects_off_site_or_fails_on_next(
    client: FlaskClient, make_user, target: str
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    resp = client.post(
        f"/auth/login?next={target}", data={"email": user.email, "password": PASSWORD}
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/enterprise/"


def test_login_follows_a_local_next(client: FlaskClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    resp = client.post(
        "/auth/login?next=/enterprise/profile", data={"email": user.email, "password": PASSWORD}
    )
    assert resp.headers["Location"] == "/enterprise/profile"


def test_language_switch_never_redirects_off_site(client: FlaskClient) -> None:
    resp = client.post("/lang/en", data={"next": "/\t/evil.example/"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


# Finding 13: no public default SECRET_KEY -------------------------------------------------------


def test_without_a_secret_key_the_app_uses_a_private_key_kept_in_the_instance_folder(
    tmp_path: Path,
) -> None:
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.sqlite'}"}
    app = create_app(config)
    key = app.config["SECRET_KEY"]
    assert key and key != "dev-only-change-me" and len(key) == 64
    keyfile = Path(app.instance_path) / SECRET_KEY_FILE
    assert keyfile.read_text() == key
    assert oct(keyfile.stat().st_mode & 0o777) == "0o600"
    assert create_app(config).config["SECRET_KEY"] == key  # every process signs alike


def test_the_old_public_default_secret_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            {
                "SECRET_KEY": "dev-only-change-me",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.sqlite'}",
            }
        )


# Finding 15: weak passwords -------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "123456789012",
        "qwertyuiopas",
        "aaaaaaaaaaaa",
        "P@ssw0rd2026",
        "iloveyou1234",
        "changeme1234",
        "x" * 128,
        "\x00" * 12,
        "你好" * 6,
        "210987654321",
        "abcdabcdabcd",
    ],
)
def test_the_weak_passwords_the_review_got_accepted_are_refused(app: Flask, password: str) -> None:
    with app.test_request_context(), pytest.raises(InvalidInputError) as exc:
        check_password_rules(password, "user@example.com")
    assert exc.value.field == "password"


# Finding 22: Cache-Control and COOP -----------------------------------------------------------


def test_authenticated_pages_downloads_and_api_are_not_stored_by_caches(
    client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    login(make_user())
    for path in ("/enterprise/", "/enterprise/profile", "/api/v1/assessments", "/auth/login"):
        resp = client.get(path)
        assert resp.headers.get("Cache-Control") == "no-store", path
        assert resp.headers.get("Cross-Origin-Opener-Policy") == "same-origin", path
    static = client.get("/vendor/plotly.min.js")
    static.close()  # a streamed file: close it so no file handle is left open
    assert "no-store" not in static.headers.get("Cache-Control", "")


# Finding 9: names and free text; exports never fail on stored text ----------------------------


def _centre(app: Flask, staff_id: int | None = None, code: str = "CTR-R") -> int:
    with app.app_context():
        centre = add_centre(
            code,
            name_zh="东莞市测试赋能中心",
            name_en="Dongguan Test Centre",
            contact="0769-1234 5678",
        )
        if staff_id is not None:
            staff = db.session.get(User, staff_id)
            assert staff is not None
            staff.centre_id = centre.id
        db.session.commit()
        return centre.id


BAD_NAMES = {
    "Ctrl\x00Co": "控制字符",
    "Ctrl\x07\x0bCo": "控制字符",
    "\u200b\u200b": "不可见字符",
    "Ctrl \u202egnp.exe Co": "改变文字方向",
    "A" + "\u0301" * 10: "组合符号",
}


@pytest.mark.parametrize("name", list(BAD_NAMES))
def test_the_profile_form_refuses_control_zero_width_only_bidi_and_zalgo_names(
    client: FlaskClient, make_user, login, name: str
) -> None:  # type: ignore[no-untyped-def]
    login(make_user())
    resp = client.post(
        "/enterprise/profile",
        data=profile_form(name, new_uscc()),
    )
    assert resp.status_code == 200
    assert BAD_NAMES[name] in resp.get_data(as_text=True)
    with client.application.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enterprise)) == 0


def test_registration_refuses_a_display_name_with_a_bidi_override(client: FlaskClient) -> None:
    resp = client.post(
        "/auth/register",
        data=registration_form("bidi@example.com", "Tester\u202e", "Correct-Horse-Battery-77"),
    )
    assert resp.status_code == 200 and "改变文字方向" in resp.get_data(as_text=True)


def test_plain_text_rule_keeps_line_breaks_in_free_text_and_every_script_in_names() -> None:
    assert text_problem("东莞市大岭山优联木业有限公司") is None
    assert text_problem("Đông Quản Co. — 株式会社 ﾃｽﾄ") is None
    assert text_problem("第一行\n第二行\t缩进", multiline=True) is None
    assert text_problem("第一行\n第二行") is TextProblem.CONTROL
    assert text_problem("\u200b \ufeff") is TextProblem.INVISIBLE


def test_the_cohort_excel_export_survives_control_characters_stored_before_the_rule(
    app: Flask, client: FlaskClient, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    staff = make_user(Role.CENTRE_STAFF)
    centre_id = _centre(app, staff.id)
    enterprise = make_enterprise(make_user(), name="东莞市大岭山优联木业有限公司")
    with app.app_context():
        row = db.session.get(Enterprise, enterprise.id)
        assert row is not None
        row.centre_id = centre_id
        row.name = "东莞市大岭山优联木业有限公司\x07\u202e"  # stored before the input rule
        db.session.commit()
    login(staff)
    resp = client.get("/centre/export.xlsx")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data)).active
    names = [r[1].value for r in sheet.iter_rows(min_row=2)]
    assert names == ["东莞市大岭山优联木业有限公司"]
    assert client.get("/centre/export.csv").status_code == 200


def test_excel_sheet_titles_are_made_valid() -> None:
    assert safe_sheet_title("cohort-*") == "cohort-_"
    assert safe_sheet_title("cohort-../../etc/passwd") == "cohort-.._.._etc_passwd"
    assert safe_sheet_title("\x00") == "sheet"
    assert len(safe_sheet_title("x" * 40)) == 31


# Finding 8: a taken USCC names who decides a claim, and the attempt is recorded -----------------


def test_a_taken_uscc_of_an_imported_firm_names_its_centre_and_the_attempt_is_audited(
    app: Flask, client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    centre_id = _centre(app)
    with app.app_context():
        taken = EnterpriseFactory(name="东莞市某某真实公司", centre_id=centre_id)
        uscc = taken.uscc
        db.session.commit()
    owner = make_user()
    login(owner)
    form = profile_form("东莞市某某真实公司", uscc)
    page = client.post("/enterprise/profile", data=form).get_data(as_text=True)
    assert "东莞市测试赋能中心" in page and "0769-1234 5678" in page and "申请认领" in page
    english = client.post("/enterprise/profile?lang=en", data=form, headers=EN)
    assert "Dongguan Test Centre" in english.get_data(as_text=True)
    with app.app_context():
        audit = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "uscc_claim_refused")
        ).all()
        assert len(audit) == 2
        assert audit[0].actor_id == owner.id and audit[0].entity_code == uscc
        assert db.session.get(User, owner.id).enterprise_id is None


def test_a_taken_uscc_of_a_registered_firm_names_its_owner(
    client: FlaskClient, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    taken = make_enterprise(make_user())
    login(make_user())
    page = client.post(
        "/enterprise/profile",
        data=profile_form("某公司", taken.uscc),
    ).get_data(as_text=True)
    assert "该企业的负责人（测试用户）" in page and "已记录" in page


# Finding 14: the administrator reaches administrative jobs, not enterprise reports --------------


def test_the_administrator_cannot_open_a_centres_batch_of_reports_but_oversees_rescoring(
    app: Flask, client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    staff, other_admin = make_user(Role.CENTRE_STAFF), make_user(Role.ADMIN)
    with app.app_context():
        for kind, owner, tag in (
            ("cohort_pdfs", staff, "batch"),
            ("rescore_round", other_admin, "rescore"),
        ):
            db.session.add(
                finished_job(
                    tag.ljust(32, "0"),
                    kind,
                    owner.id,
                    "reports-2026-zh.zip",
                    "application/zip",
                    dedupe_key=tag,
                )
            )
        db.session.commit()
    login(make_user(Role.ADMIN))
    assert client.get("/jobs/" + "batch".ljust(32, "0")).status_code == 404
    assert client.get("/jobs/" + "batch".ljust(32, "0") + "/download").status_code == 404
    assert client.get("/jobs/" + "rescore".ljust(32, "0")).status_code == 200


def test_the_catalogue_audit_list_shows_no_enterprise_events(
    app: Flask, client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        db.session.add_all(
            [
                AuditLog(
                    entity="assessment", entity_code="ea14e63e" * 4, action="correction_submitted"
                ),
                AuditLog(entity="enterprise", entity_code="91441900MT0000001X", action="import"),
                AuditLog(entity="centres", entity_code="CTR-AUDIT", action="update"),
            ]
        )
        db.session.commit()
    login(make_user(Role.ADMIN))
    page = client.get("/admin/catalogue").get_data(as_text=True)
    assert "CTR-AUDIT" in page
    assert "ea14e63e" not in page and "91441900MT0000001X" not in page


# Finding 11: crafted parameters; finding 20: catalogue round trip ------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "round=2026%0D%0AX-Injected:%201",
        "round=二〇二六",
        "round=*",
        "round=x.html;%20filename=evil.html",
        "persona=99999999999999999999999",
    ],
)
def test_crafted_round_and_persona_parameters_get_400_not_500(
    client: FlaskClient, make_user, login, query: str
) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CENTRE_STAFF))
    for path in ("/centre/export.csv", "/centre/export.xlsx", "/centre/"):
        assert client.get(f"{path}?{query}").status_code == 400, path


def test_autosave_with_an_odd_version_gets_400_not_500(
    client: FlaskClient, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    make_enterprise(user)
    login(user)
    location = client.post("/enterprise/assessments/start").headers["Location"]
    for version in ("²", "9" * 5000):
        assert client.post(location, data={"version": version}).status_code == 400


def test_download_names_cannot_inject_content_disposition_parameters() -> None:
    header = attachment("aggregate-x.html; filename=evil.html.xlsx")
    assert header.count("filename=") == 1
    assert header.startswith('attachment; filename="aggregate-x.html__filename_evil.html.xlsx"')
    assert "filename*=UTF-8''aggregate-x.html%3B%20filename%3Devil.html.xlsx" in header


def test_catalogue_export_then_import_keeps_values_starting_with_formula_characters(
    app: Flask, client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    _centre(app, code="CTR-RT")
    with app.app_context():
        centre = db.session.scalar(select(EnablingCentre).where(EnablingCentre.code == "CTR-RT"))
        assert centre is not None
        centre.contact = "+86 769 8888 0000"
        centre.name_en = "-1-1"
        db.session.commit()
    login(make_user(Role.ADMIN))
    exported = client.get("/admin/catalogue/export.xlsx").data
    resp = client.post(
        "/admin/catalogue/import",
        data={"file": (io.BytesIO(exported), "catalogue.xlsx")},
        content_type="multipart/form-data",
    )
    assert resp.status_code in (200, 302), resp.get_data(as_text=True)[:500]
    with app.app_context():
        centre = db.session.scalar(select(EnablingCentre).where(EnablingCentre.code == "CTR-RT"))
        assert centre is not None
        assert (centre.contact, centre.name_en) == ("+86 769 8888 0000", "-1-1")


# Finding 18: reset links per account ---------------------------------------------------------


def test_reset_requests_from_many_addresses_cannot_flood_one_outbox(
    app: Flask, client: FlaskClient, make_user, smtp_server: SmtpServer
) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    for n in range(10):
        resp = client.post(
            "/auth/forgot", data={"email": user.email}, environ_base={"REMOTE_ADDR": f"10.7.0.{n}"}
        )
        assert resp.status_code == 302
    assert len(smtp_server.to(user.email)) == MAX_LIVE_RESET_LINKS  # mails with a reset link
    with app.app_context():
        count = db.session.scalar(select(func.count()).where(PasswordResetToken.user_id == user.id))
    assert count == MAX_LIVE_RESET_LINKS


# Finding 11: hostile JSON; finding 21: expensive endpoints ---------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"version": 1' + b"1" * 5000 + b"}",
        b'{"a":' * 100 + b"1" + b"}" * 100,
    ],
    ids=["deep-array", "5000-digits", "deep-object"],
)
def test_hostile_json_gets_400_not_500(client: FlaskClient, body: bytes) -> None:
    resp = client.post("/api/v1/score", data=body, content_type="application/json")
    assert resp.status_code == 400


def test_json_with_brackets_inside_strings_is_not_mistaken_for_nesting() -> None:
    assert not json_too_deep_or_long(b'{"note": "' + b"[" * 500 + b'\\"[["}')
    assert json_too_deep_or_long(b"[" * 65 + b"]" * 65)
    assert not json_too_deep_or_long(b"[" * 64 + b"]" * 64)


def test_job_starts_are_limited_per_user(  # type: ignore[no-untyped-def]
    app: Flask, client: FlaskClient, make_user, login, job_functions: dict[str, Any]
) -> None:
    app.config["EXPENSIVE_LIMIT"] = "3 per 10 minutes"
    app.config["JOBS_SYNC"] = True
    job_functions["government_xlsx"] = lambda job, report: (b"PK", "r.xlsx", "application/zip")
    login(make_user(Role.GOVERNMENT))
    statuses = [
        client.post(
            "/government/reports", data={"kind": "xlsx", "round": str(2020 + n)}
        ).status_code
        for n in range(4)
    ]
    assert statuses[:3] == [302] * 3 and statuses[3] == 429


# Finding 24: centre staff get their centre from the command line -------------------------------


def test_users_create_assigns_centre_staff_to_their_centre(app: Flask, runner) -> None:  # type: ignore[no-untyped-def]
    centre_id = _centre(app, code="C-CLI")
    args = ["users", "create", "--email", "s@example.com", "--name", "S", "--role"]
    result = runner.invoke(
        args=[*args, "centre_staff", "--centre", "C-CLI", "--password", "a-long-pass-东莞-2026"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "s@example.com"))
        assert user is not None and user.centre_id == centre_id
    missing = runner.invoke(args=[*args, "centre_staff", "--password", "a-long-pass-东莞-2026"])
    assert missing.exit_code != 0 and "--centre" in missing.output
    unknown = runner.invoke(
        args=[*args, "centre_staff", "--centre", "NOPE", "--password", "a-long-pass-东莞-2026"]
    )
    assert unknown.exit_code != 0 and "NOPE" in unknown.output
