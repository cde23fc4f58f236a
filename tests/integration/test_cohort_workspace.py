"""The staff workspace: filters, exports, validation with audit, personas, percentiles."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from assessment.instrument import load_instrument, most_mature_responses
from models import Assessment, Enterprise, Role, StageValidation, User
from tests.factories import (
    PASSWORD,
    OnsiteRatingFactory,
    StageValidationFactory,
    firms_by_centre,
)
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
    ranked = firms_by_centre(app, Enterprise.uscc)
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
    assert rows[0][0] == "统一社会信用代码 (uscc)" and "一致性提示数 (warnings)" in rows[0]
    exported = {r[0] for r in rows[1:]}
    assert exported == {uscc for _, uscc in mine}
    assert not exported & {uscc for _, uscc in theirs}
    s1 = export_csv(client, "?stage=S1")
    assert s1[1:] and all(r[9] == "S1 单项覆盖" for r in s1[1:])
    xlsx = client.get("/centre/export.xlsx?stage=S1")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/centre/export.pdf").status_code == 404


def test_cohort_page_filters_sorts_and_draws_charts(seeded, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    app, (centre_a, mine), _ = seeded
    login(staff(app, make_user, centre_a))
    page = client.get("/centre/?sort=index").get_data(as_text=True)
    # Path segments need 20 firms: tests/integration/test_pipeline.py draws them.
    for chart in ("chart-stages", "chart-heatmap"):
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


def test_search_by_name_or_uscc_prefix_survives_paging_and_matches_wildcards_literally(
    seeded, client, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    app, (centre_a, mine), (_, theirs) = seeded
    login(staff(app, make_user, centre_a))
    with app.app_context():
        ids = [e for e, _ in mine]
        target = db.session.get(Enterprise, ids[0])
        target.name = "东莞市100%_精工(测试)有限公司"
        db.session.commit()
        uscc = target.uscc
    # A substring of the name; USCC prefixes, upper or lower case; another centre's firm never.
    found = client.get("/centre/?q=100%25_精工").get_data(as_text=True)
    assert "东莞市100%_精工(测试)有限公司" in found and "共 1 家企业" in found
    assert "共 1 家企业" in client.get(f"/centre/?q={uscc[:17].lower()}").get_data(as_text=True)
    foreign = client.get(f"/centre/?q={theirs[0][1]}").get_data(as_text=True)
    assert "没有名称包含" in foreign and theirs[0][1] in foreign  # the empty search says so
    # % and _ are characters, not wildcards: "%" alone matches only names that contain one.
    percent = client.get("/centre/?q=%25").get_data(as_text=True)
    assert "共 1 家企业" in percent
    underscore = client.get("/centre/?q=_%25_").get_data(as_text=True)
    assert "没有名称包含" in underscore
    # A prefix shared by the whole cohort pages through it, keeping the search in every link.
    prefix = "9144"
    first = client.get(f"/centre/?q={prefix}&sort=name").get_data(as_text=True)
    assert f"共 {len(mine)} 家企业" in first
    if len(mine) > 25:
        assert f"q={prefix}" in first[first.index('class="pager"') :]
    exported = export_csv(client, f"?q={uscc}")
    assert [r[0] for r in exported[1:]] == [uscc]


def test_the_export_carries_labels_miit_level_and_dimension_scores_in_the_page_language(
    seeded, client, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    app, (centre_a, _mine), _ = seeded
    login(staff(app, make_user, centre_a))
    client.post("/lang/en")
    rows = export_csv(client, "?status=submitted")
    header = rows[0]
    assert header[0].endswith("(USCC) (uscc)") and "Status (status)" in header
    column = {h.rsplit(" (", 1)[1].rstrip(")"): i for i, h in enumerate(header)}
    dims = [h for h in header if "(dim:" in h]
    assert dims and all(not re.search(r"[\u4e00-\u9fff]", h) for h in dims)
    for row in rows[1:]:
        assert re.fullmatch(r"S[0-3] [A-Za-z ,\-]+", row[column["stage"]])
        assert row[column["status"]] == "Submitted"
        assert not re.search(r"[\u4e00-\u9fff]", row[column["cluster"]] + row[column["size_class"]])
        scores = [row[header.index(h)] for h in dims if row[header.index(h)] != ""]
        assert scores and all(0 <= float(s) <= 100 for s in scores)


def test_the_export_names_the_basis_and_the_level_verified_on_site(
    seeded, client, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    app, (centre_a, _mine), _ = seeded
    user = staff(app, make_user, centre_a)
    login(user)
    rows = export_csv(client, "?status=submitted")
    column = {h.rsplit(" (", 1)[1].rstrip(")"): i for i, h in enumerate(rows[0])}
    assert rows[0][column["basis"]] == "结果依据 (basis)"
    assert {r[column["basis"]] for r in rows[1:]} == {"企业自评"}
    assert {r[column["verified_miit_level"]] for r in rows[1:]} == {""}
    validated_uscc, rated_uscc = rows[1][0], rows[2][0]
    with app.app_context():

        def submitted(uscc: str) -> list[int]:
            return list(
                db.session.scalars(
                    select(Assessment.id)
                    .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
                    .where(Enterprise.uscc == uscc, Assessment.status == "submitted")
                )
            )

        for aid in submitted(validated_uscc):  # staff confirm the model's stage
            stage = db.session.get(Assessment, aid).stage
            StageValidationFactory(
                assessment_id=aid, model_stage=stage, staff_stage=stage, actor_id=user.id
            )
        for aid in submitted(rated_uscc):
            OnsiteRatingFactory(assessment_id=aid, self_level=3)
        db.session.commit()
    client.post("/lang/en")
    by_uscc = {r[0]: r for r in export_csv(client, "?status=submitted")[1:]}
    assert by_uscc[validated_uscc][column["basis"]] == "Staff-verified"
    assert by_uscc[validated_uscc][column["verified_miit_level"]] == ""
    assert by_uscc[rated_uscc][column["basis"]] == "On-site rated"
    assert by_uscc[rated_uscc][column["verified_miit_level"]] == "Level 2"
    others = [r for u, r in by_uscc.items() if u not in {validated_uscc, rated_uscc}]
    assert others and {r[column["basis"]] for r in others} == {"Self-reported"}
