"""Enterprise profiles the version-2 unit tests share: above-scale (规上) medium firms of three
clusters, each in a town of its cluster."""

from __future__ import annotations

from assessment.classification import cluster_for_industry
from assessment.types import EnterpriseProfile, ProductionType, SizeClass

#: A discrete-production garment maker (C18) in 虎门.
GARMENTS = EnterpriseProfile(
    "C18", ProductionType.DISCRETE, SizeClass.MEDIUM, "humen", True, cluster_for_industry("C18")
)
#: A process-production beverage maker (C15) in 麻涌.
BEVERAGES = EnterpriseProfile(
    "C15", ProductionType.PROCESS, SizeClass.MEDIUM, "machong", True, cluster_for_industry("C15")
)


def small_furniture_maker(ptype: ProductionType = ProductionType.DISCRETE) -> EnterpriseProfile:
    """A small above-scale furniture maker (C21) in 厚街 with production type ``ptype``: the
    hand-made-instrument and version-1 unit tests' firm."""
    return EnterpriseProfile(
        "C21", ptype, SizeClass.SMALL, "houjie", True, cluster_for_industry("C21")
    )


#: A discrete-production furniture maker (C21) in 大岭山.
FURNITURE = EnterpriseProfile(
    "C21",
    ProductionType.DISCRETE,
    SizeClass.MEDIUM,
    "dalingshan",
    True,
    cluster_for_industry("C21"),
)
