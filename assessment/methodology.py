"""The tables of ``docs/methodology.md`` generated from the instrument and the gate table, so
that the document and the code cannot drift apart (a test compares them)."""

from __future__ import annotations

from assessment.scoring import SCORING_VERSION
from assessment.stages import GATES
from assessment.types import Instrument

BEGIN = "<!-- generated:begin (flask --app webapp docs methodology) -->"
END = "<!-- generated:end -->"


def _kinds(instrument: Instrument, dimension: str) -> str:
    items = instrument.items_of(dimension)
    return ", ".join(f"{i.code}{'*' if i.show_if or len(i.applies_to) < 3 else ''}" for i in items)


def methodology_tables(instrument: Instrument) -> str:
    """Markdown tables: dimensions, indicators (weights, items) and stage gates with sources."""
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
    lines += ["", "| gate | stage | 条件 | condition | source |", "|---|---|---|---|---|"]
    for rule in GATES:
        g = rule.gate
        lines.append(
            f"| {g.code} | {g.stage.code} {g.stage.label_zh} | {g.text_zh} | {g.text_en} | {g.source} |"
        )
    lines += ["", END]
    return "\n".join(lines)


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
