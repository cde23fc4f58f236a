"""Values and filters every template can use."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask_babel import get_locale

from assessment import glossary
from assessment.classification import TOWNS
from assessment.referrals import ReferralState
from assessment.types import IndustryCluster, ProductionType, SizeClass
from reports import formatting

_TOWNS = {t.code: t for t in TOWNS}
_LABELLED = {
    **{e.value: e for e in SizeClass},
    **{e.value: e for e in ProductionType},
    **{e.value: e for e in IndustryCluster},
}


class _Punctuation:
    """``punct.colon``, ``punct.semicolon`` ... in the page's language; a global rather than a
    context variable, so that imported macros (``_macros/forms.html``) see it too."""

    def __init__(self, lang: Callable[[], str]) -> None:
        self._lang = lang

    def __getattr__(self, name: str) -> str:
        return formatting.punctuation(self._lang())[name]


def register(app: Flask) -> None:
    @app.context_processor
    def inject_language() -> dict[str, object]:
        locale = get_locale()
        return {"lang": "en" if locale is not None and locale.language == "en" else "zh"}

    @app.template_filter("pick")
    def pick(obj: object, field: str, lang: str) -> str:
        """``obj.<field>_en`` in English, ``obj.<field>_zh`` otherwise."""
        return str(getattr(obj, f"{field}_{'en' if lang == 'en' else 'zh'}"))

    @app.template_filter("town_name")
    def town_name(code: str) -> str:
        """A town code in the page's language (the code itself when unknown)."""
        town = _TOWNS.get(code)
        if town is None:
            return code
        return town.name_en if inject_language()["lang"] == "en" else town.name_zh

    @app.template_filter("label")
    def label(code: str) -> str:
        """A size class, production type or cluster code in the page's language."""
        value = _LABELLED.get(code)
        if value is None:
            return code
        return value.label_en if inject_language()["lang"] == "en" else value.label_zh

    @app.template_global("referral_label")
    def referral_label(state: str) -> str:
        value = ReferralState(state)
        return value.label_en if inject_language()["lang"] == "en" else value.label_zh

    def _lang() -> str:
        return str(inject_language()["lang"])

    # Locale-aware formatting (reports/formatting.py), in the page's language.
    app.add_template_filter(lambda v, digits=0: formatting.number(v, _lang(), digits), "number")
    app.add_template_filter(lambda v: formatting.money_wan(v, _lang()), "money_wan")
    app.add_template_filter(lambda v: formatting.day(v, _lang()), "day")
    app.add_template_filter(lambda v: formatting.moment(v, _lang()), "moment")
    # Punctuation around values: "画像：" / "Persona: ", "（8）" / " (8)".
    app.add_template_filter(lambda v: formatting.aside(v, _lang()), "aside")

    app.jinja_env.globals["punct"] = _Punctuation(_lang)

    app.add_template_global(glossary.terms_for_item, "glossary_terms")

    @app.template_filter("score")
    def score(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"
