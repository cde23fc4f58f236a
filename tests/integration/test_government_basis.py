"""Government tables filtered by the basis of the results (issue 17): a filtered table still
hides its small cells and cannot be subtracted from the unfiltered one to learn a figure of
fewer than k firms; the dashboard, the CSV and the workbook name the filter in both languages."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from models import Assessment, Role
from tests.factories import OnsiteRatingFactory, StageValidationFactory
from webapp.extensions import db
from webapp.services.aggregates import Breakdown, Dashboard, dashboard
from webapp.services.government_reports import TITLES
from webapp.services.releases import cut_release

K = 5


def _check(app, make_user) -> None:  # type: ignore[no-untyped-def]
    """Every third submitted assessment of 2026 staff-verified, every tenth rated on site."""
    with app.app_context():
        staff = make_user(Role.CENTRE_STAFF)
        ids = list(
            db.session.scalars(
                select(Assessment.id)
                .where(Assessment.round_code == "2026", Assessment.status == "submitted")
                .order_by(Assessment.id)
            )
        )
        for i, aid in enumerate(ids):
            if i % 3 == 0:
                StageValidationFactory(assessment_id=aid, actor_id=staff.id)
            if i % 10 == 0:
                OnsiteRatingFactory(assessment_id=aid)
        db.session.commit()


def _cells(d: Dashboard) -> dict[tuple[str, str, str], int | None]:
    """Every number of the dashboard's tables by (table, row, column), None where hidden."""
    out: dict[tuple[str, str, str], int | None] = {}
    tables: dict[str, Breakdown] = dict(d.breakdowns)
    if d.cross is not None:
        tables["town_x_cluster"] = d.cross
    for kind, b in tables.items():
        for r in b.rows:
            out |= {(kind, r.code, c): n for c, n in r.counts.items()}
            out[(kind, r.code, "total")] = r.total
        out |= {(kind, "total", c): n for c, n in b.totals.items()}
        out[(kind, "total", "total")] = b.grand_total
    out |= {("stages", "total", s): n for s, n in d.stage_counts.items()}
    out[("assessed", "total", "total")] = d.assessed
    return out


@pytest.mark.load  # cuts and audits two releases of 120 firms with three filters (about 20 s)
@pytest.mark.demo_cohort(enterprises=120, seed=4)
def test_filtered_tables_hide_small_cells_and_cannot_be_differenced(
    app, client, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    _check(app, make_user)
    with app.app_context():
        release = cut_release("2026", "cli")
        assert release.status == "published", release.audit
        boards = {b: dashboard("2026", "zh", basis=b) for b in ("all", "verified", "onsite")}
    cells = {b: _cells(d) for b, d in boards.items()}
    assert boards["verified"].assessed != boards["all"].assessed  # the filter filters
    for basis in ("verified", "onsite"):
        assert boards[basis].basis == basis and not boards[basis].targets
        # a filtered table hides its small cells like any table
        shown = {key: n for key, n in cells[basis].items() if n is not None}
        assert shown and all(n == 0 or n >= K for n in shown.values()), shown
    # A number shown in two of the tables never differs by 1-4 firms between them: the
    # self-reported (all - verified) and staff-verified only (verified - on-site) firms of a
    # cell are as protected as a published cell.
    for wide, narrow in (("all", "verified"), ("verified", "onsite"), ("all", "onsite")):
        for key, n in cells[narrow].items():
            m = cells[wide].get(key)
            if n is not None and m is not None:
                assert m - n == 0 or m - n >= K, (wide, narrow, key, m, n)
    # The dashboard and the downloads of the same release name the filter in both languages.
    d = boards["onsite"]
    login(make_user(Role.GOVERNMENT))
    page = client.get("/government/?round=2026&basis=onsite").get_data(as_text=True)
    assert '<option value="onsite" selected>仅现场评定</option>' in page
    assert "结果依据：仅现场评定" in page and "basis=onsite" in page  # CSV links keep it
    assert client.get("/government/?round=2026&basis=everything").status_code == 400
    csv_text = client.get("/government/tables/town.csv?round=2026&basis=onsite").data.decode(
        "utf-8-sig"
    )
    assert csv_text.strip().splitlines()[-1].endswith("结果依据：仅现场评定")
    for r in d.breakdowns["town"].rows:
        assert f"{r.code},{r.label}," in csv_text
    resp = client.post(
        "/government/reports", data={"kind": "xlsx", "round": "2026", "basis": "onsite"}
    )
    wb = load_workbook(io.BytesIO(client.get(resp.headers["Location"] + "/download").data))
    sheet = [row for row in wb[TITLES["town"].zh].iter_rows(min_row=2, values_only=True)]
    assert sheet[-1][2] == "结果依据：仅现场评定"
    by_code = {row[0]: row for row in sheet}
    for r in d.breakdowns["town"].rows:
        assert by_code[r.code][6] == ("x" if r.total is None else r.total)
    client.post("/lang/en")
    page = client.get("/government/?round=2026&basis=verified").get_data(as_text=True)
    assert "Staff-verified or on-site rated" in page and "Basis of the results" in page
