"""The 改造前/改造后 comparison as the PDF shows it: rows of localised text (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.localised import language_of
from assessment.round_change import RoundChange
from reports import formatting
from reports.i18n import gettext_for


@dataclass(frozen=True)
class ChangeRow:
    """One figure: its name, the two rounds' values and the change, formatted."""

    name: str
    before: str
    after: str
    delta: str


@dataclass(frozen=True)
class ChangeView:
    """The comparison with the previous round: a heading, the column labels, the rows (stage,
    MIIT level when both rounds have one, index, dimensions) and the moved scenarios as
    sentences ("产品设计：L1 → L2")."""

    heading: str
    before_label: str
    after_label: str
    rows: tuple[ChangeRow, ...]
    moved_scenarios: tuple[str, ...]
    #: True when both rounds have MIIT scenarios (then an empty ``moved_scenarios`` says so).
    has_scenarios: bool


def _signed(value: float, lang: str, digits: int = 1) -> str:
    if not value:
        return "—"
    sign = "+" if value > 0 else "−"
    return sign + formatting.number(abs(value), lang, digits)


def build_change_view(change: RoundChange, locale: str) -> ChangeView:
    """``change`` (``assessment.round_change.compare_rounds``) in ``locale``'s language."""
    _ = gettext_for(locale)
    lang = language_of(locale)
    rows = [
        ChangeRow(
            _("东莞规划阶段"),
            f"{change.stage_before.code} {change.stage_before.label.for_locale(locale)}",
            f"{change.stage_after.code} {change.stage_after.label.for_locale(locale)}",
            _signed(change.stage_moved, lang, 0),
        )
    ]
    if change.level_labels is not None:
        before, after = change.level_labels
        moved = (change.level_after or 0) - (change.level_before or 0)
        rows.append(
            ChangeRow(
                _("工信部数字化水平等级"),
                before.for_locale(locale),
                after.for_locale(locale),
                _signed(moved, lang, 0),
            )
        )
    rows.append(
        ChangeRow(
            _("成熟度指数"),
            formatting.number(change.index_before, lang, 1),
            formatting.number(change.index_after, lang, 1),
            _signed(change.index_delta, lang),
        )
    )
    rows.extend(
        ChangeRow(
            m.name.for_locale(locale),
            formatting.number(m.before, lang, 1),
            formatting.number(m.after, lang, 1),
            _signed(m.delta, lang),
        )
        for m in change.dimensions
    )
    return ChangeView(
        heading=_("与 %(round)s 批次相比", round=change.before_round),
        before_label=_("%(round)s 批次（改造前）", round=change.before_round),
        after_label=_("%(round)s 批次（改造后）", round=change.after_round),
        rows=tuple(rows),
        moved_scenarios=tuple(
            f"{m.name.for_locale(locale)}{_('：')}L{int(m.before)} → L{int(m.after)}"
            for m in change.moved_scenarios
        ),
        has_scenarios=bool(change.scenarios),
    )
