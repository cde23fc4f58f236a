"""Size class (统计上大中小微型企业划分办法 2017, industry row), 规上, industry clusters."""

from __future__ import annotations

import pytest

from assessment.classification import (
    CLUSTER_TOWNS,
    MANUFACTURING_DIVISIONS,
    TOWN_CODES,
    Classification,
    classify,
    cluster_for_industry,
    is_above_scale,
    size_class,
)
from assessment.types import IndustryCluster, SizeClass


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (1000, 40000, SizeClass.LARGE),  # both lower bounds of large reached
        (999, 40000, SizeClass.MEDIUM),  # one short of large on people
        (1000, 39999.99, SizeClass.MEDIUM),  # one short of large on revenue
        (5000, 10000, SizeClass.MEDIUM),  # many people, medium revenue
        (300, 2000, SizeClass.MEDIUM),
        (299, 2000, SizeClass.SMALL),
        (300, 1999.99, SizeClass.SMALL),
        (20, 300, SizeClass.SMALL),
        (19, 300, SizeClass.MICRO),
        (20, 299.99, SizeClass.MICRO),
        (5000, 100, SizeClass.MICRO),  # large headcount but tiny revenue: falls to micro
        (0, 0, SizeClass.MICRO),
    ],
)
def test_size_class_boundaries(employees: int, revenue: float, expected: SizeClass) -> None:
    assert size_class("C39", employees, revenue) is expected


def test_size_class_refuses_negative_and_unknown() -> None:
    with pytest.raises(ValueError):
        size_class("C39", -1, 10)
    with pytest.raises(ValueError):
        size_class("A01", 10, 10)


@pytest.mark.parametrize(("revenue", "above"), [(1999.99, False), (2000, True), (2000.01, True)])
def test_above_scale_threshold(revenue: float, above: bool) -> None:
    assert is_above_scale(revenue) is above


def test_all_31_manufacturing_divisions() -> None:
    assert list(MANUFACTURING_DIVISIONS) == [f"C{n}" for n in range(13, 44)]


@pytest.mark.parametrize(
    ("code", "cluster"),
    [
        ("C39", IndustryCluster.ELECTRONICS),
        ("C34", IndustryCluster.EQUIPMENT),
        ("C38", IndustryCluster.EQUIPMENT),
        ("C18", IndustryCluster.TEXTILES),
        ("C14", IndustryCluster.FOOD),
        ("C21", IndustryCluster.FURNITURE),
        ("C26", IndustryCluster.OTHER),
    ],
)
def test_clusters(code: str, cluster: IndustryCluster) -> None:
    assert cluster_for_industry(code) is cluster


def test_cluster_core_towns_are_known_towns() -> None:
    assert len(TOWN_CODES) == 34  # 4 streets, 28 towns, Songshan Lake and Binhai Bay
    for towns in CLUSTER_TOWNS.values():
        assert set(towns) <= TOWN_CODES


@pytest.mark.parametrize(
    ("industry", "employees", "revenue", "expected"),
    [
        ("C39", 350, 2500.0, Classification(IndustryCluster.ELECTRONICS, SizeClass.MEDIUM, True)),
        ("C21", 25, 1999.9, Classification(IndustryCluster.FURNITURE, SizeClass.SMALL, False)),
        ("C26", 5, 100.0, Classification(IndustryCluster.OTHER, SizeClass.MICRO, False)),
        ("C34", 1200, 50000.0, Classification(IndustryCluster.EQUIPMENT, SizeClass.LARGE, True)),
    ],
)
def test_classify_gives_cluster_size_class_and_above_scale_together(
    industry: str, employees: int, revenue: float, expected: Classification
) -> None:
    assert classify(industry, employees, revenue) == expected


def test_classify_refuses_what_its_parts_refuse() -> None:
    with pytest.raises(ValueError, match="manufacturing division"):
        classify("A01", 10, 10.0)
    with pytest.raises(ValueError, match="negative"):
        classify("C39", -1, 10.0)
