"""The catalogue's field rules (``webapp.services.catalogue_rules``): the entry form and the
workbook import refuse the same bad values, each with a message in the page's language on its
field, and save nothing; the catalogue list names capabilities in the page's language."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.roadmap import CAPABILITIES
from models import EnablingCentre
from webapp.extensions import db

EDIT = "/admin/catalogue/centres/edit"


def centre_form(**fields: str) -> dict[str, str]:
    """The administrator's centre form as posted: a platform centre C-TEST for the furniture
    cluster in Houjie with capacity 20; ``fields`` replace any field."""
    form = {
        "code": "C-TEST",
        "name_zh": "测试中心",
        "name_en": "Test centre",
        "centre_type": "platform",
        "clusters": "furniture",
        "towns": "houjie",
        "capacity": "20",
        "contact": "0769-0000",
    }
    return form | fields


def saved(app: Flask) -> EnablingCentre | None:
    with app.app_context():
        return db.session.scalar(select(EnablingCentre).where(EnablingCentre.code == "C-TEST"))


#: (field, value posted, text the refusal shows in Chinese, in English)
REFUSALS = [
    (
        "centre_type",
        "大型",
        "“大型”不是有效代码，请填写：benchmark（标杆型赋能中心）、platform（平台型赋能中心）",
        "“大型” is not a valid code; write one of: benchmark (Benchmark enabling centre), "
        "platform (Platform enabling centre)",
    ),
    (
        "towns",
        "黄江镇, nowhere",
        "未知镇街：黄江镇、nowhere。请填写镇街代码（拼音）",
        "Unknown towns: 黄江镇, nowhere. Write the town codes (pinyin)",
    ),
    ("capacity", "-3", "须为 0 到 2,147,483,647 之间的整数", "a whole number from 0 to"),
    ("name_zh", "名" * 300, "最多 200 个字符（现为 300 个）", "At most 200 characters (300 given)"),
    ("name_en", "", "必须填写", "Required"),
]


@pytest.mark.parametrize(("field", "value", "zh", "en"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_the_entry_form_refuses_a_bad_field_on_that_field_and_saves_nothing(
    app: Flask, catalogue_admin: FlaskClient, field: str, value: str, zh: str, en: str
) -> None:
    resp = catalogue_admin.post(EDIT, data=centre_form(**{field: value}))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert zh in page and "is not a valid" not in page
    assert 'aria-invalid="true"' in page and f'id="e-{field}"' in page
    assert saved(app) is None
    english = catalogue_admin.post(
        EDIT, data=centre_form(**{field: value}), headers={"Accept-Language": "en"}
    )
    assert english.status_code == 422 and en in english.get_data(as_text=True)
    assert saved(app) is None


def test_a_chinese_town_name_is_refused_with_its_code(catalogue_admin: FlaskClient) -> None:
    page = catalogue_admin.post(EDIT, data=centre_form(towns="黄江镇")).get_data(as_text=True)
    assert "黄江镇 → huangjiang" in page and "gaobu" in page  # every code is listed


def test_the_entry_form_saves_a_good_centre(app: Flask, catalogue_admin: FlaskClient) -> None:
    assert catalogue_admin.post(EDIT, data=centre_form()).status_code == 302
    centre = saved(app)
    assert centre is not None and centre.towns == ["houjie"] and centre.capacity == 20


@pytest.mark.parametrize(("field", "value", "zh", "en"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_the_workbook_import_refuses_the_same_values(
    app: Flask, catalogue_admin: FlaskClient, field: str, value: str, zh: str, en: str
) -> None:
    form = centre_form(**{field: value})
    header = ",".join(form)
    row = ",".join(f'"{v}"' for v in form.values())
    resp = catalogue_admin.post(
        "/admin/catalogue/import",
        data={"file": (io.BytesIO(f"{header}\n{row}\n".encode()), "c.csv"), "kind": "centres"},
        content_type="multipart/form-data",
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert f"第 2 行：{field}：" in page and zh in page
    assert saved(app) is None


def test_the_catalogue_list_names_capabilities_in_the_page_language(
    catalogue_admin: FlaskClient,
) -> None:
    planning = CAPABILITIES["planning"].name
    zh = catalogue_admin.get("/admin/catalogue").get_data(as_text=True)
    en = catalogue_admin.get("/admin/catalogue", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "AI 视觉质检" in zh and planning.zh in zh
    assert "AI visual inspection" in en and planning.en in en
    assert not any(
        f"<td>{code}" in page for code in ("ai_quality", "planning") for page in (zh, en)
    )
