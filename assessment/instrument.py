"""Load, validate and read the questionnaire (instrument) files in ``assessment/instruments``.

An instrument file is TOML (see ``dmi-v1.toml`` for the format). Published files never change;
``load_instrument`` parses each once per process.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from assessment.errors import InstrumentVersionError, InvalidResponseError
from assessment.types import (
    Better,
    Dimension,
    EnterpriseProfile,
    Indicator,
    IndustryCluster,
    Instrument,
    Item,
    ItemKind,
    Option,
    ProductionType,
    Responses,
    ShowIf,
)

INSTRUMENT_DIR = Path(__file__).resolve().parent / "instruments"
#: The packaged version new assessments start on when nothing was published after deployment.
#: Version 2 (the MIIT 2024 indicator system, issue 14) since its web phase; an assessment keeps
#: the version it was started on, so v1 drafts and results stay on v1.
CURRENT = ("dmi", "2")
#: The option code that means "none of these" in multiple-choice items; it stands alone.
NONE_OPTION = "none"
#: The answer to a figure that means "don't know" (the page's 不清楚 box, the API's string):
#: answered, and valued as MIIT values a figure the firm cannot state (0, ``miit.figure_value``).
UNKNOWN = "unknown"
_ALL_TYPES = frozenset(ProductionType)


def read_instrument_file(
    instrument_id: str, version: str, directory: Path = INSTRUMENT_DIR
) -> Instrument:
    """Parse ``<directory>/<instrument_id>-v<version>.toml`` (not cached).

    Raises
    ------
    InstrumentVersionError
        An id that is not an identifier or a version that is not a whole number (so no path
        can leave ``directory``), no such file, a malformed file (the message says where), or a
        file that declares another id or version than its name.
    """
    if not instrument_id.isidentifier() or not version.isdigit():
        raise InstrumentVersionError(f"no instrument {instrument_id} version {version}")
    path = directory / f"{instrument_id}-v{version}.toml"
    if not path.is_file():
        raise InstrumentVersionError(f"no instrument {instrument_id} version {version}")
    instrument = parse_instrument(path.read_text(encoding="utf-8"))
    if (instrument.id, instrument.version) != (instrument_id, version):
        raise InstrumentVersionError(f"{path.name} declares {instrument.id} v{instrument.version}")
    return instrument


def packaged_versions(instrument_id: str, directory: Path = INSTRUMENT_DIR) -> list[str]:
    """The versions of ``instrument_id`` shipped as files in ``directory``, oldest first."""
    prefix = f"{instrument_id}-v"
    names = (p.stem for p in directory.glob(f"{prefix}*.toml"))
    return sorted((n[len(prefix) :] for n in names if n[len(prefix) :].isdigit()), key=int)


@cache
def load_instrument(instrument_id: str = CURRENT[0], version: str = CURRENT[1]) -> Instrument:
    """The packaged instrument ``assessment/instruments/<instrument_id>-v<version>.toml``.

    Packaged files never change, so each is parsed once per process (a memo of a pure read,
    not a registry: versions published after deployment are not seen here; the web layer's
    ``InstrumentRegistry`` serves those).

    Raises
    ------
    InstrumentVersionError
        As ``read_instrument_file``.
    """
    return read_instrument_file(instrument_id, version)


def current_instrument() -> Instrument:
    """The packaged version ``CURRENT`` (what new assessments start on when no later version was
    published after deployment)."""
    return load_instrument(*CURRENT)


def parse_instrument(text: str) -> Instrument:
    """Parse and validate instrument TOML.

    Raises
    ------
    InstrumentVersionError
        Invalid TOML, a missing field, a duplicate code (dimension, indicator, item, or option
        within an item), a weight that is not positive, an option value outside [0, 1], numeric
        bounds or bands out of order, or a ``show_if`` that refers to an unknown item, a later
        item or an unknown option. Version-2 fields: a ``denominator`` or ``previous`` that is
        not an earlier figure, ``bands`` on a figure without a denominator, ``better`` without
        ``previous`` (or the reverse), ``points`` that are not positive, ``scenario`` on an item
        that is not single choice, ``constrained`` without ``scenario``, or an unknown
        ``cluster``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentVersionError(f"not valid TOML: {exc}") from exc
    try:
        dimensions = tuple(_dimension(d) for d in data["dimensions"])
        instrument = Instrument(
            id=str(data["id"]),
            version=str(data["version"]),
            title_zh=str(data["title_zh"]),
            title_en=str(data["title_en"]),
            minutes=int(data["minutes"]),
            dimensions=dimensions,
            carried_from_version=(
                str(data["carried_from_version"]) if "carried_from_version" in data else None
            ),
        )
    except KeyError as exc:
        raise InstrumentVersionError(f"missing field {exc}") from exc
    _check_codes_and_conditions(instrument)
    return instrument


