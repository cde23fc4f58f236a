"""Service packages (服务包): what an enabling centre offers a group of firms on one path.

Catalogue data, one package per rule-based transformation path (``assessment.paths``): the steps
a centre runs with the group and the kinds of products it brings in. A centre refers a whole
group to a package in one action; each firm gets its own referral (target kind ``package``).
The steps follow the domain review (§4 "rule-based path segments tied to service packages", §3
advice for firms B-E) and MIIT 2024's scenario descriptors (the next level of the lagging
links); the group form is the 链式 (chain) transformation of the pilot-city programme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.localised import Localised, Named
from assessment.paths import PathCode


@dataclass(frozen=True)
class ServicePackage(Named):
    """A package: ``code`` (stable, stored on referrals), bilingual name, the ``path`` it serves,
    its ``steps`` in order and the ``products`` it draws on."""

    code: str
    name_zh: str
    name_en: str
    path: PathCode
    steps: tuple[Localised, ...]
    products: Localised


PACKAGES: tuple[ServicePackage, ...] = (
    ServicePackage(
        "pkg-integration",
        "系统打通服务包",
        "Connect-the-systems package",
        PathCode.ISLANDS,
        (
            Localised("梳理物料、客户、供应商主数据并统一编码", "Clean and code master data"),
            Localised(
                "财务、采购、库存、销售系统接口打通",
                "Interfaces between finance, purchasing, stock and sales systems",
            ),
            Localised("上线经营看板", "A management dashboard"),
        ),
        Localised(
            "ERP 集成、主数据治理、数据中台（轻量）", "ERP integration, master data, light BI"
        ),
    ),
    ServicePackage(
        "pkg-shopfloor",
        "车间数字化服务包",
        "Shop-floor package",
        PathCode.FRONT_OFFICE,
        (
            Localised("订单到车间的计划排产上系统", "Planning from order to shop floor"),
            Localised("报工、质检扫码上线", "Scanned job and quality reporting"),
            Localised("销售与生产、库存数据协同", "Sales linked to production and stock"),
        ),
        Localised("轻量 MES、APS 排产、扫码报工", "Light MES, scheduling, scanned reporting"),
    ),
    ServicePackage(
        "pkg-connect",
        "设备联网与数据采集服务包",
        "Machine connection and data package",
        PathCode.EQUIPMENT_FIRST,
        (
            Localised("车间工控网络与设备联网", "Shop-floor network and machine connection"),
            Localised("设备状态、产量、能耗自动采集", "Automatic machine, output and energy data"),
            Localised("设备管理与 OEE 看板", "Equipment management and OEE board"),
        ),
        Localised(
            "工业网关、SCADA/IoT 平台、设备管理系统", "Gateways, SCADA/IoT, equipment systems"
        ),
    ),
    ServicePackage(
        "pkg-leadership",
        "数字化领导力服务包",
        "Digital leadership package",
        PathCode.ORGANISATION,
        (
            Localised("一把手数字化诊断与规划工作坊", "Owner workshop: diagnosis and plan"),
            Localised("指定负责人并建立考核", "A named lead with targets"),
            Localised("首个改造项目立项", "The first project approved"),
        ),
        Localised("咨询诊断、数字化人才培训", "Consulting diagnosis, digital skills training"),
    ),
    ServicePackage(
        "pkg-chain",
        "订单链延伸服务包",
        "Order-chain extension package",
        PathCode.ORDER_DRIVEN,
        (
            Localised(
                "把已打通的订单链延伸到质量、仓储和财务",
                "Extend the order chain to quality, warehouse and finance",
            ),
            Localised(
                "与链主客户、供应商数据对接", "Data exchange with chain customers and suppliers"
            ),
            Localised("申报二级/三级现场评定", "Apply for the level 2/3 on-site rating"),
        ),
        Localised("SRM/EDI、QMS、WMS", "SRM/EDI, QMS, WMS"),
    ),
    ServicePackage(
        "pkg-basics",
        "数字化起步服务包",
        "Getting-started package",
        PathCode.BALANCED,
        (
            Localised("财务、进销存上云", "Finance and stock on a cloud system"),
            Localised("协同办公与移动审批", "Collaboration and mobile approvals"),
            Localised("按自评报告补齐六个场景到二级", "Six scenarios to level 2 by the report"),
        ),
        Localised("云 ERP、协同办公 SaaS", "Cloud ERP, collaboration SaaS"),
    ),
)
PACKAGES_BY_CODE: Mapping[str, ServicePackage] = {p.code: p for p in PACKAGES}
PACKAGE_FOR_PATH: Mapping[PathCode, ServicePackage] = {p.path: p for p in PACKAGES}
