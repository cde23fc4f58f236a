"""Data that carries its own Chinese and English text, and the one place a language is chosen.

Fixed texts of the product (headings, buttons, messages) go through gettext catalogues. Data that
exists in both languages - instrument dimensions, items and options, catalogue centres, providers
and solutions, glossary terms, clusters, stages, towns - is a ``Localised`` value, and code asks it
for one language with ``for_locale``. No other code compares a locale with "zh" or "en".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import IntEnum, StrEnum
from typing import Self, overload

from babel.lists import format_list

#: The two language codes. English locales read English; every other locale reads Chinese (the
#: product's primary language: it serves Dongguan enterprises).
ENGLISH = "en"
CHINESE = "zh"


def language_of(locale: object) -> str:
    """The language code of ``locale``: "en" for an English locale, "zh" for anything else.

    ``locale`` may be a string ("en", "en_GB", "en-US", "zh_Hans_CN"), a ``babel.Locale`` (its
    ``str`` is "en_GB" etc.) or None (no locale chosen: Chinese). Never raises.
    """
    text = str(locale or "").replace("-", "_")
    return ENGLISH if text.split("_", 1)[0].lower() == ENGLISH else CHINESE


@dataclass(frozen=True, slots=True)
class Localised:
    """One text in Chinese (``zh``, required) and English (``en``).

    Immutable and hashable, so it can sit in frozen dataclasses and be a dict key.

    Examples
    --------
    >>> name = Localised("起步建设", "Initial")
    >>> name.for_locale("en_GB"), name.for_locale("zh"), name.for_locale("fr")
    ('Initial', '起步建设', '起步建设')
    """

    zh: str
    en: str

    def for_locale(self, locale: object) -> str:
        """The text for ``locale`` (see ``language_of``): ``en`` for any "en" locale, ``zh``
        for every other, unknown or missing locale. An empty ``en`` is returned as it is (optional
        texts such as help are empty in both languages or in neither)."""
        return self.en if language_of(locale) == ENGLISH else self.zh

    def to_dict(self) -> dict[str, str]:
        """Both texts keyed by language code, ``{"zh": ..., "en": ...}``: the form API
        documents carry bilingual data in."""
        return asdict(self)


class Bilingual:
    """A read-only attribute that joins an object's ``<attr>_zh`` and ``<attr>_en`` strings into
    one ``Localised``, where ``<attr>`` is the name it is assigned to: on a dataclass with
    ``text_zh`` and ``text_en`` fields, ``text = Bilingual("The question in both languages.")``
    makes ``obj.text == Localised(obj.text_zh, obj.text_en)``. ``doc`` is the attribute's
    docstring. It is no dataclass field (it carries no annotation) and cannot be assigned
    (``AttributeError``), like a property.
    """

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc
        self._zh = self._en = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._zh, self._en = f"{name}_zh", f"{name}_en"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Bilingual: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> Localised: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Bilingual | Localised:
        if obj is None:
            return self
        return Localised(getattr(obj, self._zh), getattr(obj, self._en))

    def __set__(self, obj: object, value: object) -> None:
        raise AttributeError(f"{self._zh[:-3]} is read-only: set {self._zh} and {self._en}")


class Named:
    """The ``name`` of a dataclass with ``name_zh`` and ``name_en`` fields (instrument
    dimensions and indicators, catalogue entries, programmes, towns, personas, capabilities) as
    one ``Localised`` value. A mixin: the dataclass declares the two fields itself."""

    __slots__ = ()

    name_zh: str
    name_en: str

    name = Bilingual("The name in both languages.")


class _Labelled:
    """The label part of ``LabelledEnum`` and ``LabelledIntEnum``: ``Enum`` calls ``__init__``
    with a member's declared values (code, Chinese, English) after ``__new__`` made it."""

    label: Localised

    def __init__(self, _value: object, zh: str = "", en: str = "") -> None:
        self.label = Localised(zh, en)

    @property
    def label_zh(self) -> str:
        """The Chinese label."""
        return self.label.zh

    @property
    def label_en(self) -> str:
        """The English label."""
        return self.label.en


class LabelledEnum(_Labelled, StrEnum):
    """A string enum whose members carry their label in both languages, declared next to the
    code: ``DISCRETE = "discrete", "离散型", "Discrete"``. The member's value is the code
    (``ProductionType("discrete") is ProductionType.DISCRETE``); ``label`` is the ``Localised``
    label and ``label_zh`` / ``label_en`` its two texts.

    ``zh`` and ``en`` default to "" only so that a lookup by code (``Kind("code")``) type-checks:
    a lookup never creates a member, and every member declares both texts.
    """

    _value_: str

    def __new__(cls, value: str, zh: str = "", en: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        return member


class LabelledIntEnum(_Labelled, IntEnum):
    """An int enum whose members carry their label in both languages, declared next to the
    number: ``QUICK = 1, "0-3 个月：见效快的轻量应用", "0-3 months: quick wins"``; members
    order by number. ``label``, ``label_zh`` and ``label_en`` as in ``LabelledEnum``."""

    _value_: int

    def __new__(cls, value: int, zh: str = "", en: str = "") -> Self:
        member = int.__new__(cls, value)
        member._value_ = value
        return member


#: The CLDR locale each language is formatted with (Babel): mainland Chinese, British English.
CLDR_LOCALE = Localised(zh="zh_CN", en="en_GB")


def join_list(items: Iterable[str], locale: object) -> str:
    """``items`` joined as ``locale``'s language writes a list (CLDR via ``babel.lists``):
    "组织和数据" / "organisation and data", "A、B和C" / "A, B and C"; "" for no items."""
    return format_list(list(items), locale=CLDR_LOCALE.for_locale(locale))
