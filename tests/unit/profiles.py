"""Enterprise profiles the version-2 tests share: above-scale (规上) medium firms of three
clusters, each in a town of its cluster, and the roadmap's garment maker with its answers."""

from __future__ import annotations

from assessment.classification import classify, cluster_for_industry
from assessment.instrument import least_mature_responses, load_instrument
from assessment.types import EnterpriseProfile, ProductionType, SizeClass

#: A discrete-production garment maker (C18) in 虎门.
GARMENTS = EnterpriseProfile(
    "C18", ProductionType.DISCRETE, SizeClass.MEDIUM, "humen", True, cluster_for_industry("C18")
)
#: A process-production beverage maker (C15) in 麻涌.
BEVERAGES = EnterpriseProfile(
    "C15", ProductionType.PROCESS, SizeClass.MEDIUM, "machong", True, cluster_for_industry("C15")
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


def garment_profile() -> EnterpriseProfile:
    c = classify("C18", 150, 5000.0)
    return EnterpriseProfile("C18", ProductionType.DISCRETE, c.size_class, "humen", True, c.cluster)


def garment_answers(**changes: object) -> dict[str, object]:
    """A 150-person garment maker: purchasing and stock in spreadsheets, finance software only,
    quality on paper, office and HR apps, no network-security measure, on the pilot list."""
    answers: dict[str, object] = dict(
        least_mature_responses(load_instrument("dmi", "2"), garment_profile())
    )
    answers.update(
        {
            "OPS-03": "L2",
            "OPS-05": "L1",
            "OPS-06": "L1",
            "OPS-07": "L0",
            "OPS-11": "L1",
            "OPS-12": "L1",
            "OPS-13": "L1",
            "OPS-14": "L2",
            "OPS-15": "L2",
            "FND-06": "L2",
            "FND-07": ("none",),
            "FND-08": ("products",),
            "INT-02": "L1",
            "MGM-03": "L2",
            "MGM-05": 0.3,
            "TEX-01": "L1",
            "TEX-02": "L1",
            "TEX-03": "L1",
            "TEX-04": "L0",
            "PRF-01": ("pilot_list",),
            "PRF-02": ("delivery", "quality", "labour"),
            "PRF-03": 85.0,
            "PRF-05": 92.0,
        }
    )
    for unknown in ("PRF-04", "PRF-06", "PRF-07", "PRF-08"):  # baselines it did not give
        answers.pop(unknown, None)
    answers.update(changes)
    return {code: value for code, value in answers.items() if value is not None}
