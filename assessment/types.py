"""Domain values: frozen dataclasses and enums shared by every part of the core."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from assessment.localised import Bilingual, LabelledEnum, LabelledIntEnum, Localised, Named

#: Item code -> option code (single choice), tuple of option codes (multiple choice) or number.
Responses = Mapping[str, "str | tuple[str, ...] | float"]

#: What each stage means, in both languages (its short name is the label of its ``Stage`` member).
_STAGE_MEANING = {
    0: Localised(
        "企业经营主要依靠纸质单据、电子表格和人工经验，尚未在主要业务环节部署信息系统，"
        "数据分散在个人手中。此阶段的重点是明确数字化转型负责人、梳理业务流程，并在最关键的环节先用起来。",
        "The business runs mostly on paper, spreadsheets and personal experience; the main "
        "business links have no information system yet and data sits with individuals. The "
        "first steps are a named transformation lead, mapped processes, and a system in the "
        "most important link.",
    ),
    1: Localised(
        "企业已在财务、进销存、销售、办公等单个业务环节部署 ERP、CRM、OA 等信息系统，实行"
        "“一把手”负责制，业务单元运行更加规范。但系统之间仍是“信息孤岛”，数据需要人工导出和汇总。"
        "（《东莞市数字经济发展规划（2022—2025年）》四（一）1）",
        "Information systems such as ERP, CRM and OA are in use in individual business links, "
        "and top management owns the transformation. The systems are still islands: data moves "
        "between them by hand. (Dongguan Digital Economy Plan 2022-2025, 4 (1) 1)",
    ),
    2: Localised(
        "企业的管理系统之间实现数据集成、各部门业务数据共享，管理系统与自动化、智能化产线深度集成，"
        "实现全要素数据采集，并用数据平台支持决策。（规划四（一）2）",
        "Management systems share data across departments, are integrated with automated "
        "production lines, data is collected from all production factors, and a data platform "
        "supports decisions. (Plan 4 (1) 2)",
    ),
    3: Localised(
        "企业在纵向集成基础上实现端到端集成和企业间横向集成，建设或深度使用工业互联网平台和工业APP，"
        "以数据驱动优化与创新，开展网络化协同、个性化定制、服务化延伸等新模式。（规划四（一）3）",
        "Beyond vertical integration, the enterprise is integrated end to end and with other "
        "enterprises along the supply chain, runs or deeply uses an industrial internet platform "
        "and industrial apps, optimises with data and operates new models such as networked "
        "collaboration, customisation or service extension. (Plan 4 (1) 3)",
    ),
}


class Stage(LabelledIntEnum):
    """Stages of the Dongguan plan 2022-2025, 四 (一), with 起步建设 (GB/T 23020) below them;
    ``label`` gives the stage's short name in both languages, ``meaning`` what it means."""

    S0 = 0, "起步建设", "Initial"
    S1 = 1, "单项覆盖", "Single-item coverage"
    S2 = 2, "集成提升", "Integrated improvement"
    S3 = 3, "创新突破", "Innovation breakthrough"

    @property
    def code(self) -> str:
        return f"S{int(self)}"

    @property
    def meaning(self) -> Localised:
        """What the stage means, in both languages."""
        return _STAGE_MEANING[int(self)]

    @property
    def next(self) -> Stage | None:
        return Stage(int(self) + 1) if self < Stage.S3 else None

    @classmethod
    def from_code(cls, code: str) -> Stage:
        """``"S2"`` -> ``Stage.S2``; raises ``ValueError`` for anything else."""
        if len(code) != 2 or code[0] != "S" or code[1] not in "0123":
            raise ValueError(f"not a stage code: {code!r}")
        return cls(int(code[1]))


class ProductionType(LabelledEnum):
    """离散型 / 流程型 / 混合型 (Dongguan plan 四 (三) 1 treats the first two differently)."""

    DISCRETE = "discrete", "离散型", "Discrete"
    PROCESS = "process", "流程型", "Process"
    MIXED = "mixed", "混合型", "Mixed"


class SizeClass(LabelledEnum):
    """Size class by 统计上大中小微型企业划分办法(2017)."""

    LARGE = "large", "大型", "Large"
    MEDIUM = "medium", "中型", "Medium"
    SMALL = "small", "小型", "Small"
    MICRO = "micro", "微型", "Micro"


class IndustryCluster(LabelledEnum):
    """The plan's five priority clusters (四 (四)) and everything else."""

    ELECTRONICS = "electronics", "电子信息", "Electronics & information"
    EQUIPMENT = "equipment", "高端装备", "High-end equipment"
    TEXTILES = "textiles", "纺织服装", "Textiles & apparel"
    FOOD = "food", "食品饮料", "Food & beverage"
    FURNITURE = "furniture", "家具制造", "Furniture"
    OTHER = "other", "其他制造业", "Other manufacturing"


