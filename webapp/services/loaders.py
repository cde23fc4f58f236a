"""Object-scoped loaders: fetch one row by the identifier a URL carries, for one actor.

Each loader answers ``NotFoundError`` both when the row does not exist and when the actor may
not reach it (the predicates in ``webapp/access.py``), so a guessed identifier tells nothing.
Services and views load through these functions rather than from one another, which keeps the
service modules free of import cycles.
"""

from __future__ import annotations

from sqlalchemy import select

from models import Assessment, Enterprise, Evidence, Job, User
from webapp import jobs
from webapp.access import (
    may_act_for_centre,
    may_reach_assessment,
    may_reach_evidence,
    may_reach_job,
)
from webapp.extensions import db
from webapp.services.errors import NotFoundError


def assessment_for(actor: User, public_id: str) -> Assessment:
    """The assessment with this public id if it belongs to the actor's enterprise.

    Raises
    ------
    NotFoundError
        No such assessment, or it belongs to another enterprise (the two are not told apart).
    """
    assessment = db.session.scalar(select(Assessment).where(Assessment.public_id == public_id))
    if assessment is None or not may_reach_assessment(actor, assessment):
        raise NotFoundError(public_id)
    return assessment


def enterprise_for_staff(actor: User, enterprise_id: int) -> Enterprise:
    """The enterprise with this id if it is assigned to the actor's centre.

    Raises
    ------
    NotFoundError
        No such enterprise, or it belongs to another centre's cohort.
    """
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None or not may_act_for_centre(actor, enterprise.centre_id):
        raise NotFoundError(str(enterprise_id))
    return enterprise


def evidence_for(actor: User, public_id: str) -> tuple[Evidence, Assessment]:
    """The evidence file with this public id and its assessment, if the actor may reach the
    enterprise's evidence (``may_reach_evidence``: the firm's users, its centre's staff).

    Raises
    ------
    NotFoundError
        No such file, or another enterprise's file (the two answer the same 404).
    """
    row = db.session.execute(
        select(Evidence, Assessment, Enterprise)
        .join(Assessment, Assessment.id == Evidence.assessment_id)
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(Evidence.public_id == public_id)
    ).first()
    if row is None or not may_reach_evidence(actor, row[2]):
        raise NotFoundError(public_id)
    return row[0], row[1]


def job_for(actor: User, public_id: str) -> Job:
    """The background job with this public id if the actor may see it (``may_reach_job``).

    Raises
    ------
    NotFoundError
        No such job, or someone else's job (the two answer the same 404).

    A job whose worker died is marked failed first (``jobs.reap_if_dead``), so its page stops
    saying "running" and asking again starts a new one.
    """
    job = db.session.scalar(select(Job).where(Job.public_id == public_id))
    if job is None or not may_reach_job(actor, job):
        raise NotFoundError(public_id)
    jobs.reap_if_dead(job)
    return job
