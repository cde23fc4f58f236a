"""Catalogue v2 in the database: the roadmap's fields are stored, loaded by the demo seed, read
back as the file had them, edited in a labelled form and round-tripped by export/import."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from assessment.catalogue import parse_catalogue
from models import AuditLog, ServiceProvider, Solution
from tests.factories import solution_form
from webapp.extensions import db
from webapp.services import catalogue, demo
from webapp.services.errors import ServiceError
from webapp.services.roadmaps import roadmap_catalogue

DEMO_FILE = Path(__file__).resolve().parents[2] / "webapp" / "demo" / "catalogue.toml"


def upload(client, data: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/catalogue/import",
        data={"file": (io.BytesIO(data), name), "kind": ""},
        content_type="multipart/form-data",
    )


def audit_rows(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return int(db.session.scalar(select(func.count(AuditLog.id))))


def test_seeded_catalogue_reads_back_as_the_file_with_its_v2_fields(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        with pytest.raises(ServiceError, match="no solutions"):
            roadmap_catalogue()
        demo.load_catalogue()
        stored = roadmap_catalogue()
    expected = parse_catalogue(DEMO_FILE.read_text(encoding="utf-8"))
    assert {s.code: s for s in stored.solutions} == {s.code: s for s in expected.solutions}
    erp = next(s for s in stored.solutions if s.code == "S-CLOUD-ERP")
    assert erp.capabilities and erp.price_model == "subscription" and erp.cases
    assert any(s.provider_discount > 0 for s in stored.solutions)
    roles = {t.value for p in stored.providers for t in p.provider_types}
    assert {"traction", "traction_partner", "ics_security"} <= roles


def test_export_reimport_changes_nothing_and_a_phone_number_stays_text(
    app, catalogue_admin
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        before = catalogue.current_catalogue()
    exported = catalogue_admin.get("/admin/catalogue/export.xlsx").data
    headers = [c.value for c in load_workbook(io.BytesIO(exported))["solutions"][1]]
    assert {"capabilities", "price_model", "provider_discount", "cases"} <= set(headers)
    audits = audit_rows(app)
    assert upload(catalogue_admin, exported, "catalogue.xlsx").status_code == 302
    assert audit_rows(app) == audits  # an unchanged file records no change
    with app.app_context():
        assert catalogue.current_catalogue() == before

    # An administrator types a mobile number into the contact cell, which Excel keeps as a number.
    book = load_workbook(io.BytesIO(exported))
    sheet = book["providers"]
    column = [c.value for c in sheet[1]].index("contact") + 1
    sheet.cell(row=2, column=column, value=13800138000)
    code = sheet.cell(row=2, column=1).value
    out = io.BytesIO()
    book.save(out)
    assert upload(catalogue_admin, out.getvalue(), "catalogue.xlsx").status_code == 302
    assert audit_rows(app) == audits + 1  # only the changed row
    with app.app_context():
        contact = db.session.scalar(
            select(ServiceProvider.contact).where(ServiceProvider.code == code)
        )
    assert contact == "13800138000"


@pytest.mark.parametrize(
    ("lang", "labels", "codes_hidden"),
    [
        (
            "zh",
            ["建设的能力", "计价方式", "服务商让利比例", "参考案例（镇街/行业）"],
            ["provider_discount"],
        ),
        (
            "en",
            ["Capabilities built", "Pricing", "Provider discount", "Reference cases"],
            ["计价方式"],
        ),
    ],
)
def test_entry_form_labels_the_v2_fields_in_the_page_language(  # type: ignore[no-untyped-def]
    app, catalogue_admin, lang, labels, codes_hidden
) -> None:
    catalogue_admin.post(f"/lang/{lang}", data={"next": "/"})
    page = catalogue_admin.get("/admin/catalogue/solutions/edit?code=S-CLOUD-ERP").get_data(
        as_text=True
    )
    for label in labels:
        assert label in page
    for hidden in codes_hidden:
        assert f">{hidden}<" not in page
    assert 'name="price_model" value="subscription"' in page


def test_entry_form_saves_v2_fields_and_refuses_unknown_codes(app, catalogue_admin) -> None:  # type: ignore[no-untyped-def]
    form = catalogue_admin.get("/admin/catalogue/solutions/edit?code=S-CLOUD-ERP").get_data(
        as_text=True
    )
    assert "S-CLOUD-ERP" in form
    values = solution_form(
        "S-FORM-V2",
        capabilities="finance, fnance",
        price_model="subscription",
        provider_discount="0.2",
        cases="humen/textiles",
    )
    resp = catalogue_admin.post("/admin/catalogue/solutions/edit", data=values)
    assert resp.status_code == 422 and "unknown capabilities fnance" in resp.get_data(as_text=True)
    resp = catalogue_admin.post(
        "/admin/catalogue/solutions/edit", data=values | {"provider_discount": "2"}
    )
    assert resp.status_code == 422
    resp = catalogue_admin.post(
        "/admin/catalogue/solutions/edit", data=values | {"capabilities": "finance"}
    )
    assert resp.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Solution).where(Solution.code == "S-FORM-V2"))
        assert row is not None
        assert (row.capabilities, row.price_model, row.provider_discount, row.cases) == (
            ["finance"],
            "subscription",
            0.2,
            ["humen/textiles"],
        )
        assert row.in_pilot_directory is False
