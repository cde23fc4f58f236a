"""The reports' fixed texts, from the product's one gettext catalogue, without Flask.

The web pages get their texts from Flask-Babel; the PDF, chart and Excel builders in ``reports/``
run outside a request (background jobs), so they read the same catalogue
(``webapp/translations/<lang>/LC_MESSAGES/messages.po``) through Babel directly. Message ids are
the Chinese texts, as in the web templates: Chinese needs no catalogue, English is read from the
``.po`` file (the source, so nothing depends on ``pybabel compile`` having run).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from assessment.localised import ENGLISH, Localised, language_of

#: Where the catalogues live (shared with Flask-Babel's ``default_translation_directories``).
CATALOGUES = Path(__file__).resolve().parent.parent / "webapp" / "translations"

#: The HTML ``lang`` attribute of a report (BCP 47).
HTML_LANG = Localised(zh="zh-CN", en="en")

#: ``gettext(message, **variables)``: the message in one language, ``%(name)s`` filled in.
Gettext = Callable[..., str]


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of ``language`` ("en" or "zh"); Chinese is the message ids themselves.

    Raises
    ------
    FileNotFoundError
        The English catalogue file is missing (a broken checkout).
    """
    if language != ENGLISH:
        return NullTranslations()
    with open(CATALOGUES / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalogue = read_po(po)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return Translations(buffer)


def gettext_for(locale: object) -> Gettext:
    """A ``gettext`` in ``locale``'s language (see ``assessment.localised.language_of``).

    Like Flask-Babel's, it fills ``%(name)s`` placeholders from keyword arguments, so the same
    message id works in web templates and reports; without arguments the text is returned as it
    is (a literal "%" needs no escaping).
    """
    catalogue = translations(language_of(locale))

    def gettext(message: str, **variables: object) -> str:
        text = catalogue.gettext(message)
        return text % variables if variables else text

    return gettext
