"""Consistency checks: answers that contradict each other.

They are asked back to the owner as gentle questions before submit, stored with the assessment
and shown to centre staff; they never block a submit (a contradiction may be real, or a
misreading of a question - either way a person should look). Rules are data, one table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assessment.conditions import Facts, level
from assessment.instrument import is_applicable
from assessment.localised import Bilingual
from assessment.types import EnterpriseProfile, Instrument, Responses


@dataclass(frozen=True)
class ConsistencyWarning:
    """A pair (or more) of answers that do not fit together, phrased as a question."""

    code: str
    items: tuple[str, ...]
    text_zh: str
    text_en: str

    text = Bilingual("The question to the enterprise, in both languages.")


def _number(facts: Facts, code: str) -> float | None:
    value = facts.responses.get(code)
    return float(value) if isinstance(value, int | float) else None


def _chosen(facts: Facts, code: str) -> set[str]:
    value = facts.responses.get(code)
    return set(value) - {"none"} if isinstance(value, tuple) else set()


@dataclass(frozen=True)
class Rule:
    code: str
    items: tuple[str, ...]
    contradiction: Callable[[Facts], bool]
    text_zh: str
    text_en: str


RULES: tuple[Rule, ...] = (
    Rule(
        "C-MES-ERP",
        ("INT-02", "MGT-01", "MGT-04"),
        lambda f: level(f, "INT-02") >= 3 and level(f, "MGT-01") < 2 and level(f, "MGT-04") < 2,
        "您选择了 MES 与 ERP 自动同步数据，但财务和采购都还没有使用系统。企业是否已经有 ERP？",
        "You say MES and ERP exchange data automatically, yet neither finance nor purchasing "
        "uses a system. Does the enterprise have an ERP?",
    ),
    Rule(
        "C-NET-COLLECT",
        ("DAT-02", "DAT-03"),
        lambda f: (_number(f, "DAT-02") or 0) >= 60 and not _chosen(f, "DAT-03"),
        "大部分关键设备已经联网，但没有任何数据是自动采集的。联网的设备是否在上传数据？",
        "Most key machines are networked, yet no data is collected automatically. Do the "
        "networked machines send their data?",
    ),
    Rule(
        "C-NET-DIGITAL",
        ("DAT-01", "DAT-02"),
        lambda f: (_number(f, "DAT-02") or 0) > (_number(f, "DAT-01") or 0) + 0.001,
        "联网设备的比例高于数字化设备的比例。联网的设备通常也是数字化设备，请再核对一下这两个比例。",
        "The networked share is higher than the digital share; networked machines are usually "
        "digital ones. Please check both shares.",
    ),
    Rule(
        "C-PLATFORM-INTERNAL",
        ("INN-01", "INT-01"),
        lambda f: level(f, "INN-01") >= 4 and level(f, "INT-01") <= 1,
        "企业自建平台为上下游服务，但内部系统之间还靠人工传递数据。平台是否已经与内部系统打通？",
        "Your own platform serves suppliers and customers, yet internal systems still pass data "
        "by hand. Is the platform connected to them?",
    ),
    Rule(
        "C-SUPPLIER-INTERNAL",
        ("INT-04", "INT-01"),
        lambda f: level(f, "INT-04") >= 3 and level(f, "INT-01") <= 1,
        "与供应商系统已对接，但企业内部系统之间还没有集成。订单数据从哪里来？",
        "Your systems are connected to suppliers', yet not to each other. Where do the order "
        "data come from?",
    ),
    Rule(
        "C-MES-MACHINES",
        ("PRO-02", "DAT-02"),
        lambda f: level(f, "PRO-02") >= 3 and (_number(f, "DAT-02") or 0) < 10,
        "MES 与设备自动交换数据，但关键设备联网率不足 10%。请核对设备联网比例。",
        "MES exchanges data with machines automatically, yet under 10% of key machines are "
        "networked. Please check the share.",
    ),
    Rule(
        "C-PREDICTIVE",
        ("PRO-05", "DAT-03"),
        lambda f: level(f, "PRO-05") >= 4 and "machine" not in _chosen(f, "DAT-03"),
        "您选择了预测性维护，但设备运行状态没有自动采集。预测依据的数据从哪里来？",
        "You use predictive maintenance, yet machine states are not collected automatically. "
        "What data do the predictions use?",
    ),
    Rule(
        "C-BI-MASTERDATA",
        ("DAT-05", "DAT-04"),
        lambda f: level(f, "DAT-05") >= 3 and level(f, "DAT-04") <= 0,
        "管理层按数据平台决策，但数据仍散落在个人电脑中。平台的数据来自哪里？",
        "Management decides from a data platform, yet data is scattered over personal "
        "computers. Where does the platform get its data?",
    ),
)


def _rate(facts: Facts, code: str) -> float | None:
    """A machine count as a share (%) of all production machines (FND-02), None if unknown."""
    count, total = _number(facts, code), _number(facts, "FND-02")
    return 100.0 * count / total if count is not None and total else None


def _integrates(facts: Facts) -> bool:
    return any(level(facts, code) >= 3 for code in ("OPS-03", "OPS-11", "OPS-12", "OPS-13"))


#: Instrument version 2: its item codes mean other things than version 1's (INT-02 is MES
#: coverage, INT-04 end-to-end data), so it has its own table.
RULES_V2: tuple[Rule, ...] = (
    Rule(
        "C-DIGITAL-TOTAL",
        ("FND-02", "FND-03"),
        lambda f: (_number(f, "FND-03") or 0) > (_number(f, "FND-02") or 0),
        "数字化设备的台数多于生产设备总数。请再核对设备总数和数字化设备数。",
        "There are more digital machines than machines in total. Please check both counts.",
    ),
    Rule(
        "C-NET-DIGITAL",
        ("FND-03", "FND-04"),
        lambda f: (_number(f, "FND-04") or 0) > (_number(f, "FND-03") or 0),
        "联网设备多于数字化设备。联网的设备通常也是数字化设备，请再核对这两个数。",
        "More machines are networked than digital; networked machines are usually digital "
        "ones. Please check both counts.",
    ),
    Rule(
        "C-NET-COLLECT",
        ("FND-04", "FND-05"),
        lambda f: (_rate(f, "FND-04") or 0) >= 60 and not _chosen(f, "FND-05"),
        "大部分设备已经联网，但没有任何业务环节的数据是自动采集的。联网的设备是否在上传数据？",
        "Most machines are networked, yet no data is collected automatically. Do the networked "
        "machines send their data?",
    ),
    Rule(
        "C-SCENARIO-INTEGRATION",
        ("OPS-03", "OPS-11", "OPS-12", "OPS-13", "INT-01"),
        lambda f: _integrates(f) and 0 <= level(f, "INT-01") <= 1,
        "您选择了销售、采购、仓储或财务与其他系统自动协同，但系统之间的数据仍靠人工传递。请核对“系统之间的数据如何流转”。",
        "You say sales, purchasing, stock or finance work automatically with other systems, "
        "yet data between the systems moves by hand. Please check how data moves between them.",
    ),
    Rule(
        "C-MES-MACHINES",
        ("INT-02", "FND-04"),
        lambda f: level(f, "INT-02") >= 4 and (_rate(f, "FND-04") or 0) < 10,
        "MES 与设备自动交换数据，但联网设备不足 10%。请核对联网设备数。",
        "MES exchanges data with machines automatically, yet under 10% of machines are "
        "networked. Please check the count.",
    ),
    Rule(
        "C-SYSTEMS-COVERAGE",
        ("FND-06",),
        lambda f: (
            level(f, "FND-06") == 0 and any(level(f, f"OPS-{n:02d}") >= 2 for n in range(1, 17))
        ),
        "您选择了没有业务环节使用信息系统，但有业务场景已用系统规范管理。请核对信息系统覆盖的环节数。",
        "You say no business link uses an information system, yet some scenarios are managed "
        "in one. Please check how many links the systems cover.",
    ),
)


#: Rule table by instrument version; versions not listed use ``RULES`` (version 1).
RULES_BY_VERSION: dict[str, tuple[Rule, ...]] = {"2": RULES_V2}


def check_consistency(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> tuple[ConsistencyWarning, ...]:
    """The contradictions among the visible answers, in table order (empty when none); version
    2 of the instrument is checked against ``RULES_V2``, earlier versions against ``RULES``."""
    known = {i.code for i in instrument.items}
    visible = {
        code: value
        for code, value in responses.items()
        if code in known and is_applicable(instrument.item(code), profile, responses)
    }
    facts = Facts(instrument, profile, visible, 0.0, {})
    return tuple(
        ConsistencyWarning(rule.code, rule.items, rule.text_zh, rule.text_en)
        for rule in RULES_BY_VERSION.get(instrument.version, RULES)
        if rule.contradiction(facts)
    )
