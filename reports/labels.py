"""Fixed texts of the PDF report and charts, Chinese first."""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, Any]] = {
    "zh": {
        "product": "制造业数字化转型诊断",
        "title": "数字化转型诊断报告",
        "uscc": "统一社会信用代码",
        "industry": "所属行业",
        "cluster": "产业集群",
        "production_type": "生产类型",
        "size_class": "企业规模",
        "town": "所在镇街",
        "round": "评估批次",
        "assessed_on": "提交日期",
        "summary": "诊断结论",
        "stage": "当前阶段",
        "index": "成熟度指数",
        "ladder": "数字化转型阶段",
        "profile": "各维度得分与同行对比",
        "peer_note": "对标组：{group}，共 {n} 家企业。目标为已处于下一阶段企业的中位水平。",
        "dimension": "维度",
        "you": "本企业",
        "peer_median": "同行中位数",
        "target": "下一阶段目标",
        "percentile": "高于 {p}% 的同类企业",
        "percentile_col": "同类企业百分位",
        "benchmark": "百分位的比较对象：{group}，共 {n} 家。",
        "unmet": "迈向“{stage}”尚未满足的条件",
        "unmet_none": "下一阶段的条件均已满足。",
        "top_stage": "已处于最高阶段，建议巩固成果并发挥示范带动作用。",
        "tasks": "转型任务清单",
        "tasks_none": "暂无待办任务。",
        "task_solutions": "可选方案：",
        "centres": "推荐赋能中心",
        "solutions": "推荐解决方案与费用估算",
        "solution": "方案与服务商",
        "price": "价格区间",
        "estimate": "企业承担（估算）",
        "providers": "推荐服务商",
        "none_matched": "暂无匹配结果。",
        "demo": "演示数据",
        "method": "方法说明",
        "method_text": (
            "阶段依据《东莞市数字经济发展规划（2022—2025年）》四（一）划分，并参照工信部《中小企业"
            "数字化水平评测指标（2024年版）》“总分＋场景条件”的判定方式：企业须满足本阶段及以下各阶段的"
            "全部条件。成熟度指数为各维度得分的加权平均（0-100）。结果基于企业自评，仅供参考。"
        ),
        "versions": "问卷版本 {instrument}，评分模型版本 {scoring}，生成于 {generated}。",
        "page": ("第 ", " 页 / 共 ", " 页"),
    },
    "en": {
        "product": "Manufacturing Digital Transformation Diagnosis",
        "title": "Digital transformation diagnosis report",
        "uscc": "Unified social credit code",
        "industry": "Industry",
        "cluster": "Industry cluster",
        "production_type": "Production type",
        "size_class": "Size class",
        "town": "Town",
        "round": "Round",
        "assessed_on": "Submitted on",
        "summary": "Summary",
        "stage": "Current stage",
        "index": "Maturity index",
        "ladder": "Transformation stages",
        "profile": "Dimension scores against peers",
        "peer_note": "Peer group: {group}, {n} enterprises. The target is the median of enterprises already at the next stage.",
        "dimension": "Dimension",
        "you": "Your enterprise",
        "peer_median": "Peer median",
        "target": "Next-stage target",
        "percentile": "ahead of {p}% of similar enterprises",
        "percentile_col": "Percentile among similar enterprises",
        "benchmark": "Percentiles compare with: {group}, {n} enterprises.",
        "unmet": "Conditions not yet met for \u201c{stage}\u201d",
        "unmet_none": "All conditions of the next stage are met.",
        "top_stage": "At the highest stage: consolidate and lead others by example.",
        "tasks": "Transformation task list",
        "tasks_none": "No tasks for now.",
        "task_solutions": "Possible solutions: ",
        "centres": "Recommended enabling centres",
        "solutions": "Recommended solutions and cost estimates",
        "solution": "Solution and provider",
        "price": "Price band",
        "estimate": "Enterprise pays (estimate)",
        "providers": "Recommended service providers",
        "none_matched": "No match yet.",
        "demo": "demo data",
        "method": "Method",
        "method_text": (
            "Stages follow the Dongguan Digital Economy Plan 2022-2025, chapter 4 (1), decided as in "
            "MIIT's SME digital level evaluation (2024): a score threshold plus capability "
            "conditions, and an enterprise must meet every condition of its stage and the stages "
            "below. The maturity index is the weighted mean of the dimension scores (0-100). "
            "Results rest on the enterprise's self-assessment and are for guidance."
        ),
        "versions": "Instrument {instrument}, scoring model {scoring}, generated {generated}.",
        "page": ("Page ", " of ", ""),
    },
}


def labels(lang: str) -> dict[str, Any]:
    """The label set for ``lang``; anything but "en" gets Chinese."""
    return LABELS["en" if lang == "en" else "zh"]
