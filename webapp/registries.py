"""The app-owned registries, created in the factory (``create_app``) and kept in
``app.extensions``; the functions below return the current app's, so nothing is process-wide and
a test changes only its own app.

- ``"instruments"``: the ``InstrumentRegistry`` (packaged and published questionnaire versions);
- ``"scorers"``: scoring version -> scoring function, a copy of ``assessment.scoring.SCORERS``;
- ``"job_functions"``: job kind -> function, a copy of ``webapp.job_functions.JOB_FUNCTIONS``
  (read by ``webapp.jobs.run_job``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from flask import Flask, current_app

from assessment import scoring
from assessment.scoring import SCORERS, Scorer, scoring_version_for
from assessment.types import Instrument
from webapp.instrument_registry import InstrumentRegistry
from webapp.jobs import FUNCTIONS_KEY, JobFunction


def install(app: Flask, job_functions: Mapping[str, JobFunction]) -> None:
    """Give ``app`` its own registries (called once by the factory); ``job_functions`` is
    ``webapp.job_functions.JOB_FUNCTIONS``, passed in so that the services, which read these
    registries, never import the job functions that import them."""
    app.extensions["instruments"] = InstrumentRegistry()
    app.extensions["scorers"] = dict(SCORERS)
    app.extensions[FUNCTIONS_KEY] = dict(job_functions)


def instruments() -> InstrumentRegistry:
    """The current app's questionnaire versions (needs an app context)."""
    return cast(InstrumentRegistry, current_app.extensions["instruments"])


def scorers() -> dict[str, Scorer]:
    """The current app's scoring versions -> scoring functions (needs an app context)."""
    return cast(dict[str, Scorer], current_app.extensions["scorers"])


def scorer(version: str) -> Scorer:
    """The current app's scoring function of ``version``.

    Raises
    ------
    InstrumentVersionError
        No such scoring version.
    """
    return scoring.scorer(version, scorers())


def scorer_for(instrument: Instrument) -> Scorer:
    """The current app's scoring function for results of ``instrument`` (version 1 for dmi v1,
    version 2 with the MIIT level for dmi v2; ``assessment.scoring.scoring_version_for``)."""
    return scorer(scoring_version_for(instrument))
