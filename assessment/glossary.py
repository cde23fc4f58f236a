"""Plain-word explanations of the technical terms the questionnaire uses (ERP, MES, 工业互联网平台,
数字孪生 ...), Chinese first, shown next to every question that mentions them.

The instrument file explains each question (``help_zh``/``help_en``); this table explains the
*terms*, once, so a term that appears on several pages (MES is in production, integration and
options elsewhere) is explained wherever it appears without repeating it in the published,
immutable instrument files. Wording follows the MIIT 中小企业数字化水平评测指标 (2024) glossary
where it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assessment.localised import Localised
from assessment.types import Item


@dataclass(frozen=True)
class Term:
    """One glossary entry; ``term`` is matched as written (Latin acronyms as whole words)."""

    term: str
    zh: str
    en: str

    @property
    def heading(self) -> Localised:
        """The term as a page names it: as written, except that English names a Chinese term
        by the English name that opens ``en`` ("Digital twin: ...")."""
        english = self.term if self.term.isascii() else self.en.split(": ", 1)[0]
        return Localised(self.term, english)

    @property
    def explanation(self) -> Localised:
        """The explanation, without repeating a name that ``heading`` shows."""
        if self.term.isascii():
            return Localised(self.zh, self.en)  # opens with the expansion of the acronym
        rest = self.en.split(": ", 1)[-1]
        return Localised(self.zh, rest[:1].upper() + rest[1:])


TERMS: tuple[Term, ...] = (
    Term(
        "ERP",
        "企业资源计划系统：把财务、采购、库存、生产、销售放在一个系统里管理的软件。",
        "Enterprise resource planning: one system for finance, purchasing, stock, production and sales.",
    ),
    Term(
        "MES",
        "制造执行系统：管理车间派工、报工、在制品、进度和质量，连接 ERP 和设备。",
        "Manufacturing execution system: runs the shop floor (dispatching, reporting, work in progress, quality) between ERP and machines.",
    ),
    Term(
        "CRM",
        "客户关系管理系统：记录客户、商机、报价和订单。",
        "Customer relationship management: customers, leads, quotes and orders in one place.",
    ),
    Term(
        "SCM",
        "供应链管理系统：管理供应商、询价、采购订单和交期。",
        "Supply chain management: suppliers, quotations, purchase orders and delivery dates.",
    ),
    Term(
        "WMS",
        "仓储管理系统：用条码或 RFID 管理库位、出入库和盘点。",
        "Warehouse management system: bins, goods in and out and stocktaking with barcodes or RFID.",
    ),
    Term(
        "OA",
        "协同办公系统：线上审批、公告、文档共享和会议，如钉钉、企业微信、飞书。",
        "Office automation: online approvals, notices, shared documents and meetings (e.g. DingTalk, WeCom, Feishu).",
    ),
    Term(
        "APS",
        "高级计划排程：按订单、产能和物料自动排出生产顺序的软件。",
        "Advanced planning and scheduling: software that sequences production from orders, capacity and materials.",
    ),
    Term(
        "PLM",
        "产品生命周期管理：统一管理产品从设计到停产的图纸、物料清单和变更。",
        "Product lifecycle management: drawings, bills of materials and changes from design to end of life.",
    ),
    Term(
        "PDM",
        "产品数据管理：集中保存图纸、物料清单和版本。",
        "Product data management: one store for drawings, bills of materials and versions.",
    ),
    Term(
        "CAD",
        "计算机辅助设计：在电脑上画二维图纸或三维模型的软件。",
        "Computer-aided design: software for 2D drawings and 3D models.",
    ),
    Term(
        "QMS",
        "质量管理系统：记录检验结果、统计不良并追溯原因。",
        "Quality management system: inspection records, defect statistics and root causes.",
    ),
    Term(
        "SPC",
        "统计过程控制：用统计图表监控生产过程是否稳定。",
        "Statistical process control: charts that show whether a process stays stable.",
    ),
    Term(
        "BI",
        "商业智能：把各系统数据汇总成图表和看板，辅助决策。",
        "Business intelligence: dashboards that bring data from several systems together for decisions.",
    ),
    Term(
        "DCMM",
        "数据管理能力成熟度评估模型（GB/T 36073），评价企业管理数据的水平。",
        "Data management capability maturity model (GB/T 36073), a national standard for rating data management.",
    ),
    Term(
        "PLC",
        "可编程逻辑控制器：控制机器和产线动作的工业电脑。",
        "Programmable logic controller: the industrial computer that drives machines and lines.",
    ),
    Term(
        "AGV",
        "自动导引车：按设定路线自动搬运物料的小车。",
        "Automated guided vehicle: a cart that moves material along set routes by itself.",
    ),
    Term(
        "RFID",
        "射频识别：不用扫码、靠无线电读取标签信息。",
        "Radio-frequency identification: tags read by radio, without scanning a barcode.",
    ),
    Term(
        "5G",
        "第五代移动通信：高速、低时延的无线网络，可连接移动设备和高清视频检测。",
        "Fifth-generation mobile network: fast, low-latency wireless for moving equipment and video inspection.",
    ),
    Term(
        "工业互联网平台",
        "把设备、系统和企业连接起来，汇集数据并提供各种工业应用的云平台。",
        "Industrial internet platform: a cloud platform that connects machines, systems and companies, collects data and offers industrial apps.",
    ),
    Term(
        "工业 APP",
        "运行在工业互联网平台上、解决某个具体生产或管理问题的小应用。",
        "Industrial app: a small application on an industrial internet platform for one production or management task.",
    ),
    Term(
        "数字孪生",
        "在电脑中建立与实际产线或产品同步运行的虚拟模型，用来模拟、预测和优化。",
        "Digital twin: a virtual model that runs in step with a real line or product, to simulate, predict and optimise.",
    ),
    Term(
        "上云",
        "把软件、数据或设备连接放到云服务商的平台上，按需付费，不用自建机房。",
        "Moving to the cloud: software, data or machine connections run on a cloud provider, paid by use, with no server room of your own.",
    ),
    Term(
        "主数据",
        "物料、客户、供应商等在各系统中共用的基础数据，需要统一编码。",
        "Master data: materials, customers, suppliers and other records shared by all systems, with one coding.",
    ),
    Term(
        "信息孤岛",
        "各系统单独使用，同一数据要在多个系统重复录入。",
        "Information silos: systems used separately, so the same data is typed into several of them.",
    ),
)


def _pattern(term: str) -> re.Pattern[str]:
    # Latin acronyms must stand alone ("OA" is not in "BOARD"); Chinese terms match anywhere.
    if term.isascii():
        return re.compile(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])")
    return re.compile(re.escape(term))


_PATTERNS = tuple((t, _pattern(t.term)) for t in TERMS)


def terms_in(text: str) -> list[Term]:
    """Glossary terms that occur in ``text``, in glossary order, each once."""
    return [t for t, pattern in _PATTERNS if pattern.search(text)]


def terms_for_item(item: Item) -> list[Term]:
    """Terms used by an item's Chinese or English text and options (what the user reads)."""
    words = " ".join(
        [item.text_zh, item.text_en]
        + [o.text_zh for o in item.options]
        + [o.text_en for o in item.options]
    )
    return terms_in(words)
