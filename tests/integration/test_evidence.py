"""Evidence files (佐证材料): accepted by content, stored under a random name outside the web
root, reachable only by the firm and its centre's staff, frozen at submit; and the declaration
of truth (真实性承诺) that a submit needs and records."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from PIL import Image
from sqlalchemy import func, select

from assessment.instrument import current_instrument, most_mature_responses
from models import Assessment, EnablingCentre, Enterprise, Evidence, Role
from tests.integration.questionnaire_client import (
    DECLARED,
    answer_with,
    current_assessment,
    submit_with,
)
from webapp.extensions import db
from webapp.services import demo


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return out.getvalue()


@pytest.fixture
def owner_draft(app: Flask, client: FlaskClient, make_user, make_enterprise, login):  # type: ignore[no-untyped-def]
    """A logged-in owner whose firm (assigned to a centre) has a draft: (owner, firm, draft)."""
    with app.app_context():
        demo.load_catalogue()
    owner = make_user()
    firm = make_enterprise(owner)
    login(owner)
    client.post("/enterprise/assessments/start")
    return owner, firm, current_assessment(app, firm.id)


def first_item() -> tuple[str, str]:
    """(page code, item code) of the questionnaire's first question."""
    dim = current_instrument().dimensions[0]
    return dim.code, dim.indicators[0].items[0].code


def upload(client: FlaskClient, public_id: str, data: bytes, name: str, item: str | None = None):  # type: ignore[no-untyped-def]
    page, code = first_item()
    return client.post(
        f"/enterprise/assessments/{public_id}/evidence",
        data={"page": page, "item": item or code, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def rows(app: Flask) -> list[Evidence]:
    with app.app_context():
        found = list(db.session.scalars(select(Evidence).order_by(Evidence.id)))
        for row in found:
            db.session.expunge(row)
        return found


def test_a_photo_is_stored_under_a_random_name_listed_and_downloaded(app, client, owner_draft):  # type: ignore[no-untyped-def]
    _, _, draft = owner_draft
    page, code = first_item()
    resp = upload(client, draft.public_id, png_bytes(), "车间 照片.png")
    assert resp.status_code == 302 and f"#q-{code}" in resp.headers["Location"]
    [row] = rows(app)
    assert (row.kind, row.filename, row.item_code) == ("png", "车间 照片.png", code)
    stored = list(Path(app.config["EVIDENCE_DIR"]).iterdir())
    assert [p.name for p in stored] == [row.public_id]  # the id, not the owner's name
    assert "static" not in str(stored[0])
    html = client.get(f"/enterprise/assessments/{draft.public_id}/pages/{page}").get_data(True)
    assert "车间 照片.png" in html and f"/enterprise/evidence/{row.public_id}" in html
    got = client.get(f"/enterprise/evidence/{row.public_id}")
    assert got.status_code == 200 and got.data == png_bytes()
    assert got.mimetype == "image/png" and "attachment" in got.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (zip_bytes(), "policy.pdf"),  # a zip named .pdf
        (b"MZ\x90\x00" + b"\x00" * 200, "photo.png"),  # a program named .png
        (PDF, "scan.png"),  # a real PDF under an image's name
        (b"plain text, not a document", "list.xlsx"),
        (zip_bytes(), "list.xlsx"),  # a zip that is not a workbook
    ],
)
def test_content_that_is_not_what_the_name_says_is_refused(app, client, owner_draft, data, name):  # type: ignore[no-untyped-def]
    _, _, draft = owner_draft
    resp = upload(client, draft.public_id, data, name)
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "只能上传 PDF、PNG、JPEG 或 Excel" in page
    assert rows(app) == [] and list(Path(app.config["EVIDENCE_DIR"]).iterdir()) == []


def test_a_pdf_and_a_workbook_are_accepted(app, client, owner_draft):  # type: ignore[no-untyped-def]
    _, _, draft = owner_draft
    book = io.BytesIO()
    Workbook().save(book)
    upload(client, draft.public_id, PDF, "制度.PDF")
    upload(client, draft.public_id, book.getvalue(), "设备清单.xlsx")
    assert [r.kind for r in rows(app)] == ["pdf", "xlsx"]


def test_a_file_over_the_cap_is_refused_with_the_cap_named(app, client, owner_draft):  # type: ignore[no-untyped-def]
    _, _, draft = owner_draft
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    resp = upload(client, draft.public_id, PDF + b"0" * 2048, "big.pdf")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "文件超过" in page and rows(app) == []


