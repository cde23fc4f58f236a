"""Radar labels fit a 375-px phone: long dimension names are broken into short lines."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import pytest

from assessment.instrument import current_instrument, load_instrument
from reports.charts import (
    DEFAULT_HEIGHT,
    LABEL_WIDTH,
    NARROW,
    _narrow_layout,
    figure_html,
    wrap_label,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Production", "Production"),
        ("R&D and design", "R&D and design"),
        ("Strategy, organisation and talent", "Strategy,<br>organisation<br>and talent"),
        ("Infrastructure, cloud and security", "Infrastructure,<br>cloud and<br>security"),
        ("战略组织与人才", "战略组织与人才"),  # 7 characters, 14 columns: one line
        ("基础设施、上云与安全", "基础设施、<br>上云与安全"),  # after the enumeration comma
        ("数字化研发设计协同", "数字化研发<br>设计协同"),  # no comma: in the middle
        ("数据采集与治理平台", "数据采集与<br>治理平台"),  # the first line the longer
    ],
)
def test_wrap_label(name: str, expected: str) -> None:
    assert wrap_label(name) == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_dimension_label_of_the_instrument_is_short(lang: str) -> None:
    for dimension in current_instrument().dimensions:
        name = dimension.name_en if lang == "en" else dimension.name_zh
        lines = wrap_label(name).split("<br>")
        longest_word = max(len(w) for w in name.split())
        assert all(len(line) <= max(LABEL_WIDTH, longest_word) for line in lines), lines
        assert len(lines) <= 3


def test_a_page_chart_is_as_tall_as_its_figure() -> None:
    tall = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"), layout={"height": 692})
    assert 'style="height:692px;' in figure_html(tall, "t")
    assert f'style="height:{DEFAULT_HEIGHT}px;' in figure_html(go.Figure(), "d")


@pytest.mark.parametrize("version", ["1", "2"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_phone_radar_has_shorter_labels_and_margins_that_fit_them(
    lang: str, version: str
) -> None:
    """On a phone (``NARROW``) the side labels wrap shorter and the side margins are sized to
    them, leaving a 375-px phone's chart (301 px) at least 150 px for the circle. The radar
    shows the scored dimensions of the result's version."""
    scored = [d for d in load_instrument("dmi", version).dimensions if d.scored]
    names = [d.name_en if lang == "en" else d.name_zh for d in scored]
    wrapped, layout = _narrow_layout(names)
    assert [w.replace("<br>", " " if lang == "en" else "") for w in wrapped] == names
    # not straight above or below the circle (a spoke within 30 degrees of the vertical)
    side = [
        w for i, w in enumerate(wrapped) if abs(math.sin(math.radians(i * 360 / len(names)))) >= 0.5
    ]
    for label in side:
        longest_word = max(len(w) for w in label.replace("<br>", " ").split())
        widths = [len(line) * (1 if lang == "en" else 2) for line in label.split("<br>")]
        assert max(widths) <= max(NARROW["label_width"], longest_word), label
    assert 24 <= layout["margin.l"] <= 100 and 24 <= layout["margin.r"] <= 100, layout
    assert 301 - layout["margin.l"] - layout["margin.r"] >= 150, layout
    assert layout["margin.b"] > layout["margin.t"]  # the legend is at the foot
