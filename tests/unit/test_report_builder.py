"""The pure enterprise report builder (reports/viewmodels.py): no Flask, no database."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from assessment.catalogue import parse_catalogue
from assessment.classification import cluster_for_industry
from assessment.instrument import current_instrument, least_mature_responses
from assessment.scoring import score
from assessment.types import EnterpriseProfile, IndustryCluster, ProductionType, SizeClass
from reports.viewmodels import EnterpriseReport, ReportInputs, build_enterprise_report

DEMO = Path(__file__).resolve().parents[2] / "webapp" / "demo" / "catalogue.toml"
PROFILE = EnterpriseProfile(
    "C21", ProductionType.DISCRETE, SizeClass.SMALL, "houjie", True, cluster_for_industry("C21")
)
#: CJK ideographs and full-width punctuation: none may reach an English report from code.
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def inputs() -> ReportInputs:
    instrument = current_instrument()
    responses = least_mature_responses(instrument, PROFILE)
    return ReportInputs(
        enterprise_name="东莞市示例家具有限公司",
        uscc="91350100M000100Y43",
        industry_code="C21",
        town="houjie",
        cluster=IndustryCluster.FURNITURE,
        profile=PROFILE,
        round_code="2026",
        submitted_on=date(2026, 3, 1),
        instrument=instrument,
        responses=responses,
        result=score(instrument, PROFILE, responses),
        catalogue=parse_catalogue(DEMO.read_text(encoding="utf-8")),
        peer_medians={d.code: 40.0 for d in instrument.dimensions},
        peer_count=12,
        target_medians={d.code: 55.0 for d in instrument.dimensions},
        benchmark_count=8,
        percentiles={"index": 25.0},
        instrument_version="dmi-v1",
        scoring_version="1",
        generated_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    )


def _texts(report: EnterpriseReport) -> list[str]:
    """Every text of the report that code chose (the enterprise's own name excluded)."""
    texts = [
        report.industry,
        report.cluster,
        report.production_type,
        report.size_class,
        report.town,
        report.stage_name,
        report.stage_meaning,
        report.peer_group_label,
        report.benchmark_label,
        report.cost_note,
        *(name for _, name in report.stages),
        *(d.name for d in report.dimensions),
        *(c.text for c in report.unmet_conditions),
    ]
    for t in report.tasks:
        texts += [t.title, t.detail, t.dimension_name, *t.solutions]
    for r in (*report.centres, *report.providers):
        texts += [r.name, r.kind, *r.reasons]
    for s in report.solutions:
        texts += [s.name, s.provider, s.price, s.estimate, *s.reasons, *s.flags]
    return texts


def test_english_report_has_no_chinese_text_and_english_money() -> None:
    report = build_enterprise_report(inputs(), "en")
    assert report.lang == "en"
    assert report.stage_name == "Initial" and report.town == "Houjie"
    assert report.peer_group_label == "Furniture cluster · round 2026"
    assert report.solutions and report.tasks and report.centres
    leaks = [t for t in _texts(report) if CHINESE.search(t)]
    assert leaks == []
    assert all(s.price.startswith("CNY ") and "万元" not in s.price for s in report.solutions)
    assert "centre discount 10%, subsidy 30%" in report.cost_note


def test_chinese_report_speaks_chinese_with_money_in_wan() -> None:
    report = build_enterprise_report(inputs(), "zh")
    assert report.lang == "zh"
    assert report.stage_name == "起步建设" and report.town == "厚街镇"
    assert report.peer_group_label == "家具制造产业集群 · 2026 批次"
    assert report.benchmark_label == "家具制造 · 小型企业 · 2026 批次"
    assert all(s.price.endswith(" 万元") for s in report.solutions)
    assert all(
        s.estimate.startswith("约 ") and s.estimate.endswith("（估算）") for s in report.solutions
    )
    assert "中心优惠 10%" in report.cost_note


@pytest.mark.parametrize(("locale", "lang"), [("en_GB", "en"), ("zh_CN", "zh"), ("fr", "zh")])
def test_any_locale_falls_back_to_its_language(locale: str, lang: str) -> None:
    assert build_enterprise_report(inputs(), locale) == build_enterprise_report(inputs(), lang)


def test_both_languages_have_the_same_structure() -> None:
    zh, en = build_enterprise_report(inputs(), "zh"), build_enterprise_report(inputs(), "en")
    assert [d.code for d in zh.dimensions] == [d.code for d in en.dimensions]
    assert [r.code for r in zh.centres] == [r.code for r in en.centres]
    assert len(zh.solutions) == len(en.solutions) and len(zh.tasks) == len(en.tasks)
    assert zh.maturity_index == en.maturity_index


def test_the_peer_group_says_when_it_comes_from_an_earlier_round() -> None:
    same = build_enterprise_report(inputs(), "zh").peer_group_label
    assert same.endswith(f"{inputs().round_code} 批次")
    earlier = dataclasses.replace(inputs(), peer_round="2025")
    zh = build_enterprise_report(earlier, "zh").peer_group_label
    en = build_enterprise_report(earlier, "en").peer_group_label
    assert "2025 批次" in zh and "暂用上一批次对标" in zh
    assert "round 2025" in en and "compared with the previous round" in en
