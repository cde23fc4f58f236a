"""Values and filters every template can use.

Languages: fixed texts go through Flask-Babel (``_()``); data that carries both languages is
shown with the ``localised`` filter, which asks ``assessment.localised.Localised.for_locale``
for the page's locale; numbers, money and dates go through Babel (``reports.formatting``), list
joins through ``babel.lists.format_list``. Templates never compare the language themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from babel.lists import format_list
from flask import Flask
from flask_babel import get_locale
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

from assessment import glossary
from assessment.classification import TOWNS
from assessment.localised import Localised
from assessment.referrals import ReferralState
from assessment.types import IndustryCluster, ProductionType, SizeClass, Stage
from reports import formatting
from reports.basis_view import level_name, shown_basis_label, shown_stage_text
from reports.pdf import TEMPLATES as REPORT_TEMPLATES
from webapp.language import page_language
from webapp.services.claims import CLAIM_STATE_LABELS
from webapp.services.members import MEMBER_ROLE_LABELS
from webapp.services.user_admin import ROLE_LABELS

_TOWNS = {t.code: t for t in TOWNS}
_LABELLED = {
    **{e.value: e for e in SizeClass},
    **{e.value: e for e in ProductionType},
    **{e.value: e for e in IndustryCluster},
}
#: The ``lang`` attribute of a page (BCP 47).
HTML_LANG = Localised(zh="zh-CN", en="en")
#: The language switch: the other language's code, its ``lang`` attribute and its own name.
SWITCH_CODE = Localised(zh="en", en="zh")
SWITCH_LANG = Localised(zh="en", en="zh-CN")
SWITCH_NAME = Localised(zh="English", en="中文")


def _field(value: object, name: str) -> str:
    if isinstance(value, Mapping):
        return str(value[name])
    return str(getattr(value, name))


def localised(value: object, field: str | None = None) -> str:
    """``value`` (a ``Localised``) in the page's language; with ``field``, ``value``'s
    ``<field>_zh``/``<field>_en`` pair (ORM rows, plain records, mappings) in that language.

    Raises ``AttributeError``/``KeyError`` when the pair is missing, ``TypeError`` when
    ``value`` is not ``Localised`` and no ``field`` is given.
    """
    if field is not None:
        value = Localised(_field(value, f"{field}_zh"), _field(value, f"{field}_en"))
    if not isinstance(value, Localised):
        raise TypeError(f"not a Localised value: {value!r}")
    return value.for_locale(get_locale())


def register(app: Flask) -> None:
    """Give ``app``'s templates the values and filters above, and the report package's shared
    parts (``reports/templates/shared``) as ``report/<name>``, so that a block the result page and
    the PDF both draw is written once."""
    shared = PrefixLoader({"report": FileSystemLoader(REPORT_TEMPLATES / "shared")})
    app.jinja_env.loader = ChoiceLoader([app.create_global_jinja_loader(), shared])

    @app.context_processor
    def inject_language() -> dict[str, object]:
        locale = get_locale()
        return {
            "html_lang": HTML_LANG.for_locale(locale),
            "switch_code": SWITCH_CODE.for_locale(locale),
            "switch_lang": SWITCH_LANG.for_locale(locale),
            "switch_name": SWITCH_NAME.for_locale(locale),
        }

    app.add_template_filter(localised, "localised")

    @app.template_filter("format_list")
    def list_filter(items: Iterable[object]) -> str:
        """Items joined as the page's language joins a list ("A、B和C" / "A, B and C")."""
        return format_list([str(i) for i in items], locale=formatting.babel_locale(page_language()))

    @app.template_filter("town_name")
    def town_name(code: str) -> str:
        """A town code in the page's language (the code itself when unknown)."""
        town = _TOWNS.get(code)
        return town.name.for_locale(get_locale()) if town else code

    @app.template_filter("label")
    def label(code: str) -> str:
        """A size class, production type or cluster code in the page's language."""
        value = _LABELLED.get(code)
        return value.label.for_locale(get_locale()) if value else code

    @app.template_global("member_role_label")
    def member_role_label(code: str) -> str:
        """An enterprise member role (owner, editor, viewer) in the page's language."""
        return MEMBER_ROLE_LABELS[code].for_locale(get_locale())

    @app.template_global("claim_label")
    def claim_label(state: str) -> str:
        """A claim state (pending, approved, refused) in the page's language."""
        return CLAIM_STATE_LABELS[state].for_locale(get_locale())

    @app.template_global("role_label")
    def role_label(role: str) -> str:
        """An account role in the page's language (the code itself when unknown)."""
        value = ROLE_LABELS.get(role)
        return value.for_locale(get_locale()) if value else role

    @app.template_filter("stage_label")
    def stage_label(code: str) -> str:
        """A stage code ("S2") as "S2 集成提升" / "S2 Integrated improvement"."""
        return f"{code} {Stage.from_code(code).label.for_locale(get_locale())}"

    @app.template_global("referral_label")
    def referral_label(state: str) -> str:
        return ReferralState(state).label.for_locale(get_locale())

    # Locale-aware formatting (reports/formatting.py), in the page's language.
    app.add_template_filter(
        lambda v, digits=0: formatting.number(v, page_language(), digits), "number"
    )
    app.add_template_filter(lambda v: formatting.money_wan(v, page_language()), "money_wan")
    app.add_template_filter(lambda v: formatting.day(v, page_language()), "day")
    app.add_template_filter(lambda v: formatting.moment(v, page_language()), "moment")

    app.add_template_global(glossary.terms_for_item, "glossary_terms")
    # The stage a result shows and its basis (``assessment.onsite.ShownStage``), as text.
    app.add_template_global(
        lambda shown: shown_basis_label(shown, page_language()), "shown_basis_label"
    )
    app.add_template_global(
        lambda shown, named=False: shown_stage_text(shown, page_language(), named=named),
        "shown_stage_text",
    )
    app.add_template_global(lambda level: level_name(level, page_language()), "miit_level_name")

    @app.template_filter("score")
    def score(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"
