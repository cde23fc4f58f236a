"""The plain-text rule (``assessment.text``) with its refusals in the request's language."""

from __future__ import annotations

from flask_babel import gettext as _

from assessment.text import TextProblem, text_problem
from webapp.services.errors import InvalidInputError


def text_problem_message(problem: TextProblem) -> str:
    """The refusal for ``problem`` in the request's language."""
    messages = {
        TextProblem.CONTROL: _("不能包含控制字符。"),
        TextProblem.BIDI: _("不能包含改变文字方向的隐藏字符。"),
        TextProblem.INVISIBLE: _("内容不能只有空格或不可见字符。"),
        TextProblem.COMBINING: _("组合符号过多，请检查输入。"),
    }
    return messages[problem]


def check_plain_text(field: str, value: str, *, multiline: bool = False) -> str:
    """``value`` when it follows ``assessment.text.text_problem``.

    Raises
    ------
    InvalidInputError
        On ``field``, with the reason in the request's language.
    """
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        raise InvalidInputError(field, text_problem_message(problem))
    return value
