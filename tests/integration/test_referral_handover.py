"""The owner learns who follows a referral up: a referral is handled by the firm's own centre
(``referrals.request_referral``), so wherever the owner reads about it - the confirmation, the
referral list, the result page, the mails - the handling centre is named when it is not the
target. Every name is the catalogue's in the page's language; the handling centre's staff see
the target the firm asked for."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.instrument import least_mature_responses
from models import Assessment, EnablingCentre, Referral, ServiceProvider, User
from tests.integration.questionnaire_client import submit_with
from tests.integration.referral_client import StaffedReferral
from tests.mail_server import SmtpServer
from webapp.extensions import db
from webapp.services import demo


def _names(app: Flask, rid: str) -> tuple[ServiceProvider, EnablingCentre, str]:
    """The referral's target provider, its handling centre and the assessment's public id
    (detached)."""
    with app.app_context():
        referral = db.session.scalar(select(Referral).where(Referral.public_id == rid))
        assert referral is not None
        provider = db.session.scalar(
            select(ServiceProvider).where(ServiceProvider.code == referral.target_code)
        )
        centre = db.session.get(EnablingCentre, referral.centre_id)
        public_id = db.session.get(Assessment, referral.assessment_id).public_id
        assert provider is not None and centre is not None
        db.session.expunge_all()
        return provider, centre, public_id


def _text(page: str) -> str:
    """The page's text, tags dropped and white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_owner_reads_in_english_which_centre_follows_a_provider_referral_up(
    app: Flask,
    client: FlaskClient,
    login: Callable[[User], None],
    referral: tuple[User, str, int],
) -> None:
    owner, rid, _centre_id = referral
    provider, centre, public_id = _names(app, rid)
    login(owner)
    mine = _text(client.get("/enterprise/referrals").get_data(as_text=True))
    assert provider.name_en in mine and provider.name_zh not in mine
    assert f"followed up by {centre.name_en}" in mine and centre.name_zh not in mine
    card = _text(client.get(f"/enterprise/assessments/{public_id}/result").get_data(as_text=True))
    assert f"Requested (followed up by {centre.name_en})" in card


def test_the_referral_mail_names_the_centre_that_follows_it_up(
    app: Flask, smtp_server: SmtpServer, by_staff: StaffedReferral
) -> None:
    provider, centre, _public_id = _names(app, by_staff.public_id)
    by_staff.move("contacted")
    (mail,) = smtp_server.to(by_staff.owner.email)
    body = smtp_server.body(mail)
    assert mail["Subject"] == f"Referral update: {provider.name_en}"
    assert f"This referral is followed up by {centre.name_en}, who will contact you." in body


def test_the_handling_centres_queue_shows_the_target_in_the_pages_language(
    app: Flask, client: FlaskClient, by_staff: StaffedReferral
) -> None:
    provider, _centre, _public_id = _names(app, by_staff.public_id)
    chinese = _text(client.get("/centre/referrals").get_data(as_text=True))
    assert f"→ {provider.name_zh}" in chinese
    client.post("/lang/en", data={"next": "/"})
    english = _text(client.get("/centre/referrals").get_data(as_text=True))
    assert f"→ {provider.name_en}" in english and provider.name_zh not in english


def test_a_centre_referral_handled_by_the_firms_own_centre_says_so(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    make_enterprise,  # type: ignore[no-untyped-def]
    login: Callable[[User], None],
    staff_of: Callable[[int], User],
) -> None:
    with app.app_context():
        demo.load_catalogue()
    owner = make_user()
    firm = make_enterprise(owner)
    login(owner)
    public_id = submit_with(client, app, firm.id, least_mature_responses).public_id
    page = client.get(f"/enterprise/assessments/{public_id}/result").get_data(as_text=True)
    with app.app_context():
        centres = {c.code: c for c in db.session.scalars(select(EnablingCentre))}
        db.session.expunge_all()
    targets = re.findall(r'name="target" value="([^"]+)"', page)
    # the firm's centre is assigned when it first asks; ask for a centre, then read whose it is
    target = centres[next(t for t in targets if t in centres)]
    resp = client.post(
        f"/enterprise/assessments/{public_id}/referrals",
        data={"target": target.code},
        follow_redirects=True,
    )
    with app.app_context():
        row = db.session.scalar(select(Referral))
        assert row is not None and row.target_code == target.code
        handling = db.session.get(EnablingCentre, row.centre_id)
        assert handling is not None
        db.session.expunge_all()
    if handling.code == target.code:  # the recommended centre is the firm's own: ask another
        target = centres[next(t for t in targets if t in centres and t != handling.code)]
        resp = client.post(
            f"/enterprise/assessments/{public_id}/referrals",
            data={"target": target.code},
            follow_redirects=True,
        )
    flash = _text(resp.get_data(as_text=True))
    assert f"已提交对接申请，由“{handling.name_zh}”跟进，该中心会与您联系。" in flash
    assert f"对接状态：已申请（由“{handling.name_zh}”跟进）" in flash  # the card
    mine = _text(client.get("/enterprise/referrals").get_data(as_text=True))
    assert target.name_zh in mine and f"由“{handling.name_zh}”跟进" in mine
    client.post("/auth/logout")
    login(staff_of(handling.id))
    queue = _text(client.get("/centre/referrals").get_data(as_text=True))
    assert f"{firm.name} → {target.name_zh}" in queue
    client.post("/auth/logout")
    login(staff_of(target.id))  # the recommended centre's staff: not theirs to follow up
    assert firm.name not in _text(client.get("/centre/referrals").get_data(as_text=True))
