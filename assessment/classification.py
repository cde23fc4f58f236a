"""Classification rules: industry divisions and clusters, size class, 规上, and Dongguan's towns."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.localised import Named
from assessment.types import IndustryCluster, SizeClass

#: GB/T 4754-2017 section C (manufacturing), divisions 13-43: code -> (中文, English).
MANUFACTURING_DIVISIONS: dict[str, tuple[str, str]] = {
    "C13": ("农副食品加工业", "Agricultural and sideline food processing"),
    "C14": ("食品制造业", "Food manufacturing"),
    "C15": ("酒、饮料和精制茶制造业", "Liquor, beverages and refined tea"),
    "C16": ("烟草制品业", "Tobacco products"),
    "C17": ("纺织业", "Textiles"),
    "C18": ("纺织服装、服饰业", "Textile garments and apparel"),
    "C19": ("皮革、毛皮、羽毛及其制品和制鞋业", "Leather, fur, feathers and footwear"),
    "C20": ("木材加工和木、竹、藤、棕、草制品业", "Wood, bamboo, rattan, palm and straw products"),
    "C21": ("家具制造业", "Furniture"),
    "C22": ("造纸和纸制品业", "Paper and paper products"),
    "C23": ("印刷和记录媒介复制业", "Printing and reproduction of recorded media"),
    "C24": ("文教、工美、体育和娱乐用品制造业", "Stationery, crafts, sports and toys"),
    "C25": ("石油、煤炭及其他燃料加工业", "Petroleum, coal and other fuel processing"),
    "C26": ("化学原料和化学制品制造业", "Chemical raw materials and products"),
    "C27": ("医药制造业", "Pharmaceuticals"),
    "C28": ("化学纤维制造业", "Chemical fibres"),
    "C29": ("橡胶和塑料制品业", "Rubber and plastic products"),
    "C30": ("非金属矿物制品业", "Non-metallic mineral products"),
    "C31": ("黑色金属冶炼和压延加工业", "Ferrous metal smelting and rolling"),
    "C32": ("有色金属冶炼和压延加工业", "Non-ferrous metal smelting and rolling"),
    "C33": ("金属制品业", "Metal products"),
    "C34": ("通用设备制造业", "General-purpose equipment"),
    "C35": ("专用设备制造业", "Special-purpose equipment"),
    "C36": ("汽车制造业", "Automobiles"),
    "C37": (
        "铁路、船舶、航空航天和其他运输设备制造业",
        "Railway, ship, aerospace and other transport equipment",
    ),
    "C38": ("电气机械和器材制造业", "Electrical machinery and equipment"),
    "C39": ("计算机、通信和其他电子设备制造业", "Computers, communication and other electronics"),
    "C40": ("仪器仪表制造业", "Instruments and meters"),
    "C41": ("其他制造业", "Other manufacturing"),
    "C42": ("废弃资源综合利用业", "Recycling of waste resources"),
    "C43": ("金属制品、机械和设备修理业", "Repair of metal products, machinery and equipment"),
}

#: Divisions of the plan's five clusters (Dongguan plan 2022-2025 四 (四) and 专栏4). 高端装备
#: takes the equipment divisions the plan names for SME pilots (通用和专用设备制造、电气机械和器材
#: 制造, 四 (三) 2) plus transport equipment and instruments; 纺织服装 takes footwear and
#: leather (C19), which Dongguan's apparel towns produce alongside garments.
CLUSTER_DIVISIONS: dict[IndustryCluster, frozenset[str]] = {
    IndustryCluster.ELECTRONICS: frozenset({"C39"}),
    IndustryCluster.EQUIPMENT: frozenset({"C34", "C35", "C36", "C37", "C38", "C40"}),
    IndustryCluster.TEXTILES: frozenset({"C17", "C18", "C19"}),
    IndustryCluster.FOOD: frozenset({"C13", "C14", "C15"}),
    IndustryCluster.FURNITURE: frozenset({"C21"}),
}


def cluster_for_industry(industry_code: str) -> IndustryCluster:
    """The plan's cluster of a GB/T 4754-2017 division; ``OTHER`` outside the five.

    Raises
    ------
    ValueError
        ``industry_code`` is not a manufacturing division C13-C43.
    """
    if industry_code not in MANUFACTURING_DIVISIONS:
        raise ValueError(f"not a manufacturing division: {industry_code!r}")
    for cluster, divisions in CLUSTER_DIVISIONS.items():
        if industry_code in divisions:
            return cluster
    return IndustryCluster.OTHER


#: Industry row of 统计上大中小微型企业划分办法(2017) (国统字〔2017〕213号): lower bounds of
#: employees (persons) and revenue (万元) for each class, largest first. Large, medium and small
#: must reach BOTH bounds, else they fall one class; micro is everything below small.
SIZE_BOUNDS_INDUSTRY: tuple[tuple[SizeClass, int, float], ...] = (
    (SizeClass.LARGE, 1000, 40000.0),
    (SizeClass.MEDIUM, 300, 2000.0),
    (SizeClass.SMALL, 20, 300.0),
)

#: 规模以上工业企业: annual main-business revenue of 2000 万元 or more (国家统计局, since 2011).
ABOVE_SCALE_REVENUE_WAN = 2000.0


def size_class(industry_code: str, employees: int, revenue_wan: float) -> SizeClass:
    """Size class of an industrial enterprise.

    Parameters
    ----------
    industry_code : str
        GB/T 4754-2017 division; every manufacturing division uses the 工业 row.
    employees : int
        从业人员 (persons), >= 0.
    revenue_wan : float
        营业收入 in 万元 (10,000 CNY), >= 0.

    Raises
    ------
    ValueError
        Negative figures or an unknown division.
    """
    if industry_code not in MANUFACTURING_DIVISIONS:
        raise ValueError(f"not a manufacturing division: {industry_code!r}")
    if employees < 0 or revenue_wan < 0:
        raise ValueError("employees and revenue must not be negative")
    for cls, min_employees, min_revenue in SIZE_BOUNDS_INDUSTRY:
        if employees >= min_employees and revenue_wan >= min_revenue:
            return cls
    return SizeClass.MICRO


def is_above_scale(revenue_wan: float) -> bool:
    """规上: revenue >= 2000 万元."""
    return revenue_wan >= ABOVE_SCALE_REVENUE_WAN


@dataclass(frozen=True)
class Classification:
    """What an enterprise's industry, headcount and revenue make it.

    ``cluster`` is the plan cluster of the division (``cluster_for_industry``), ``size_class``
    the 2017 industry size class (``size_class``), ``above_scale`` whether it is 规上
    (``is_above_scale``).
    """

    cluster: IndustryCluster
    size_class: SizeClass
    above_scale: bool


def classify(industry_code: str, employees: int, revenue_wan: float) -> Classification:
    """Cluster, size class and 规上 of an enterprise: the one derivation every profile uses.

    The figures are those of ``size_class`` (division "C13".."C43", persons, 万元), which raises
    ``ValueError`` for an unknown division or negative figures.
    """
    return Classification(
        cluster=cluster_for_industry(industry_code),
        size_class=size_class(industry_code, employees, revenue_wan),
        above_scale=is_above_scale(revenue_wan),
    )


@dataclass(frozen=True)
class Town(Named):
    """A town (镇), street (街道) or functional park of Dongguan; ``code`` is its pinyin."""

    code: str
    name_zh: str
    name_en: str
    kind: str  # "street" | "town" | "park"


TOWNS: tuple[Town, ...] = (
    Town("guancheng", "莞城街道", "Guancheng", "street"),
    Town("nancheng", "南城街道", "Nancheng", "street"),
    Town("dongcheng", "东城街道", "Dongcheng", "street"),
    Town("wanjiang", "万江街道", "Wanjiang", "street"),
    Town("songshanhu", "松山湖", "Songshan Lake", "park"),
    Town("binhaiwan", "滨海湾新区", "Binhai Bay New Area", "park"),
    Town("shijie", "石碣镇", "Shijie", "town"),
    Town("shilong", "石龙镇", "Shilong", "town"),
    Town("chashan", "茶山镇", "Chashan", "town"),
    Town("shipai", "石排镇", "Shipai", "town"),
    Town("qishi", "企石镇", "Qishi", "town"),
    Town("hengli", "横沥镇", "Hengli", "town"),
    Town("qiaotou", "桥头镇", "Qiaotou", "town"),
    Town("xiegang", "谢岗镇", "Xiegang", "town"),
    Town("dongkeng", "东坑镇", "Dongkeng", "town"),
    Town("changping", "常平镇", "Changping", "town"),
    Town("liaobu", "寮步镇", "Liaobu", "town"),
    Town("zhangmutou", "樟木头镇", "Zhangmutou", "town"),
    Town("dalang", "大朗镇", "Dalang", "town"),
    Town("huangjiang", "黄江镇", "Huangjiang", "town"),
    Town("qingxi", "清溪镇", "Qingxi", "town"),
    Town("tangxia", "塘厦镇", "Tangxia", "town"),
    Town("fenggang", "凤岗镇", "Fenggang", "town"),
    Town("dalingshan", "大岭山镇", "Dalingshan", "town"),
    Town("changan", "长安镇", "Chang'an", "town"),
    Town("humen", "虎门镇", "Humen", "town"),
    Town("houjie", "厚街镇", "Houjie", "town"),
    Town("shatian", "沙田镇", "Shatian", "town"),
    Town("daojiao", "道滘镇", "Daojiao", "town"),
    Town("hongmei", "洪梅镇", "Hongmei", "town"),
    Town("machong", "麻涌镇", "Machong", "town"),
    Town("wangniudun", "望牛墩镇", "Wangniudun", "town"),
    Town("zhongtang", "中堂镇", "Zhongtang", "town"),
    Town("gaobu", "高埗镇", "Gaobu", "town"),
)
TOWN_CODES = frozenset(t.code for t in TOWNS)

#: Core towns of each cluster named in the plan, 四 (四) 1-5.
CLUSTER_TOWNS: dict[IndustryCluster, tuple[str, ...]] = {
    IndustryCluster.ELECTRONICS: ("changan", "songshanhu"),
    IndustryCluster.EQUIPMENT: ("songshanhu", "xiegang"),
    IndustryCluster.FOOD: ("machong", "chashan", "daojiao"),
    IndustryCluster.TEXTILES: ("humen", "dalang"),
    IndustryCluster.FURNITURE: ("houjie", "dalingshan"),
}
