"""Which centre is responsible for an enterprise: catalogue data, most specific first."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.catalogue import centre_from_mapping, parse_catalogue, responsible_centre

DEMO = Path(__file__).resolve().parents[2] / "webapp" / "demo" / "catalogue.toml"


def _centre(code: str, clusters: list[str], towns: list[str], **extra: object):  # type: ignore[no-untyped-def]
    return centre_from_mapping(
        {"code": code, "name_zh": code, "name_en": code, "centre_type": "specialised"}
        | {"clusters": clusters, "towns": towns}
        | extra
    )


@pytest.mark.parametrize(
    ("cluster", "town", "code"),
    [
        ("furniture", "houjie", "C-FURN"),
        ("electronics", "songshanhu", "C-ELEC"),
        ("equipment", "songshanhu", "C-EQUIP"),
        ("electronics", "humen", "C-PLAT"),  # no electronics centre in Humen: region-wide
        ("furniture", "changan", "C-PLAT"),
    ],
)
def test_demo_catalogue_assigns_by_cluster_and_town_with_region_wide_fallback(
    cluster: str, town: str, code: str
) -> None:
    centres = parse_catalogue(DEMO.read_text(encoding="utf-8")).centres
    chosen = responsible_centre(centres, cluster, town)
    assert chosen is not None and chosen.code == code


def test_a_centre_naming_the_cluster_beats_one_naming_only_the_town() -> None:
    town_only = _centre("A-TOWN", [], ["houjie"])
    cluster_any_town = _centre("B-CLUSTER", ["furniture"], [])
    both = _centre("C-BOTH", ["furniture"], ["houjie"])
    assert responsible_centre([town_only, cluster_any_town], "furniture", "houjie") == (
        cluster_any_town
    )
    assert responsible_centre([town_only, cluster_any_town, both], "furniture", "houjie") == both
    assert responsible_centre([town_only], "food", "houjie") == town_only


def test_retired_and_general_centres_are_not_responsible() -> None:
    retired = _centre("A", ["furniture"], ["houjie"], retired=True)
    general = _centre("B", [], [])
    assert responsible_centre([retired, general], "furniture", "houjie") is None
    fallback = _centre("Z", [], [], region_wide=True)
    assert responsible_centre([retired, general, fallback], "furniture", "houjie") == fallback
    retired_fallback = _centre("Y", [], [], region_wide=True, retired=True)
    assert responsible_centre([retired_fallback], "furniture", "houjie") is None
