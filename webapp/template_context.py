"""Values and filters every template can use."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale


def register(app: Flask) -> None:
    @app.context_processor
    def inject_language() -> dict[str, object]:
        locale = get_locale()
        return {"lang": "en" if locale is not None and locale.language == "en" else "zh"}

    @app.template_filter("pick")
    def pick(obj: object, field: str, lang: str) -> str:
        """``obj.<field>_en`` in English, ``obj.<field>_zh`` otherwise."""
        return str(getattr(obj, f"{field}_{'en' if lang == 'en' else 'zh'}"))

    @app.template_filter("score")
    def score(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"
