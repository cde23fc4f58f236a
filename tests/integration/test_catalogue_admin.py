"""Catalogue administration: all-or-nothing import with row errors, export round trip,
retiring, and the matching evaluation."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from models import AuditLog, Solution
from tests.factories import solution_form
from webapp.extensions import db


def workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "solutions"
    ws.append(["code", "provider", "name_zh", "name_en", "gates", "price_band", "light_fast"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str, kind: str = ""):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/catalogue/import",
        data={"file": (io.BytesIO(data), name), "kind": kind},
        content_type="multipart/form-data",
    )


def count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return int(db.session.scalar(select(func.count(Solution.id))))


def test_file_with_a_bad_row_imports_nothing_and_names_the_row(app, catalogue_admin) -> None:  # type: ignore[no-untyped-def]
    before = count(app)
    data = workbook(
        [
            ["S-NEW-1", "P-ERPDEMO", "新方案一", "New one", "S1.SYSTEMS", "lt5", "是"],
            ["S-NEW-2", "P-ERPDEMO", "新方案二", "New two", "S1.OFFICE", "cheap", "否"],
            ["S-NEW-3", "P-NOBODY", "新方案三", "New three", "S1.OFFICE", "lt5", "否"],
        ]
    )
    resp = upload(catalogue_admin, data, "new.xlsx")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "第 3 行" in page and "price band" in page and "P-NOBODY" in page
    assert count(app) == before


def test_clean_file_imports_in_one_go_with_audit(app, catalogue_admin) -> None:  # type: ignore[no-untyped-def]
    before = count(app)
    data = workbook(
        [["S-NEW-1", "P-ERPDEMO", "新方案一", "New one", "S1.SYSTEMS, S1.OFFICE", "lt5", "是"]]
    )
    resp = upload(catalogue_admin, data, "new.xlsx")
    assert resp.status_code == 302
    with app.app_context():
        s = db.session.scalar(select(Solution).where(Solution.code == "S-NEW-1"))
        assert s.gates == ["S1.SYSTEMS", "S1.OFFICE"] and s.light_fast is True
        assert (
            db.session.scalar(
                select(func.count(AuditLog.id)).where(AuditLog.entity_code == "S-NEW-1")
            )
            == 1
        )
    assert count(app) == before + 1


def test_export_round_trips_and_csv_needs_a_kind(app, catalogue_admin) -> None:  # type: ignore[no-untyped-def]
    exported = catalogue_admin.get("/admin/catalogue/export.xlsx").data
    before = count(app)
    assert upload(catalogue_admin, exported, "catalogue.xlsx").status_code == 302
    assert count(app) == before
    csv_data = "code,provider,name_zh,name_en,gates,price_band\nS-CSV,P-ERPDEMO,甲,A,S1.LEAD,lt5\n".encode()
    assert upload(catalogue_admin, csv_data, "s.csv").status_code == 422
    assert upload(catalogue_admin, csv_data, "s.csv", "solutions").status_code == 302
    assert upload(catalogue_admin, b"\x00garbage", "x.xlsx").status_code == 422
    assert upload(catalogue_admin, b"hello", "x.txt").status_code == 302  # refused with a message


def test_retire(app, catalogue_admin) -> None:  # type: ignore[no-untyped-def]
    catalogue_admin.post("/admin/catalogue/solutions/S-OA/retire", data={"retired": "1"})
    with app.app_context():
        assert db.session.scalar(select(Solution.retired).where(Solution.code == "S-OA")) is True


def test_no_global_cost_share_setting(app, catalogue_admin) -> None:  # type: ignore[no-untyped-def]
    """The roadmap splits each step's cost by the product's provider discount and the support
    programmes, both edited in the catalogue; a page-wide percentage setting that no roadmap
    read is not offered (it changed nothing a version-2 report shows)."""
    page = catalogue_admin.get("/admin/catalogue").get_data(as_text=True)
    assert "费用分担比例" not in page and "cost-shares" not in page
    resp = catalogue_admin.post(
        "/admin/settings/cost-shares", data={"centre": "0", "government": "0", "enterprise": "100"}
    )
    assert resp.status_code == 404


@pytest.mark.demo_cohort(enterprises=40, seed=3)
def test_matching_evaluation_command(app) -> None:  # type: ignore[no-untyped-def]
    out = app.test_cli_runner().invoke(args=["matching", "evaluate", "--round", "2026"]).output
    assert "40 assessments" in out and "distinct providers recommended" in out


def test_create_and_edit_one_entry_with_validation(app, catalogue_admin) -> None:  # type: ignore[no-untyped-def]
    form = solution_form(
        "S-FORM", name_en="Form", gates="S1.SYSTEMS", price_band="nope", delivery_weeks="3"
    )
    resp = catalogue_admin.post("/admin/catalogue/solutions/edit", data=form)
    assert resp.status_code == 422 and "price band" in resp.get_data(as_text=True)
    form["price_band"] = "lt5"
    assert catalogue_admin.post("/admin/catalogue/solutions/edit", data=form).status_code == 302
    form["name_zh"] = "改名后的方案"
    catalogue_admin.post("/admin/catalogue/solutions/edit?code=S-FORM", data=form)
    with app.app_context():
        s = db.session.scalar(select(Solution).where(Solution.code == "S-FORM"))
        assert s.name_zh == "改名后的方案" and s.delivery_weeks == 3 and s.light_fast is False
        actions = db.session.scalars(
            select(AuditLog.action).where(AuditLog.entity_code == "S-FORM")
        ).all()
        assert actions == ["create", "update"]
    page = catalogue_admin.get("/admin/catalogue/solutions/edit?code=S-FORM").get_data(as_text=True)
    assert 'value="改名后的方案"' in page
