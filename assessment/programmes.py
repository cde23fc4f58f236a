"""Support programmes as data, the Dongguan pilot path, and cost sharing per roadmap step.

A programme (扶持项目) has an issuer, a document number, a region, eligibility rules, a support
share with a cap, steps and the call's dates. Programmes live in the database, edited by
administrators (``webapp/services/programmes.py``); the demo file (TOML ``[[programmes]]``,
``webapp/demo/programmes.toml``) seeds them. They are configuration, not claims: entries whose
amounts were not read in the issuer's current call are marked ``is_demo``. The Dongguan SME digital-transformation
pilot (中小企业数字化转型城市试点) is one programme whose steps are the path a pilot firm files
(拟改造企业名单 -> 诊断报告 -> 改造需求清单 -> contract with a 数字化牵引单位 -> project registration
-> completion -> post-project assessment at 二级 or above).

Cost sharing (让一点、补一点、出一点) per step, :func:`share_cost`:

1. the provider gives up ``provider_discount`` of the price (让一点);
2. of the discounted price, the ONE eligible programme with the largest support pays its share,
   up to what is left of its cap for the firm (补一点; one project is funded once, 同一项目不重复
   享受);
3. the firm pays the rest (出一点).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from assessment.errors import AssessmentError
from assessment.localised import Bilingual, Named
from assessment.types import IndustryCluster, SizeClass


class ProgrammeError(AssessmentError):
    """A programme entry that is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class ProgrammeStep(Named):
    """One step of a programme's path, with what the firm brings to it."""

    code: str
    name_zh: str
    name_en: str
    bring_zh: str = ""
    bring_en: str = ""

    bring = Bilingual("What the firm brings to the step, in both languages.")


@dataclass(frozen=True)
class Programme(Named):
    """A support programme.

    Eligibility (empty sets mean "any"): ``divisions`` GB/T 4754 divisions ("C39"),
    ``clusters``, ``size_classes``; ``pilot_list`` the firm must be on the pilot's 拟改造企业名单;
    ``max_level_before`` the MIIT level (0-4) the firm may have at most before the project;
    ``certifications`` at least one of these PRF-01 codes. Support: ``share`` in [0, 1] of the
    (discounted) price, ``cap_wan`` the most it pays one firm in 万元; ``cloud_only`` pays only
    for products eligible for 上云服务券; ``pilot_directory_only`` pays only for products in the
    pilot's 数字化产品和服务目录. ``starts_on`` / ``ends_on``: the call's dates, ISO
    "YYYY-MM-DD" or "" when not known (shown to administrators; eligibility does not read them).
    """

    code: str
    name_zh: str
    name_en: str
    issuer: str
    document: str
    region: str
    share: float
    cap_wan: float
    divisions: frozenset[str] = frozenset()
    clusters: frozenset[IndustryCluster] = frozenset()
    size_classes: frozenset[SizeClass] = frozenset()
    pilot_list: bool = False
    max_level_before: int = 4
    certifications: frozenset[str] = frozenset()
    cloud_only: bool = False
    pilot_directory_only: bool = False
    documents: tuple[str, ...] = ()
    steps: tuple[ProgrammeStep, ...] = ()
    is_demo: bool = True
    starts_on: str = ""
    ends_on: str = ""


@dataclass(frozen=True)
class FirmStanding:
    """What eligibility looks at: division, cluster, size, pilot-list membership (PRF-01
    ``pilot_list``), the MIIT level 0-4 today and the PRF-01 certification codes."""

    division: str
    cluster: IndustryCluster
    size_class: SizeClass
    pilot_list: bool
    miit_level: int
    certifications: frozenset[str]


def eligible(programme: Programme, firm: FirmStanding) -> bool:
    """Does ``firm`` meet every eligibility rule of ``programme`` (see :class:`Programme`)?

    Boundaries: a firm AT ``max_level_before`` is eligible, one level above is not.
    """
    return (
        (not programme.divisions or firm.division in programme.divisions)
        and (not programme.clusters or firm.cluster in programme.clusters)
        and (not programme.size_classes or firm.size_class in programme.size_classes)
        and (firm.pilot_list or not programme.pilot_list)
        and firm.miit_level <= programme.max_level_before
        and (not programme.certifications or bool(programme.certifications & firm.certifications))
    )


def pays_for(programme: Programme, *, cloud_voucher: bool, in_pilot_directory: bool) -> bool:
    """Does ``programme`` pay for a product with these marks (see :class:`Programme`)?"""
    return (cloud_voucher or not programme.cloud_only) and (
        in_pilot_directory or not programme.pilot_directory_only
    )


