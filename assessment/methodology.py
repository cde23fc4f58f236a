"""The tables of ``docs/methodology.md`` generated from the instrument and the gate table, so
that the document and the code cannot drift apart (a test compares them)."""

from __future__ import annotations

from collections import Counter

from assessment.instrument import load_instrument
from assessment.miit import CONSTRAINED_SCENARIOS, LEVEL_RULES, PARTS, RULE_SOURCE
from assessment.scoring import SCORING_VERSION, SCORING_VERSION_2, score_v2
from assessment.stages import GATES, GateRule
from assessment.stages_v2 import GATES_V2
from assessment.synthetic import synthetic_cohort
from assessment.types import MIIT_LEVEL_LABELS, Instrument, Item, ItemKind, Stage

BEGIN = "<!-- generated:begin (flask --app webapp docs methodology) -->"
END = "<!-- generated:end -->"


def _kinds(instrument: Instrument, dimension: str) -> str:
    items = instrument.items_of(dimension)
    return ", ".join(f"{i.code}{'*' if i.show_if or len(i.applies_to) < 3 else ''}" for i in items)


def methodology_tables(instrument: Instrument, miit_instrument: Instrument | None = None) -> str:
    """Markdown tables: dimensions, indicators (weights, items) and stage gates with sources,
    then the MIIT 2024 tables of ``miit_instrument`` (default: the packaged dmi v2): level
    rule, point table, scenarios and the version-2 stage gates."""
    lines = [
        BEGIN,
        "",
        f"Instrument `{instrument.id}-v{instrument.version}`, scoring version {SCORING_VERSION}: "
        f"{len(instrument.dimensions)} dimensions, "
        f"{sum(len(d.indicators) for d in instrument.dimensions)} indicators, "
        f"{len(instrument.items)} items (* = shown only to some enterprises: skip logic).",
        "",
        "| dimension | 维度 | English | weight | items |",
        "|---|---|---|---|---|",
    ]
    for d in instrument.dimensions:
        lines.append(
            f"| {d.code} | {d.name_zh} | {d.name_en} | {d.weight:g} | {_kinds(instrument, d.code)} |"
        )
    lines += [
        "",
        "| indicator | 指标 | English | weight within dimension | items |",
        "|---|---|---|---|---|",
    ]
    for d in instrument.dimensions:
        for ind in d.indicators:
            codes = ", ".join(i.code for i in ind.items)
            lines.append(
                f"| {ind.code} | {ind.name_zh} | {ind.name_en} | {ind.weight:g} | {codes} |"
            )
    lines += ["", *_gate_table("gate", GATES)]
    lines += ["", *miit_tables(miit_instrument or load_instrument("dmi", "2")), "", END]
    return "\n".join(lines)


def _rule_of(item: Item) -> str:
    if item.kind == ItemKind.FIGURE and item.denominator:
        bands = ", ".join(f">{t:g}% {v:g}" for t, v in item.bands)
        return f"{item.code} / {item.denominator} in %: {bands}"
    if item.kind == ItemKind.FIGURE and item.previous:
        return f"vs {item.previous}, {item.better} is better: worse 0, flat 0.5, better 1"
    if item.kind == ItemKind.NUMBER:
        return "bands " + ", ".join(f">={t:g} {v:g}" for t, v in item.bands)
    values = ", ".join(f"{o.code} {o.value:g}" for o in item.options if o.code != "none")
    return ("sum of " if item.kind == ItemKind.MULTI else "") + values


def miit_tables(instrument: Instrument) -> list[str]:
    """Markdown lines: the MIIT level rule, point table and scenarios of ``instrument``, and the
    version-2 stage gates."""
    lines = [
        f"Instrument `{instrument.id}-v{instrument.version}`, scoring version {SCORING_VERSION_2}: "
        f"MIIT 2024 level. Source of the rule: {RULE_SOURCE}.",
        "",
        "| MIIT level | 等级 | score at least | scenarios at or above level | of them constrained |",
        "|---|---|---|---|---|",
    ]
    for r in LEVEL_RULES:
        zh, en = MIIT_LEVEL_LABELS[r.level]
        lines.append(
            f"| {en} | {zh} | {r.min_score:g} | {r.scenarios} at L{r.scenario_level} | "
            f"{r.constrained} |"
        )
    lines += [
        "",
        "| item | part (max) | points | value rule (points = points x value) |",
        "|---|---|---|---|",
    ]
    for item in instrument.items:
        if item.points:
            part = f"{item.dimension} ({PARTS[item.dimension]:g})"
            lines.append(f"| {item.code} | {part} | {item.points:g} | {_rule_of(item)} |")
    lines += ["", "| scenario | 场景 | English | item | constrained |", "|---|---|---|---|---|"]
    for dim in instrument.dimensions:
        for ind in dim.indicators:
            for item in ind.items:
                if item.scenario:
                    star = "★" if item.scenario in CONSTRAINED_SCENARIOS else ""
                    lines.append(
                        f"| {item.scenario} | {ind.name_zh} | {ind.name_en} | {item.code} | "
                        f"{star} |"
                    )
    return [*lines, "", *_gate_table("v2 gate", GATES_V2)]


