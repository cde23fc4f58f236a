"""Support programmes in the database (issue 19): loaded by the demo seed, read by the roadmap
through a service, edited by administrators in a form with labels in the page's language,
retired, audited, and exported/imported without changing a value."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import AuditLog, SupportProgramme
from webapp.extensions import db
from webapp.services import demo
from webapp.services.roadmaps import programmes

STEPS = "listed | 列入名单 | On the list | 镇街推荐 | Town nomination\napply | 提交申报 | Apply"
FORM = {
    "code": "DG-TEST",
    "name_zh": "测试扶持项目",
    "name_en": "Test programme",
    "issuer": "东莞市工业和信息化局",
    "document": "东工信〔2026〕1号",
    "region": "东莞市",
    "share": "0.3",
    "cap_wan": "20",
    "divisions": "C17, C18",
    "size_classes": "small, medium",
    "max_level_before": "1",
    "documents": "申报表\n诊断报告（含改造前等级、痛点与需求、改造方案）",
    "steps": STEPS,
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
    "pilot_list": "1",
}


def test_the_demo_programmes_are_in_the_database_and_the_roadmap_reads_them(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        demo.load_catalogue()
        codes = [p.code for p in programmes()]
        assert codes[0] == "DG-PILOT" and len(codes) == len(set(codes)) > 1
        pilot = programmes()[0]
        assert [s.code for s in pilot.steps][0] == "listed" and pilot.is_demo
        row = db.session.scalar(select(SupportProgramme).where(SupportProgramme.code == "DG-PILOT"))
        row.retired = True
        db.session.flush()
        assert "DG-PILOT" not in [p.code for p in programmes()]  # retired: never offered


def test_create_edit_and_retire_a_programme_with_audit(app, catalogue_admin) -> None:  # type: ignore[no-untyped-def]
    page = catalogue_admin.get("/admin/catalogue/programmes/edit").get_data(as_text=True)
    assert "补助比例" in page and "申报步骤" in page and "cap_wan</label>" not in page
    catalogue_admin.post("/lang/en", data={"next": "/"})
    english = catalogue_admin.get("/admin/catalogue/programmes/edit").get_data(as_text=True)
    assert "Support share" in english and "Steps" in english
    catalogue_admin.post("/lang/zh", data={"next": "/"})
    assert catalogue_admin.post("/admin/catalogue/programmes/edit", data=FORM).status_code == 302
    with app.app_context():
        (p,) = [p for p in programmes() if p.code == "DG-TEST"]
        assert (p.share, p.cap_wan, p.max_level_before, p.pilot_list) == (0.3, 20.0, 1, True)
        assert p.divisions == {"C17", "C18"} and len(p.documents) == 2
        assert [(s.code, s.bring_en) for s in p.steps] == [
            ("listed", "Town nomination"),
            ("apply", ""),
        ]
    edited = FORM | {"share": "0.4"}
    catalogue_admin.post("/admin/catalogue/programmes/edit?code=DG-TEST", data=edited)
    form = catalogue_admin.get("/admin/catalogue/programmes/edit?code=DG-TEST").get_data(
        as_text=True
    )
    assert 'value="0.4"' in form and "listed | 列入名单 | On the list" in form
    catalogue_admin.post("/admin/catalogue/programmes/DG-TEST/retire", data={"retired": "1"})
    with app.app_context():
        assert "DG-TEST" not in [p.code for p in programmes()]
        actions = db.session.scalars(
            select(AuditLog.action).where(AuditLog.entity_code == "DG-TEST").order_by(AuditLog.id)
        ).all()
        assert actions == ["create", "update", "retire"]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("share", "1.2", "not in [0, 1]"),
        ("max_level_before", "5", "not in 0-4"),
        ("ends_on", "2025-12-31", "before starts_on"),
        ("starts_on", "2026/01/01", "2026/01/01"),
        ("steps", "listed | 只有中文名", "step line 1"),
        ("size_classes", "tiny", "tiny"),
    ],
)
def test_a_bad_programme_is_refused_with_a_reason_and_the_typed_values_kept(
    app, catalogue_admin, field: str, value: str, reason: str
) -> None:  # type: ignore[no-untyped-def]
    resp = catalogue_admin.post("/admin/catalogue/programmes/edit", data=FORM | {field: value})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and reason in page
    assert "测试扶持项目" in page  # nothing typed is lost
    with app.app_context():
        assert not db.session.scalar(
            select(func.count(SupportProgramme.id)).where(SupportProgramme.code == "DG-TEST")
        )


def test_export_and_reimport_of_programmes_changes_nothing(app, catalogue_admin) -> None:  # type: ignore[no-untyped-def]
    catalogue_admin.post("/admin/catalogue/programmes/edit", data=FORM)
    exported = catalogue_admin.get("/admin/catalogue/export.xlsx").data
    sheet = load_workbook(io.BytesIO(exported))["programmes"]
    header = [c.value for c in sheet[1]]
    rows = {
        r[0]: dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert "\n" in rows["DG-PILOT"]["steps"] and rows["DG-TEST"]["share"] == 0.3
    with app.app_context():
        before = programmes()
        audits = db.session.scalar(select(func.count(AuditLog.id)))
    resp = catalogue_admin.post(
        "/admin/catalogue/import",
        data={"file": (io.BytesIO(exported), "catalogue.xlsx"), "kind": ""},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    with app.app_context():
        assert programmes() == before
        assert db.session.scalar(select(func.count(AuditLog.id))) == audits  # no change recorded