@dataclass(frozen=True)
class CostShare:
    """One step's price split in 万元: ``provider`` gives up (让一点), ``programme`` pays (补一点,
    ``programme_code`` None when none does), the ``firm`` pays (出一点); they sum to ``price``.
    ``rule_zh``/``rule_en`` state the computation with its figures."""

    price: float
    provider: float
    programme: float
    firm: float
    programme_code: str | None
    rule_zh: str
    rule_en: str

    rule = Bilingual("The rule with its figures, in both languages.")


def share_cost(
    price_wan: float,
    provider_discount: float,
    programmes: Iterable[Programme],
    caps_left: Mapping[str, float],
) -> CostShare:
    """Split ``price_wan`` (万元, >= 0) by the module's rule over the eligible ``programmes``
    that pay for the product; ``caps_left`` is each programme's remaining cap for this firm
    (its ``cap_wan`` when absent). The caller deducts :attr:`CostShare.programme` from the cap.

    Raises
    ------
    ValueError
        A negative price or a discount outside [0, 1).
    """
    if price_wan < 0 or not 0.0 <= provider_discount < 1.0:
        raise ValueError(f"price {price_wan} or discount {provider_discount} out of range")
    provider = round(price_wan * provider_discount, 2)
    net = price_wan - provider
    best: tuple[float, Programme] | None = None
    for p in programmes:
        support = round(min(net * p.share, caps_left.get(p.code, p.cap_wan)), 2)
        if support > 0 and (best is None or support > best[0]):
            best = (support, p)
    paid = best[0] if best else 0.0
    firm = round(price_wan - provider - paid, 2)
    discount_pct = f"{provider_discount:.0%}"
    if best is None:
        zh = f"服务商让利 {discount_pct}（{provider:.1f} 万元）；无适用扶持项目；企业自付 {firm:.1f} 万元"
        en = (
            f"provider discount {discount_pct} (¥{provider * 10:,.0f}k); no programme applies; "
            f"the firm pays ¥{firm * 10:,.0f}k"
        )
        return CostShare(price_wan, provider, 0.0, firm, None, zh, en)
    prog = best[1]
    zh = (
        f"服务商让利 {discount_pct}（{provider:.1f} 万元）；{prog.name_zh}补助让利后价格的 "
        f"{prog.share:.0%}，上限 {prog.cap_wan:.0f} 万元（{paid:.1f} 万元，同一项目只享受一项）；"
        f"企业自付 {firm:.1f} 万元"
    )
    en = (
        f"provider discount {discount_pct} (¥{provider * 10:,.0f}k); {prog.name_en} pays "
        f"{prog.share:.0%} of the discounted price, at most ¥{prog.cap_wan * 10:,.0f}k "
        f"(¥{paid * 10:,.0f}k; one programme per project); the firm pays ¥{firm * 10:,.0f}k"
    )
    return CostShare(price_wan, provider, paid, firm, prog.code, zh, en)


@dataclass(frozen=True)
class PathPosition:
    """Where a firm stands on a programme's path: ``done`` step codes and the ``next`` step
    (None when the path is complete)."""

    programme: Programme
    done: tuple[str, ...]
    next: ProgrammeStep | None


#: The pilot path's step codes (the pilot programme's ``steps`` must use them in this order).
PILOT_STEPS = (
    "listed",
    "diagnosis",
    "needs_list",
    "contract",
    "registration",
    "completion",
    "acceptance",
)


def pilot_position(programme: Programme, *, on_list: bool) -> PathPosition:
    """Where a firm stands on the pilot path (:data:`PILOT_STEPS`), from what the assessment
    knows: not on the list -> next "listed"; on the list -> this assessment is the pre-project
    diagnosis, next the 改造需求清单 (the roadmap's export). Later steps (contract,
    registration, completion, acceptance) are not known to the assessment and are left to
    staff tracking.
    """
    steps = {s.code: s for s in programme.steps}
    if not on_list:
        return PathPosition(programme, (), steps.get("listed"))
    done = ("listed", "diagnosis")
    return PathPosition(programme, done, steps.get("needs_list"))


def _step(d: Mapping[str, Any]) -> ProgrammeStep:
    return ProgrammeStep(
        str(d["code"]),
        str(d["name_zh"]),
        str(d["name_en"]),
        str(d.get("bring_zh", "")),
        str(d.get("bring_en", "")),
    )


#: The columns of a step written as one text line, in order (``steps_from_text``).
STEP_COLUMNS = ("code", "name_zh", "name_en", "bring_zh", "bring_en")


