"""Progress and navigation through the questionnaire, one page per dimension."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select

from assessment.instrument import is_applicable, pages_for
from assessment.types import Item
from models import Assessment, AssessmentStatus, Enterprise
from webapp.extensions import db
from webapp.registries import instruments
from webapp.services import assessments, carried_answers, snapshots
from webapp.services.answer_lists import AnswerRow, answer_rows
from webapp.services.errors import NotFoundError


def minutes_left(minutes: int, answered: int, total: int) -> int:
    """Minutes still needed for a questionnaire estimated at ``minutes`` in all, in proportion to
    the unanswered items: at least 1 until every item is answered, then 0."""
    if not total or answered >= total:
        return 0
    return max(1, math.ceil(minutes * (total - answered) / total))


@dataclass(frozen=True)
class PageProgress:
    """One page of the questionnaire: ``answered`` of ``total`` applicable items."""

    code: str
    name_zh: str
    name_en: str
    answered: int
    total: int
    missing_required: tuple[Item, ...]
    #: Codes of the answers carried from an earlier version that await the owner's
    #: confirmation of this page (``carried_answers``); empty once confirmed.
    carried: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Nothing stops the submit on this page: no required answer missing and no carried
        answer left to confirm (a page of optional items is complete before it is opened)."""
        return not self.missing_required and not self.carried

    @property
    def done(self) -> bool:
        """What the page list marks as done: complete, and answered at least in part (or with
        nothing to answer), so that an untouched page of optional items does not look
        finished."""
        return self.complete and (self.answered > 0 or self.total == 0)


@dataclass(frozen=True)
class Navigation:
    """Where a page sits: its neighbours and the progress of every page."""

    current: PageProgress
    index: int
    pages: tuple[PageProgress, ...]
    previous: str | None
    next: str | None
    #: The instrument's estimate of the whole questionnaire, in minutes.
    minutes: int = 20
    #: Where this page's carried answers come from: the questionnaire version and the round of
    #: the earlier assessment (``carried_answers.earlier_assessment``); None without any.
    carried_from: str | None = None
    carried_round: str | None = None

    @property
    def minutes_left(self) -> int:
        """Minutes still needed (``minutes_left``)."""
        return minutes_left(self.minutes, self.answered, self.total)

    @property
    def answered(self) -> int:
        return sum(p.answered for p in self.pages)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.pages)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def progress(assessment: Assessment) -> tuple[PageProgress, ...]:
    """Answered and missing items per page, with skip logic applied; only the pages the
    enterprise sees (``instrument.pages_for``: no empty cluster-module page)."""
    instrument = assessments.instrument_of(assessment)
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    profile = snapshots.assessment_profile(assessment, enterprise)
    responses = snapshots.responses_of(assessment)
    carried = carried_answers.unconfirmed(assessment)
    pages = []
    for dim in pages_for(instrument, profile):
        items = [i for i in instrument.items_of(dim.code) if is_applicable(i, profile, responses)]
        answered = [i for i in items if i.code in responses]
        missing = tuple(i for i in items if i.required and i.code not in responses)
        pages.append(
            PageProgress(
                dim.code,
                dim.name_zh,
                dim.name_en,
                len(answered),
                len(items),
                missing,
                tuple(carried.get(dim.code, ())),
            )
        )
    return tuple(pages)


def navigation(assessment: Assessment, dimension: str) -> Navigation:
    """Navigation for the page of ``dimension``.

    Raises
    ------
    NotFoundError
        ``dimension`` is not a page of the assessment's instrument.
    """
    pages = progress(assessment)
    instrument = assessments.instrument_of(assessment)
    codes = [p.code for p in pages]
    if dimension not in codes:
        raise NotFoundError(dimension)
    i = codes.index(dimension)
    earlier = (
        carried_answers.earlier_assessment(
            assessment.enterprise_id, instrument, assessment.round_code
        )
        if pages[i].carried
        else None
    )
    return Navigation(
        current=pages[i],
        index=i,
        pages=pages,
        previous=codes[i - 1] if i > 0 else None,
        next=codes[i + 1] if i + 1 < len(codes) else None,
        minutes=instrument.minutes,
        carried_from=earlier.instrument_version if earlier else None,
        carried_round=earlier.round_code if earlier else None,
    )


def resume_page(assessment: Assessment) -> str | None:
    """The first page not yet complete (a required answer missing or carried answers to
    confirm); None when every page is complete, so "continue" goes to the review page."""
    for page in progress(assessment):
        if not page.complete:
            return page.code
    return None


def first_page(assessment: Assessment) -> str:
    """The code of the first page the enterprise sees."""
    return progress(assessment)[0].code


@dataclass(frozen=True)
class Overview:
    """The owner's home: this round's assessment (if any) and its progress."""

    current: Assessment | None
    current_progress: tuple[PageProgress, ...]
    round_code: str
    #: Parts (pages) and estimated minutes of the questionnaire being, or about to be, answered.
    parts: int = 8
    minutes: int = 20

    @property
    def percent(self) -> int:
        total = sum(p.total for p in self.current_progress)
        done = sum(p.answered for p in self.current_progress)
        return round(100 * done / total) if total else 0

    @property
    def minutes_left(self) -> int:
        """Minutes still needed for the draft (``minutes_left``); all of them before a start."""
        if not self.current_progress:
            return self.minutes
        return minutes_left(
            self.minutes,
            sum(p.answered for p in self.current_progress),
            sum(p.total for p in self.current_progress),
        )


def overview(enterprise: Enterprise, round_code: str) -> Overview:
    # The newest record of the round: a correction being filled in shows as this round's work.
    current = db.session.scalar(
        select(Assessment)
        .where(Assessment.enterprise_id == enterprise.id, Assessment.round_code == round_code)
        .order_by(Assessment.id.desc())
        .limit(1)
    )
    prog = (
        progress(current)
        if current is not None and current.status == AssessmentStatus.DRAFT.value
        else ()
    )
    # A draft keeps the version it was started on; a new assessment gets the current one.
    instrument = (
        assessments.instrument_of(current)
        if prog and current is not None
        else instruments().current()
    )
    return Overview(
        current,
        prog,
        round_code,
        parts=len(pages_for(instrument, snapshots.profile_of(enterprise))),
        minutes=instrument.minutes,
    )


def review(assessment: Assessment) -> tuple[PageProgress, ...]:
    """Per page, the required items still unanswered and the carried answers awaiting
    confirmation, for the pre-submit check."""
    return progress(assessment)


def review_answers(assessment: Assessment) -> dict[str, list[AnswerRow]]:
    """The answers given so far, grouped by page (dimension code), in instrument order; the
    review page lists them under each page's counts."""
    instrument = assessments.instrument_of(assessment)
    enterprise = db.session.get(Enterprise, assessment.enterprise_id)
    assert enterprise is not None
    profile = snapshots.assessment_profile(assessment, enterprise)
    grouped: dict[str, list[AnswerRow]] = {}
    for row in answer_rows(instrument, profile, snapshots.responses_of(assessment)):
        grouped.setdefault(row.dimension, []).append(row)
    return grouped
