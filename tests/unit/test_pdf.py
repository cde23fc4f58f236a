"""The enterprise PDF: text, escaping, fonts, page size, language; and the radar figure."""

from __future__ import annotations

import io
import shutil
import threading
from datetime import UTC, date, datetime

import plotly.graph_objects as go
import pytest
from pypdf import PdfReader

from reports.chart_export import figure_to_svg
from reports.charts import radar_figure
from reports.pdf import render_enterprise_html, render_enterprise_pdf
from reports.viewmodels import (
    ConditionRow,
    DimensionRow,
    EnterpriseReport,
    RecommendationRow,
    TaskRow,
)

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium")


def report(
    lang: str = "zh", name: str = "东莞市<script>alert(1)</script>家具有限公司"
) -> EnterpriseReport:
    dims = ("战略组织与人才", "经营管理数字化", "研发设计", "生产制造", "数据采集与管理")
    return EnterpriseReport(
        lang=lang,
        enterprise_name=name,
        uscc="91350100M000100Y43",
        industry="C21 家具制造业",
        cluster="家具制造",
        production_type="离散型",
        size_class="小型",
        town="厚街镇",
        assessed_on=date(2026, 3, 1),
        round_label="2026",
        stage_code="S1",
        stage_name="单项覆盖" if lang == "zh" else "Single-item coverage",
        stage_meaning="说明",
        next_stage_name="集成提升" if lang == "zh" else "Integrated improvement",
        maturity_index=38.5,
        peer_group_label="家具制造产业集群",
        peer_count=40,
        dimensions=tuple(
            DimensionRow(f"D{i}", n, 20.0 + 10 * i, 40.0, 55.0) for i, n in enumerate(dims)
        ),
        unmet_conditions=(ConditionRow("S2.INTEG", "主要管理系统数据自动共享"),),
        tasks=(TaskRow(1, "打通主要管理系统的数据", "统一编码", "集成与协同"),),
        centres=(RecommendationRow("家具中心", "专业型赋能中心", ("服务厚街",), "0769", True),),
        providers=(RecommendationRow("软通动力", "软件服务商", ("覆盖差距",), "", True),),
        instrument_version="dmi-v1",
        scoring_version="1",
        generated_at=datetime(2026, 3, 1, tzinfo=UTC),
        stages=(("S0", "起步建设"), ("S1", "单项覆盖"), ("S2", "集成提升"), ("S3", "创新突破")),
    )


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages), reader


def fonts(reader: PdfReader) -> set[str]:
    names: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"].get_object().get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_html_escapes_names() -> None:
    html = render_enterprise_html(report(), {"radar": "<svg/>"})
    assert "<script>alert" not in html and "&lt;script&gt;" in html


@needs_chromium
def test_pdf_has_stage_name_literal_name_cjk_fonts_and_a4() -> None:
    text, reader = pdf_text(render_enterprise_pdf(report()))
    assert "单项覆盖" in text and "<script>alert(1)</script>" in text
    assert "转型任务清单" in text and "第 1 页" in text
    assert any("NotoSansCJK" in f.replace("-", "") for f in fonts(reader))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


@needs_chromium
def test_english_pdf_has_english_headings() -> None:
    text, _ = pdf_text(render_enterprise_pdf(report("en")))
    assert "Transformation task list" in text and "Single-item coverage" in text


def test_radar_has_three_closed_traces_and_drops_incomplete_ones() -> None:
    fig = go.Figure(radar_figure(report()))  # validates the plain specification
    assert [len(t.r) for t in fig.data] == [6, 6, 6]
    assert list(fig.data[0].r) == [20.0, 30.0, 40.0, 50.0, 60.0, 20.0]
    assert fig.data[0].fill == "toself" and fig.data[1].fill == "none"
    few_peers = report()
    rows = tuple(
        DimensionRow(d.code, d.name, d.score, None, d.target) for d in few_peers.dimensions
    )
    fig = radar_figure(EnterpriseReport(**{**few_peers.__dict__, "dimensions": rows}))
    assert len(fig["data"]) == 2


@needs_chromium
def test_concurrent_exports_each_get_their_own_figure() -> None:
    results: dict[int, str] = {}

    def work(n: int) -> None:
        fig = radar_figure(report())
        fig["layout"]["title"] = {"text": f"图表编号{n}"}
        results[n] = figure_to_svg(fig)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(f"图表编号{n}" in svg for n, svg in results.items()) and len(results) == 4
