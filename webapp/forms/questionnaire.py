"""Turn one dimension (one page) of the instrument into a Flask-WTF form.

Fields are named ``item_<code>``. Only the type of each field is WTForms' business; whether an
answer is acceptable (options, bounds, units) is decided by ``assessment.normalise_response``,
the one place where the instrument's rules live.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from assessment.errors import InvalidResponseError
from assessment.instrument import UNKNOWN, normalise_response
from assessment.types import Item, ItemKind


class MultiCheckboxField(SelectMultipleField):
    """A multiple-choice question rendered as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:  # the instrument validates the options
        pass


class OpenRadioField(RadioField):
    """A radio field whose options are checked by the instrument, not by WTForms."""

    def pre_validate(self, form: Any) -> None:
        pass


class QuestionnairePageForm(FlaskForm):
    """Base class: the optimistic-locking version and the navigation action."""

    version = HiddenField()
    action = HiddenField(default="save")


def field_name(item: Item) -> str:
    return f"item_{item.code}"


def make_section_form(
    items: Sequence[Item], responses: Mapping[str, Any], *, locale: str, **form_kwargs: Any
) -> QuestionnairePageForm:
    """Build the form for one page of the questionnaire.

    Parameters
    ----------
    items : sequence of Item
        The page's items that apply to this enterprise (skip logic already applied).
    responses : mapping
        Stored answers, item code -> option code, list of option codes, or number; used as the
        fields' initial data.
    locale : str
        The page's locale: labels and options use the instrument's text in its language.
    """

    class PageForm(QuestionnairePageForm):
        pass

    for item in items:
        label = item.text.for_locale(locale)
        description = item.help.for_locale(locale)
        choices = [SelectChoice(o.code, o.text.for_locale(locale)) for o in item.options]
        field: Field
        if item.kind == ItemKind.SINGLE:
            field = OpenRadioField(label, choices=choices, description=description)
        elif item.kind == ItemKind.MULTI:
            field = MultiCheckboxField(label, choices=choices, description=description)
        else:
            field = StringField(label, description=description, widget=NumberInput(step="any"))
        setattr(PageForm, field_name(item), field)

    data = {field_name(i): _initial(i, responses.get(i.code)) for i in items}
    return PageForm(data=data, **form_kwargs)


def _initial(item: Item, value: Any) -> Any:
    if value is None:
        return [] if item.kind == ItemKind.MULTI else None
    if item.kind in (ItemKind.NUMBER, ItemKind.FIGURE):
        # A figure answered "don't know" shows an empty number and its ticked box (the page).
        return None if value == UNKNOWN else f"{float(value):g}"
    return list(value) if item.kind == ItemKind.MULTI else value


@dataclass(frozen=True)
class PageAnswers:
    """What a submitted page holds: valid answers, answers the user cleared, and errors."""

    answers: dict[str, Any]
    cleared: frozenset[str]
    errors: dict[str, str]


def read_page_answers(
    form: QuestionnairePageForm, items: Sequence[Item], *, locale: str
) -> PageAnswers:
    """Read raw answers off the submitted form and normalise each with the instrument's rules.

    An invalid answer is reported under its item code and left out of ``answers``; the other
    answers on the page are still saved, so one typo never loses the rest of the page. A
    figure's field has two inputs, the number and the "don't know" box (value ``UNKNOWN``);
    both filled in is an error.
    """
    answers: dict[str, Any] = {}
    cleared: set[str] = set()
    errors: dict[str, str] = {}
    for item in items:
        raw = [r for r in (form[field_name(item)].raw_data or []) if r.strip()]
        if not raw:
            cleared.add(item.code)
            continue
        if item.kind == ItemKind.FIGURE and UNKNOWN in raw and len(raw) > 1:
            # Both inputs sent (the page's script unticks the box when a number is typed).
            errors[item.code] = _("请填写数字，或勾选“不清楚”，两者只选其一。")
            continue
        try:
            value = normalise_response(item, raw if item.kind == ItemKind.MULTI else raw[0])
        except InvalidResponseError as exc:
            errors[item.code] = exc.reason.for_locale(locale)
            continue
        answers[item.code] = list(value) if isinstance(value, tuple) else value
    return PageAnswers(answers, frozenset(cleared), errors)