def _positive(value: Any, where: str) -> float:
    number = float(value)
    if not number > 0:
        raise InstrumentVersionError(f"{where}: weight must be positive, got {value}")
    return number


def _dimension(d: Mapping[str, Any]) -> Dimension:
    code = str(d["code"])
    return Dimension(
        code=code,
        name_zh=d["name_zh"],
        name_en=d["name_en"],
        description_zh=d.get("description_zh", ""),
        description_en=d.get("description_en", ""),
        weight=_positive(d["weight"], code),
        indicators=tuple(_indicator(i, code) for i in d["indicators"]),
        scored=bool(d.get("scored", True)),
    )


def _indicator(i: Mapping[str, Any], dimension: str) -> Indicator:
    code = str(i["code"])
    items = tuple(_item(x, code, dimension) for x in i["items"])
    if not items:
        raise InstrumentVersionError(f"{code}: an indicator needs at least one item")
    return Indicator(
        code, dimension, i["name_zh"], i["name_en"], _positive(i["weight"], code), items
    )


def _item(x: Mapping[str, Any], indicator: str, dimension: str) -> Item:
    code = str(x["code"])
    try:
        kind = ItemKind(x["kind"])
        applies_to = frozenset(ProductionType(p) for p in x.get("applies_to", list(_ALL_TYPES)))
    except ValueError as exc:
        raise InstrumentVersionError(f"{code}: {exc}") from exc
    options = tuple(
        Option(str(o["code"]), o["zh"], o["en"], float(o["value"])) for o in x.get("options", [])
    )
    if len({o.code for o in options}) != len(options):
        raise InstrumentVersionError(f"{code}: duplicate option code")
    for o in options:
        if not 0.0 <= o.value <= 1.0:
            raise InstrumentVersionError(f"{code}/{o.code}: option value {o.value} not in [0, 1]")
    if kind not in (ItemKind.NUMBER, ItemKind.FIGURE) and len(options) < 2:
        raise InstrumentVersionError(f"{code}: a choice item needs at least two options")
    bands = tuple((float(t), float(v)) for t, v in x.get("bands", []))
    minimum = float(x["minimum"]) if "minimum" in x else None
    maximum = float(x["maximum"]) if "maximum" in x else None
    if kind == ItemKind.NUMBER:
        if not bands or [b[0] for b in bands] != sorted(b[0] for b in bands):
            raise InstrumentVersionError(f"{code}: numeric items need ascending bands")
        if any(not 0.0 <= v <= 1.0 for _, v in bands) or [v for _, v in bands] != sorted(
            v for _, v in bands
        ):
            raise InstrumentVersionError(f"{code}: band values must rise within [0, 1]")
        if minimum is not None and maximum is not None and minimum >= maximum:
            raise InstrumentVersionError(f"{code}: minimum must be below maximum")
    extra = _version2_fields(x, code, kind, bands)
    extra.update(_carry_fields(x, code, kind, {o.code for o in options}))
    show_if = None
    if "show_if" in x:
        show_if = ShowIf(str(x["show_if"]["item"]), frozenset(x["show_if"]["values"]))
    return Item(
        code=code,
        indicator=indicator,
        dimension=dimension,
        kind=kind,
        text_zh=x["text_zh"],
        text_en=x["text_en"],
        help_zh=x.get("help_zh", ""),
        help_en=x.get("help_en", ""),
        options=options,
        unit_zh=x.get("unit_zh", ""),
        unit_en=x.get("unit_en", ""),
        minimum=minimum,
        maximum=maximum,
        required=bool(x.get("required", True)),
        applies_to=applies_to,
        show_if=show_if,
        bands=bands,
        **extra,
    )


