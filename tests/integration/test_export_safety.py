"""What a user typed comes out of PDFs and spreadsheets as text: never markup, never a formula."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment.instrument import least_mature_responses
from models import Enterprise, Role, User
from tests.factories import add_centre
from tests.integration.questionnaire_client import submit_with
from webapp.extensions import db

#: Markup that would change the PDF if interpreted: a script, bold text, an image, an entity.
HTML_NAME = "<b>粗体</b><script>alert(1)</script><img src=x>&amp;厂"
FORMULAS = ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="charts need chromium")
def test_html_in_the_enterprise_name_is_literal_text_in_the_pdf(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    owner = make_user()
    enterprise = make_enterprise(owner, name=HTML_NAME)
    login(owner)
    assessment = submit_with(client, app, enterprise.id, least_mature_responses)
    resp = client.get(f"/enterprise/assessments/{assessment.public_id}/report.pdf")
    assert resp.status_code == 200 and resp.data[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(resp.data))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert HTML_NAME in text  # every character as typed, "&amp;" included (no entity decoding)
    # Nothing was interpreted: no image object came from <img>, no script from <script>.
    for page in reader.pages:
        xobjects = page["/Resources"].get_object().get("/XObject", {})
        assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())
    assert b"/JavaScript" not in resp.data and b"/JS " not in resp.data


def test_cohort_exports_neutralise_formulas_in_enterprise_names(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    staff = make_user(Role.CENTRE_STAFF)
    with app.app_context():
        centre = add_centre("CTR-F")
        db.session.get(User, staff.id).centre_id = centre.id
        centre_id = centre.id
        db.session.commit()
    for formula in FORMULAS:
        enterprise = make_enterprise(make_user(), name=formula)
        with app.app_context():
            db.session.get(Enterprise, enterprise.id).centre_id = centre_id
            db.session.commit()
    login(staff)
    rows = list(csv.reader(io.StringIO(client.get("/centre/export.csv").data.decode("utf-8-sig"))))
    names = sorted(r[1] for r in rows[1:])
    assert names == sorted("'" + f for f in FORMULAS)
    sheet = load_workbook(io.BytesIO(client.get("/centre/export.xlsx").data)).active
    cells = sorted(str(r[1].value) for r in sheet.iter_rows(min_row=2))
    assert cells == sorted("'" + f for f in FORMULAS)
    assert all(r[1].data_type == "s" for r in sheet.iter_rows(min_row=2))  # text, not formula


def test_catalogue_export_neutralises_formulas_in_names_and_list_fields(
    client, app, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        add_centre(
            "CTR-X", name_zh="=cmd|' /C calc'!A0", name_en="@x", towns=["-houjie"], contact="+86"
        )
        db.session.commit()
    login(make_user(Role.ADMIN))
    book = load_workbook(io.BytesIO(client.get("/admin/catalogue/export.xlsx").data))
    ws = book["centres"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "CTR-X")
    values = dict(zip(header, row, strict=True))
    assert values["name_zh"] == "'=cmd|' /C calc'!A0" and values["name_en"] == "'@x"
    assert values["towns"] == "'-houjie" and values["contact"] == "'+86"
