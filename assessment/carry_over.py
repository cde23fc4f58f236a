"""Answers carried from an assessment on an earlier questionnaire version into a new draft.

Issue 14: "a draft started on v2 by a firm with a v1 assessment is pre-filled from v1 wherever
the instrument file maps an item as unchanged; the owner confirms each page". The instrument
file says which items are unchanged: ``carried_from_version`` at its top, and on an item
``carried_from`` (the earlier item asking the same question) with, where only some earlier
options keep their meaning, ``carried_options`` (see the header of ``dmi-v2.toml``).
"""

from __future__ import annotations

from assessment.errors import InstrumentVersionError, InvalidResponseError
from assessment.instrument import normalise_response
from assessment.types import Instrument, Item, ItemKind, Responses

Answer = str | tuple[str, ...] | float
_CHOICE = (ItemKind.SINGLE, ItemKind.MULTI)


def carries_from(previous: Instrument, following: Instrument) -> bool:
    """Whether answers on ``previous`` pre-fill a draft on ``following``: the same version (a
    firm's next round, issue 15: "a new round's draft is pre-filled from the firm's previous
    round"), or the version ``following`` names as the one its items are carried from (same
    instrument id, ``previous.version == following.carried_from_version``)."""
    if previous.id != following.id:
        return False
    return previous.version in (following.version, following.carried_from_version)


def _same_version(previous: Instrument, following: Instrument) -> bool:
    return previous.id == following.id and previous.version == following.version


def carried_answers(
    previous: Instrument, previous_answers: Responses, following: Instrument
) -> dict[str, Answer]:
    """The answers of an assessment on ``previous`` that pre-fill a draft on ``following``.

    On the same version, every answered item carries as it is (then checked as below). Across
    versions, for every item of ``following`` with ``carried_from`` answered in
    ``previous_answers``: the earlier answer, its option codes mapped by ``carried_options`` when the item has that table
    (an answer choosing an option outside the table is not carried, nor is a multiple-choice
    answer any of whose options is outside it), then checked by
    ``instrument.normalise_response`` against the new item; an answer the new item does not
    accept (an unknown option, a number out of its bounds) is dropped, never repaired.

    Parameters
    ----------
    previous : Instrument
        The version the earlier assessment was answered on.
    previous_answers : Responses
        Its answers, item code (of ``previous``) -> option code, tuple of option codes or
        number, as ``webapp.services.snapshots.responses_of`` returns them.
    following : Instrument
        The version of the new draft.

    Returns
    -------
    dict
        Item code (of ``following``) -> canonical answer (option code, tuple of option codes in
        option order, or float), in ``following``'s item order; empty when ``following`` does
        not carry from ``previous`` (``carries_from``). Skip logic is not applied: the caller
        keeps the answers that apply to the enterprise (``instrument.applicable_answers``).
    """
    if not carries_from(previous, following):
        return {}
    same = _same_version(previous, following)
    carried: dict[str, Answer] = {}
    for item in following.items:
        source = item.code if same else item.carried_from
        if source is None or source not in previous_answers:
            continue
        mapped = previous_answers[source] if same else _mapped(item, previous_answers[source])
        if mapped is None:
            continue
        try:
            carried[item.code] = normalise_response(item, mapped)
        except InvalidResponseError:
            continue
    return carried


def _mapped(item: Item, answer: Answer) -> Answer | None:
    """``answer`` in ``item``'s option codes (None when an option has no counterpart)."""
    if not item.carried_options:
        return answer
    table = dict(item.carried_options)
    if isinstance(answer, tuple):
        codes = [table.get(code) for code in answer]
        return tuple(c for c in codes if c is not None) if None not in codes else None
    if isinstance(answer, str):
        return table.get(answer)
    return None


def check_carry_over(previous: Instrument, following: Instrument) -> None:
    """Check that ``following``'s carry-over marks fit ``previous`` (for publishing a version).

    Raises
    ------
    InstrumentVersionError
        ``following`` does not carry from ``previous``; or, listing every bad item, a
        ``carried_from`` that names no item of ``previous``, a choice item carried from a
        number (or the reverse), ``carried_options`` naming an option the earlier item does not
        have, or a choice item without ``carried_options`` whose earlier options are not all
        options of the new item.
    """
    if not carries_from(previous, following):
        raise InstrumentVersionError(
            f"{following.id} v{following.version} does not carry from {previous.id} "
            f"v{previous.version}"
        )
    problems = [
        problem
        for item in following.items
        if item.carried_from is not None
        for problem in _carry_problems(previous, item)
    ]
    if problems:
        raise InstrumentVersionError("; ".join(problems))


def _carry_problems(previous: Instrument, item: Item) -> list[str]:
    code, source = item.code, str(item.carried_from)
    try:
        earlier = previous.item(source)
    except KeyError:
        return [f"{code}: carried_from {source} is no item of version {previous.version}"]
    if (earlier.kind in _CHOICE) != (item.kind in _CHOICE):
        return [f"{code}: a {item.kind.value} item cannot carry a {earlier.kind.value} answer"]
    earlier_options = {o.code for o in earlier.options}
    if item.carried_options:
        unknown = sorted({old for old, _ in item.carried_options} - earlier_options)
        return [f"{code}: {source} has no options {unknown}"] if unknown else []
    missing = sorted(earlier_options - {o.code for o in item.options})
    return [f"{code}: options {missing} of {source} need carried_options"] if missing else []
