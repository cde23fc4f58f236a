"""Authoring a questionnaire version from an Excel workbook on the administrator page: any version
downloads as a workbook, an edited workbook publishes, a bad one lists every refused row in the
page's language and publishes nothing."""

from __future__ import annotations

import io
import re
import tomllib
import zipfile

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from assessment.instrument import INSTRUMENT_DIR, parse_instrument
from assessment.instrument_sheets import tables_from_data
from models import AuditLog, Role
from reports.exports import XLSX_MIMETYPE, Sheet, workbook_xlsx
from webapp.extensions import db
from webapp.services import instruments
from webapp.services.instruments import MAX_BYTES
from webapp.services.tabular_import import MAX_BYTES as READER_MAX_BYTES

V2 = (INSTRUMENT_DIR / "dmi-v2.toml").read_text(encoding="utf-8")


def workbook(edit=None) -> bytes:  # type: ignore[no-untyped-def]
    """dmi v2 as a workbook, version 3, after ``edit(sheets)`` (sheet name -> list of row dicts)."""
    tables = tables_from_data(tomllib.loads(V2))
    sheets = {t.name: [dict(zip(t.header, r, strict=True)) for r in t.rows] for t in tables}
    next(r for r in sheets["instrument"] if r["key"] == "version")["value"] = "3"
    if edit is not None:
        edit(sheets)
    return workbook_xlsx(
        [
            Sheet(name, [list(r.values()) for r in rows], list(rows[0]))
            for name, rows in sheets.items()
        ]
    )


def publish(client: FlaskClient, data: bytes, name: str = "dmi-v3.xlsx"):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/instruments",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def published_count(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count(AuditLog.id)).where(AuditLog.entity == "instrument")
            )
            or 0
        )


def test_the_current_version_downloads_as_a_workbook_that_uploads_as_the_next(
    app: Flask, admin_client: FlaskClient
) -> None:
    page = admin_client.get("/admin/instruments").get_data(as_text=True)
    assert "/admin/instruments/dmi-v2.xlsx" in page and "下载 Excel" in page
    response = admin_client.get("/admin/instruments/dmi-v2.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX_MIMETYPE
    # The admin's edit: the version number, in Excel.
    editable = load_workbook(io.BytesIO(response.data))
    assert editable.sheetnames == ["instrument", "dimensions", "indicators", "items", "options"]
    for row in editable["instrument"].iter_rows(min_row=2):
        if row[0].value == "version":
            row[1].value = 3  # typed as a number, as Excel would keep it
    out = io.BytesIO()
    editable.save(out)
    assert publish(admin_client, out.getvalue()).status_code == 302
    assert app.extensions["instruments"].current().version == "3"
    stored = admin_client.get("/admin/instruments/dmi-v3.toml").get_data(as_text=True)
    v2, v3 = parse_instrument(V2), parse_instrument(stored)
    assert v3.version == "3" and v3.dimensions == v2.dimensions
    with app.app_context():
        audit = db.session.scalar(select(AuditLog).where(AuditLog.entity == "instrument"))
        assert audit is not None and audit.detail["source"] == "xlsx"


def test_a_workbook_with_several_bad_rows_lists_each_and_publishes_nothing(
    app: Flask, admin_client: FlaskClient
) -> None:
    def spoil(sheets) -> None:  # type: ignore[no-untyped-def]
        items = sheets["items"]
        items[0]["text_zh"] = None  # missing text
        items[1]["kind"] = "slider"  # unknown kind
        items[2]["indicator"] = "FND.NOPE"  # a missing indicator
        items.append(dict(items[3]))  # a duplicate code
        sheets["options"][0]["value"] = 2  # outside [0, 1]

    response = publish(admin_client, workbook(spoil))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    rows = re.findall(r"<tr><td><code>(\w+)</code></td><td>(\d+)</td><td>(.*?)</td>", html)
    assert {(sheet, int(row)) for sheet, row, _ in rows} == {
        ("items", 2),
        ("items", 3),
        ("items", 4),
        ("items", len(tables_from_data(tomllib.loads(V2))[3].rows) + 2),
        ("options", 2),
    }
    assert "必填，不能为空" in html and "slider" in html and "FND.NOPE" in html
    assert "代码 FND-04 重复（items 工作表第 5 行已有）" in html and "超出 0–1 的范围" in html
    assert "工作簿有 5 处错误" in html
    assert app.extensions["instruments"].current().version == "2"
    assert published_count(app) == 0


def test_the_refused_rows_are_worded_in_the_page_language(admin_client: FlaskClient) -> None:
    admin_client.post("/lang/en", data={"next": "/"})

    def spoil(sheets) -> None:  # type: ignore[no-untyped-def]
        sheets["items"][1]["kind"] = "slider"
        sheets["options"][0]["value"] = -0.5

    html = publish(admin_client, workbook(spoil)).get_data(as_text=True)
    assert "unknown value slider" in html.lower() and "-0.5 is outside 0–1" in html
    assert "Refused rows" in html


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"PK\x03\x04 renamed, not a workbook", "dmi-v3.xlsx", "不是 Excel 工作簿"),
        (b"id = 'dmi'", "dmi-v3.docx", "只接受 .toml 或 .xlsx"),
    ],
)
def test_files_that_are_not_workbooks_or_too_large_are_refused(
    app: Flask, admin_client: FlaskClient, data: bytes, name: str, reason: str
) -> None:
    response = publish(admin_client, data, name)
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    assert published_count(app) == 0


