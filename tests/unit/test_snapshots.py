"""The profile frozen on a submitted assessment: the cluster travels with it."""

from __future__ import annotations

import pytest

from assessment.types import EnterpriseProfile, IndustryCluster, ProductionType, SizeClass
from webapp.services.snapshots import profile_from_json, profile_to_json

# C39 (computers, communication and other electronic equipment): the electronics cluster.
PROFILE = EnterpriseProfile(
    "C39", ProductionType.MIXED, SizeClass.MEDIUM, "songshanhu", True, IndustryCluster.ELECTRONICS
)


def test_profile_json_round_trip_keeps_every_field_including_the_cluster() -> None:
    data = profile_to_json(PROFILE)
    assert data["cluster"] == "electronics"
    assert profile_from_json(data) == PROFILE


def test_a_stored_cluster_is_taken_as_stored() -> None:
    data = {**profile_to_json(PROFILE), "cluster": IndustryCluster.OTHER.value}
    assert profile_from_json(data).cluster is IndustryCluster.OTHER


def test_a_snapshot_frozen_before_the_cluster_was_stored_gets_its_industry_cluster() -> None:
    old = {k: v for k, v in profile_to_json(PROFILE).items() if k != "cluster"}
    assert profile_from_json(old) == PROFILE
    furniture = {**old, "industry_code": "C21"}
    assert profile_from_json(furniture).cluster is IndustryCluster.FURNITURE


def test_an_unknown_cluster_code_is_refused() -> None:
    with pytest.raises(ValueError):
        profile_from_json({**profile_to_json(PROFILE), "cluster": "shipbuilding"})