def test_an_unknown_question_is_refused(app, client, owner_draft):  # type: ignore[no-untyped-def]
    _, _, draft = owner_draft
    resp = upload(client, draft.public_id, PDF, "a.pdf", item="NOPE-99")
    assert "请选择要附上材料的题目" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert rows(app) == []


def test_another_firms_file_answers_404_to_download_and_delete(  # type: ignore[no-untyped-def]
    app, client, owner_draft, make_user, make_enterprise, login
):
    _, _, draft = owner_draft
    upload(client, draft.public_id, PDF, "a.pdf")
    [row] = rows(app)
    other = make_user()
    make_enterprise(other, uscc="91441900MA4UJX8B2L")
    login(other)
    assert client.get(f"/enterprise/evidence/{row.public_id}").status_code == 404
    assert client.post(f"/enterprise/evidence/{row.public_id}/delete").status_code == 404
    assert client.get("/enterprise/evidence/0123456789abcdef0123456789abcdef").status_code == 404
    assert len(rows(app)) == 1


def test_unauthenticated_download_is_sent_to_login(app, client, owner_draft):  # type: ignore[no-untyped-def]
    _, _, draft = owner_draft
    upload(client, draft.public_id, PDF, "a.pdf")
    [row] = rows(app)
    client.post("/auth/logout")
    for path in (f"/enterprise/evidence/{row.public_id}", f"/centre/evidence/{row.public_id}"):
        resp = client.get(path)
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_centre_staff_of_the_firm_download_others_do_not(  # type: ignore[no-untyped-def]
    app, client, owner_draft, staff_of, make_user, login
):
    _, firm, draft = owner_draft
    upload(client, draft.public_id, PDF, "a.pdf")
    [row] = rows(app)
    login(staff_of(firm.centre_id))
    assert client.get(f"/centre/evidence/{row.public_id}").data == PDF
    with app.app_context():
        other_centre = db.session.scalar(
            select(func.min(Enterprise.centre_id)).where(Enterprise.centre_id != firm.centre_id)
        )
        other_centre = other_centre or db.session.scalar(
            select(EnablingCentre.id).where(EnablingCentre.id != firm.centre_id).limit(1)
        )
    login(staff_of(other_centre))
    assert client.get(f"/centre/evidence/{row.public_id}").status_code == 404
    login(make_user(Role.GOVERNMENT))
    assert client.get(f"/centre/evidence/{row.public_id}").status_code == 403


def test_delete_while_draft_then_nothing_changes_after_submit(app, client, owner_draft):  # type: ignore[no-untyped-def]
    _, firm, draft = owner_draft
    upload(client, draft.public_id, PDF, "a.pdf")
    upload(client, draft.public_id, PDF, "b.pdf")
    first, second = rows(app)
    client.post(f"/enterprise/evidence/{first.public_id}/delete")
    assert [r.public_id for r in rows(app)] == [second.public_id]
    assert not (Path(app.config["EVIDENCE_DIR"]) / first.public_id).exists()
    submit_with(client, app, firm.id, most_mature_responses)
    assert current_assessment(app, firm.id).status == "submitted"
    resp = upload(client, draft.public_id, PDF, "late.pdf")
    assert resp.status_code == 302 and "/result" in resp.headers["Location"]
    client.post(f"/enterprise/evidence/{second.public_id}/delete")
    assert [r.public_id for r in rows(app)] == [second.public_id]
    assert (Path(app.config["EVIDENCE_DIR"]) / second.public_id).exists()


def test_submit_needs_the_declaration_and_records_who_and_when(app, client, owner_draft):  # type: ignore[no-untyped-def]
    owner, firm, _ = owner_draft
    assessment = answer_with(client, app, firm.id, most_mature_responses)
    url = f"/enterprise/assessments/{assessment.public_id}/submit"
    refused = client.post(url)
    assert "/review" in refused.headers["Location"]
    assert "请勾选真实性承诺" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert current_assessment(app, firm.id).status == "draft"
    client.post(url, data=DECLARED)
    with app.app_context():
        row = db.session.get(Assessment, assessment.id)
        assert row is not None and row.status == "submitted"
        assert row.declared_by_id == owner.id and row.declared_at is not None