def _version2_fields(
    x: Mapping[str, Any], code: str, kind: ItemKind, bands: tuple[tuple[float, float], ...]
) -> dict[str, Any]:
    """The item fields that instrument version 2 added, validated (see ``dmi-v2.toml``)."""
    points = _positive(x["points"], code) if "points" in x else None
    scenario = str(x["scenario"]) if "scenario" in x else None
    constrained = bool(x.get("constrained", False))
    if scenario is not None and kind != ItemKind.SINGLE:
        raise InstrumentVersionError(f"{code}: only single-choice items rate a scenario")
    if constrained and scenario is None:
        raise InstrumentVersionError(f"{code}: constrained needs a scenario")
    try:
        cluster = IndustryCluster(x["cluster"]) if "cluster" in x else None
        better = Better(x["better"]) if "better" in x else None
    except ValueError as exc:
        raise InstrumentVersionError(f"{code}: {exc}") from exc
    max_choices = int(x["max_choices"]) if "max_choices" in x else None
    if max_choices is not None and (kind != ItemKind.MULTI or max_choices < 1):
        raise InstrumentVersionError(f"{code}: max_choices needs a multiple-choice item, >= 1")
    denominator = str(x["denominator"]) if "denominator" in x else None
    previous = str(x["previous"]) if "previous" in x else None
    if kind != ItemKind.FIGURE and (denominator or previous):
        raise InstrumentVersionError(f"{code}: only figures have a denominator or previous")
    if (previous is None) != (better is None):
        raise InstrumentVersionError(f"{code}: previous and better go together")
    if kind == ItemKind.FIGURE:
        if bands and denominator is None:
            raise InstrumentVersionError(f"{code}: bands on a figure need a denominator")
        if [b[0] for b in bands] != sorted(b[0] for b in bands) or any(
            not 0.0 <= v <= 1.0 for _, v in bands
        ):
            raise InstrumentVersionError(f"{code}: figure bands must ascend within [0, 1]")
    return {
        "points": points,
        "scenario": scenario,
        "constrained": constrained,
        "cluster": cluster,
        "denominator": denominator,
        "previous": previous,
        "better": better,
        "max_choices": max_choices,
    }


def _carry_fields(
    x: Mapping[str, Any], code: str, kind: ItemKind, option_codes: set[str]
) -> dict[str, Any]:
    """``carried_from`` and ``carried_options`` (see ``dmi-v2.toml``), validated against this
    item; that the earlier version has the named item and options is checked by
    ``assessment.carry_over.check_carry_over``, which needs both versions."""
    carried_from = str(x["carried_from"]) if "carried_from" in x else None
    table = x.get("carried_options", {})
    if not isinstance(table, Mapping):
        raise InstrumentVersionError(f"{code}: carried_options must be a table")
    pairs = tuple((str(old), str(new)) for old, new in table.items())
    if pairs and carried_from is None:
        raise InstrumentVersionError(f"{code}: carried_options needs carried_from")
    if pairs and kind not in (ItemKind.SINGLE, ItemKind.MULTI):
        raise InstrumentVersionError(f"{code}: only choice items map carried options")
    unknown = sorted({new for _, new in pairs} - option_codes)
    if unknown:
        raise InstrumentVersionError(f"{code}: carried_options names unknown options {unknown}")
    return {"carried_from": carried_from, "carried_options": pairs}


def _check_codes_and_conditions(instrument: Instrument) -> None:
    seen: set[str] = set()
    codes = [d.code for d in instrument.dimensions] + [
        i.code for d in instrument.dimensions for i in d.indicators
    ]
    for code in codes:
        if code in seen:
            raise InstrumentVersionError(f"duplicate code {code}")
        seen.add(code)
    earlier: dict[str, Item] = {}
    count = 0
    for dim in instrument.dimensions:
        for ind in dim.indicators:
            for item in ind.items:
                count += 1
                if item.code in earlier or item.code in seen:
                    raise InstrumentVersionError(f"duplicate code {item.code}")
                for ref in (item.denominator, item.previous):
                    if ref is not None and (
                        ref not in earlier or earlier[ref].kind != ItemKind.FIGURE
                    ):
                        raise InstrumentVersionError(f"{item.code}: {ref} is not an earlier figure")
                cond = item.show_if
                if cond is not None:
                    target = earlier.get(cond.item)
                    if target is None:
                        raise InstrumentVersionError(
                            f"{item.code}: show_if refers to {cond.item}, which is not an earlier item"
                        )
                    unknown = cond.values - {o.code for o in target.options}
                    if unknown:
                        raise InstrumentVersionError(
                            f"{item.code}: show_if names unknown options {sorted(unknown)}"
                        )
                earlier[item.code] = item
    if count != len(instrument.items):
        raise InstrumentVersionError("duplicate item codes")
    _check_carried_from_version(instrument)


