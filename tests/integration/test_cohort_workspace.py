"""The staff workspace: filters, exports, validation with audit, personas, percentiles."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from assessment.instrument import load_instrument, most_mature_responses
from models import Assessment, Enterprise, Role, StageValidation, User
from tests.factories import PASSWORD
from tests.integration.questionnaire_client import DECLARED, answer_everything, current_assessment
from webapp.extensions import db
from webapp.services import snapshots

# The demo cohort (seeded once per session; each test's writes are rolled back); about
# questionnaire v1 behaviour (v1 item codes and gates): drafts start on v1.
pytestmark = [
    pytest.mark.demo_cohort(enterprises=120, seed=4),
    pytest.mark.usefixtures("instrument_v1"),
]


@pytest.fixture
def seeded(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.execute(
            select(Enterprise.centre_id, Enterprise.id, Enterprise.uscc).where(
                Enterprise.centre_id.is_not(None)
            )
        ).all()
    by_centre: dict[int, list[tuple[int, str]]] = {}
    for centre_id, eid, uscc in rows:
        by_centre.setdefault(centre_id, []).append((eid, uscc))
    ranked = sorted(by_centre.items(), key=lambda kv: -len(kv[1]))
    return app, ranked[0], ranked[1]


def staff(app, make_user, centre_id):  # type: ignore[no-untyped-def]
    user = make_user(Role.CENTRE_STAFF)
    with app.app_context():
        db.session.get(User, user.id).centre_id = centre_id
        db.session.commit()
    return user


def export_csv(client, query=""):  # type: ignore[no-untyped-def]
    resp = client.get(f"/centre/export.csv{query}")
    assert resp.status_code == 200
    return list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))


def test_exports_contain_only_own_centre_and_respect_filters(
    seeded, client, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    app, (centre_a, mine), (_, theirs) = seeded
    login(staff(app, make_user, centre_a))
    rows = export_csv(client)
    assert rows[0][0] == "统一社会信用代码 (uscc)" and rows[0][-1] == "一致性提示数 (warnings)"
    exported = {r[0] for r in rows[1:]}
    assert exported == {uscc for _, uscc in mine}
    assert not exported & {uscc for _, uscc in theirs}
    s1 = export_csv(client, "?stage=S1")
    assert s1[1:] and all(r[9] == "S1" for r in s1[1:])
    xlsx = client.get("/centre/export.xlsx?stage=S1")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/centre/export.pdf").status_code == 404


def test_cohort_page_filters_sorts_and_draws_charts(seeded, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    app, (centre_a, mine), _ = seeded
    login(staff(app, make_user, centre_a))
    page = client.get("/centre/?sort=index").get_data(as_text=True)
    for chart in ("chart-stages", "chart-map", "chart-heatmap"):
        assert f'id="{chart}"' in page
    with app.app_context():
        top = db.session.scalar(
            select(Enterprise.name)
            .join(Assessment, Assessment.enterprise_id == Enterprise.id)
            .where(Enterprise.centre_id == centre_a)
            .order_by(Assessment.maturity_index.desc())
        )
    table = page[page.index("<tbody>") :]
    assert table.index(top) < table.index("</tr>")  # highest index first
    empty = client.get("/centre/?town=gaobu&stage=S3&size=large").get_data(as_text=True)
    assert "没有符合筛选条件的企业" in empty or "<tbody>" in empty


def test_stage_validation_records_who_what_why(seeded, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    app, (centre_a, mine), (centre_b, theirs) = seeded
    user = staff(app, make_user, centre_a)
    login(user)
    eid = mine[0][0]
    with app.app_context():
        model_stage = db.session.scalar(
            select(Assessment.stage).where(Assessment.enterprise_id == eid)
        )
    other = next(s for s in ("S0", "S1", "S2", "S3") if s != model_stage)
    resp = client.post(f"/centre/enterprises/{eid}", data={"staff_stage": other, "reason": "  "})
    assert resp.status_code == 200 and "必须说明理由" in resp.get_data(as_text=True)
    client.post(f"/centre/enterprises/{eid}", data={"staff_stage": model_stage, "reason": ""})
    client.post(
        f"/centre/enterprises/{eid}",
        data={"staff_stage": other, "reason": "现场走访：MES 仅一条线"},
    )
    with app.app_context():
        trail = db.session.scalars(select(StageValidation).order_by(StageValidation.id)).all()
        assert [(v.model_stage, v.staff_stage, v.actor_id) for v in trail] == [
            (model_stage, model_stage, user.id),
            (model_stage, other, user.id),
        ]
        assert (
            db.session.scalar(select(Assessment.stage).where(Assessment.enterprise_id == eid))
            == model_stage
        )
    page = client.get(f"/centre/enterprises/{eid}").get_data(as_text=True)
    assert "现场走访：MES 仅一条线" in page
    foreign = theirs[0][0]
    assert (
        client.post(f"/centre/enterprises/{foreign}", data={"staff_stage": "S1"}).status_code == 404
    )


def test_kappa_appears_once_stages_are_validated(seeded, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    app, (centre_a, mine), _ = seeded
    login(staff(app, make_user, centre_a))
    with app.app_context():
        stages = dict(
            db.session.execute(
                select(Assessment.enterprise_id, Assessment.stage).where(
                    Assessment.enterprise_id.in_([e for e, _ in mine])
                )
            ).all()
        )
    for eid, _ in mine[:6]:
        client.post(f"/centre/enterprises/{eid}", data={"staff_stage": stages[eid], "reason": ""})
    out = app.test_cli_runner().invoke(args=["assessments", "quality", "--round", "2026"]).output
    assert "Cohen's kappa" in out or len(set(stages[e] for e, _ in mine[:6])) < 2


def test_personas_assigned_and_new_submissions_join_the_nearest(seeded) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = seeded
    with app.app_context():
        labels = Counter(db.session.scalars(select(Assessment.persona)))
    assert None not in labels and len(labels) >= 3
    result = app.test_cli_runner().invoke(args=["clusters", "fit", "--round", "2026"])
    assert result.exit_code == 0 and "stability ARI" in result.output


def test_report_shows_percentiles(seeded, client, login) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = seeded

    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == "owner@demo.invalid"))
        owner.password_hash = generate_password_hash(PASSWORD)
        db.session.commit()
        assessment = db.session.scalar(
            select(Assessment).where(Assessment.enterprise_id == owner.enterprise_id)
        )
        public_id = assessment.public_id
        db.session.expunge(owner)
    login(owner)
    page = client.get(f"/enterprise/assessments/{public_id}/result").get_data(as_text=True)
    assert "同类企业百分位" in page


def test_new_submission_joins_nearest_persona(
    seeded, client, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    app, _, _ = seeded
    user = make_user()
    enterprise = make_enterprise(user)
    login(user)
    with app.app_context():
        profile = snapshots.profile_of(db.session.get(Enterprise, enterprise.id))
    answers = most_mature_responses(load_instrument("dmi", "1"), profile)
    assessment = answer_everything(client, app, enterprise.id, answers)
    client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    stored = current_assessment(app, enterprise.id)
    with app.app_context():
        top = max(
            db.session.scalars(select(Assessment.persona).where(Assessment.persona.is_not(None)))
        )
    assert stored.persona == top  # the most mature answers join the most mature persona
