"""The basis of a result (自评 / 中心人员校验 / 现场评定) and the verified MIIT level, in one
language: what the result page, the PDF and the staff pages say about how far a result is
checked (``assessment.onsite``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.localised import Localised
from assessment.onsite import Basis, Verified
from assessment.types import MIIT_LEVEL_LABELS
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


def level_name(level: int, locale: str) -> str:
    """A MIIT level 0-4 as "无等级", "二级", ... / "No level", "Level 2", ..."""
    return Localised(*MIIT_LEVEL_LABELS[level]).for_locale(locale)


@dataclass(frozen=True)
class BasisView:
    """How a result is checked: the basis code and its name; for an on-site rated result the
    verified and the self-reported MIIT level names, whether they differ, and one line per
    scenario staff rated differently ("质量管理：填报 L3，评定 L2。理由：...")."""

    code: str
    label: str
    verified_level: str | None = None
    self_level: str | None = None
    differs: bool = False
    reasons: tuple[str, ...] = ()


def build_basis_view(
    basis: str,
    verified: Verified | None,
    scenario_names: Mapping[str, Localised],
    locale: str,
) -> BasisView:
    """The basis as shown in ``locale``; ``verified`` is the finished on-site rating (None for
    a result without one), ``scenario_names`` the scenarios' names by code."""
    _ = gettext_for(locale)
    if verified is None:
        return BasisView(basis, basis_label(basis, locale))
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
        basis,
        basis_label(basis, locale),
        verified_level=level_name(verified.level, locale),
        self_level=level_name(verified.self_level, locale),
        differs=verified.differs,
        reasons=reasons,
    )
