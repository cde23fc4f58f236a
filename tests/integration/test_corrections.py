"""Corrections: a submitted assessment stays as it was; its owner corrects it with a new record."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from assessment.instrument import least_mature_responses, load_instrument, most_mature_responses
from models import Assessment, AuditLog, EnablingCentre, Enterprise, Role, User
from tests.factories import detached_one
from tests.integration.questionnaire_client import DECLARED, answer_everything, form_data
from webapp.extensions import db
from webapp.services import aggregates, api_scoring, cohorts, peers, releases, snapshots
from webapp.services.confirmation import confirm

#: About questionnaire v1 behaviour (v1 item codes and gates): the app starts drafts on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")

REASON = "“数据采集”一题选错了"


def _submitted(client, app, make_user, make_enterprise, login, mature=False):  # type: ignore[no-untyped-def]
    owner = make_user()
    enterprise = make_enterprise(owner)
    login(owner)
    with app.app_context():
        profile = snapshots.profile_of(db.session.get(Enterprise, enterprise.id))
    make = most_mature_responses if mature else least_mature_responses
    assessment = answer_everything(
        client, app, enterprise.id, make(load_instrument("dmi", "1"), profile)
    )
    resp = client.post(f"/enterprise/assessments/{assessment.public_id}/submit", data=DECLARED)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/result")
    return owner, enterprise, assessment.public_id


def _row(app, public_id: str) -> dict[str, object]:
    """The stored row and its child rows exactly as the database returns them."""
    with app.app_context():
        conn = db.session.connection()
        row = (
            conn.execute(text("SELECT * FROM assessment WHERE public_id = :p"), {"p": public_id})
            .mappings()
            .one()
        )
        dims = conn.execute(
            text("SELECT * FROM dimension_score WHERE assessment_id = :i ORDER BY dimension"),
            {"i": row["id"]},
        ).all()
        results = conn.execute(
            text("SELECT * FROM assessment_result WHERE assessment_id = :i ORDER BY id"),
            {"i": row["id"]},
        ).all()
        db.session.rollback()
        return {"row": dict(row), "dims": dims, "results": results}


def _by_public_id(app, public_id: str) -> Assessment:
    return detached_one(app, select(Assessment).where(Assessment.public_id == public_id))


def _dimension_scores(a: Assessment) -> dict[str, float]:
    assert a.result is not None
    return {code: round(score, 1) for code, score in a.result["dimension_scores"].items()}


def _correction_of(app, original_id: int) -> Assessment | None:
    with app.app_context():
        a = db.session.scalar(select(Assessment).where(Assessment.corrects_id == original_id))
        if a is not None:
            db.session.expunge(a)
        return a


def _answer_all_pages(client, app, public_id: str, responses) -> None:  # type: ignore[no-untyped-def]
    instrument = load_instrument("dmi", "1")
    for dim in instrument.dimensions:
        version = _by_public_id(app, public_id).version_id
        url = f"/enterprise/assessments/{public_id}/pages/{dim.code}"
        resp = client.post(url, data=form_data(instrument.items_of(dim.code), responses, version))
        assert resp.status_code == 302, resp.get_data(as_text=True)[:1000]


def test_a_correction_is_a_new_record_and_the_old_one_stays_byte_for_byte(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    owner, enterprise, old_id = _submitted(client, app, make_user, make_enterprise, login)
    before = _row(app, old_id)
    old = _by_public_id(app, old_id)
    result_page = client.get(f"/enterprise/assessments/{old_id}/result").get_data(as_text=True)
    assert "发起更正" in result_page and 'name="reason"' in result_page

    resp = client.post(f"/enterprise/assessments/{old_id}/correction", data={"reason": REASON})
    assert resp.status_code == 302 and "/pages/" in resp.headers["Location"]
    draft = _correction_of(app, old.id)
    assert draft is not None and draft.public_id in resp.headers["Location"]
    assert (draft.status, draft.round_code, draft.correction_reason) == ("draft", "2026", REASON)
    assert draft.responses == old.responses  # pre-filled with the same answers
    assert draft.instrument_version == old.instrument_version
    # While the correction is a draft, the submitted record still stands for the round (the
    # enterprise is confirmed, as a validated or imported one is, and a release is cut).
    with app.app_context():
        confirm(db.session.get(Enterprise, enterprise.id), "import")
        db.session.commit()
        releases.cut_release("2026", "cli", k=1)
        board = aggregates.dashboard("2026", "zh", k=1)
        assert board.assessed == 1 and board.stage_counts[old.stage] == 1
        assert board.dimension_means == _dimension_scores(old)

    with app.app_context():
        profile = snapshots.profile_of(db.session.get(Enterprise, enterprise.id))
    _answer_all_pages(
        client, app, draft.public_id, most_mature_responses(load_instrument("dmi", "1"), profile)
    )
    resp = client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    assert resp.headers["Location"].endswith(f"/{draft.public_id}/result")

    assert _row(app, old_id) == before  # the corrected record: not one byte changed
    new = _by_public_id(app, draft.public_id)
    assert new.status == "submitted" and new.stage != old.stage
    with app.app_context():
        releases.cut_release("2026", "cli", k=1)
        board = aggregates.dashboard("2026", "zh", k=1)
        assert board.assessed == 1  # the enterprise counts once, with its corrected answers
        assert board.stage_counts[new.stage] == 1 and board.stage_counts[old.stage] == 0
        assert board.mean_index == round(new.maturity_index, 1)
        assert board.dimension_means == _dimension_scores(new) != _dimension_scores(old)
        assert peers.cluster_peers("2026", enterprise.cluster).count == 1
        actor = db.session.get(User, owner.id)
        listed = api_scoring.own_assessments(actor)
        assert [a["id"] for a in listed] == [new.public_id]
        audit = db.session.scalars(
            select(AuditLog)
            .where(
                AuditLog.entity_code == new.public_id,
                AuditLog.action != "responses_saved",  # each save names its author too
            )
            .order_by(AuditLog.id)
        ).all()
        assert [a.action for a in audit] == ["correction_started", "correction_submitted"]
        done = audit[-1]
        assert done.actor_id == owner.id and done.created_at is not None
        assert done.detail["reason"] == REASON and done.detail["corrects"] == old_id
        assert (done.detail["stage_before"], done.detail["stage_after"]) == (old.stage, new.stage)

    old_page = client.get(f"/enterprise/assessments/{old_id}/result").get_data(as_text=True)
    assert "此报告已被更正" in old_page and new.public_id in old_page and "发起更正" not in old_page
    new_page = client.get(f"/enterprise/assessments/{new.public_id}/result").get_data(as_text=True)
    assert REASON.replace("“", "&#34;") in new_page or "数据采集" in new_page
    # A referral can only be asked from the report in force.
    assert (
        client.post(f"/enterprise/assessments/{old_id}/referrals", data={"target": "x"}).status_code
        == 302
    )
    # A second correction starts from the newest record, never from a superseded one.
    again = client.post(f"/enterprise/assessments/{old_id}/correction", data={"reason": "再改"})
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/{old_id}/result")
    assert _correction_of(app, new.id) is None


def test_a_reason_is_required(client, app, make_user, make_enterprise, login) -> None:  # type: ignore[no-untyped-def]
    _, _, old_id = _submitted(client, app, make_user, make_enterprise, login)
    old = _by_public_id(app, old_id)
    for reason in ("", "   \n "):
        resp = client.post(f"/enterprise/assessments/{old_id}/correction", data={"reason": reason})
        assert resp.status_code == 400
        assert "请说明更正的原因" in resp.get_data(as_text=True)
        # the form posts back to its own section, so the browser shows the message, not the top
        # of a long report
        assert f'action="/enterprise/assessments/{old_id}/correction#correction"' in resp.get_data(
            as_text=True
        )
    too_long = client.post(
        f"/enterprise/assessments/{old_id}/correction", data={"reason": "错" * 501}
    )
    assert too_long.status_code == 400
    assert _correction_of(app, old.id) is None


def test_starting_twice_opens_one_draft_and_submitting_twice_is_harmless(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    _, _, old_id = _submitted(client, app, make_user, make_enterprise, login)
    old = _by_public_id(app, old_id)
    first = client.post(f"/enterprise/assessments/{old_id}/correction", data={"reason": REASON})
    second = client.post(f"/enterprise/assessments/{old_id}/correction", data={"reason": "别的"})
    assert first.headers["Location"] == second.headers["Location"]
    draft = _correction_of(app, old.id)
    assert draft is not None and draft.correction_reason == REASON
    # "Start" on the home page resumes the correction, not a new record.
    assert draft.public_id in client.post("/enterprise/assessments/start").headers["Location"]
    for _ in range(2):
        resp = client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
        assert resp.headers["Location"].endswith(f"/{draft.public_id}/result")
    submitted = _by_public_id(app, draft.public_id)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditLog.action).where(AuditLog.entity_code == draft.public_id)
        ).all()
        assert sorted(actions) == ["correction_started", "correction_submitted"]
        assert (
            db.session.scalar(select(Assessment.submitted_at).where(Assessment.id == submitted.id))
            is not None
        )
    again = client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    assert again.status_code == 302
    assert _by_public_id(app, draft.public_id).submitted_at == submitted.submitted_at


def test_another_enterprise_cannot_correct_it(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    _, _, old_id = _submitted(client, app, make_user, make_enterprise, login)
    old = _by_public_id(app, old_id)
    client.post("/auth/logout")
    intruder = make_user()
    make_enterprise(intruder)
    login(intruder)
    resp = client.post(f"/enterprise/assessments/{old_id}/correction", data={"reason": REASON})
    assert resp.status_code == 404
    assert _correction_of(app, old.id) is None


def test_a_draft_cannot_be_corrected(client, app, make_user, make_enterprise, login) -> None:  # type: ignore[no-untyped-def]
    owner = make_user()
    enterprise = make_enterprise(owner)
    login(owner)
    client.post("/enterprise/assessments/start")
    with app.app_context():
        draft = db.session.scalar(
            select(Assessment).where(Assessment.enterprise_id == enterprise.id)
        )
        public_id, draft_id = draft.public_id, draft.id
    resp = client.post(f"/enterprise/assessments/{public_id}/correction", data={"reason": REASON})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/{public_id}/result")
    assert _correction_of(app, draft_id) is None


def test_centre_staff_see_the_correction_history_and_the_cohort_counts_once(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    _, enterprise, old_id = _submitted(client, app, make_user, make_enterprise, login)
    resp = client.post(f"/enterprise/assessments/{old_id}/correction", data={"reason": REASON})
    draft_id = resp.headers["Location"].split("/assessments/")[1].split("/")[0]
    client.post(f"/enterprise/assessments/{draft_id}/submit", data=DECLARED)
    client.post("/auth/logout")
    staff = make_user(Role.CENTRE_STAFF)
    with app.app_context():
        centre = EnablingCentre(
            code="CTR-C",
            name_zh="测试中心",
            name_en="Test centre",
            centre_type="platform",
            clusters=[],
            towns=[],
            dimensions=[],
            gates=[],
            capacity=10,
            contact="",
        )
        db.session.add(centre)
        db.session.flush()
        centre_id = centre.id
        db.session.get(Enterprise, enterprise.id).centre_id = centre_id
        db.session.get(User, staff.id).centre_id = centre_id
        db.session.commit()
        actor = db.session.get(User, staff.id)
        rows = cohorts.cohort_rows(actor, cohorts.CohortFilter(round_code="2026"))
        assert [a.public_id for _, a in rows] == [draft_id]
    login(staff)
    page = client.get(f"/centre/enterprises/{enterprise.id}").get_data(as_text=True)
    assert "更正记录" in page and "数据采集" in page
