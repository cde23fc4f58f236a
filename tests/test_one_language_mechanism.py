"""One way to speak two languages: no code picks a language by comparing it.

Fixed texts go through gettext (Flask-Babel in ``webapp``, ``reports.i18n`` in ``reports``);
data in both languages is a ``Localised`` value asked ``for_locale``; lists, numbers and dates go
through Babel. A hand-written language branch ("zh if ... else ...", ``lang == "en"``,
``{% if lang == 'zh' %}``, ``x.name_en if english else x.name_zh``) is the fifth mechanism this
test keeps out of the package code and templates. A ``{"zh": ..., "en": ...}`` mapping (or
``dict(zh=..., en=...)``) in package code is a second shape of bilingual data beside
``Localised``, and the test keeps it out too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("webapp", "reports", "assessment", "models")
SUFFIXES = {".py", ".html", ".txt"}

_LANG = r"""['"](?:zh|en|zh_CN|zh-CN|en_GB|en-GB)['"]"""
#: Each pattern is one shape of a hand-written language branch.
BRANCHES = {
    "comparison with a language code": re.compile(rf"(?:==|!=)\s*{_LANG}|{_LANG}\s*(?:==|!=)"),
    "locale.language compared": re.compile(r"\.language\s*(?:==|!=)"),
    "zh/en flag in a conditional": re.compile(
        r"\b(?:if|else|and|or|not)\s+(?:zh|en|english|chinese|is_english\(\)|is_zh)\b"
        r"|(?<![.\w])(?:zh|en|english)\s+(?:if|else)\b"
    ),
    "language code chosen by a conditional": re.compile(rf"{_LANG}\s+if\b|\belse\s+{_LANG}"),
    "_zh/_en pair chosen by a conditional": re.compile(
        r"_(?:zh|en)\b['\"\]]?\)?\s+if\b.*\belse\b.*_(?:zh|en)\b"
    ),
    "hand-rolled picker": re.compile(r"\b_?pick\(|\|\s*pick\b|\bis_english\b"),
}


def branches(source: str) -> list[tuple[int, str, str]]:
    """(line number, pattern name, line) of every language branch in ``source``."""
    return [
        (number, name, line.strip())
        for number, line in enumerate(source.splitlines(), start=1)
        for name, pattern in BRANCHES.items()
        if pattern.search(line)
    ]


#: Hand-written language branches that ``branches`` finds: one line each, Python or Jinja.
LANGUAGE_BRANCHES = [
    'title = "标题" if zh else "Title"',
    "name = d.name_en if lang == 'en' else d.name_zh",
    'zh = lang != "en"',
    'return LABELS["en" if lang == "en" else "zh"]',
    '    lang = "en" if is_english() else "zh"',
    "label = item.text_en if english else item.text_zh",
    'SelectChoice(code, f"{code} {names[1] if en else names[0]}")',
    'english = getattr(get_locale(), "language", "zh") == "en"',
    "return locale is not None and locale.language == 'en'",
    "{% if lang == 'zh' %}中文{% endif %}",
    "<html lang=\"{{ 'en' if lang == 'en' else 'zh-CN' }}\">",
    "{{ t.name_en if lang == 'en' else t.name_zh }}",
    "{{ page|pick('name', lang) }}",
    "pick = (lambda p: p['name_en']) if lang == 'en' else (lambda p: p['name_zh'])",
    'if get_locale() == "en":',
]

#: Lines of the one mechanism (``for_locale``, ``localised``, gettext) and look-alikes that
#: ``branches`` leaves alone.
NOT_BRANCHES = [
    "name = dim.name.for_locale(locale)",
    "{{ t|localised('name') }}",
    "{{ _('画像') }}{{ _('：') }}",
    "return self.en if language_of(locale) == ENGLISH else self.zh",
    "(None if table.grand_hidden else table.grand_total) if table else 0",
    "lang = page_language()",
    "zh = [GAP_NAMES[c][0] for c in codes]",
]


def _package_files() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.suffix in SUFFIXES and path.is_file()
    )


def _package_findings(
    check: Callable[[str], list[Any]], suffixes: set[str], more_than: int
) -> dict[str, list[Any]]:
    """What ``check`` finds in each package file with one of ``suffixes`` (path relative to the
    repository -> findings; files with none left out). Fails unless the walk reached more than
    ``more_than`` files, so that a wrong root cannot pass as "nothing found"."""
    files = [path for path in _package_files() if path.suffix in suffixes]
    assert len(files) > more_than  # the walk really reached the packages
    return {
        str(path.relative_to(ROOT)): hits
        for path in files
        if (hits := check(path.read_text(encoding="utf-8")))
    }


def test_no_language_branch_in_package_code_or_templates() -> None:
    assert _package_findings(branches, SUFFIXES, more_than=120) == {}


LANGUAGE_KEYS = {"zh", "en"}


def language_dicts(source: str) -> list[int]:
    """Line numbers of every dict display with both "zh" and "en" as string keys, and of every
    ``dict(zh=..., en=...)`` call, in the Python ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "dict"
        ):
            keys = {k.arg for k in node.keywords}
        else:
            continue
        if LANGUAGE_KEYS <= keys:
            found.append(node.lineno)
    return found


def test_no_zh_en_dict_in_package_code() -> None:
    assert _package_findings(language_dicts, {".py"}, more_than=80) == {}


#: Python snippets with a zh/en dict that ``language_dicts`` finds.
ZH_EN_DICTS = [
    'NAME = {"zh": "规上企业诊断覆盖率", "en": "Above-scale enterprises assessed"}',
    "texts = {'en': 'Cloud', 'zh': '上云', 'note': ''}",
    'rows = [Row("x", {\n    "zh": f"{item} 占比",\n    "en": f"share of {item}",\n})]',
    'name = dict(zh="上云", en="Cloud")',
    '_CONVENTIONS = {"zh": _Conventions(cldr="zh_CN"), "en": _Conventions(cldr="en_GB")}',
]

#: Python snippets that ``language_dicts`` leaves alone: ``Localised`` values and dicts whose
#: keys are not both language codes.
NOT_ZH_EN_DICTS = [
    'NAME = Localised(zh="上云", en="Cloud")',
    'option = Option(code, o["zh"], o["en"], value)',
    '{"zh_CN": 1, "code": "zh"}',
    "{CLDR_LOCALE.zh: 1, CLDR_LOCALE.en: 2}",
    '{"zh": "只有中文"}',
]


@pytest.mark.parametrize(
    ("check", "snippet", "flagged"),
    [(branches, snippet, True) for snippet in LANGUAGE_BRANCHES]
    + [(branches, snippet, False) for snippet in NOT_BRANCHES]
    + [(language_dicts, snippet, True) for snippet in ZH_EN_DICTS]
    + [(language_dicts, snippet, False) for snippet in NOT_ZH_EN_DICTS],
)
def test_each_check_finds_its_known_shapes_and_leaves_the_one_mechanism_alone(
    check: Callable[[str], list[Any]], snippet: str, flagged: bool
) -> None:
    found = check(snippet)
    assert bool(found) is flagged, (snippet, found)