def _check_carried_from_version(instrument: Instrument) -> None:
    carried = [i.code for i in instrument.items if i.carried_from is not None]
    earlier = instrument.carried_from_version
    if carried and earlier is None:
        raise InstrumentVersionError(f"{carried[0]}: carried_from needs carried_from_version")
    if earlier is not None and not (
        earlier.isdigit()
        and instrument.version.isdigit()
        and int(earlier) < int(instrument.version)
    ):
        raise InstrumentVersionError(
            f"carried_from_version {earlier} must be a version below {instrument.version}"
        )


def is_offered(item: Item, profile: EnterpriseProfile) -> bool:
    """Whether ``item`` is asked of this kind of enterprise at all, whatever its answers: its
    production type is in ``applies_to`` and, for a cluster-module item, its cluster is the
    item's ``cluster``."""
    return profile.production_type in item.applies_to and (
        item.cluster is None or profile.cluster == item.cluster
    )


def pages_for(instrument: Instrument, profile: EnterpriseProfile) -> list[Dimension]:
    """The questionnaire pages (one per dimension) this enterprise sees: those with an item
    ``is_offered`` to it, in instrument order. Version 2's cluster-module page holds only the
    five clusters' modules, so an enterprise outside them ("other") has no such page."""
    return [
        dim
        for dim in instrument.dimensions
        if any(is_offered(item, profile) for item in instrument.items_of(dim.code))
    ]


def is_applicable(item: Item, profile: EnterpriseProfile, responses: Responses) -> bool:
    """Skip logic: does ``item`` apply to this enterprise, given its earlier answers?

    An item applies when it ``is_offered`` to the enterprise (production type in
    ``applies_to``, its cluster the item's ``cluster`` for cluster modules) and, if the item
    has ``show_if``, the referenced item applies and its answer is one of the listed options.
    """
    if not is_offered(item, profile):
        return False
    if item.show_if is None:
        return True
    answer = responses.get(item.show_if.item)
    if answer is None:
        return False
    chosen = set(answer) if isinstance(answer, tuple) else {answer}
    return bool(chosen & item.show_if.values)


