"""The language of the current request, for code that passes it on (services, reports, jobs).

Flask-Babel chooses the request's locale (``webapp.app.select_locale``); this module only maps
it to the product's two language codes through ``assessment.localised.language_of``.
"""

from __future__ import annotations

from flask_babel import get_locale

from assessment.localised import language_of


def page_language() -> str:
    """The language of the current request's locale, "en" or "zh" (Chinese outside a request
    and for any locale that is not English)."""
    return language_of(get_locale())