class ItemKind(StrEnum):
    """How an item is answered: one option, several options, a banded number, or a plain figure.

    ``FIGURE`` (instrument version 2) is a number recorded as given (a count, an amount, a
    rate); it has no value of its own unless it names a ``denominator`` or a ``previous`` figure
    (see :class:`Item`).
    """

    SINGLE = "single"
    MULTI = "multi"
    NUMBER = "number"
    FIGURE = "figure"


class Better(StrEnum):
    """Which direction of a year-on-year figure MIIT 2024 scores as an improvement."""

    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class EnterpriseProfile:
    """What scoring, skip logic and matching need to know about an enterprise.

    ``industry_code`` is a GB/T 4754-2017 manufacturing division ("C13".."C43"); ``town`` a
    code from ``classification.TOWNS``; ``above_scale`` means revenue >= 2000 万元 (规上);
    ``cluster`` is the plan's cluster of ``industry_code``
    (``classification.cluster_for_industry``), stored with the enterprise when it registers.
    """

    industry_code: str
    production_type: ProductionType
    size_class: SizeClass
    town: str
    above_scale: bool
    cluster: IndustryCluster


@dataclass(frozen=True)
class Option:
    """One answer option; ``value`` in [0, 1] is its ordinal maturity (0 least mature)."""

    code: str
    text_zh: str
    text_en: str
    value: float

    text = Bilingual("The option's text in both languages.")


@dataclass(frozen=True)
class ShowIf:
    """Skip logic on an earlier answer: the item shows when ``item``'s answer is in ``values``."""

    item: str
    values: frozenset[str]


@dataclass(frozen=True)
class Item:
    """A question (题目). ``minimum``/``maximum`` bound numeric answers, in ``unit_*``."""

    code: str
    indicator: str
    dimension: str
    kind: ItemKind
    text_zh: str
    text_en: str
    help_zh: str
    help_en: str
    options: tuple[Option, ...]
    unit_zh: str
    unit_en: str
    minimum: float | None
    maximum: float | None
    required: bool
    applies_to: frozenset[ProductionType]
    show_if: ShowIf | None
    #: For numeric items: (threshold, value) steps, ascending; the answer's value is that of
    #: the highest threshold it reaches (0 below the first).
    bands: tuple[tuple[float, float], ...] = ()
    #: MIIT 2024 points of the item (version 2); MIIT points = ``points`` x the item's value.
    points: float | None = None
    #: MIIT 经营 scenario this single-choice item rates (options "L0".."L4"), e.g. "finance".
    scenario: str | None = None
    #: The scenario is one of MIIT's 约束性 (constrained) scenarios.
    constrained: bool = False
    #: Shown only to enterprises of this cluster (cluster module items).
    cluster: IndustryCluster | None = None
    #: For figures: the earlier figure this one is a share of (value = rate in %, by ``bands``).
    denominator: str | None = None
    #: For figures: the earlier figure holding the same measure one year before.
    previous: str | None = None
    #: For figures with ``previous``: the direction that counts as an improvement.
    better: Better | None = None
    #: For multiple choice: the most options one answer may tick (e.g. the top 3 pain points).
    max_choices: int | None = None
    #: The item of the version named by ``Instrument.carried_from_version`` that asks the same
    #: question: its answer pre-fills this item in a draft started after one on that version.
    carried_from: str | None = None
    #: For choice items carried from an item with other option codes: (earlier option code,
    #: this item's option code) pairs; empty means the codes are the same.
    carried_options: tuple[tuple[str, str], ...] = ()

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    text = Bilingual("The question in both languages.")
    help = Bilingual("The explanation in both languages (both empty when there is none).")
    unit = Bilingual("The unit of a numeric answer in both languages (empty otherwise).")


@dataclass(frozen=True)
class Indicator(Named):
    """An indicator (指标): a weighted group of items inside one dimension."""

    code: str
    dimension: str
    name_zh: str
    name_en: str
    weight: float
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Dimension(Named):
    """A dimension (维度): one page of the questionnaire and one axis of the radar."""

    code: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    weight: float
    indicators: tuple[Indicator, ...]
    #: False for pages whose items never enter the maturity index (profile, cluster modules).
    scored: bool = True

    description = Bilingual("The dimension's description in both languages.")


