"""Centre staff see only their own cohort, with consistency warnings; admins see quality."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Assessment, EnablingCentre, Enterprise, Role
from tests.factories import firms_by_centre
from webapp.extensions import db

# The demo cohort (seeded once per session; each test's writes are rolled back); about
# questionnaire v1 behaviour (v1 item codes and gates): drafts start on v1.
pytestmark = [
    pytest.mark.demo_cohort(enterprises=60, seed=5),  # the rescore tests' cohort
    pytest.mark.usefixtures("instrument_v1"),
]


@pytest.fixture
def cohort(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        centres = db.session.scalars(select(EnablingCentre.id).order_by(EnablingCentre.id)).all()
    return app, centres


def test_staff_see_only_their_centres_enterprises(cohort, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    app, _ = cohort
    (centre_a, mine), (centre_b, theirs) = firms_by_centre(app, Enterprise.name)[:2]
    login(make_user(Role.CENTRE_STAFF, centre_id=centre_a))
    per_page = app.config["PER_PAGE"]
    pages = [
        client.get(f"/centre/?page={n}").get_data(as_text=True)
        for n in range(1, -(-len(mine) // per_page) + 1)
    ]
    listed = [[eid for eid, _ in mine if f'href="/centre/enterprises/{eid}"' in p] for p in pages]
    # every enterprise of the centre on exactly one page, a full first page, nobody else's
    assert sorted(eid for page in listed for eid in page) == sorted(eid for eid, _ in mine)
    assert len(listed[0]) == min(per_page, len(mine)) and len(mine) >= 2
    assert all(name not in page for page in pages for _, name in theirs)
    assert client.get(f"/centre/enterprises/{mine[0][0]}").status_code == 200
    for eid, _ in theirs[:5]:
        assert client.get(f"/centre/enterprises/{eid}").status_code == 404
    assert client.get("/centre/enterprises/999999").status_code == 404
    assert client.get("/enterprise/").status_code == 403
    assert client.get("/admin/").status_code == 403


def test_staff_without_centre_see_an_empty_cohort(cohort, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CENTRE_STAFF))
    page = client.get("/centre/").get_data(as_text=True)
    assert "还没有分配到本中心的企业" in page


def test_staff_see_consistency_warnings(cohort, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    app, _ = cohort
    with app.app_context():
        target = db.session.scalar(select(Enterprise).where(Enterprise.centre_id.is_not(None)))
        assessment = db.session.scalar(
            select(Assessment).where(Assessment.enterprise_id == target.id)
        )
        assessment.consistency_warnings = ["C-NET-DIGITAL"]
        db.session.commit()
        centre_id, eid = target.centre_id, target.id
    login(make_user(Role.CENTRE_STAFF, centre_id=centre_id))
    page = client.get(f"/centre/enterprises/{eid}").get_data(as_text=True)
    assert "联网设备的比例高于数字化设备的比例" in page and 'class="warned"' in page


def test_admin_sees_quality_and_others_do_not(cohort, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.ADMIN))
    page = client.get("/admin/?round=2026")
    assert page.status_code == 200 and "Cronbach" in page.get_data(as_text=True)
    client.post("/auth/logout")
    login(make_user(Role.GOVERNMENT))
    assert client.get("/admin/").status_code == 403
    assert client.get("/centre/").status_code == 403
