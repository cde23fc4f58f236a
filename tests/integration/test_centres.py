"""Centres and cohorts: assignment on profile completion, contacts for the centre's staff,
hand-over between centres with an audit row, and the refusals around them."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditLog, EnablingCentre, Enterprise, Role
from tests.factories import new_uscc
from webapp.extensions import db
from webapp.services import demo


@pytest.fixture
def centres(app: Flask) -> dict[str, int]:
    with app.app_context():
        demo.load_catalogue()
        return {c.code: c.id for c in db.session.scalars(select(EnablingCentre))}


def _profile_form(**overrides: str) -> dict[str, str]:
    return {
        "name": "东莞市联系人测试有限公司",
        "uscc": new_uscc(),
        "industry_code": "C21",
        "production_type": "discrete",
        "town": "houjie",
        "employees": "80",
        "revenue_wan": "2500",
        "contact_name": "李经理",
        "contact_phone": "138 1234 5678",
        "contact_email": "li@example.com",
    } | overrides


def test_profile_completion_assigns_the_centre_of_the_cluster_and_town(
    app: Flask, make_user, make_enterprise, centres: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    furniture = make_enterprise(make_user())  # C21 furniture in Houjie
    electronics_in_humen = make_enterprise(make_user(), industry_code="C39", town="humen")
    assert furniture.centre_id == centres["C-FURN"]
    assert electronics_in_humen.centre_id == centres["C-PLAT"]  # the region-wide centre


def test_profile_contact_is_validated_normalised_and_shown_to_the_centre(
    app: Flask, client: FlaskClient, make_user, login, centres: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    owner = make_user()
    login(owner)
    bad = client.post("/enterprise/profile", data=_profile_form(contact_phone="12345"))
    assert bad.status_code == 200
    assert "请填写手机号码或带区号的固定电话" in bad.get_data(as_text=True)
    bad_mail = client.post("/enterprise/profile", data=_profile_form(contact_email="not-mail"))
    assert "电子邮箱格式不正确" in bad_mail.get_data(as_text=True)
    assert client.post("/enterprise/profile", data=_profile_form()).status_code == 302
    with app.app_context():
        firm = db.session.scalar(select(Enterprise))
        assert firm is not None
        assert (firm.contact_name, firm.contact_phone, firm.contact_email) == (
            "李经理",
            "13812345678",
            "li@example.com",
        )
        assert firm.centre_id == centres["C-FURN"]
        firm_id = firm.id
    staff = make_user(Role.CENTRE_STAFF, centre_id=centres["C-FURN"])
    client.post("/auth/logout")
    login(staff)
    page = client.get(f"/centre/enterprises/{firm_id}").get_data(as_text=True)
    assert "李经理" in page and "tel:13812345678" in page and "mailto:li@example.com" in page
    rows = list(csv.reader(io.StringIO(client.get("/centre/export.csv").data.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert row[header.index("联系人 (contact_name)")] == "李经理"
    assert row[header.index("联系电话 (contact_phone)")] == "13812345678"
    assert row[header.index("联系邮箱 (contact_email)")] == "li@example.com"


def test_contact_defaults_to_the_account_when_left_empty(
    app: Flask, make_user, make_enterprise, centres: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    owner = make_user(email="owner-default@example.com")
    firm = make_enterprise(owner)
    assert (firm.contact_name, firm.contact_email, firm.contact_phone) == (
        "测试用户",
        "owner-default@example.com",
        "",
    )


def test_staff_hand_a_firm_over_with_a_reason_and_an_audit_row(
    app: Flask, client: FlaskClient, make_user, make_enterprise, login, centres: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    firm = make_enterprise(make_user())
    staff = make_user(Role.CENTRE_STAFF, centre_id=centres["C-FURN"])
    login(staff)
    url = f"/centre/enterprises/{firm.id}/hand-over"
    form = client.get(url).get_data(as_text=True)
    assert 'value="C-EQUIP"' in form and 'value="C-FURN"' not in form  # not to itself
    no_reason = client.post(url, data={"centre": "C-EQUIP", "reason": "  "})
    assert no_reason.status_code == 200
    assert "请写明移交原因" in no_reason.get_data(as_text=True)
    same = client.post(url, data={"centre": "C-FURN", "reason": "搬迁"})
    assert same.status_code == 200
    with app.app_context():
        assert db.session.get(Enterprise, firm.id).centre_id == centres["C-FURN"]  # type: ignore[union-attr]
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "hand_over")) is None
    moved = client.post(url, data={"centre": "C-EQUIP", "reason": "企业已迁至谢岗"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/centre/")
    with app.app_context():
        assert db.session.get(Enterprise, firm.id).centre_id == centres["C-EQUIP"]  # type: ignore[union-attr]
        audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "hand_over"))
        assert audit is not None and audit.actor_id == staff.id
        assert audit.entity_code == firm.uscc
        assert audit.detail["from"] == "C-FURN" and audit.detail["to"] == "C-EQUIP"
        assert audit.detail["reason"] == "企业已迁至谢岗"
    assert client.get(f"/centre/enterprises/{firm.id}").status_code == 404  # no longer ours


def test_staff_of_another_centre_cannot_hand_a_firm_over(
    app: Flask, client: FlaskClient, make_user, make_enterprise, login, centres: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    firm = make_enterprise(make_user())
    login(make_user(Role.CENTRE_STAFF, centre_id=centres["C-EQUIP"]))
    assert client.get(f"/centre/enterprises/{firm.id}/hand-over").status_code == 404
    resp = client.post(
        f"/centre/enterprises/{firm.id}/hand-over", data={"centre": "C-EQUIP", "reason": "抢"}
    )
    assert resp.status_code == 404
    with app.app_context():
        assert db.session.get(Enterprise, firm.id).centre_id == centres["C-FURN"]  # type: ignore[union-attr]
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "hand_over")) is None


def test_an_owner_cannot_reach_the_hand_over(
    app: Flask, client: FlaskClient, make_user, make_enterprise, login, centres: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    owner = make_user()
    firm = make_enterprise(owner)
    login(owner)
    resp = client.post(
        f"/centre/enterprises/{firm.id}/hand-over", data={"centre": "C-EQUIP", "reason": "x"}
    )
    assert resp.status_code in (403, 404)
    with app.app_context():
        assert db.session.get(Enterprise, firm.id).centre_id == centres["C-FURN"]  # type: ignore[union-attr]
