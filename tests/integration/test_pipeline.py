"""The centre's pipeline and group referrals to a service package."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from models import EnablingCentre, Enterprise, Notification, Referral, ReferralEvent, User
from tests.factories import PASSWORD
from webapp.extensions import db

PICKED = re.compile(r'name="enterprise" value="(\d+)"')


def _referrals(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Referral.id))) or 0


@pytest.mark.demo_cohort(enterprises=30, seed=2)  # the access-matrix tests' cohort
def test_staff_refer_the_pipeline_as_a_group_once_and_owners_see_it(  # type: ignore[no-untyped-def]
    app: Flask,
    client: FlaskClient,
    login: Callable[[User], None],
    staff_of: Callable[[int], User],
) -> None:
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "owner@demo.invalid"))
        assert owner is not None
        owner.password_hash = generate_password_hash(PASSWORD)
        centre_id = db.session.scalar(select(EnablingCentre.id).order_by(EnablingCentre.id))
        other_centre = db.session.scalar(
            select(EnablingCentre.id).where(EnablingCentre.id != centre_id)
        )
        db.session.execute(update(Enterprise).values(centre_id=centre_id))
        db.session.commit()
        db.session.refresh(owner)
        db.session.expunge(owner)
        owner_firm = owner.enterprise_id
    staff = staff_of(centre_id)
    login(staff)
    page = client.get("/centre/pipeline?kind=miit")
    assert page.status_code == 200
    listed = PICKED.findall(page.get_data(as_text=True))
    assert listed, "the demo cohort has firms one answer from the next MIIT level"
    assert "临界" in page.get_data(as_text=True)  # the deciding answers are named
    chosen = sorted({int(listed[0]), owner_firm})
    form = {"enterprise": [str(i) for i in chosen], "package": "pkg-integration", "kind": "miit"}
    assert client.post("/centre/pipeline/refer", data=form).status_code == 302
    client.post("/centre/pipeline/refer", data=form)  # double submit
    assert _referrals(app) == len(chosen)
    with app.app_context():
        rows = db.session.scalars(select(Referral)).all()
        assert {r.enterprise_id for r in rows} == set(chosen)
        assert {(r.target_kind, r.target_code, r.state) for r in rows} == {
            ("package", "pkg-integration", "requested")
        }
        assert db.session.scalar(select(func.count(ReferralEvent.id))) == len(chosen)
        told = db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == owner.id)
        )
        assert told == 1
    status = client.get("/centre/pipeline?kind=miit").get_data(as_text=True)
    assert "已申请" in status  # the referral status shows in the pipeline

    assert client.post("/centre/pipeline/refer", data={"package": "pkg-integration"}).status_code
    assert _referrals(app) == len(chosen)  # nobody chosen: nothing created
    unknown = {**form, "package": "pkg-nothing"}
    assert client.post("/centre/pipeline/refer", data=unknown).status_code == 404

    client.post("/auth/logout")
    stranger = staff_of(other_centre)
    login(stranger)
    other = {**form, "package": "pkg-leadership"}
    assert client.post("/centre/pipeline/refer", data=other).status_code == 404
    assert _referrals(app) == len(chosen)

    client.post("/auth/logout")
    login(owner)
    assert "系统打通服务包" in client.get("/enterprise/referrals").get_data(as_text=True)


@pytest.mark.demo_cohort(enterprises=30, seed=2)
def test_pipeline_export_and_segments_on_the_cohort_page(  # type: ignore[no-untyped-def]
    app: Flask,
    client: FlaskClient,
    login: Callable[[User], None],
    staff_of: Callable[[int], User],
) -> None:
    with app.app_context():
        centre_id = db.session.scalar(select(EnablingCentre.id).order_by(EnablingCentre.id))
        db.session.execute(update(Enterprise).values(centre_id=centre_id))
        db.session.commit()
    login(staff_of(centre_id))
    csv = client.get("/centre/pipeline.csv?kind=miit")
    assert csv.status_code == 200 and "text/csv" in csv.content_type
    text = csv.get_data(as_text=True)
    assert text.splitlines()[0].lstrip("\ufeff").startswith("统一社会信用代码")
    assert len(text.strip().splitlines()) > 1
    assert client.get("/centre/pipeline.pdf").status_code == 404
    client.post("/lang/en")
    english = client.get("/centre/pipeline.csv?kind=miit").get_data(as_text=True)
    assert english.lstrip("\ufeff").startswith("Unified social credit code")
    assert "Segments by transformation path" in client.get("/centre/").get_data(as_text=True)
    client.post("/lang/zh")
    cohort = client.get("/centre/").get_data(as_text=True)
    assert "转型路径分群" in cohort and "服务包" in cohort and "chart-segments" in cohort