def test_an_oversized_file_is_refused_before_it_is_read(app: Flask, make_user) -> None:  # type: ignore[no-untyped-def]
    """Called on the service: the test client spools a body this large to an unclosed file."""
    admin_user = make_user(Role.ADMIN)
    with app.test_request_context(), pytest.raises(instruments.PublicationRefused) as refused:
        instruments.publish(admin_user, workbook() + b"\0" * MAX_BYTES, "dmi-v3.xlsx")
    assert "文件过大" in refused.value.reason
    assert published_count(app) == 0


def test_a_workbook_that_inflates_too_far_is_refused(app: Flask, admin_client: FlaskClient) -> None:
    """The upload reader's zip-bomb limits hold for questionnaire workbooks too."""
    source = zipfile.ZipFile(io.BytesIO(workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            bomb.writestr(member.filename, source.read(member))
        bomb.writestr("xl/media/padding.bin", b"\0" * (30 * 1024 * 1024))  # 30 MiB inflated
    assert len(out.getvalue()) < MAX_BYTES
    response = publish(admin_client, out.getvalue())
    assert response.status_code == 422 and "解压后过大" in response.get_data(as_text=True)
    assert published_count(app) == 0


def test_the_publication_cap_is_below_the_upload_readers() -> None:
    """Both file types meet the instrument page's own cap first (the reader's is larger)."""
    assert MAX_BYTES < READER_MAX_BYTES


def test_a_rule_across_rows_is_placed_at_its_item(app: Flask, admin_client: FlaskClient) -> None:
    def spoil(sheets) -> None:  # type: ignore[no-untyped-def]
        fnd04 = next(r for r in sheets["items"] if r["code"] == "FND-04")
        fnd04["denominator"] = None  # bands on a figure now lack their denominator

    html = publish(admin_client, workbook(spoil)).get_data(as_text=True)
    number = 2 + [r["code"] for r in _item_rows()].index("FND-04")
    assert re.search(rf"<td><code>items</code></td><td>{number}</td>", html)
    assert "FND-04" in html
    assert published_count(app) == 0


def _item_rows() -> list[dict]:  # type: ignore[type-arg]
    table = tables_from_data(tomllib.loads(V2))[3]
    return [dict(zip(table.header, r, strict=True)) for r in table.rows]


def test_text_a_spreadsheet_would_run_comes_back_as_typed(
    app: Flask, admin_client: FlaskClient
) -> None:
    """The apostrophe the export puts before "-..." or "=..." is not part of the text."""

    def edit(sheets) -> None:  # type: ignore[no-untyped-def]
        sheets["items"][0]["help_en"] = "-- choose all that apply"

    assert publish(admin_client, workbook(edit)).status_code == 302
    stored = admin_client.get("/admin/instruments/dmi-v3.toml").get_data(as_text=True)
    assert parse_instrument(stored).items[0].help_en == "-- choose all that apply"


def test_only_administrators_may_download_a_workbook(client: FlaskClient, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CENTRE_STAFF))
    assert client.get("/admin/instruments/dmi-v2.xlsx").status_code == 403


def test_an_unknown_version_has_no_workbook(admin_client: FlaskClient) -> None:
    assert admin_client.get("/admin/instruments/dmi-v9.xlsx").status_code == 404
