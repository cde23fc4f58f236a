"""The enterprise report, built once per version of its inputs and then read from the cache.

Building a report reads the firm, its answers and result, the peer groups, the catalogue and the
previous round, and builds the roadmap: about half a second of work that
every view of the result page repeated (issue 18: the result page served 59 req/s against 117
for the questionnaire page). ``report_key`` is a fingerprint of all of those inputs, read with
a few aggregate queries; the report and its radar are cached under it (Flask-Caching: in Redis
when ``REDIS_URL`` is set, per process otherwise), so a repeat view costs the fingerprint and
one cache read, and any change of an input (a re-score, a correction, a new peer in the round,
a catalogue or programme edit, the other language) gives another key and a fresh build.
Nothing is ever invalidated by hand; stale entries expire after ``CACHE_SECONDS``.

The stored enterprise PDF (``webapp.services.report_files``) is keyed the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from models import (
    Assessment,
    EnablingCentre,
    Enterprise,
    OnsiteRating,
    ServiceProvider,
    Solution,
    StageValidation,
    SupportProgramme,
)
from reports.viewmodels import EnterpriseReport
from webapp.extensions import cache, db
from webapp.services import enterprise_reports, peers

#: How long a built report stays cached when nobody views it (seconds).
CACHE_SECONDS = 3600
#: Bumped when the shape of ``EnterpriseReport`` or of the radar changes, so a cache that
#: outlives a deploy (Redis) never hands a new process an old object.
LAYOUT = "3"


@dataclass(frozen=True)
class CachedReport:
    """A built report and the HTML of its interactive radar (``enterprise_reports.radar_html``)."""

    report: EnterpriseReport
    radar_html: str


def _firm_version(assessment: Assessment) -> tuple[object, ...]:
    """The firm's row stamp, (count, latest change) of its assessments, and this assessment's
    latest stage validation and on-site rating: its profile and figures (roadmap), its result,
    the previous round it is compared with, and the basis of the result (issue 17)."""
    mine = Assessment.enterprise_id == assessment.enterprise_id
    row = db.session.execute(
        select(
            Enterprise.updated_at,
            select(func.count()).select_from(Assessment).where(mine).scalar_subquery(),
            select(func.max(Assessment.updated_at)).where(mine).scalar_subquery(),
            select(func.max(StageValidation.created_at))
            .where(StageValidation.assessment_id == assessment.id)
            .scalar_subquery(),
            select(func.max(OnsiteRating.updated_at))
            .where(OnsiteRating.assessment_id == assessment.id)
            .scalar_subquery(),
        ).where(Enterprise.id == assessment.enterprise_id)
    ).one()
    return tuple(str(v) for v in row)


def catalogue_version() -> tuple[str, ...]:
    """(count, latest change) of the centres, providers, solutions and support programmes: any
    added, edited or retired entry changes it. One statement of eight aggregates."""
    counts = [
        select(func.count()).select_from(table).scalar_subquery()
        for table in (EnablingCentre, ServiceProvider, Solution, SupportProgramme)
    ]
    stamps = [
        select(func.max(table.updated_at)).scalar_subquery()
        for table in (EnablingCentre, ServiceProvider, Solution, SupportProgramme)
    ]
    return tuple(str(v) for v in db.session.execute(select(*counts, *stamps)).one())


def report_key(assessment: Assessment, lang: str) -> str:
    """The cache key of ``assessment``'s report in ``lang``: ``"report:<sha256 hex>"`` over the
    assessment id, its scoring version, the firm's version (``_firm_version``), the peer
    rounds' versions (``peers.peer_version``), the catalogue's version, the language and
    ``LAYOUT``. Three small queries; no row of the report is read."""
    parts = (
        LAYOUT,
        assessment.id,
        assessment.scoring_version,
        lang,
        _firm_version(assessment),
        peers.peer_version(assessment.round_code),
        catalogue_version(),
    )
    return "report:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_report(assessment: Assessment, lang: str) -> CachedReport:
    """The report of a submitted ``assessment`` in ``lang`` ("zh" or "en") with its radar,
    from the cache when its inputs have not changed since it was built, else built
    (``enterprise_reports.build_report``) and cached under ``report_key``."""
    key = report_key(assessment, lang)
    found = cache.get(key)
    if isinstance(found, CachedReport):
        return found
    report = enterprise_reports.build_report(assessment, lang)
    built = CachedReport(report, enterprise_reports.radar_html(report))
    cache.set(key, built, timeout=CACHE_SECONDS)
    return built
