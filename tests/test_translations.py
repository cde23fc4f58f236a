"""Every string marked for translation in templates and Python has an English translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from reports.i18n import gettext_for

ROOT = Path(__file__).resolve().parent.parent
METHODS = [
    ("webapp/**.py", "python"),
    ("reports/**.py", "python"),
    ("webapp/templates/**.html", "jinja2"),
    ("webapp/templates/**.txt", "jinja2"),
    ("reports/templates/**.html", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None}


def _not_hidden(path: str) -> bool:
    # Babel's default filter also skips folders starting with "_", such as templates/_macros.
    return not Path(path).name.startswith(".")


def test_every_marked_string_is_translated_to_english() -> None:
    with open(ROOT / "webapp/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string}
    found = {
        msg[2] if isinstance(msg[2], str) else msg[2][0]
        for msg in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS, directory_filter=_not_hidden
        )
    }
    missing = sorted(found - translated)
    assert len(found) > 200
    assert missing == [], f"not in the English catalogue: {missing[:10]}"


# Text outside Jinja tags, and string literals inside them, that contain Chinese characters.
_CJK = re.compile(r"[\u3400-\u9fff]")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_LITERAL = re.compile(r"'([^']*)'|\"([^\"]*)\"")
#: Deliberately untranslated: the brand mark and the language switch's own name for Chinese.
_ALLOWED = {"数", "中文"}


def _unmarked(source: str) -> list[str]:
    found = [t.strip() for t in re.findall(r"[^<>]+", _TAG.sub(" ", source)) if _CJK.search(t)]
    for tag in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", source, re.S):
        marked = re.sub(r"_\(\s*(['\"]).*?\1", "", tag, flags=re.S)  # drop _('...') calls
        found += [a or b for a, b in _LITERAL.findall(marked) if _CJK.search(a or b)]
    return [t for t in found if t not in _ALLOWED]


def test_no_template_text_escapes_the_catalogue() -> None:
    """Web templates and mail templates: every Chinese text goes through ``_()`` (so the test
    above sees it); PDF templates likewise (``_()`` there is ``reports.i18n.gettext_for``)."""
    problems = {
        str(path.relative_to(ROOT)): _unmarked(path.read_text(encoding="utf-8"))
        for folder, pattern in (
            ("webapp/templates", "*.html"),
            ("webapp/templates", "*.txt"),
            ("reports/templates", "*.html"),
        )
        for path in sorted((ROOT / folder).rglob(pattern))
    }
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_checker_can_fail() -> None:
    assert _unmarked("<p>未翻译</p>") == ["未翻译"]
    assert _unmarked("{{ '未翻译' if x else 'y' }}") == ["未翻译"]
    assert _unmarked("<p>{{ _('已标记') }}</p>") == []


def test_reports_read_their_english_texts_from_the_catalogue_without_flask() -> None:
    """The PDF, chart and Excel builders translate every message they mark through
    ``reports.i18n`` (the .po file itself, no compiled .mo needed); Chinese is the message id."""
    english, chinese = gettext_for("en"), gettext_for("zh")
    found = {
        msg[2]
        for method in METHODS
        if method[0].startswith("reports/")
        for msg in extract_from_dir(str(ROOT), [method], keywords=KEYWORDS)
    }
    assert len(found) > 50
    untranslated = sorted(m for m in found if english(m) == m or not english(m))
    assert untranslated == []
    assert all(chinese(m) == m for m in found)
    assert english("高于 %(p)s%% 的同类企业", p=40) == "ahead of 40% of similar enterprises"
