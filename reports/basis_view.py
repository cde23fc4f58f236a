"""The basis of a result (自评 / 中心人员校验 / 现场评定), the stage it shows and the verified
MIIT level, in one language: what the result page, the PDF and the staff pages say about how
far a result is checked (``assessment.onsite``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.localised import Localised
from assessment.onsite import Basis, ShownStage, Verified
from assessment.types import MIIT_LEVEL_LABELS, Stage
from reports.i18n import gettext_for


def basis_label(basis: str, locale: str) -> str:
    """The name of a basis code (``Basis``) in ``locale``'s language.

    Raises ``ValueError`` for an unknown code.
    """
    _ = gettext_for(locale)
    labels = {
        Basis.SELF_REPORTED: _("企业自评"),
        Basis.STAFF_VERIFIED: _("中心人员校验"),
        Basis.ONSITE_RATED: _("现场评定"),
    }
    return labels[Basis(basis)]


def stage_note(shown: ShownStage, locale: str) -> str:
    """What follows the shown stage when centre staff changed the model's one:
    "（赋能中心校验；模型评估为 S1）" / " (validated by the enabling centre; the model gave S1)";
    "" otherwise."""
    if not shown.changed:
        return ""
    _ = gettext_for(locale)
    return _("（赋能中心校验；模型评估为 %(model)s）", model=shown.model_stage)


def shown_stage_text(shown: ShownStage, locale: str, *, named: bool = False) -> str:
    """The stage a result shows, as its code ("S0"; with ``named`` "S0 起步建设"), followed by
    :func:`stage_note`."""
    text = shown.stage
    if named:
        text += " " + Stage.from_code(shown.stage).label.for_locale(locale)
    return text + stage_note(shown, locale)


def shown_basis_label(shown: ShownStage, locale: str) -> str:
    """The basis of a result as pages say it: :func:`basis_label`, except that a stage centre
    staff changed reads "赋能中心校验后改为 S0（模型评估为 S1）" (after "现场评定；" when the
    result is also rated on site), never "中心人员校验" for a stage staff rejected."""
    if not shown.changed:
        return basis_label(shown.basis, locale)
    _ = gettext_for(locale)
    change = _(
        "赋能中心校验后改为 %(stage)s（模型评估为 %(model)s）",
        stage=shown.stage,
        model=shown.model_stage,
    )
    if shown.basis == Basis.ONSITE_RATED:
        return basis_label(shown.basis, locale) + _("；") + change
    return change


def level_name(level: int, locale: str) -> str:
    """A MIIT level 0-4 as "无等级", "二级", ... / "No level", "Level 2", ..."""
    return Localised(*MIIT_LEVEL_LABELS[level]).for_locale(locale)


@dataclass(frozen=True)
class BasisView:
    """How a result is checked: the basis code and its name (:func:`shown_basis_label`); for
    an on-site rated result the verified and the self-reported MIIT level names, whether they
    differ, and one line per scenario staff rated differently ("质量管理：填报 L3，评定 L2。理由：...")."""

    code: str
    label: str
    verified_level: str | None = None
    self_level: str | None = None
    differs: bool = False
    reasons: tuple[str, ...] = ()


def build_basis_view(
    shown: ShownStage,
    verified: Verified | None,
    scenario_names: Mapping[str, Localised],
    locale: str,
) -> BasisView:
    """The basis as shown in ``locale``; ``shown`` is the result's shown stage and basis,
    ``verified`` the finished on-site rating (None for a result without one),
    ``scenario_names`` the scenarios' names by code."""
    _ = gettext_for(locale)
    if verified is None:
        return BasisView(shown.basis.value, shown_basis_label(shown, locale))
    reasons = tuple(
        _(
            "%(name)s：填报 L%(before)d，评定 L%(after)d。理由：%(reason)s",
            name=scenario_names[c.code].for_locale(locale) if c.code in scenario_names else c.code,
            before=c.self_level,
            after=c.level,
            reason=c.reason,
        )
        for c in verified.changed
    )
    return BasisView(
        shown.basis.value,
        shown_basis_label(shown, locale),
        verified_level=level_name(verified.level, locale),
        self_level=level_name(verified.self_level, locale),
        differs=verified.differs,
        reasons=reasons,
    )
