"""The statistics attacks of the security review (finding 1) against the running product: the
officer's tables come from releases, and only confirmed enterprises count in them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assessment.uscc import make_uscc
from models import Enterprise, Role
from reports import formatting
from reports.release_audit import AuditReport, Interval, Pattern, Sensitive, cell
from tests.factories import SubmittedAssessmentFactory
from webapp.extensions import db
from webapp.services import releases
from webapp.services.aggregates import dashboard, newest_release
from webapp.services.confirmation import confirm

# Releases are cut by a job that commits in its own session: each test gets its own database.
pytestmark = pytest.mark.own_database

CONFIRMED = datetime(2026, 1, 5, tzinfo=UTC)


def add_firm(n: int, town: str, stage: str, index: float, confirmed: bool = True) -> None:
    """One enterprise with a submitted 2026 assessment; confirmed (imported) or self-registered."""
    e = Enterprise(
        uscc=make_uscc(f"91441900AT{n:07d}"),
        name=f"企业{n}",
        industry_code="C21",
        cluster="furniture",
        production_type="discrete",
        town=town,
        employees=50,
        revenue_wan=3000,
        size_class="small",
        above_scale=True,
    )
    db.session.add(e)
    db.session.flush()
    if confirmed:
        confirm(e, "import", CONFIRMED)
    SubmittedAssessmentFactory(enterprise=e, stage=stage, maturity_index=index)
    db.session.commit()


def base_cohort() -> None:
    """40 confirmed firms in Houjie and Humen, ten per stage in each, and five in Liaobu."""
    n = 0
    for town in ("houjie", "humen"):
        for stage, index in (("S0", 15.0), ("S1", 35.0), ("S2", 55.0), ("S3", 80.0)):
            for _ in range(5):
                add_firm(n, town, stage, index)
                n += 1
    for stage in ("S0", "S1", "S1", "S2", "S2"):
        add_firm(n, "liaobu", stage, 38.0)
        n += 1


def test_fake_firms_cannot_lift_a_town_over_the_threshold(app) -> None:  # type: ignore[no-untyped-def]
    """Review 1b: four self-registered firms in Shilong next to its one real firm published the
    real firm's index (5 x 22.2 - 4 x 5.13) and stage. Unconfirmed firms stay out of every
    cell; they are one number per release."""
    with app.app_context():
        base_cohort()
        add_firm(100, "shilong", "S3", 90.37)
        clean = releases.cut_release("2026", "cli")
        for i in range(4):
            add_firm(200 + i, "shilong", "S0", 5.13, confirmed=False)
        padded = releases.cut_release("2026", "cli", now=datetime.now(UTC) + timedelta(days=8))
        assert clean.status == padded.status == "published"
        assert padded.summary["pending"] == 4 and clean.summary["pending"] == 0
        assert padded.facts == clean.facts  # not one fake in the snapshot
        d = dashboard("2026", "zh")
    shilong = {r.code: r for r in d.breakdowns["town"].rows}["shilong"]
    assert shilong.total is None and shilong.mean_index is None
    assert all(v is None for v in shilong.counts.values())  # not even its zeros
    assert d.assessed == 46 and d.release is not None and d.release.pending == 4


def test_differencing_the_officer_s_tables_reveals_nothing_about_a_newcomer(
    app, client, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    """Review 1a: town.csv before and after one submission gave the newcomer's stage, town
    and index (6 x 39.3 - 5 x 38.2). The officer's tables now stay the same until a release is
    cut, a lone newcomer never triggers one, and a release cut anyway hides what changed."""
    app.config["JOBS_SYNC"] = True
    with app.app_context():
        base_cohort()
    login(make_user(Role.GOVERNMENT))
    assert client.get("/government/").status_code == 200  # first visit: first release
    before = client.get("/government/tables/town.csv?round=2026").data
    with app.app_context():
        add_firm(300, "liaobu", "S1", 44.54)  # the victim, confirmed
        first = newest_release("2026")
        assert not releases.release_due("2026", now=datetime.now(UTC) + timedelta(days=8))
    assert client.get("/government/").status_code == 200
    assert client.get("/government/tables/town.csv?round=2026").data == before

    client.post("/auth/logout")
    login(make_user(Role.ADMIN))
    assert client.post("/admin/releases", data={"round": "2026"}).status_code == 302
    with app.app_context():
        second = newest_release("2026")
        assert second.id != first.id and second.status == "published"
        assert second.audit["facts"]["failing"] == []
        d = dashboard("2026", "zh")
    liaobu = {r.code: r for r in d.breakdowns["town"].rows}["liaobu"]
    assert liaobu.total is None and liaobu.mean_index is None  # 5 -> 6 not published
    assert d.stage_counts["S1"] is None  # S1's +1 not published
    # 45 -> 46 firms is published, so the region's mean would give the index away: hidden.
    assert d.assessed == 46 and d.mean_index is None and d.median_index is None
    page = client.get("/admin/releases?round=2026").get_data(as_text=True)
    assert page.count("已发布") >= 2


def test_a_release_that_fails_its_audit_is_not_published_and_the_officer_is_told(
    app, client, make_user, login, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        base_cohort()
        good = releases.cut_release("2026", "cli")
        failing = AuditReport(
            (Interval(Sensitive(cell(), "small", 1, 0.0, 3.0), 1.0, 1.0, False),), frozenset(), 2
        )
        monkeypatch.setattr(
            releases, "protect", lambda *a, **k: Pattern(frozenset(), 1, 0, failing)
        )
        bad = releases.cut_release("2026", "cli")
        assert (good.status, bad.status) == ("published", "failed")
        d = dashboard("2026", "zh")
    assert d.release is not None and d.release.id == good.id and d.release.newer_failed
    login(make_user(Role.GOVERNMENT))
    page = client.get("/government/?round=2026").get_data(as_text=True)
    assert "最新一次发布未通过区间审核，仍显示上一版本。" in page
    # The stamp is the cut time in China Standard Time (reports.formatting), whatever the hour.
    assert f"统计发布日期：{formatting.moment(good.cut_at, 'zh')}" in page
