"""Government reports: totals on a hand-made cohort, suppression, downloads agree with the
dashboard, and no route to any individual enterprise."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from assessment.plan_targets import CURRENT_SET
from assessment.types import SizeClass, Stage
from models import Assessment, Enterprise, Role
from reports.formatting import moment
from tests.factories import EnterpriseFactory, SubmittedAssessmentFactory
from webapp.blueprints.government import views
from webapp.extensions import db
from webapp.services import government_reports
from webapp.services.aggregates import dashboard, facts_from_json, newest_release, plan_targets
from webapp.services.government_reports import TITLES
from webapp.services.releases import cut_release

# (town, cluster, industry, stage, index): 6 in Houjie furniture, 3 in Humen textiles.
COHORT = [("houjie", "furniture", "C21", "S1", 30.0)] * 4 + [
    ("houjie", "furniture", "C21", "S2", 50.0),
    ("houjie", "furniture", "C21", "S2", 60.0),
    ("humen", "textiles", "C18", "S0", 10.0),
    ("humen", "textiles", "C18", "S1", 20.0),
    ("humen", "textiles", "C18", "S1", 40.0),
]


ANSWERS = {"INT-01": "L3", "MGT-04": "L2", "INF-02": "L1"}


def seed(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        for town, cluster, industry, stage, index in COHORT:
            enterprise = EnterpriseFactory(town=town, industry_code=industry)
            assert enterprise.cluster == cluster and enterprise.size_class == "small"
            SubmittedAssessmentFactory(
                enterprise=enterprise, responses=ANSWERS, stage=stage, maturity_index=index
            )
        db.session.commit()


def report_via_job(client, kind: str) -> bytes:  # type: ignore[no-untyped-def]
    resp = client.post("/government/reports", data={"kind": kind, "round": "2026"})
    status_url = resp.headers["Location"]
    # A finished job's page offers the file and no stale progress message.
    status = client.get(status_url).get_data(as_text=True)
    assert "已完成" in status and "正在计算汇总数据" not in status
    return client.get(status_url + "/download").data


def test_totals_and_suppression_on_a_hand_made_cohort(app) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    with app.app_context():
        assert cut_release("2026", "cli").status == "published"
        d = dashboard("2026", "zh")
    assert d.assessed == 9 and d.mean_index == round(sum(c[4] for c in COHORT) / 9, 1)
    assert d.median_index == 30.0  # sorted: 10 20 30 30 30 30 40 50 60
    # Region-wide stage counts are column totals of every stage table: the small ones (S0 = 1,
    # S2 = 2) are hidden like any cell (they were published before releases), and with them
    # enough others that neither can be solved from the grand total (9).
    assert d.stage_counts["S0"] is None and d.stage_counts["S2"] is None
    shown = {s: n for s, n in d.stage_counts.items() if n is not None}
    assert len(shown) <= 2 and all({"S1": 6, "S3": 0}[s] == n for s, n in shown.items())
    towns = {r.code: r for r in d.breakdowns["town"].rows}
    # Houjie's S1 count 4 and S2 count 2 are < 5: hidden (primary).
    assert towns["houjie"].counts["S1"] is None and towns["houjie"].counts["S2"] is None
    # Humen: 3 enterprises, below k: total and mean hidden (primary).
    assert towns["humen"].total is None and towns["humen"].mean_index is None
    # The grand total (9) is published, so Houjie's total would give Humen's away: hidden too.
    assert d.breakdowns["town"].grand_total == 9 and towns["houjie"].total is None
    # By cluster the same enterprises: furniture 6 published with its mean, textiles 3 hidden.
    clusters = {r.code: r for r in d.breakdowns["cluster"].rows}
    assert clusters["textiles"].total is None
    # Every one of the 9 meets the supply-chain indicator and none the cloud one: published, each
    # percentage would tell every firm's answer (group disclosure), so the release withholds them.
    targets = {t["name"]: t for t in d.targets}
    assert targets["上云用云企业占比"]["value"] is None
    assert targets["上云用云企业占比"]["n"] == 9
    assert "供应链管理系统应用率" not in targets  # the 2022-2025 plan sets no such share
    # A release cut before target sets were recorded keeps the 2012-2020 rows it showed.
    with app.app_context():
        release = newest_release("2026")
        legacy = {
            t["name"]: t
            for t in plan_targets(
                facts_from_json(release.facts),
                "zh",
                release.summary["above_scale_registered"],
                release.summary["targets_hidden"],
                target_set=None,
            )
        }
    assert (legacy["供应链管理系统应用率"]["n"], legacy["供应链管理系统应用率"]["target"]) == (
        9,
        50,
    )
    assert release.summary["target_set"] == CURRENT_SET


@pytest.mark.demo_cohort(enterprises=120, seed=4)  # the cohort-heatmap tests' cohort
def test_downloads_equal_the_dashboard(app, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        cut_release("2026", "cli")
        d = dashboard("2026", "zh")
    login(make_user(Role.GOVERNMENT))
    wb = load_workbook(io.BytesIO(report_via_job(client, "xlsx")))
    for kind, b in d.breakdowns.items():
        sheet = {row[0]: row for row in wb[TITLES[kind].zh].iter_rows(min_row=2, values_only=True)}
        for r in b.rows:
            assert sheet[r.code][2:6] == tuple(
                "x" if r.counts[s] is None else r.counts[s] for s in ("S0", "S1", "S2", "S3")
            )
            assert sheet[r.code][6] == ("x" if r.total is None else r.total)
    csv_text = client.get("/government/tables/cluster.csv").data.decode("utf-8-sig")
    for r in d.breakdowns["cluster"].rows:
        assert f"{r.code},{r.label}," in csv_text
    # Size classes in their natural order (large to micro), in the workbook as on the page.
    sizes = [row[0] for row in wb[TITLES["size_class"].zh].iter_rows(min_row=2, values_only=True)]
    order = [c.value for c in SizeClass]
    assert sizes[:-2] == sorted(sizes[:-2], key=order.index) and sizes[-2] == "total"
    # Every sheet and CSV names the release its figures come from, as the PDF does.
    stamp = f"统计发布日期 {moment(d.release.cut_at, 'zh')}"
    for title in TITLES.values():
        assert list(wb[title.zh].iter_rows(values_only=True))[-1][:2] == ("release", stamp)
    assert f"release,{stamp}" in csv_text
    pdf = report_via_job(client, "pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert str(d.assessed) in text and str(d.mean_index) in text
    assert text.count(stamp) >= len(PdfReader(io.BytesIO(pdf)).pages)  # on every page
    for r in d.breakdowns["cluster"].rows:
        assert r.label in text
    # The stage chart names the stages (its SVG text is part of the PDF's text): each name
    # stands there and in the method notes; tables use the codes.
    assert all(text.count(s.label_zh) >= 2 for s in Stage)


def test_an_english_pdf_made_outside_a_request_names_its_release_in_english(app) -> None:  # type: ignore[no-untyped-def]
    """A worker renders the PDF outside any request (default locale Chinese): the release on
    the cover and in every page's header is still in the report's language."""
    seed(app)
    with app.app_context():
        cut_release("2026", "cli")
        d = dashboard("2026", "en")
        pages = PdfReader(io.BytesIO(government_reports.pdf("2026", "en"))).pages
    text = "".join(p.extract_text() for p in pages)
    stamp = f"Statistics release of {moment(d.release.cut_at, 'en')}"
    assert text.count(stamp) >= len(pages)
    assert "统计发布" not in text


def test_the_default_comparison_is_the_previous_round_only_when_it_has_data(
    app, client, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    seed(app)
    app.config["JOBS_SYNC"] = True  # the first visit cuts the round's first release
    login(make_user(Role.GOVERNMENT))
    page = client.get("/government/").get_data(as_text=True)
    assert _compare_choice(page) is None and "对比批次没有数据" not in page
    with app.app_context():
        for a in db.session.scalars(select(Assessment)).all()[:5]:
            SubmittedAssessmentFactory(
                enterprise=db.session.get(Enterprise, a.enterprise_id),
                round_code="2025",
                stage="S0",
                maturity_index=5.0,
            )
        db.session.commit()
    page = client.get("/government/").get_data(as_text=True)
    assert _compare_choice(page) == "2025"
    # Choosing "no comparison" (an empty value) is not overridden by the default.
    page = client.get("/government/?compare=").get_data(as_text=True)
    assert _compare_choice(page) is None


def _compare_choice(page: str) -> str | None:
    """The selected round of the dashboard's comparison select (None: no comparison)."""
    match = re.search(r'<select name="compare">(.*?)</select>', page, re.S)
    assert match is not None
    chosen = re.search(r'<option value="([^"]*)" selected>', match.group(1))
    return chosen.group(1) if chosen else None