def steps_from_text(text: str) -> list[dict[str, str]]:
    """Steps written one per line as "code | 中文名称 | English name | 需准备 | to bring" (the
    last two may be left out; blank lines are skipped), as mappings of ``STEP_COLUMNS``: the
    form an administrator types and a workbook cell holds.

    Raises
    ------
    ProgrammeError
        A line without a code and both names, with more than five columns, or a step code
        that appears twice; the message names the line (1-based).
    """
    steps: list[dict[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 3 or len(parts) > len(STEP_COLUMNS) or not all(parts[:3]):
            raise ProgrammeError(
                f"step line {number}: write code | 中文名称 | English name | 需准备 | to bring"
            )
        if any(step["code"] == parts[0] for step in steps):
            raise ProgrammeError(f"step line {number}: step code {parts[0]} appears twice")
        steps.append(
            dict(zip(STEP_COLUMNS, parts + [""] * (len(STEP_COLUMNS) - len(parts)), strict=True))
        )
    return steps


def steps_text(steps: Iterable[Mapping[str, Any]]) -> str:
    """Steps as ``steps_from_text`` reads them back, one line each (the inverse)."""
    return "\n".join(
        " | ".join(str(step.get(c, "")) for c in STEP_COLUMNS).rstrip(" |") for step in steps
    )


def _lines(value: Any) -> list[Any]:
    """A list given as a sequence, or as text with one entry per line (blank lines skipped)."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return list(value)


def _iso_date(value: Any, what: str) -> str:
    text = str(value or "").strip()
    if text:
        date.fromisoformat(text)  # ValueError names the bad text
        if len(text) != len("2025-12-31"):
            raise ValueError(f"{what} {text!r} is not YYYY-MM-DD")
    return text


def programme_from_mapping(d: Mapping[str, Any]) -> Programme:
    """A programme from one TOML table, a database row or an administrator's form (lists as
    sequences of codes; ``documents`` and ``steps`` also as text, one per line, see
    ``steps_from_text``).

    Raises
    ------
    ProgrammeError
        A required field is missing or empty, a cluster or size class is unknown, the share
        is not in [0, 1], the cap is negative, the MIIT level is not 0-4, a date is not
        YYYY-MM-DD or ends before it starts, or a step line is malformed; the message names the
        programme.
    """
    where = f"programme {d.get('code', '?')}"
    try:
        for required in ("code", "name_zh", "name_en", "issuer"):
            if not str(d[required]).strip():
                raise ProgrammeError(f"{where}: {required} is empty")
        share = float(d["share"])
        if not 0.0 <= share <= 1.0:
            raise ProgrammeError(f"{where}: share {share} not in [0, 1]")
        cap = float(d.get("cap_wan") or 0.0)
        if cap < 0:
            raise ProgrammeError(f"{where}: cap_wan {cap} is negative")
        level = int(d.get("max_level_before", 4) if d.get("max_level_before") != "" else 4)
        if not 0 <= level <= 4:
            raise ProgrammeError(f"{where}: max_level_before {level} not in 0-4")
        starts, ends = (
            _iso_date(d.get("starts_on"), "starts_on"),
            _iso_date(d.get("ends_on"), "ends_on"),
        )
        if starts and ends and ends < starts:
            raise ProgrammeError(f"{where}: ends_on {ends} before starts_on {starts}")
        raw_steps = d.get("steps", [])
        steps = steps_from_text(raw_steps) if isinstance(raw_steps, str) else raw_steps
        return Programme(
            code=str(d["code"]),
            name_zh=str(d["name_zh"]),
            name_en=str(d["name_en"]),
            issuer=str(d["issuer"]),
            document=str(d.get("document", "")),
            region=str(d.get("region", "")),
            share=share,
            cap_wan=cap,
            divisions=frozenset(str(x) for x in d.get("divisions", [])),
            clusters=frozenset(IndustryCluster(x) for x in d.get("clusters", [])),
            size_classes=frozenset(SizeClass(x) for x in d.get("size_classes", [])),
            pilot_list=bool(d.get("pilot_list", False)),
            max_level_before=level,
            certifications=frozenset(str(x) for x in d.get("certifications", [])),
            cloud_only=bool(d.get("cloud_only", False)),
            pilot_directory_only=bool(d.get("pilot_directory_only", False)),
            documents=tuple(str(x) for x in _lines(d.get("documents", []))),
            steps=tuple(_step(s) for s in steps),
            is_demo=bool(d.get("is_demo", True)),
            starts_on=starts,
            ends_on=ends,
        )
    except KeyError as exc:
        raise ProgrammeError(f"{where}: missing {exc}") from exc
    except ValueError as exc:
        raise ProgrammeError(f"{where}: {exc}") from exc


def parse_programmes(text: str) -> tuple[Programme, ...]:
    """Parse programme TOML (``[[programmes]]`` with ``[[programmes.steps]]``).

    Raises
    ------
    ProgrammeError
        Invalid TOML, a malformed entry or a duplicate code.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProgrammeError(f"not valid TOML: {exc}") from exc
    programmes = tuple(programme_from_mapping(p) for p in data.get("programmes", []))
    codes = [p.code for p in programmes]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ProgrammeError(f"duplicate programme codes: {repeated}")
    return programmes
