"""Every string marked for translation in templates and Python has an English translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None}


def test_every_marked_string_is_translated_to_english() -> None:
    with open(ROOT / "webapp/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string}
    found = {
        msg[2] if isinstance(msg[2], str) else msg[2][0]
        for msg in extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS)
    }
    missing = sorted(found - translated)
    assert len(found) > 200
    assert missing == [], f"not in the English catalogue: {missing[:10]}"
