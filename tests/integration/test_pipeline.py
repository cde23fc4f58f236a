"""The centre's pipeline and group referrals to a service package."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from models import EnablingCentre, Enterprise, Notification, Referral, ReferralEvent, Role, User
from tests.factories import PASSWORD, EnterpriseFactory, SubmittedAssessmentFactory, add_centre
from webapp.extensions import db
from webapp.services import group_referrals
from webapp.services.errors import ConflictError

PICKED = re.compile(r'name="enterprise" value="(\d+)"')
GROUP_ACTION = re.compile(r'name="group_action" value="([0-9a-f]{32})"')


@pytest.fixture
def first_centre_staff(
    app: Flask, login: Callable[[User], None], staff_of: Callable[[int], User]
) -> int:
    """Move every firm of the (demo) database into the first centre, log a new staff member of
    it in, and return that centre's id."""
    with app.app_context():
        centre_id = db.session.scalar(select(EnablingCentre.id).order_by(EnablingCentre.id))
        assert centre_id is not None
        db.session.execute(update(Enterprise).values(centre_id=centre_id))
        db.session.commit()
    login(staff_of(centre_id))
    return centre_id


def _referrals(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Referral.id))) or 0


@pytest.mark.demo_cohort(enterprises=30, seed=2)  # the access-matrix tests' cohort
def test_staff_refer_the_pipeline_as_a_group_once_and_owners_see_it(  # type: ignore[no-untyped-def]
    app: Flask,
    client: FlaskClient,
    login: Callable[[User], None],
    staff_of: Callable[[int], User],
    first_centre_staff: int,
) -> None:
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "owner@demo.invalid"))
        assert owner is not None
        owner.password_hash = generate_password_hash(PASSWORD)
        other_centre = db.session.scalar(
            select(EnablingCentre.id).where(EnablingCentre.id != first_centre_staff)
        )
        db.session.commit()
        db.session.refresh(owner)
        db.session.expunge(owner)
        owner_firm = owner.enterprise_id
    page = client.get("/centre/pipeline?kind=miit")
    assert page.status_code == 200
    listed = PICKED.findall(page.get_data(as_text=True))
    assert listed, "the demo cohort has firms one answer from the next MIIT level"
    assert "临界" in page.get_data(as_text=True)  # the deciding answers are named
    chosen = sorted({int(listed[0]), owner_firm})
    key = GROUP_ACTION.search(page.get_data(as_text=True))
    assert key is not None  # each rendered form carries its own idempotency key
    form = {
        "enterprise": [str(i) for i in chosen],
        "package": "pkg-integration",
        "kind": "miit",
        "group_action": key.group(1),
    }
    assert client.post("/centre/pipeline/refer", data=form).status_code == 302
    again = client.post("/centre/pipeline/refer", data=form, follow_redirects=True)  # double submit
    assert "这组对接已经提交过" in again.get_data(as_text=True)
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
@pytest.mark.usefixtures("first_centre_staff")
def test_pipeline_export_and_segments_on_the_cohort_page(client: FlaskClient) -> None:
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
    # each segment row carries its number, so two segments led by the same path stay apart
    titles = re.findall(r"<td><strong>(\d+) · ([^<]+)</strong>", cohort)
    assert titles and sorted(int(n) for n, _ in titles) == list(range(1, len(titles) + 1))


@pytest.mark.own_database  # each thread needs its own session and connection
def test_the_same_group_submitted_at_the_same_moment_makes_one_referral_per_firm(  # type: ignore[no-untyped-def]
    app: Flask, make_user, monkeypatch
) -> None:
    with app.app_context():
        centre = add_centre("wb-group")
        firms = [EnterpriseFactory(centre_id=centre.id) for _ in range(3)]
        for firm in firms:
            SubmittedAssessmentFactory(enterprise=firm)
        db.session.commit()
        ids, centre_id = [f.id for f in firms], centre.id
    staff = make_user(Role.CENTRE_STAFF, centre_id=centre_id)
    key = group_referrals.new_group_action()
    # Both submits read "nothing referred yet" before either writes: the race is certain.
    barrier = threading.Barrier(2, timeout=10)
    waited: set[int] = set()
    real_latest = group_referrals.latest_submitted

    def latest_when_both_have_checked(enterprise_id: int):  # type: ignore[no-untyped-def]
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            barrier.wait()
        return real_latest(enterprise_id)

    monkeypatch.setattr(group_referrals, "latest_submitted", latest_when_both_have_checked)
    # the referral mails are not what is tested: no job thread outlives the test's database
    mails: list[dict[str, object]] = []
    monkeypatch.setattr(group_referrals, "enqueue", lambda _kind, params, _by: mails.append(params))
    outcomes: list[object] = []

    def submit() -> None:
        with app.app_context():
            actor = db.session.get(User, staff.id)
            try:
                outcomes.append(
                    len(group_referrals.refer_group(actor, ids, "pkg-integration", "", None, key))
                )
            except ConflictError as exc:
                outcomes.append(str(exc))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes, key=str) == [3, "这组对接已经提交过，每家企业只创建了一条对接。"]
    with app.app_context():
        rows = db.session.scalars(select(Referral).where(Referral.group_action == key)).all()
        assert sorted(r.enterprise_id for r in rows) == sorted(ids)
        assert db.session.scalar(select(func.count(ReferralEvent.id))) == 3
    assert len(mails) == 3  # one mail per referral, from the submit that made them
