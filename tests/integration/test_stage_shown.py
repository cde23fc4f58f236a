"""The stage a result shows never contradicts the centre's stage validation: where staff changed
the model's stage, the cohort row, the staff enterprise page and the owner's pages show staff's
stage, say that the model gave another, and the basis says the centre changed it (never
"中心人员校验" for a stage staff rejected); a confirming validation shows the model's stage as
staff-verified. The model's stage itself is never overwritten."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from models import Assessment, Enterprise, MemberRole, Role, User
from webapp.extensions import db
from webapp.services.rounds import current_round

# The demo cohort of test_cohort_workspace (seeded once per session; writes rolled back).
pytestmark = [
    pytest.mark.demo_cohort(enterprises=120, seed=4),
    pytest.mark.usefixtures("instrument_v1"),
]

REASON = "现场走访：MES 仅一条线，其余仍靠表格"


@pytest.fixture
def firm_at_s1(app: Flask, make_user) -> tuple[Enterprise, Assessment, User, User]:  # type: ignore[no-untyped-def]
    """A cohort firm whose model stage is S1 this round, a staff member of its centre and an
    owner account of the firm: (firm, assessment, staff, owner), detached."""
    with app.app_context():
        row = db.session.execute(
            select(Enterprise, Assessment)
            .join(Assessment, Assessment.enterprise_id == Enterprise.id)
            .where(
                Assessment.stage == "S1",
                Assessment.status == "submitted",
                Assessment.round_code == current_round(),
                Enterprise.centre_id.is_not(None),
            )
            .order_by(Enterprise.id)
            .limit(1)
        ).one()
        firm, assessment = row
        db.session.expunge_all()
    staff = make_user(Role.CENTRE_STAFF, centre_id=firm.centre_id)
    owner = make_user(enterprise_id=firm.id, member_role=MemberRole.OWNER.value)
    return firm, assessment, staff, owner


def _text(html: str) -> str:
    """The page's text with tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _cohort_row(client: FlaskClient, firm: Enterprise) -> str:
    """The text of the firm's row of the cohort list (searched by its USCC)."""
    page = client.get(f"/centre/?q={firm.uscc}").get_data(as_text=True)
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = [r for r in body.split("</tr>") if firm.name in r]
    assert len(rows) == 1, body
    return _text(rows[0])


def _validate(client: FlaskClient, firm: Enterprise, stage: str, reason: str) -> None:
    resp = client.post(
        f"/centre/enterprises/{firm.id}", data={"staff_stage": stage, "reason": reason}
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


def test_a_changed_stage_is_shown_with_the_model_stage_beside_it(  # type: ignore[no-untyped-def]
    app, client, login, firm_at_s1
) -> None:
    firm, assessment, staff, owner = firm_at_s1
    login(staff)
    _validate(client, firm, "S0", REASON)

    row = _cohort_row(client, firm)
    assert "S0（赋能中心校验；模型评估为 S1）" in row
    assert "赋能中心校验后改为 S0（模型评估为 S1）" in row and "中心人员校验" not in row

    page = client.get(f"/centre/enterprises/{firm.id}").get_data(as_text=True)
    header = _text(page[page.index("<h2>") : page.index("</h2>")])
    assert "S0（赋能中心校验；模型评估为 S1）" in header
    basis = _text(
        page[page.index('class="basis"') : page.index("</p>", page.index('class="basis"'))]
    )
    assert "赋能中心校验后改为 S0（模型评估为 S1）" in basis and "中心人员校验" not in basis
    assert REASON in page  # staff read the reason in the audit trail
    export = client.get(f"/centre/export.csv?q={firm.uscc}").data.decode("utf-8-sig")
    assert "S0 起步建设（赋能中心校验；模型评估为 S1）" in export
    assert "赋能中心校验后改为 S0（模型评估为 S1）" in export and "中心人员校验" not in export

    login(owner)
    result = client.get(f"/enterprise/assessments/{assessment.public_id}/result")
    html = result.get_data(as_text=True)
    assert result.status_code == 200
    heading = re.search(r'<h2 id="stage-h"[^>]*data-stage="(S\d)"[^>]*>(.*?)</h2>', html)
    assert heading is not None
    assert heading.group(1) == "S0"
    assert heading.group(2) == "S0 起步建设（赋能中心校验；模型评估为 S1）"
    assert "赋能中心校验后改为 S0（模型评估为 S1）" in html
    assert "中心人员校验" not in html
    assert REASON not in html  # staff's reasons are the centre's notes, not the owner's

    client.post("/lang/en", data={"next": "/"})
    en = client.get(f"/enterprise/assessments/{assessment.public_id}/result")
    english = en.get_data(as_text=True)
    assert "S0 Initial (validated by the enabling centre; the model gave S1)" in english
    assert "Changed to S0 by the enabling centre (the model gave S1)" in english
    assert "Staff-verified" not in english

    with app.app_context():  # the model's stage is kept as the model gave it
        assert db.session.get(Assessment, assessment.id).stage == "S1"


def test_the_pdf_shows_the_stage_staff_set(client, login, firm_at_s1) -> None:  # type: ignore[no-untyped-def]
    firm, assessment, staff, owner = firm_at_s1
    login(staff)
    _validate(client, firm, "S0", REASON)
    login(owner)
    pdf = client.get(f"/enterprise/assessments/{assessment.public_id}/report.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = re.sub(r"\s+", "", text)
    assert "S0起步建设（赋能中心校验；模型评估为S1）" in text
    assert "赋能中心校验后改为S0（模型评估为S1）" in text
    assert "中心人员校验" not in text and REASON.replace(" ", "") not in text


def test_a_confirming_validation_shows_the_model_stage_as_staff_verified(  # type: ignore[no-untyped-def]
    client, login, firm_at_s1
) -> None:
    firm, assessment, staff, owner = firm_at_s1
    login(staff)
    _validate(client, firm, "S1", "")

    row = _cohort_row(client, firm)
    assert "S1" in row and "中心人员校验" in row and "模型评估" not in row
    page = client.get(f"/centre/enterprises/{firm.id}").get_data(as_text=True)
    header = _text(page[page.index("<h2>") : page.index("</h2>")])
    assert "S1" in header and "模型评估" not in header

    login(owner)
    html = client.get(f"/enterprise/assessments/{assessment.public_id}/result").get_data(
        as_text=True
    )
    assert 'data-basis="staff_verified"' in html and "中心人员校验" in html
    heading = re.search(r'<h2 id="stage-h"[^>]*>(.*?)</h2>', html)
    assert heading is not None and heading.group(1) == "S1 单项覆盖"
    assert "模型评估" not in html


def test_a_change_after_a_confirmation_is_what_is_shown(client, login, firm_at_s1) -> None:  # type: ignore[no-untyped-def]
    """The newest validation is the staff stage: a confirmation, then a change, shows the change;
    a change back to the model's stage shows it as staff-verified again."""
    firm, _assessment, staff, _owner = firm_at_s1
    login(staff)
    _validate(client, firm, "S1", "")
    _validate(client, firm, "S0", REASON)
    assert "S0（赋能中心校验；模型评估为 S1）" in _cohort_row(client, firm)
    _validate(client, firm, "S1", "")
    row = _cohort_row(client, firm)
    assert "中心人员校验" in row and "模型评估" not in row
