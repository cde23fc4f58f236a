"""The UX review's smaller defects on the owner's, staff's and officers' paths (issue 15)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from assessment.instrument import least_mature_responses
from models import Assessment, Enterprise, Role
from reports.formatting import local_date
from tests.factories import SubmittedAssessmentFactory
from tests.integration.questionnaire_client import current_assessment, submit_with
from webapp.extensions import db
from webapp.services import assessments, enterprise_reports

ROOT = Path(__file__).resolve().parents[2]


class _Attributes(HTMLParser):
    """Every start tag's attributes, as the browser parses them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _attributes(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Attributes()
    parser.feed(page)
    return parser.tags


def _first_page(client: FlaskClient) -> str:
    """Start (or resume) the owner's assessment; the path of the page it opens."""
    location = client.post("/enterprise/assessments/start").headers["Location"]
    assert "/pages/" in location
    return location


def test_english_autosave_messages_reach_the_script_whole(
    client: FlaskClient, enterprise: Enterprise
) -> None:
    client.post("/lang/en")
    page = client.get(_first_page(client)).get_data(True)
    (script,) = [a for tag, a in _attributes(page) if tag == "script" and "data-msg-failed" in a]
    assert script["data-msg-failed"] == 'Automatic saving failed; press "Save" to try again.'
    assert script["data-msg-expired"] == (
        "Your sign-in has expired. Your answers stay on this page: "
        'sign in in a new window, then press "Save".'
    )
    assert not any(name.startswith("save") for name in script)  # no attribute split off


def test_save_status_sits_in_the_sticky_bar(client: FlaskClient, enterprise: Enterprise) -> None:
    page = client.get(_first_page(client)).get_data(True)
    bar = page[page.index('class="page-actions"') :]
    bar = bar[: bar.index("</form>")]
    # The status is inside the bar's div (before the div closes), so it sticks with the buttons.
    assert 'id="save-status"' in bar
    assert bar.index('id="save-status"') < bar.rindex("</div>")


def test_review_lists_each_pages_answers(
    app: Flask, client: FlaskClient, enterprise: Enterprise
) -> None:
    path = _first_page(client)
    assessment = current_assessment(app, enterprise.id)
    page = client.get(path).get_data(True)
    found = re.search(r'type="radio" name="item_([A-Z]+-\d+)" value="([^"]+)"', page) or re.search(
        r'name="item_([A-Z]+-\d+)" type="radio" value="([^"]+)"', page
    )
    assert found is not None, page[:3000]
    code, value = found.groups()
    client.post(path, data={f"item_{code}": value, "version": str(assessment.version_id)})
    assert current_assessment(app, enterprise.id).responses[code] == value
    review = client.get(f"/enterprise/assessments/{assessment.public_id}/review").get_data(True)
    listed = review[review.index('id="answers-h"') :]
    with app.app_context():
        instrument = assessments.instrument_of(current_assessment(app, enterprise.id))
    chosen = next(i for i in instrument.items if i.code == code).option(value)
    assert chosen is not None
    assert code in listed and chosen.text_zh in listed
    assert "本部分尚未回答" in listed  # the pages not yet answered say so


def test_continue_on_a_complete_correction_opens_the_review(
    app: Flask, client: FlaskClient, enterprise: Enterprise
) -> None:
    submitted = submit_with(client, app, enterprise.id, least_mature_responses)
    client.post(
        f"/enterprise/assessments/{submitted.public_id}/correction", data={"reason": "选错一题"}
    )
    resp = client.post("/enterprise/assessments/start")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/review")
    assert "/pages/" not in resp.headers["Location"]


def test_continue_on_an_unfinished_draft_opens_its_first_open_page(
    client: FlaskClient, draft: Assessment
) -> None:
    resp = client.post("/enterprise/assessments/start")
    assert "/pages/" in resp.headers["Location"]


@pytest.mark.parametrize(
    ("path", "role"),
    [("/government/", Role.GOVERNMENT), ("/admin/", Role.ADMIN), ("/admin/releases", Role.ADMIN)],
)
def test_round_fields_are_selects_of_rounds_with_data(
    app: Flask, client: FlaskClient, make_user, login, path: str, role: Role
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        SubmittedAssessmentFactory(round_code="2025")
        SubmittedAssessmentFactory(round_code="2026")
        db.session.commit()
    login(make_user(role))
    page = client.get(path + "?round=2026").get_data(as_text=True)
    assert not re.search(r'<input type="text"[^>]*name="round"', page)
    options = re.findall(r'<option value="(20\d\d)"', page)
    assert options[:2] == ["2026", "2025"]
    assert "没有已提交的评估" not in page
    empty = client.get(path + "?round=2099").get_data(as_text=True)
    assert "2099 批次没有已提交的评估，下面没有数据。有数据的批次：2026、2025。" in empty


def test_centre_cohort_has_a_round_select(
    app: Flask, client: FlaskClient, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        SubmittedAssessmentFactory(round_code="2026")
        db.session.commit()
    login(make_user(Role.CENTRE_STAFF))
    page = client.get("/centre/?round=2099").get_data(as_text=True)
    assert re.search(r'<select name="round">', page)
    assert "2099 批次没有已提交的评估" in page


def test_csv_downloads_carry_one_charset(app: Flask, client: FlaskClient, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CENTRE_STAFF))
    assert client.get("/centre/export.csv").headers["Content-Type"] == "text/csv; charset=utf-8"
    client.post("/auth/logout")
    login(make_user(Role.GOVERNMENT))
    resp = client.get("/government/tables/town.csv")
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_days_and_times_are_china_standard_time() -> None:
    # 17:30 UTC is 01:30 the next morning in Dongguan.
    assert local_date(datetime(2026, 3, 1, 17, 30, tzinfo=UTC)) == date(2026, 3, 2)
    assert local_date(datetime(2026, 3, 1, 17, 30)) == date(2026, 3, 2)  # SQLite: naive UTC


def test_no_template_formats_a_time_itself() -> None:
    """Times go through the ``moment``/``day`` filters (China Standard Time); a template that
    calls ``strftime`` or prints "UTC" would show another clock."""
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("webapp/templates", "reports/templates")
        for path in (ROOT / folder).rglob("*.html")
        if re.search(r"strftime|\bUTC\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_report_date_is_the_local_day_of_submission(
    app: Flask, client: FlaskClient, enterprise: Enterprise
) -> None:
    submitted = submit_with(client, app, enterprise.id, least_mature_responses)
    with app.app_context():
        row = db.session.get(Assessment, current_assessment(app, enterprise.id).id)
        assert row is not None and row.public_id == submitted.public_id
        row.submitted_at = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
        db.session.commit()
        inputs = enterprise_reports.report_inputs(row)
    assert inputs.submitted_on == date(2026, 3, 2)


def test_no_attribute_takes_a_translation_with_quotes_unescaped() -> None:
    """``_()`` in a template returns text marked safe; inside an attribute, an English
    translation with a quote would end the attribute unless ``forceescape`` is applied."""
    with open(ROOT / "webapp/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    quoted = {m.id for m in catalog if m.id and m.string and '"' in str(m.string)}
    offenders = []
    for path in (ROOT / "webapp/templates").rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"=\"\{\{\s*_\('([^']*)'(.*?)\}\}", source, re.S):
            if match.group(1) in quoted and "forceescape" not in match.group(2):
                offenders.append(f"{path.name}: {match.group(1)}")
    assert quoted and offenders == []