@dataclass(frozen=True)
class Instrument:
    """A published version of the questionnaire (问卷); never changes once published."""

    id: str
    version: str
    title_zh: str
    title_en: str
    minutes: int
    dimensions: tuple[Dimension, ...]
    #: The earlier version whose item codes the items' ``carried_from`` name (None: nothing
    #: is carried).
    carried_from_version: str | None = None
    _items: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for dim in self.dimensions:
            for ind in dim.indicators:
                for item in ind.items:
                    self._items[item.code] = item

    title = Bilingual("The questionnaire's title in both languages.")

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(self._items.values())

    def item(self, code: str) -> Item:
        """The item with ``code``; raises ``KeyError`` when there is none."""
        return self._items[code]

    def dimension(self, code: str) -> Dimension:
        """The dimension with this code.

        Raises
        ------
        KeyError
            The instrument has no dimension ``code``.
        """
        for dim in self.dimensions:
            if dim.code == code:
                return dim
        raise KeyError(code)

    def items_of(self, dimension_code: str) -> tuple[Item, ...]:
        """The items of a dimension, indicator by indicator; ``KeyError`` for an unknown code."""
        dim = self.dimension(dimension_code)
        return tuple(item for ind in dim.indicators for item in ind.items)


@dataclass(frozen=True)
class ScoreCard:
    """Scores on 0-100: per indicator, per dimension (instrument order), and the index."""

    indicator_scores: Mapping[str, float]
    dimension_scores: Mapping[str, float]
    maturity_index: float


@dataclass(frozen=True)
class Gate:
    """A capability condition of a stage, with its source in the seeds or a standard."""

    code: str
    stage: Stage
    text_zh: str
    text_en: str
    source: str

    text = Bilingual("The condition in both languages.")


@dataclass(frozen=True)
class StageResult:
    """The stage reached, the gate codes met, and the unmet gates of the next stage."""

    stage: Stage
    met: tuple[str, ...]
    unmet_next: tuple[Gate, ...]


#: MIIT 2024 level codes (as the API returns them) and labels, by level 0-4.
MIIT_LEVEL_CODES = ("none", "1", "2", "3", "4")
MIIT_LEVEL_LABELS = (
    ("无等级", "No level"),
    ("一级", "Level 1"),
    ("二级", "Level 2"),
    ("三级", "Level 3"),
    ("四级", "Level 4"),
)

#: An answer as stored: option code, tuple of option codes, or number.
Answer = str | tuple[str, ...] | float


@dataclass(frozen=True)
class ScenarioLevel(Named):
    """One MIIT 2024 business scenario (经营场景) and the level reached, 0 (not yet) to 4."""

    code: str
    name_zh: str
    name_en: str
    level: int
    constrained: bool


