"""The administrator's upload page for the enterprise bulk import: all or nothing, row errors
shown on the page, template files that import as they are."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import AuditLog, Role
from tests.integration.test_enterprise_import import (
    REFUSED_FILES,
    count,
    csv_bytes,
    row,
    xlsx_bytes,
)
from webapp.extensions import db


def _upload(client, data: bytes, filename: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/enterprises/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_page_offers_the_form_and_both_templates(admin_client) -> None:  # type: ignore[no-untyped-def]
    page = admin_client.get("/admin/enterprises/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'accept=".xlsx,.csv"' in page
    assert "/admin/enterprises/import/template.xlsx" in page
    assert "/admin/enterprises/import/template.csv" in page


def test_a_file_with_bad_rows_imports_nothing_and_lists_each_row(app, admin_client) -> None:  # type: ignore[no-untyped-def]
    rows = [row(), row(town="atlantis"), row(), row(industry_code="A01", name="<b>x</b>")]
    resp = _upload(admin_client, xlsx_bytes(rows), "list.xlsx")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "文件有 2 处错误，未导入任何内容" in page
    assert "第 3 行" in page and "town: unknown town code atlantis" in page
    assert "第 5 行" in page and "industry_code" in page
    assert "<b>x</b>" not in page
    assert count(app) == 0


@pytest.mark.parametrize(("data", "filename", "reason"), REFUSED_FILES)
def test_unreadable_or_wrong_type_files_are_refused(
    app, admin_client, data, filename, reason
) -> None:  # type: ignore[no-untyped-def]
    resp = _upload(admin_client, data, filename)
    assert resp.status_code == 422
    assert "未导入任何内容" in resp.get_data(as_text=True)
    assert reason in resp.get_data(as_text=True)
    assert count(app) == 0


def test_no_file_is_a_message_not_an_error(admin_client) -> None:  # type: ignore[no-untyped-def]
    resp = admin_client.post("/admin/enterprises/import", data={}, follow_redirects=True)
    assert resp.status_code == 200 and "请选择要导入的文件" in resp.get_data(as_text=True)


def test_a_clean_csv_imports_every_row_with_an_audit_entry(app, admin_client) -> None:  # type: ignore[no-untyped-def]
    resp = _upload(admin_client, csv_bytes([row(), row(), row()]), "list.csv")
    assert resp.status_code == 302
    assert "已导入 3 家企业" in admin_client.get(resp.headers["Location"]).get_data(as_text=True)
    assert count(app) == 3
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(AuditLog.id)).where(AuditLog.entity == "enterprise")
            )
            == 3
        )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_files_import_as_they_are(app, admin_client, fmt) -> None:  # type: ignore[no-untyped-def]
    resp = admin_client.get(f"/admin/enterprises/import/template.{fmt}")
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].endswith(f"enterprises-template.{fmt}")
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(resp.data))["enterprises"]
        assert [c.value for c in sheet[1]][:2] == ["uscc", "name"]
    imported = _upload(admin_client, resp.data, f"template.{fmt}")
    assert imported.status_code == 302, imported.get_data(as_text=True)[:2000]
    assert count(app) == 2


def test_other_roles_cannot_upload(client, app, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CENTRE_STAFF))
    assert _upload(client, csv_bytes([row()]), "list.csv").status_code == 403
    assert client.get("/admin/enterprises/import/template.csv").status_code == 403
    assert count(app) == 0