def test_government_has_no_route_to_an_enterprise(
    app, client, make_user, login, enterprise, draft
) -> None:  # type: ignore[no-untyped-def]
    public_id = draft.public_id
    client.post("/auth/logout")
    login(make_user(Role.GOVERNMENT))
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static",) or "GET" not in rule.methods:
            continue
        values = {
            arg: {
                "public_id": public_id,
                "enterprise_id": enterprise.id,
                "dimension": "ORG",
                "kind": "solutions",
                "code": "x",
                "fmt": "csv",
                "filename": "app.css",
            }.get(arg, "x")
            for arg in rule.arguments
        }
        url = rule.build(values)[1] if hasattr(rule, "build") else None
        if url is None:
            continue
        resp = client.get(url)
        body = resp.data.decode("utf-8", errors="ignore")
        resp.close()
        assert enterprise.name not in body and enterprise.uscc not in body, url
        if url.startswith(("/enterprise", "/centre", "/admin", "/api/v1/assessments")):
            assert resp.status_code in (403, 404), (url, resp.status_code)
        checked += 1
    assert checked >= 20


@pytest.mark.load  # generates 600 assessments and audits a release: the slowest test here
def test_generated_region_has_rounds_and_stage_moves(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(
        args=["demo", "generate", "--enterprises", "300", "--rounds", "2"]
    )
    assert result.exit_code == 0 and "600 assessments" in result.output
    with app.app_context():
        cut_release("2026", "cli")
        d = dashboard("2026", "zh", compare_round="2025")
        assert d.assessed == 300
        moves = d.trend["cluster"]
        published = [r for r in moves.rows if r.total is not None]
        # Every cluster has a row, and some rows are published with their totals.
        assert len(moves.rows) == 6 and published and sum(r.total for r in published) <= 300
        assert moves.totals["up"] is None or moves.totals["up"] > (moves.totals["down"] or 0)


def test_dashboard_follows_a_new_submission_only_in_the_next_release(app) -> None:  # type: ignore[no-untyped-def]
    """Officers see releases, not live tables: a submission changes nothing until a release is
    cut (security review 1a); the next release counts it."""
    seed(app)
    with app.app_context():
        cut_release("2026", "cli", k=1)
        before = dashboard("2026", "zh")
        assert dashboard("2026", "zh") == before  # the cached figures
        SubmittedAssessmentFactory(stage="S3", maturity_index=90.0)
        db.session.commit()
        assert dashboard("2026", "zh") == before  # same release: not one figure moved
        cut_release("2026", "cli", k=1)
        after = dashboard("2026", "zh")
    assert after.assessed == before.assessed + 1 and after.stage_counts["S3"] == 1
    assert after.release is not None and before.release is not None
    assert after.release.id != before.release.id


def test_while_the_first_release_is_cut_the_officer_is_told_and_the_page_refreshes(
    app, client, make_user, login, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Before the round's first release exists the officer sees that it is being prepared (the
    page refreshes itself), not tables of zeros; once it is cut, the dashboard."""
    seed(app)
    asked: list[str] = []
    monkeypatch.setattr(views.jobs, "enqueue", lambda kind, params, actor: asked.append(kind))
    login(make_user(Role.GOVERNMENT))
    page = client.get("/government/").get_data(as_text=True)
    assert asked == ["statistics_release"]
    assert "2026 批次的首次统计发布正在生成" in page
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "按镇街" not in page and "已评估企业" not in page
    english = client.get("/government/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The first statistics release of round 2026 is being prepared" in english
    monkeypatch.undo()
    with app.app_context():
        cut_release("2026", trigger="auto")
        db.session.commit()
    page = client.get("/government/").get_data(as_text=True)
    assert "首次统计发布正在生成" not in page and "已评估企业" in page