def _gate_table(title: str, rules: tuple[GateRule, ...]) -> list[str]:
    """Markdown table lines: one row per gate (code, stage, both texts, source)."""
    lines = [f"| {title} | stage | 条件 | condition | source |", "|---|---|---|---|---|"]
    for rule in rules:
        g = rule.gate
        lines.append(
            f"| {g.code} | {g.stage.code} {g.stage.label_zh} | {g.text_zh} | {g.text_en} | "
            f"{g.source} |"
        )
    return lines


def replace_block(document: str, begin: str, end: str, replacement: str) -> str:
    """``document`` with everything from the marker ``begin`` up to (not including) the marker
    ``end`` replaced by ``replacement`` (which should start with ``begin`` to keep the block
    findable): how every generated block in ``docs/`` is rewritten.

    Raises
    ------
    ValueError
        The document has no such block (a marker missing, or ``end`` before ``begin``).
    """
    start, stop = document.find(begin), document.find(end)
    if start < 0 or stop < start:
        raise ValueError("the document has no generated block")
    return document[:start] + replacement + document[stop:]


def replace_generated(document: str, tables: str) -> str:
    """``document`` with its generated block replaced by ``tables`` (``methodology_tables``).

    Raises
    ------
    ValueError
        The document has no generated block.
    """
    return replace_block(document, BEGIN, END, tables.removesuffix(END))


def v2_cohort_summary(n: int = 1000, seed: int = 7) -> str:
    """Markdown: stage x MIIT level counts on a synthetic v2 cohort, stage and level shares,
    and for each stage gate how often it is the only unmet gate of the next stage.

    Slow (about 30 ms per firm, borderline search included); the methodology document quotes
    its output for n = 1000, seed = 7.
    """
    instrument = load_instrument("dmi", "2")
    cross: Counter[tuple[str, int]] = Counter()
    sole: Counter[str] = Counter()
    below: Counter[str] = Counter()
    borderline: Counter[str] = Counter()
    for firm in synthetic_cohort(instrument, n, seed):
        result = score_v2(instrument, firm.profile, firm.responses)
        assert result.miit is not None  # scoring version 2 always assesses the MIIT level
        stage = result.stage.stage
        cross[(stage.code, result.miit.level)] += 1
        for kind in {b.classification for b in result.borderline}:
            borderline[kind] += 1
        if stage.next is not None:
            below[stage.next.code] += 1
            if len(result.stage.unmet_next) == 1:
                sole[result.stage.unmet_next[0].code] += 1
    stages = [s.code for s in Stage]
    header = " | ".join(MIIT_LEVEL_LABELS[level][0] for level in range(5))
    lines = [f"| stage \\ MIIT | {header} | total |", "|---|---|---|---|---|---|---|"]
    for code in stages:
        row = [cross[(code, level)] for level in range(5)]
        lines.append(f"| {code} | {' | '.join(str(c) for c in row)} | {sum(row)} |")
    totals = [sum(cross[(code, level)] for code in stages) for level in range(5)]
    lines.append(f"| total | {' | '.join(str(c) for c in totals)} | {n} |")
    lines += [
        "",
        "| v2 gate | sole unmet gate of the next stage (firms) | firms below that stage |",
    ]
    lines.append("|---|---|---|")
    for rule in GATES_V2:
        code = rule.gate.code
        lines.append(f"| {code} | {sole[code]} | {below[rule.gate.stage.code]} |")
    lines += [
        "",
        f"Borderline (one answer from another class): stage {borderline['stage']}, "
        f"MIIT level {borderline['miit']} of {n} firms.",
    ]
    return "\n".join(lines)
