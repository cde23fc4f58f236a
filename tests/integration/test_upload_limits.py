"""Uploads (review findings 6, 10 and 24): decompression and cell bombs are refused before they
are parsed, malformed files get a refusal with the reason instead of a 500, and the CSV
encodings Chinese Excel writes are read."""

from __future__ import annotations

import io
import resource
import time
import zipfile

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from models import Enterprise
from tests.integration.test_enterprise_import import FIELDS, row, xlsx_bytes
from webapp.extensions import db


def _upload(
    client: FlaskClient, data: bytes, filename: str, path: str = "/admin/enterprises/import"
):  # type: ignore[no-untyped-def]
    return client.post(
        path,
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Enterprise)) or 0)


def _replace_member(workbook: bytes, member: str, content: bytes) -> bytes:
    """``workbook`` with one zip member's content replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info, src.read(info.filename))
        dst.writestr(member, content)
    return out.getvalue()


def _cell_bomb(rows: int, cells: int) -> bytes:
    """The review's cell bomb: ``rows`` x ``cells`` numeric cells, no dimension element."""
    cell = b"<c><v>1</v></c>" * cells
    body = b"".join(b'<row r="%d">' % (r + 1) + cell + b"</row>" for r in range(rows))
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + body + b"</sheetData></worksheet>"
    )
    return _replace_member(xlsx_bytes([row()]), "xl/worksheets/sheet1.xml", sheet)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def test_a_150_kib_cell_bomb_is_refused_in_well_under_a_second_of_cpu(
    app: Flask, admin_client: FlaskClient
) -> None:
    bomb = _cell_bomb(1000, 5000)
    assert len(bomb) < 400 * 1024  # the review's file was 150 KiB; this one inflates to 75 MB
    cpu, wall = _cpu_seconds(), time.monotonic()
    resp = _upload(admin_client, bomb, "bomb.xlsx")
    cpu, wall = _cpu_seconds() - cpu, time.monotonic() - wall
    assert resp.status_code == 422
    assert "解压后过大" in resp.get_data(as_text=True)
    assert cpu < 2.0 and wall < 5.0  # was 172 s of CPU
    assert _count(app) == 0


def test_a_shared_strings_bomb_is_refused_before_it_is_inflated(
    app: Flask, admin_client: FlaskClient
) -> None:
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        + b"A" * (100 * 1024 * 1024)
        + b"</t></si></sst>"
    )
    bomb = _replace_member(xlsx_bytes([row()]), "xl/sharedStrings.xml", strings)
    assert len(bomb) < 200 * 1024
    resp = _upload(admin_client, bomb, "strings.xlsx")
    assert resp.status_code == 422 and "解压后过大" in resp.get_data(as_text=True)


def test_a_sheet_declaring_too_many_cells_is_refused_without_reading_it(
    admin_client: FlaskClient,
) -> None:
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
    )
    book = _replace_member(xlsx_bytes([row()]), "xl/worksheets/sheet1.xml", sheet)
    resp = _upload(admin_client, book, "wide.xlsx")
    assert resp.status_code == 422 and "工作表过大" in resp.get_data(as_text=True)


def test_extra_columns_beyond_the_cap_are_not_read(app: Flask, admin_client: FlaskClient) -> None:
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in FIELDS)
    good = row()
    values = "".join(
        f'<c t="inlineStr"><is><t>{good[f]}</t></is></c>'
        if isinstance(good[f], str)
        else f"<c><v>{good[f]}</v></c>"
        for f in FIELDS
    )
    filler = "<c><v>1</v></c>" * 2000
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{cells}</row><row r="2">{values}{filler}</row></sheetData></worksheet>'
    ).encode()
    book = _replace_member(xlsx_bytes([]), "xl/worksheets/sheet1.xml", sheet)
    resp = _upload(admin_client, book, "wide-row.xlsx")
    assert resp.status_code in (200, 302), resp.get_data(as_text=True)[:1000]
    assert _count(app) == 1


@pytest.mark.parametrize(
    ("member", "content"),
    [
        ("xl/workbook.xml", b"<workbook><sheets><sheet name="),
        ("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c><v>1</v"),
        (
            "xl/worksheets/sheet1.xml",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<worksheet><sheetData><row><c><v>&e;</v></c></row></sheetData></worksheet>",
        ),
        (
            "xl/worksheets/sheet1.xml",
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b"<worksheet><sheetData><row><c><v>&c;</v></c></row></sheetData></worksheet>",
        ),
    ],
    ids=["truncated-workbook", "truncated-sheet", "xxe", "billion-laughs"],
)
@pytest.mark.parametrize("path", ["/admin/enterprises/import", "/admin/catalogue/import"])
def test_malformed_xml_in_a_workbook_is_refused_not_a_500(
    admin_client: FlaskClient, member: str, content: bytes, path: str
) -> None:
    book = _replace_member(xlsx_bytes([row()]), member, content)
    resp = _upload(admin_client, book, "broken.xlsx", path)
    assert resp.status_code == 422, resp.status_code
    assert "不是 Excel 工作簿" in resp.get_data(as_text=True)
    assert "root:" not in resp.get_data(as_text=True)


def test_an_over_long_csv_field_is_refused_with_the_reason(
    app: Flask, admin_client: FlaskClient
) -> None:
    header = ",".join(FIELDS)
    data = header + '\n91441900UP00000068,"' + "A" * 200_000 + '",C21,discrete,houjie,10,100,\n'
    resp = _upload(admin_client, data.encode(), "long.csv")
    assert resp.status_code == 422
    assert "超过 2000 个字符" in resp.get_data(as_text=True)
    assert _count(app) == 0


def _csv_text(n: int = 2) -> str:
    rows = [row(name="东莞市长安镇某某五金制品有限公司") for _ in range(n)]
    lines = [",".join(FIELDS)] + [",".join(str(r[f]) for f in FIELDS) for r in rows]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("gbk"),
        lambda t: t.encode("gb18030"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-16"),  # BOM, comma separated
        lambda t: t.replace(",", "\t").encode("utf-16"),  # Excel "Unicode text": tabs
    ],
    ids=["gbk", "gb18030", "utf-8-bom", "utf-16", "utf-16-tabs"],
)
def test_csv_files_in_the_encodings_chinese_excel_writes_are_imported(
    app: Flask, admin_client: FlaskClient, encode
) -> None:  # type: ignore[no-untyped-def]
    resp = _upload(admin_client, encode(_csv_text()), "list.csv")
    assert resp.status_code in (200, 302), resp.get_data(as_text=True)[:2000]
    assert _count(app) == 2
    with app.app_context():
        names = set(db.session.scalars(select(Enterprise.name)))
    assert names == {"东莞市长安镇某某五金制品有限公司"}


def test_gbk_catalogue_csv_is_imported(app: Flask, admin_client: FlaskClient) -> None:
    text = (
        "code,name_zh,name_en,centre_type,clusters,towns,dimensions,gates,capacity,contact\r\n"
        "CTR-GBK,东莞市测试中心,GBK Centre,platform,,,,,5,东莞市南城区\r\n"
    )
    resp = admin_client.post(
        "/admin/catalogue/import",
        data={"file": (io.BytesIO(text.encode("gbk")), "centres.csv"), "kind": "centres"},
        content_type="multipart/form-data",
    )
    assert resp.status_code in (200, 302), resp.get_data(as_text=True)[:2000]
