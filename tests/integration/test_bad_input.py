"""Forms refuse bad input with a clear message and never answer 500: unknown options,
out-of-range numbers, invalid UTF-8, oversized bodies; HTML typed into a text field comes
back escaped; a submitted assessment cannot be changed by any later save."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assessment.instrument import load_instrument, most_mature_responses
from assessment.types import ItemKind
from models import Enterprise
from tests.integration.questionnaire_client import DECLARED, answer_everything, current_assessment
from webapp.extensions import db
from webapp.services import snapshots

#: About questionnaire v1 behaviour (v1 item codes and gates): the app starts drafts on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")


@pytest.fixture
def owner_page(client, app, make_user, make_enterprise, login):  # type: ignore[no-untyped-def]
    user = make_user()
    enterprise = make_enterprise(user, name="<script>alert('x')</script>东莞")
    login(user)
    client.post("/enterprise/assessments/start")
    assessment = current_assessment(app, enterprise.id)
    dim = load_instrument("dmi", "1").dimensions[0]
    return (
        enterprise,
        assessment,
        f"/enterprise/assessments/{assessment.public_id}/pages/{dim.code}",
    )


def test_html_in_a_text_field_is_escaped_on_the_page(client, owner_page) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/enterprise/").get_data(as_text=True)
    assert "<script>alert(" not in page and "&lt;script&gt;alert(" in page


@pytest.mark.parametrize(
    "value",
    ["L9", "<script>x</script>", "=cmd|' /C calc'!A0", "", "L1\x00", "9" * 400],
)
def test_unknown_options_are_refused_with_a_message_and_store_nothing(
    client, app, owner_page, value
) -> None:  # type: ignore[no-untyped-def]
    enterprise, assessment, url = owner_page
    item = next(i for i in load_instrument("dmi", "1").items if i.kind == ItemKind.SINGLE)
    resp = client.post(
        url,
        data={"version": str(assessment.version_id), f"item_{item.code}": value},
        headers={"X-Autosave": "1"},
    )
    assert resp.status_code in (200, 400) and resp.is_json
    if value:
        assert resp.json["errors"][item.code]  # the message names what is wrong
    assert current_assessment(app, enterprise.id).responses == {}


def test_numbers_out_of_range_or_not_numbers_are_refused(client, app, owner_page) -> None:  # type: ignore[no-untyped-def]
    enterprise, _, _ = owner_page
    instrument = load_instrument("dmi", "1")
    item = next(i for i in instrument.items if i.kind == ItemKind.NUMBER and i.maximum is not None)
    url = current_assessment(app, enterprise.id)
    page = f"/enterprise/assessments/{url.public_id}/pages/{item.dimension}"
    for value in (str(item.maximum + 1), "-1", "abc", "1e999", "nan", "0x10"):
        version = current_assessment(app, enterprise.id).version_id
        resp = client.post(
            page,
            data={"version": str(version), f"item_{item.code}": value},
            headers={"X-Autosave": "1"},
        )
        assert resp.status_code == 200 and item.code in resp.json["errors"], value
    assert item.code not in current_assessment(app, enterprise.id).responses


def test_invalid_utf8_in_a_form_post_is_not_a_500(client, app, owner_page) -> None:  # type: ignore[no-untyped-def]
    enterprise, assessment, url = owner_page
    item = next(i for i in load_instrument("dmi", "1").items if i.kind == ItemKind.SINGLE)
    body = f"version={assessment.version_id}&item_{item.code}=".encode() + b"%ff%fe%c3%28"
    resp = client.post(
        url,
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={"X-Autosave": "1"},
    )
    # decoded with replacement characters: not one of the item's options, so refused as an answer
    assert resp.status_code == 200 and item.code in resp.json["errors"]
    assert current_assessment(app, enterprise.id).responses == {}
    resp = client.post(
        "/auth/login",
        data=b"email=%ff%fe&password=%c3%28",
        content_type="application/x-www-form-urlencoded",
    )
    # the form again, refusing the login as for any wrong e-mail address or password
    assert resp.status_code == 200 and "电子邮箱或密码不正确" in resp.get_data(as_text=True)


def test_oversized_body_is_refused_with_413(client, owner_page) -> None:  # type: ignore[no-untyped-def]
    _, _, url = owner_page
    resp = client.post(url, data={"version": "1", "item_ORG-01": "L" * (3 * 1024 * 1024)})
    assert resp.status_code == 413 and "上传内容过大" in resp.get_data(as_text=True)
    resp = client.post(
        "/api/v1/score",
        data=b"{" + b" " * (3 * 1024 * 1024) + b"}",
        content_type="application/json",
    )
    assert resp.status_code == 413 and resp.is_json


def test_a_submitted_assessment_cannot_be_changed_by_any_save(client, app, owner_page) -> None:  # type: ignore[no-untyped-def]
    enterprise, _, url = owner_page
    with app.app_context():
        profile = snapshots.profile_of(db.session.scalars(select(Enterprise)).one())
    answers = most_mature_responses(load_instrument("dmi", "1"), profile)
    answer_everything(client, app, enterprise.id, answers)
    client.post(
        f"/enterprise/assessments/{current_assessment(app, enterprise.id).public_id}/submit",
        data=DECLARED,
    )
    frozen = current_assessment(app, enterprise.id)
    assert frozen.status == "submitted"
    item = next(i for i in load_instrument("dmi", "1").items if i.kind == ItemKind.SINGLE)
    other = next(o.code for o in item.options if o.code != frozen.responses.get(item.code))
    for headers in ({"X-Autosave": "1"}, {}):
        resp = client.post(
            url,
            data={"version": str(frozen.version_id), f"item_{item.code}": other},
            headers=headers,
        )
        assert resp.status_code in (302, 409)
    after = current_assessment(app, enterprise.id)
    assert after.responses == frozen.responses and after.version_id == frozen.version_id