@dataclass(frozen=True)
class MiitGap:
    """What is missing for MIIT level ``target`` (1-4).

    ``points_missing`` is on the 100-point MIIT score (0 when the score suffices);
    ``scenarios_missing`` the scenarios still to raise to ``scenario_level`` and
    ``constrained_missing`` how many of those must be constrained; ``candidates`` lists the
    scenario codes below ``scenario_level``, constrained first, then the closest.
    """

    target: int
    points_missing: float
    scenario_level: int
    scenarios_missing: int
    constrained_missing: int
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class MiitResult:
    """The MIIT 2024 digital level: score 0-100 and by part, the 16 scenarios, the level (0 =
    无等级 .. 4) and the gaps to the next level(s), first the one a pilot firm needs."""

    score: float
    parts: Mapping[str, float]
    scenarios: tuple[ScenarioLevel, ...]
    level: int
    next: tuple[MiitGap, ...]

    @property
    def level_code(self) -> str:
        """``"none"``, ``"1"`` .. ``"4"``."""
        return MIIT_LEVEL_CODES[self.level]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; :meth:`from_dict` restores an equal object."""
        return {
            "level": self.level_code,
            "score": self.score,
            "parts": dict(self.parts),
            "scenarios": [
                {
                    "code": s.code,
                    "name_zh": s.name_zh,
                    "name_en": s.name_en,
                    "level": s.level,
                    "constrained": s.constrained,
                }
                for s in self.scenarios
            ],
            "next": [
                {
                    "target": g.target,
                    "points_missing": g.points_missing,
                    "scenario_level": g.scenario_level,
                    "scenarios_missing": g.scenarios_missing,
                    "constrained_missing": g.constrained_missing,
                    "candidates": list(g.candidates),
                }
                for g in self.next
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MiitResult:
        return cls(
            score=float(data["score"]),
            parts=dict(data["parts"]),
            scenarios=tuple(
                ScenarioLevel(
                    s["code"], s["name_zh"], s["name_en"], int(s["level"]), bool(s["constrained"])
                )
                for s in data["scenarios"]
            ),
            level=MIIT_LEVEL_CODES.index(data["level"]),
            next=tuple(
                MiitGap(
                    int(g["target"]),
                    float(g["points_missing"]),
                    int(g["scenario_level"]),
                    int(g["scenarios_missing"]),
                    int(g["constrained_missing"]),
                    tuple(g["candidates"]),
                )
                for g in data["next"]
            ),
        )


@dataclass(frozen=True)
class Borderline:
    """A result one answer away from another class (临界): changing ``item`` to ``answer``
    moves ``classification`` ("stage" or "miit") from ``current`` to ``reached`` (stage codes
    "S0".."S3" or MIIT level codes "none", "1".."4")."""

    classification: str
    item: str
    answer: Answer
    current: str
    reached: str

    def to_dict(self) -> dict[str, Any]:
        answer = list(self.answer) if isinstance(self.answer, tuple) else self.answer
        return {
            "classification": self.classification,
            "item": self.item,
            "answer": answer,
            "current": self.current,
            "reached": self.reached,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Borderline:
        raw = data["answer"]
        answer: Answer = tuple(raw) if isinstance(raw, list) else raw
        return cls(data["classification"], data["item"], answer, data["current"], data["reached"])


@dataclass(frozen=True)
class AssessmentResult:
    """Everything scoring produced, with the versions that produced it.

    ``miit`` and ``borderline`` are produced by scoring version 2 (instrument dmi v2); version-1
    results have ``miit=None`` and no borderline findings, and their stored JSON has no such keys.
    """

    instrument_id: str
    instrument_version: str
    scoring_version: str
    scorecard: ScoreCard
    stage: StageResult
    miit: MiitResult | None = None
    borderline: tuple[Borderline, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for storage; :meth:`from_dict` restores an equal object."""
        data = self._stage_dict()
        if self.miit is not None:
            data["miit"] = self.miit.to_dict()
            data["borderline"] = [b.to_dict() for b in self.borderline]
        return data

    def _stage_dict(self) -> dict[str, Any]:
        return {
            "instrument_id": self.instrument_id,
            "instrument_version": self.instrument_version,
            "scoring_version": self.scoring_version,
            "indicator_scores": dict(self.scorecard.indicator_scores),
            "dimension_scores": dict(self.scorecard.dimension_scores),
            "maturity_index": self.scorecard.maturity_index,
            "stage": self.stage.stage.code,
            "met": list(self.stage.met),
            "unmet_next": [
                {
                    "code": g.code,
                    "stage": g.stage.code,
                    "text_zh": g.text_zh,
                    "text_en": g.text_en,
                    "source": g.source,
                }
                for g in self.stage.unmet_next
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AssessmentResult:
        """The result stored by ``to_dict`` (the ``assessment.result`` JSON column); version-1
        JSON (no MIIT keys) loads.

        Raises
        ------
        KeyError
            A field of ``to_dict`` is missing.
        ValueError
            A stage code is not one of "S0".."S3", or the maturity index is not a number.
        """
        miit = data.get("miit")
        return cls(
            miit=MiitResult.from_dict(miit) if miit is not None else None,
            borderline=tuple(Borderline.from_dict(b) for b in data.get("borderline", ())),
            instrument_id=data["instrument_id"],
            instrument_version=data["instrument_version"],
            scoring_version=data["scoring_version"],
            scorecard=ScoreCard(
                indicator_scores=dict(data["indicator_scores"]),
                dimension_scores=dict(data["dimension_scores"]),
                maturity_index=float(data["maturity_index"]),
            ),
            stage=StageResult(
                stage=Stage.from_code(data["stage"]),
                met=tuple(data["met"]),
                unmet_next=tuple(
                    Gate(
                        g["code"],
                        Stage.from_code(g["stage"]),
                        g["text_zh"],
                        g["text_en"],
                        g["source"],
                    )
                    for g in data["unmet_next"]
                ),
            ),
        )


class TitledTask:
    """A task's ``title`` and ``detail`` as ``Localised`` values, read from the
    ``title_zh``/``title_en``/``detail_zh``/``detail_en`` fields of the dataclass it is mixed
    into (``Task``, and the task templates of ``assessment.tasks``)."""

    title_zh: str
    title_en: str
    detail_zh: str
    detail_en: str

    title = Bilingual("The task's title in both languages.")
    detail = Bilingual("What the task involves, in both languages.")


@dataclass(frozen=True)
class Task(TitledTask):
    """One entry of the transformation task list (转型任务清单), in prerequisite order."""

    code: str
    title_zh: str
    title_en: str
    detail_zh: str
    detail_en: str
    dimension: str
    gate: str | None
    order: int
