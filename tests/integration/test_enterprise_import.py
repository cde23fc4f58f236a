"""Enterprise bulk import: row-level errors, nothing imported from a file with errors, size and
type checks, and a clean file added in one go with an audit trail."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from models import AuditLog, Enterprise, Role
from tests.factories import add_centre, new_uscc
from webapp.extensions import db
from webapp.services.enterprise_import import FIELDS, import_enterprises
from webapp.services.tabular_import import MAX_BYTES, ImportRefused


def row(**changes):  # type: ignore[no-untyped-def]
    base = {
        "uscc": new_uscc(),
        "name": "东莞市导入测试有限公司",
        "industry_code": "C39",
        "production_type": "discrete",
        "town": "houjie",
        "employees": 80,
        "revenue_wan": 2500,
        "centre": "",
    }
    return base | changes


def csv_bytes(rows) -> bytes:  # type: ignore[no-untyped-def]
    lines = [",".join(FIELDS)] + [",".join(str(r[f]) for f in FIELDS) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(rows) -> bytes:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.title = "enterprises"
    ws.append(list(FIELDS))
    for r in rows:
        ws.append([r[f] for f in FIELDS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def admin(app, make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.ADMIN)


def count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return int(db.session.scalar(select(func.count(Enterprise.id))) or 0)


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"uscc": "91441900MA00000000"}, "uscc"),  # wrong check character
        ({"name": ""}, "name"),
        ({"industry_code": "A01"}, "industry_code"),  # agriculture, not manufacturing
        ({"production_type": "batch"}, "production_type"),
        ({"town": "atlantis"}, "town"),
        ({"employees": -3}, "employees"),
        ({"employees": "many"}, "employees"),
        ({"employees": 12.5}, "employees"),
        ({"revenue_wan": "1e999"}, "revenue_wan"),
        ({"revenue_wan": "nan"}, "revenue_wan"),
        ({"centre": "NO-SUCH"}, "centre"),
    ],
)
def test_a_bad_row_imports_nothing_and_is_named(app, admin, bad, reason) -> None:  # type: ignore[no-untyped-def]
    rows = [row(), row(**bad), row()]
    with app.app_context(), pytest.raises(ImportRefused) as refused:
        import_enterprises(db.session.get(type(admin), admin.id), csv_bytes(rows), "list.csv")
    assert [(e.row, e.reason.split(":")[0]) for e in refused.value.errors] == [(3, reason)]
    assert count(app) == 0


def test_duplicates_in_the_file_and_in_the_database_are_refused(app, admin) -> None:  # type: ignore[no-untyped-def]
    first = row()
    with app.app_context():
        actor = db.session.get(type(admin), admin.id)
        assert import_enterprises(actor, xlsx_bytes([first]), "one.xlsx") == 1
        again, twice = row(uscc=first["uscc"]), row()
        with pytest.raises(ImportRefused) as refused:
            import_enterprises(actor, xlsx_bytes([again, twice, dict(twice)]), "two.xlsx")
    reasons = {(e.row, e.reason) for e in refused.value.errors}
    assert (2, f"uscc: {first['uscc']} is already registered") in reasons
    assert (4, f"uscc: {twice['uscc']} also on row 3") in reasons
    assert count(app) == 1


#: Files under the size limit that the import refuses whole: (bytes, file name, part of the
#: reason given). The upload page shows the same reasons.
REFUSED_FILES = [
    (b"MZ\x90\x00binary", "list.exe", "only .xlsx and .csv"),
    (b"uscc,name\n", "list.pdf", "only .xlsx and .csv"),
    (b"\xff\xfe\x00bad utf-8", "list.csv", "not UTF-8"),
    (b"\xff\xfe not utf-8", "list.csv", "not UTF-8"),
    (b"PK\x03\x04 not really a workbook", "list.xlsx", "不是 Excel 工作簿"),
    (b"not a workbook", "list.xlsx", "不是 Excel 工作簿"),
    (b"uscc,name\n", "empty.csv", "no enterprise rows"),
    (b"uscc,name,password\n1,2,3\n", "cols.csv", "unknown columns"),
]


@pytest.mark.parametrize(
    ("data", "name", "reason"), [(b"x" * (MAX_BYTES + 1), "big.csv", "文件过大"), *REFUSED_FILES]
)
def test_files_of_the_wrong_size_type_or_encoding_are_refused(
    app, admin, data, name, reason
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), pytest.raises(ImportRefused) as refused:
        import_enterprises(db.session.get(type(admin), admin.id), data, name)
    assert reason in refused.value.errors[0].reason
    assert count(app) == 0


def test_clean_file_is_added_with_derived_fields_centre_and_audit(
    app, admin, runner, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        add_centre("CTR-T")
        db.session.commit()
    rows = [row(centre="CTR-T", name="<script>alert(1)</script>=1+1"), row(revenue_wan="1,800.5")]
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    result = runner.invoke(args=["enterprises", "import", str(path), "--actor", admin.email])
    assert result.exit_code == 0 and "imported 2 enterprises" in result.output, result.output
    with app.app_context():
        added = {e.uscc: e for e in db.session.scalars(select(Enterprise))}
        one, two = added[rows[0]["uscc"]], added[rows[1]["uscc"]]
        assert one.centre_id is not None and one.cluster and one.size_class
        assert one.name == rows[0]["name"]  # stored as typed; escaped wherever it is shown
        assert two.revenue_wan == 1800.5 and two.above_scale is False
        audit = db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.entity == "enterprise")
        )
        assert audit == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row(town="nowhere")]))
    result = runner.invoke(args=["enterprises", "import", str(bad), "--actor", admin.email])
    assert result.exit_code != 0 and "row 2: town" in result.output
