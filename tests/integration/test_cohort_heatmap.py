"""The cohort page's persona heatmap: one row per dimension the peer model was fitted on, named,
whichever questionnaire version is current."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from assessment.features import feature_columns
from models import Enterprise, Role, User
from webapp.extensions import db
from webapp.registries import instruments
from webapp.services import cohorts
from webapp.services.clusters import current_model

pytestmark = pytest.mark.demo_cohort(enterprises=120, seed=4)


def _heatmap(app: Flask, make_user) -> tuple[list[str], list[str], list[list[float]]]:  # type: ignore[no-untyped-def]
    """The heatmap (persona labels, dimension names, centroid rows) a centre's staff member sees."""
    staff = make_user(Role.CENTRE_STAFF)
    with app.test_request_context():
        centre_id = db.session.scalar(
            select(Enterprise.centre_id)
            .where(Enterprise.centre_id.is_not(None))
            .group_by(Enterprise.centre_id)
            .order_by(func.count().desc())
        )
        actor = db.session.get(User, staff.id)
        assert actor is not None
        actor.centre_id = centre_id
        db.session.commit()
        charts = cohorts.cohort_charts(actor, cohorts.CohortFilter(round_code="2026"), "en")
    assert charts.heatmap is not None
    return charts.heatmap


def test_heatmap_rows_are_the_scored_dimensions_of_the_current_version(
    app: Flask, make_user
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        current = instruments().current()
        assert current.version == "2"
        scored = [d.name_en for d in current.dimensions if d.scored]
        assert len(scored) < len(current.dimensions)  # v2 has unscored dimensions
        record = current_model("2026")
        assert record is not None
        assert record.params["columns"] == list(feature_columns(current))
    personas, names, rows = _heatmap(app, make_user)
    assert names == scored
    assert len(rows) == len(personas) >= 2
    assert all(len(row) == len(scored) for row in rows)


def test_heatmap_draws_a_model_fitted_on_the_previous_version(
    app: Flask, make_user, instrument_v1
) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        v1 = instruments().current()
        assert v1.version == "1"
    # The cohort and its peer model are on v1; then v2 becomes the current version.
    app.extensions["instruments"].packaged_current = ("dmi", "2")
    personas, names, rows = _heatmap(app, make_user)
    assert names == [d.name_en for d in v1.dimensions if d.scored]
    assert all(len(row) == len(names) for row in rows) and len(rows) == len(personas)
