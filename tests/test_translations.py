"""Every string marked for translation in templates and Python has an English translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from reports.labels import LABELS

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
    """Web templates: every Chinese text goes through ``_()`` (so the test above sees it);
    PDF templates: every text comes from ``reports/labels.py`` (no literals at all)."""
    problems = {
        str(path.relative_to(ROOT)): _unmarked(path.read_text(encoding="utf-8"))
        for folder in ("webapp/templates", "reports/templates")
        for path in sorted((ROOT / folder).rglob("*.html"))
    }
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_checker_can_fail() -> None:
    assert _unmarked("<p>未翻译</p>") == ["未翻译"]
    assert _unmarked("{{ '未翻译' if x else 'y' }}") == ["未翻译"]
    assert _unmarked("<p>{{ _('已标记') }}</p>") == []


def test_pdf_and_excel_labels_exist_in_both_languages() -> None:
    assert LABELS["zh"].keys() == LABELS["en"].keys()
    assert all(LABELS["en"][k] for k in LABELS["en"])
