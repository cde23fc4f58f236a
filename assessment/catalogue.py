"""The catalogue of enabling centres, service providers and solutions, as pure values.

Types from the Dongguan plan 2022-2025: centre types 四 (二) 1 (标杆型, 平台型, 专业型); provider
types 四 (二) 3 (网络建设, 平台, 数据采集, 工业互联网解决方案, 工控安全) plus 综合服务商 and
software vendors by category.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assessment.errors import AssessmentError
from assessment.localised import LabelledEnum, Named
from assessment.types import IndustryCluster, ProductionType, SizeClass, Stage


class CatalogueError(AssessmentError):
    """A catalogue entry that is malformed; the message names the entry and the field."""


class CentreType(LabelledEnum):
    """Enabling centre types (Dongguan plan 四 (二) 1)."""

    BENCHMARK = "benchmark", "标杆型赋能中心", "Benchmark enabling centre"
    PLATFORM = "platform", "平台型赋能中心", "Platform enabling centre"
    SPECIALISED = "specialised", "专业型赋能中心", "Specialised enabling centre"


class ProviderType(LabelledEnum):
    """Service provider types (Dongguan plan 四 (二) 3, plus integrated providers, software
    vendors and the pilot city's lead contractors and their partners)."""

    NETWORK = "network", "网络建设服务商", "Network build-out provider"
    PLATFORM = "platform", "平台服务商", "Platform provider"
    DATA_ACQUISITION = "data_acquisition", "数据采集服务商", "Data acquisition provider"
    IIOT_SOLUTION = (
        "iiot_solution",
        "工业互联网解决方案服务商",
        "Industrial internet solution provider",
    )
    ICS_SECURITY = "ics_security", "工控安全服务商", "Industrial control security provider"
    INTEGRATED = "integrated", "综合服务商", "Integrated provider"
    SOFTWARE = "software", "软件服务商", "Software provider"
    # Dongguan pilot: the lead contractor contracts the firm's project; partners are its ecosystem.
    TRACTION = "traction", "数字化牵引单位", "Digital transformation lead contractor"
    TRACTION_PARTNER = "traction_partner", "牵引单位合作伙伴", "Partner of a lead contractor"


#: How a solution is paid: once (licence, hardware, project) or by subscription (per year).
PRICE_MODELS = frozenset({"one_off", "subscription"})

#: Price bands of solutions, in 万元 (10,000 CNY).
PRICE_BANDS = {
    "lt5": (0.0, 5.0),
    "5to20": (5.0, 20.0),
    "20to100": (20.0, 100.0),
    "gt100": (100.0, 300.0),
}


@dataclass(frozen=True)
class EnablingCentre(Named):
    """An enabling centre (赋能中心). Empty ``clusters``/``towns`` mean "all"."""

    code: str
    name_zh: str
    name_en: str
    centre_type: CentreType
    clusters: frozenset[IndustryCluster]
    towns: frozenset[str]
    dimensions: frozenset[str]
    gates: frozenset[str]
    capacity: int
    contact: str
    is_demo: bool = True
    retired: bool = False
    #: Takes every enterprise that no centre with a cluster or town list covers (at most one
    #: active centre should carry it; ``responsible_centre`` takes the first by code).
    region_wide: bool = False


def responsible_centre(
    centres: Iterable[EnablingCentre], cluster: str, town: str
) -> EnablingCentre | None:
    """The centre responsible for an enterprise of ``cluster`` (an ``IndustryCluster`` value)
    in ``town`` (a town code of ``assessment.classification.TOWNS``).

    Rule (catalogue data, no codes in here): a centre that is not retired and names clusters
    or towns is responsible for the enterprises it covers (an empty list means "all", so
    ``clusters = ["food"], towns = []`` covers food firms in every town). Of several, the most
    specific wins: one naming the cluster beats one naming only the town; ties go to the first
    code. When no such centre covers the enterprise, the region-wide centre (``region_wide``)
    takes it. ``None`` only when the catalogue has neither.
    """
    active = sorted((c for c in centres if not c.retired), key=lambda c: c.code)
    best: tuple[int, EnablingCentre] | None = None
    for centre in active:
        named_clusters = {c.value for c in centre.clusters}
        if not named_clusters and not centre.towns:
            continue
        if named_clusters and cluster not in named_clusters:
            continue
        if centre.towns and town not in centre.towns:
            continue
        score = 2 * (cluster in named_clusters) + (town in centre.towns)
        if best is None or score > best[0]:
            best = (score, centre)
    if best is not None:
        return best[1]
    return next((c for c in active if c.region_wide), None)


@dataclass(frozen=True)
class ServiceProvider(Named):
    """A service provider (服务商)."""

    code: str
    name_zh: str
    name_en: str
    provider_types: frozenset[ProviderType]
    software: frozenset[str]
    clusters: frozenset[IndustryCluster]
    towns: frozenset[str]
    contact: str
    is_demo: bool = True
    retired: bool = False


@dataclass(frozen=True)
class Solution(Named):
    """A solution (解决方案) of one provider and the gaps it closes.

    ``price_band`` is a key of ``PRICE_BANDS``; ``light_fast`` marks "小快轻准" products (plan
    四 (三) 2); ``cloud_voucher`` marks eligibility for 上云服务券 (plan 四 (五) 2).

    Catalogue v2 fields (all optional, so version-1 files and stored rows still load):
    ``capabilities`` the roadmap capabilities it builds (codes of ``assessment.roadmap``
    ``CAPABILITIES``; matching is by these, not by gate tag), ``scenarios`` the MIIT scenario
    codes it raises, ``price_model`` one of :data:`PRICE_MODELS` (a subscription's band is per
    year), ``provider_discount`` the share 0-1 of the price the provider gives up for pilot
    projects (让一点), ``in_pilot_directory`` listed in the pilot city's 数字化产品和服务目录,
    ``cases`` reference cases as "town/industry" strings.
    """

    code: str
    provider: str
    name_zh: str
    name_en: str
    dimensions: frozenset[str]
    gates: frozenset[str]
    stages: frozenset[Stage]
    clusters: frozenset[IndustryCluster]
    production_types: frozenset[ProductionType]
    size_classes: frozenset[SizeClass]
    price_band: str
    delivery_weeks: int
    light_fast: bool
    subsidy_eligible: bool
    cloud_voucher: bool
    retired: bool = False
    capabilities: frozenset[str] = frozenset()
    scenarios: frozenset[str] = frozenset()
    price_model: str = "one_off"
    provider_discount: float = 0.0
    in_pilot_directory: bool = False
    cases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    centres: tuple[EnablingCentre, ...]
    providers: tuple[ServiceProvider, ...]
    solutions: tuple[Solution, ...]

    def provider(self, code: str) -> ServiceProvider | None:
        return next((p for p in self.providers if p.code == code), None)


def _enum_set(enum: Any, values: Iterable[str], where: str) -> frozenset[Any]:
    try:
        return frozenset(enum(v) for v in values)
    except ValueError as exc:
        raise CatalogueError(f"{where}: {exc}") from exc


def _stages(values: Iterable[str], where: str) -> frozenset[Stage]:
    try:
        return frozenset(Stage.from_code(v) for v in values)
    except ValueError as exc:
        raise CatalogueError(f"{where}: {exc}") from exc


def _organisation_fields(d: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The fields a centre and a provider share: code and names (required; ``KeyError`` when
    missing), clusters (``CatalogueError`` for an unknown one), towns, contact, and the demo and
    retired flags (a new entry is demo data until marked otherwise)."""
    return {
        "code": str(d["code"]),
        "name_zh": str(d["name_zh"]),
        "name_en": str(d["name_en"]),
        "clusters": _enum_set(IndustryCluster, d.get("clusters", []), where),
        "towns": frozenset(d.get("towns", [])),
        "contact": str(d.get("contact", "")),
        "is_demo": bool(d.get("is_demo", True)),
        "retired": bool(d.get("retired", False)),
    }


def centre_from_mapping(d: Mapping[str, Any]) -> EnablingCentre:
    """An enabling centre from one TOML table or import row (lists as sequences of codes).

    Raises
    ------
    CatalogueError
        A required field (code, names, centre type) is missing, or a centre type, cluster or
        capacity is not valid; the message names the centre.
    """
    where = f"centre {d.get('code', '?')}"
    try:
        return EnablingCentre(
            centre_type=CentreType(d["centre_type"]),
            dimensions=frozenset(d.get("dimensions", [])),
            gates=frozenset(d.get("gates", [])),
            capacity=int(d.get("capacity", 0)),
            region_wide=bool(d.get("region_wide", False)),
            **_organisation_fields(d, where),
        )
    except (KeyError, ValueError) as exc:
        raise CatalogueError(f"{where}: {exc}") from exc


def provider_from_mapping(d: Mapping[str, Any]) -> ServiceProvider:
    """A service provider from one TOML table or import row (lists as sequences of codes).

    Raises
    ------
    CatalogueError
        A required field (code, names, provider types) is missing, or a provider type or
        cluster code is unknown; the message names the provider.
    """
    where = f"provider {d.get('code', '?')}"
    try:
        return ServiceProvider(
            provider_types=_enum_set(ProviderType, d["provider_types"], where),
            software=frozenset(d.get("software", [])),
            **_organisation_fields(d, where),
        )
    except KeyError as exc:
        raise CatalogueError(f"{where}: missing {exc}") from exc


def solution_from_mapping(d: Mapping[str, Any]) -> Solution:
    """A solution from one TOML table or import row (lists as sequences of codes).

    Raises
    ------
    CatalogueError
        A required field (code, provider, names, price band) is missing; the price band, price
        model (``PRICE_MODELS``), provider discount (outside [0, 1)), a
        stage, cluster, production type or size class is unknown; or ``delivery_weeks`` is not
        a whole number. The message names the solution.
    """
    where = f"solution {d.get('code', '?')}"
    try:
        band = str(d["price_band"])
        if band not in PRICE_BANDS:
            raise CatalogueError(f"{where}: unknown price band {band!r}")
        model = str(d.get("price_model") or "one_off")  # an empty cell or form field: one-off
        if model not in PRICE_MODELS:
            raise CatalogueError(f"{where}: unknown price model {model!r}")
        discount = float(d.get("provider_discount") or 0.0)
        if not 0.0 <= discount < 1.0:
            raise CatalogueError(f"{where}: provider_discount {discount} not in [0, 1)")
        return Solution(
            code=str(d["code"]),
            provider=str(d["provider"]),
            name_zh=str(d["name_zh"]),
            name_en=str(d["name_en"]),
            dimensions=frozenset(d.get("dimensions", [])),
            gates=frozenset(d.get("gates", [])),
            stages=_stages(d.get("stages", []), where),
            clusters=_enum_set(IndustryCluster, d.get("clusters", []), where),
            production_types=_enum_set(ProductionType, d.get("production_types", []), where),
            size_classes=_enum_set(SizeClass, d.get("size_classes", []), where),
            price_band=band,
            delivery_weeks=int(d.get("delivery_weeks", 0)),
            light_fast=bool(d.get("light_fast", False)),
            subsidy_eligible=bool(d.get("subsidy_eligible", False)),
            cloud_voucher=bool(d.get("cloud_voucher", False)),
            retired=bool(d.get("retired", False)),
            capabilities=frozenset(d.get("capabilities", [])),
            scenarios=frozenset(d.get("scenarios", [])),
            price_model=model,
            provider_discount=discount,
            in_pilot_directory=bool(d.get("in_pilot_directory", False)),
            cases=tuple(str(c) for c in d.get("cases", [])),
        )
    except KeyError as exc:
        raise CatalogueError(f"{where}: missing {exc}") from exc
    except ValueError as exc:  # delivery_weeks or a discount that is not a number
        raise CatalogueError(f"{where}: {exc}") from exc


def parse_catalogue(text: str) -> Catalogue:
    """Parse catalogue TOML (``[[centres]]``, ``[[providers]]``, ``[[solutions]]``).

    Raises
    ------
    CatalogueError
        Invalid TOML, a malformed entry, a duplicate code, or a solution whose provider is not
        in the file.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not valid TOML: {exc}") from exc
    catalogue = Catalogue(
        centres=tuple(centre_from_mapping(c) for c in data.get("centres", [])),
        providers=tuple(provider_from_mapping(p) for p in data.get("providers", [])),
        solutions=tuple(solution_from_mapping(s) for s in data.get("solutions", [])),
    )
    for kind, entries in (
        ("centre", catalogue.centres),
        ("provider", catalogue.providers),
        ("solution", catalogue.solutions),
    ):
        codes = [e.code for e in entries]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise CatalogueError(f"duplicate {kind} codes: {duplicates}")
    providers = {p.code for p in catalogue.providers}
    for s in catalogue.solutions:
        if s.provider not in providers:
            raise CatalogueError(f"solution {s.code}: unknown provider {s.provider!r}")
    return catalogue
