"""Path segments stored on the assessment when it is scored (issue 17): the rule-based path and
the statistical segment of the firm's centre cohort; a re-score refreshes them, and the
pipeline and the cohort export read the stored values."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assessment.instrument import load_instrument
from assessment.paths import path_of
from assessment.scoring import scoring_version_for
from models import Assessment, Enterprise, Job, in_force
from tests.factories import detached_one
from tests.integration.questionnaire_client import DECLARED, answer_with, most_mature_on
from webapp.extensions import db
from webapp.services import segments
from webapp.services.rescoring import rescore_round
from webapp.services.segments import MIN_FIRMS, _fit, _usable


def _largest_centre() -> int | None:
    """The id of the centre with the most enterprises (inside an app context)."""
    return db.session.scalar(
        select(Enterprise.centre_id)
        .where(Enterprise.centre_id.is_not(None))
        .group_by(Enterprise.centre_id)
        .order_by(db.func.count().desc())
        .limit(1)
    )


def test_a_submit_stores_the_rule_based_path(client, app, enterprise) -> None:  # type: ignore[no-untyped-def]
    draft = answer_with(client, app, enterprise.id, most_mature_on("2"))
    resp = client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    assert resp.status_code == 302
    row = detached_one(app, select(Assessment).where(Assessment.public_id == draft.public_id))
    assert row.status == "submitted" and row.instrument_version == "2"
    assert row.path_rule == path_of(row.responses).value
    # one firm in its cohort: too few to segment (MIN_FIRMS)
    assert row.path_segment is None


def _centre_rows(centre_id: int) -> list[Assessment]:
    return list(
        db.session.scalars(
            select(Assessment)
            .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
            .where(Enterprise.centre_id == centre_id, Assessment.round_code == "2026", in_force())
            .order_by(Assessment.id)
        )
    )


@pytest.mark.demo_cohort(enterprises=120, seed=4)
def test_a_rescore_refreshes_the_stored_segments_when_the_answers_change(app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        centre_id = _largest_centre()
        assert centre_id is not None
        rows = _centre_rows(centre_id)
        assert len(_usable(rows)) >= MIN_FIRMS
        # Loaded cohorts are segmented as they are scored: each row holds its path and the main
        # path of its segment in the centre's segmentation (the one the cohort chart fits).
        model = _fit(_usable(rows))
        assert model is not None
        main = {s.label: s.path.value for s in model.segments}
        assert [a.path_segment for a in _usable(rows)] == [main[label] for label in model.labels]
        assert all(a.path_rule == path_of(a.responses).value for a in rows)
        # Give one firm another firm's answers (as a correction would) and re-score the round.
        first = rows[0]
        other = next(a for a in rows if a.path_rule != first.path_rule)
        before = first.path_rule
        first.responses = dict(other.responses)
        db.session.commit()
        version = scoring_version_for(load_instrument("dmi", "2"))
        rescore_round("2026", version)
        changed = db.session.get(Assessment, first.id)
        assert changed is not None
        assert changed.path_rule == other.path_rule != before
        refit = _fit(_usable(_centre_rows(centre_id)))
        assert refit is not None
        labels = dict(
            zip([a.id for a in _usable(_centre_rows(centre_id))], refit.labels, strict=True)
        )
        segment_main = {s.label: s.path.value for s in refit.segments}
        assert changed.path_segment == segment_main[labels[first.id]]


@pytest.mark.demo_cohort(enterprises=120, seed=4)
def test_a_submit_segments_its_centre_cohort_in_a_job_not_in_the_request(
    client, app, make_user, make_enterprise, login
) -> None:  # type: ignore[no-untyped-def]
    """The submit stores the rule-based path at once; the statistical segment comes from a
    ``refresh_segments`` job started after the submit (it runs at once here, ``JOBS_SYNC``)."""
    owner = make_user()
    enterprise = make_enterprise(owner)
    with app.app_context():
        centre_id = _largest_centre()
        firm = db.session.get(Enterprise, enterprise.id)
        assert firm is not None and centre_id is not None
        firm.centre_id = centre_id  # into the largest centre's cohort (enough to segment)
        db.session.commit()
    login(owner)
    draft = answer_with(client, app, enterprise.id, most_mature_on("2"))
    assert client.post(f"/enterprise/assessments/{draft.public_id}/submit", data=DECLARED)
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == "refresh_segments"))
        assert job is not None and job.state == "done"
        assert job.params == {"round": "2026", "centre": centre_id}
        row = db.session.scalar(select(Assessment).where(Assessment.public_id == draft.public_id))
        assert row is not None and row.path_rule == path_of(row.responses).value
        model = _fit(_usable(_centre_rows(centre_id)))
        assert model is not None
        labels = dict(
            zip([a.id for a in _usable(_centre_rows(centre_id))], model.labels, strict=True)
        )
        assert row.path_segment == {s.label: s.path.value for s in model.segments}[labels[row.id]]


@pytest.mark.demo_cohort(enterprises=120, seed=4)
def test_the_cohort_segmentation_is_fitted_once_until_an_input_changes(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The cohort page's segmentation (about a second of k-means per view before) is fitted
    once and read from the cache until an answer of the cohort changes."""
    fits = []

    def counted_fit(usable):  # type: ignore[no-untyped-def]
        fits.append(len(usable))
        return _fit(usable)

    monkeypatch.setattr(segments, "_fit", counted_fit)
    with app.app_context():
        centre_id = _largest_centre()
        assert centre_id is not None
        rows = _centre_rows(centre_id)
        first = segments.cohort_segments(rows)
        again = segments.cohort_segments(rows)
        assert first is not None and again == first
        assert len(fits) == 1
        # Another firm's answers on the first usable firm: a new fit, as a view after a
        # correction must show.
        target = _usable(rows)[0]
        other = next(a for a in _usable(rows) if a.responses != target.responses)
        target.responses = dict(other.responses)
        changed = segments.cohort_segments(rows)
        assert len(fits) == 2
        assert changed is not None and changed == segments._cohort_segments(_usable(rows))
        db.session.rollback()