def applicable_items(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> list[Item]:
    """Items that apply, in instrument order."""
    return [i for i in instrument.items if is_applicable(i, profile, responses)]


def applicable_answers(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> Responses:
    """The answers scoring looks at: those to items that apply (``is_applicable``), keyed by
    item code in instrument order; answers to other or unknown items are dropped."""
    return {
        i.code: responses[i.code]
        for i in instrument.items
        if i.code in responses and is_applicable(i, profile, responses)
    }


def normalise_response(item: Item, raw: object) -> str | tuple[str, ...] | float:
    """Check one raw answer against the item and return it in canonical form.

    Single choice -> option code; multiple choice -> tuple of option codes in option order;
    number -> float within [minimum, maximum]. Strings are accepted for numbers ("12.5"). A
    figure may also be answered ``UNKNOWN`` ("unknown": the firm does not know it), kept as is.

    Raises
    ------
    InvalidResponseError
        Unknown option, "none" combined with other options, more options than
        ``max_choices``, not a number, or out of bounds.
    """
    if item.kind == ItemKind.FIGURE and raw == UNKNOWN:
        return UNKNOWN
    if item.kind in (ItemKind.NUMBER, ItemKind.FIGURE):
        return _number(item, raw)
    valid = {o.code for o in item.options}
    if item.kind == ItemKind.SINGLE:
        if not isinstance(raw, str) or raw not in valid:
            raise InvalidResponseError(
                item.code, "请选择列出的选项之一", "choose one of the options"
            )
        return raw
    values = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list | tuple) else None
    if not values or any(not isinstance(v, str) or v not in valid for v in values):
        raise InvalidResponseError(item.code, "请选择列出的选项", "choose among the options")
    if NONE_OPTION in values and len(set(values)) > 1:
        raise InvalidResponseError(
            item.code,
            "“以上都没有”不能与其他选项同时选择",
            "'none of these' cannot be combined with other options",
        )
    chosen = set(values)
    if item.max_choices is not None and len(chosen) > item.max_choices:
        raise InvalidResponseError(
            item.code,
            f"最多选择 {item.max_choices} 项",
            f"choose at most {item.max_choices}",
        )
    return tuple(o.code for o in item.options if o.code in chosen)


def _number(item: Item, raw: object) -> float:
    if isinstance(raw, bool):
        raise InvalidResponseError(item.code, "请填写数字", "enter a number")
    try:
        value = float(raw.strip().replace(",", "")) if isinstance(raw, str) else float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidResponseError(item.code, "请填写数字", "enter a number") from None
    if not math.isfinite(value):
        raise InvalidResponseError(item.code, "请填写数字", "enter a number")
    low, high = item.minimum, item.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        raise InvalidResponseError(
            item.code,
            f"请填写 {low:g} 到 {high:g} 之间的数字",
            f"enter a number from {low:g} to {high:g}",
        )
    return value


def item_value(item: Item, answer: str | tuple[str, ...] | float) -> float:
    """The ordinal maturity of an answer, in [0, 1] (rules in the instrument file's header).

    A figure has no value of its own (0.0): a rate or a year-on-year direction depends on other
    answers and is valued by ``assessment.miit.figure_value``.
    """
    if item.kind == ItemKind.FIGURE:
        return 0.0
    if item.kind == ItemKind.NUMBER:
        number = float(answer)  # type: ignore[arg-type]
        reached = [v for threshold, v in item.bands if number >= threshold]
        return reached[-1] if reached else 0.0
    if item.kind == ItemKind.SINGLE:
        option = item.option(str(answer))
        return option.value if option else 0.0
    codes = set(answer) if isinstance(answer, tuple) else {str(answer)}
    return min(1.0, sum(o.value for o in item.options if o.code in codes))


def missing_items(
    instrument: Instrument, profile: EnterpriseProfile, responses: Responses
) -> list[Item]:
    """Required items that apply and have no answer, in instrument order."""
    return [
        i
        for i in applicable_items(instrument, profile, responses)
        if i.required and i.code not in responses
    ]


def _extreme_responses(instrument: Instrument, profile: EnterpriseProfile, most: bool) -> Responses:
    responses: dict[str, str | tuple[str, ...] | float] = {}
    for item in instrument.items:
        if not is_applicable(item, profile, responses):
            continue
        if item.kind == ItemKind.FIGURE:
            responses[item.code] = _extreme_figure(instrument, item, responses, most)
        elif item.kind == ItemKind.NUMBER:
            bound = item.maximum if most else item.minimum
            responses[item.code] = float(bound if bound is not None else (1e6 if most else 0))
        elif item.kind == ItemKind.SINGLE:
            best = max if most else min
            responses[item.code] = best(item.options, key=lambda o: o.value).code
        elif most:
            ticked = [o for o in item.options if o.code != NONE_OPTION]
            if item.max_choices:  # valid: at most max_choices, the most mature ones
                ticked = sorted(ticked, key=lambda o: -o.value)[: item.max_choices]
            responses[item.code] = tuple(o.code for o in ticked)
        else:
            responses[item.code] = (NONE_OPTION,)
    return responses


def _extreme_figure(instrument: Instrument, item: Item, responses: Responses, most: bool) -> float:
    """A figure's answer at the extreme: a rate's numerator equal to its denominator (most) or 0
    (least); this year 10% better (most) or 10% worse (least) than last year; other figures 50
    (inside every figure's bounds in dmi v2, leaving room above and below)."""
    if item.denominator is not None:
        return float(responses.get(item.denominator, 50.0)) if most else 0.0  # type: ignore[arg-type]
    if item.previous is not None:
        last = float(responses.get(item.previous, 50.0))  # type: ignore[arg-type]
        up = (item.better == Better.HIGHER) == most
        bound = item.maximum if up else item.minimum
        moved = last * (1.1 if up else 0.9)
        return min(moved, bound) if up and bound is not None else max(moved, bound or 0.0)
    return 50.0


def most_mature_responses(instrument: Instrument, profile: EnterpriseProfile) -> Responses:
    """The most mature valid answer to every applicable item (for tests and calibration)."""
    return _extreme_responses(instrument, profile, most=True)


def least_mature_responses(instrument: Instrument, profile: EnterpriseProfile) -> Responses:
    """The least mature valid answer to every applicable item."""
    return _extreme_responses(instrument, profile, most=False)
