"""The round rollup (``models.RoundRollup``): the government statistics' fact table kept in the
database, so that reading a round's facts costs a few thousand rows whatever its size.

A round's facts are its submitted assessments in force of confirmed enterprises, counted by
the profile as submitted, stage, basis (self-reported, staff-verified, on-site rated) and
plan-target hits (``fact_select``, the one definition).
The rollup holds that GROUP BY, and stays equal to it:

* ``rebuild`` writes a round's cells with one ``INSERT ... SELECT`` (the synthetic region, a
  round read before it was ever built, ``flask stats rollup``);
* every change after that is applied as a difference: the changed assessments' own cells
  before and after the change, both from ``fact_select``, added into the rollup (an upsert per
  cell). ORM changes are caught at flush (``install``: a submitted, corrected or deleted
  assessment, an enterprise confirmed or its profile edited, a stage validation or an on-site
  rating); the bulk writers that bypass the
  ORM (``results.rescore_rows``) call ``track`` themselves.

Releases (``webapp.services.releases``) freeze facts read from here; suppression and the
release audit are unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    bindparam,
    case,
    delete,
    event,
    false,
    func,
    insert,
    inspect,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment.onsite import Basis
from models import (
    Assessment,
    AssessmentStatus,
    Enterprise,
    OnsiteRating,
    RoundRollup,
    RoundRollupBuild,
    StageValidation,
    in_force,
)
from webapp.extensions import db
from webapp.services.confirmation import is_confirmed
from webapp.services.snapshots import submitted_profile

#: The key of a cell (after the round code) and its measures, in ``fact_select``'s order.
KEY = ("town", "cluster", "size_class", "production_type", "above_scale", "stage", "basis")
MEASURES = ("n", "index_sum", "integrated", "supply_chain", "cloud")
#: Enterprise columns a statistics cell reads (rows written without their own profile
#: columns fall back on them: ``snapshots.submitted_profile``) or that decide whether it counts.
_ENTERPRISE_COLUMNS = (
    "confirmed_at",
    "town",
    "cluster",
    "size_class",
    "production_type",
    "above_scale",
)

Cells = dict[tuple[Any, ...], tuple[float, ...]]


def _hits(flag: Any) -> Any:
    return func.sum(case((flag.is_(True), 1), else_=0))


def _basis() -> Any:
    """SQL expression: the basis code of an ``Assessment`` (``assessment.onsite.basis_of``: a
    finished on-site rating outranks a stage validation). The same subqueries as
    ``webapp.services.onsite``, written here because that module imports the submit path,
    which records its changes here."""
    onsite = select(OnsiteRating.assessment_id).where(OnsiteRating.finished_at.is_not(None))
    return case(
        (Assessment.id.in_(onsite), Basis.ONSITE_RATED.value),
        (Assessment.id.in_(select(StageValidation.assessment_id)), Basis.STAFF_VERIFIED.value),
        else_=Basis.SELF_REPORTED.value,
    )


def fact_select(*where: Any) -> Select[Any]:
    """SQL: (round code, town, cluster, size class, production type, above-scale, stage, basis,
    n, index sum, integrated, supply chain, cloud) per cell of the submitted assessments in force
    of confirmed enterprises matching ``where``. A missing stage counts as S0, a missing
    above-scale flag as not above scale."""
    submitted = submitted_profile()
    groups = (
        Assessment.round_code,
        submitted["town"],
        submitted["cluster"],
        submitted["size_class"],
        submitted["production_type"],
        func.coalesce(submitted["above_scale"], false()),
        func.coalesce(Assessment.stage, literal("S0")),
        _basis(),
    )
    return (
        select(
            *groups,
            func.count(),
            func.coalesce(func.sum(Assessment.maturity_index), 0.0),
            _hits(Assessment.plan_integrated),
            _hits(Assessment.plan_supply_chain),
            _hits(Assessment.plan_cloud),
        )
        .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
        .where(in_force(), is_confirmed(), *where)
        .group_by(*groups)
    )


def rebuild(round_code: str) -> None:
    """Replace the round's cells by its facts counted from the rows (one ``INSERT ... SELECT``)
    and mark it built. Does not commit."""
    db.session.execute(delete(RoundRollup).where(RoundRollup.round_code == round_code))
    db.session.execute(
        insert(RoundRollup).from_select(
            ["round_code", *KEY, *MEASURES], fact_select(Assessment.round_code == round_code)
        )
    )
    if db.session.get(RoundRollupBuild, round_code) is None:
        db.session.add(RoundRollupBuild(round_code=round_code))
    db.session.flush()


def cells(round_code: str) -> list[tuple[Any, ...]]:
    """The round's cells as (town, cluster, size class, production type, above-scale, stage,
    basis, n, index sum, integrated, supply chain, cloud) rows; a round never built is built first
    (``rebuild``) and committed on its own. When another request built it at the same moment,
    its writes fail on the cells' or the build row's key: this one then reads what that one
    built."""
    if db.session.get(RoundRollupBuild, round_code) is None:
        try:
            rebuild(round_code)
            db.session.commit()
        except IntegrityError:  # its cells or build row were written first by the other one
            db.session.rollback()
    columns = [getattr(RoundRollup, name) for name in (*KEY, *MEASURES)]
    return [
        tuple(row)
        for row in db.session.execute(
            select(*columns).where(RoundRollup.round_code == round_code, RoundRollup.n > 0)
        )
    ]


@functools.cache
def _cells_statement() -> Select[Any]:
    """``fact_select`` of the assessments in the expanding parameter ``ids``, built once per
    process: building it costs about 15 ms, and it runs before and after every flush that
    touches a submitted assessment."""
    return fact_select(Assessment.id.in_(bindparam("ids", expanding=True)))


def _cells_of(connection: Connection, ids: Collection[int]) -> Cells:
    """The cells the assessments ``ids`` count in now, with their measures."""
    out: Cells = {}
    id_list = sorted(ids)
    for start in range(0, len(id_list), 5000):  # bound the IN list
        part = id_list[start : start + 5000]
        for row in connection.execute(_cells_statement(), {"ids": part}):
            out[tuple(row[: 1 + len(KEY)])] = tuple(row[1 + len(KEY) :])
    return out


def _apply(connection: Connection, before: Cells, after: Cells) -> None:
    """Add ``after - before`` into the rollup of the rounds already built."""
    keys = set(before) | set(after)
    if not keys:
        return
    built = set(
        connection.scalars(
            select(RoundRollupBuild.round_code).where(
                RoundRollupBuild.round_code.in_({k[0] for k in keys})
            )
        )
    )
    zero = (0,) * len(MEASURES)
    rows = []
    for key in keys:
        if key[0] not in built:
            continue
        delta = tuple(
            a - b for a, b in zip(after.get(key, zero), before.get(key, zero), strict=True)
        )
        if any(delta):
            rows.append(dict(zip(("round_code", *KEY, *MEASURES), (*key, *delta), strict=True)))
    if not rows:
        return
    # Cells in one order in every transaction: two workers re-scoring at once lock them in
    # the same order and never deadlock.
    rows.sort(key=lambda r: tuple(str(r[name]) for name in ("round_code", *KEY)))
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(RoundRollup)
    connection.execute(
        upsert.on_conflict_do_update(
            index_elements=["round_code", *KEY],
            set_={m: getattr(RoundRollup, m) + getattr(upsert.excluded, m) for m in MEASURES},
        ),
        rows,
    )
    connection.execute(
        delete(RoundRollup).where(
            RoundRollup.round_code.in_({r["round_code"] for r in rows}), RoundRollup.n <= 0
        )
    )


@contextmanager
def track(ids: Iterable[int]) -> Iterator[None]:
    """Keep the rollup equal to the rows across a bulk change of the assessments ``ids`` made
    inside the block without the ORM (their cells before, then after; the difference is
    added). Does not commit."""
    id_set = set(ids)
    connection = db.session.connection()
    before = _cells_of(connection, id_set)
    yield
    _apply(connection, before, _cells_of(connection, id_set))


def _changed_enterprise(obj: Enterprise) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in _ENTERPRISE_COLUMNS)


def _touched(session: Session) -> tuple[set[int], list[Assessment]]:
    """Ids of stored assessments a flush may move between cells, and new assessments."""
    ids: set[int] = set()
    new: list[Assessment] = []
    submitted = AssessmentStatus.SUBMITTED.value
    for obj in session.new:
        if isinstance(obj, Assessment) and obj.status == submitted:
            new.append(obj)
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Assessment) and obj.status == submitted and obj.id is not None:
            ids.add(obj.id)
    # A stage validation or an on-site rating changes the basis of the assessment it rates.
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, StageValidation | OnsiteRating) and obj.assessment_id is not None:
            ids.add(obj.assessment_id)
    # A submitted correction supersedes the record it corrects: that one leaves its cell.
    for obj in (*new, *session.dirty):
        if isinstance(obj, Assessment) and obj.status == submitted and obj.corrects_id:
            ids.add(obj.corrects_id)
    enterprises = [
        obj.id
        for obj in session.dirty
        if isinstance(obj, Enterprise) and obj.id is not None and _changed_enterprise(obj)
    ]
    if enterprises:
        ids |= set(
            session.connection().scalars(
                select(Assessment.id).where(Assessment.enterprise_id.in_(enterprises))
            )
        )
    return ids, new


_PENDING = "rollup_pending"


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    ids, new = _touched(session)
    if ids or new:
        session.info[_PENDING] = (ids, new, _cells_of(session.connection(), ids))


def _after_flush(session: Session, _context: Any) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    ids, new, before = pending
    ids = ids | {obj.id for obj in new if obj.id is not None}
    connection = session.connection()
    _apply(connection, before, _cells_of(connection, ids))


def install() -> None:
    """Listen to every ORM flush (once per process): changes to assessments and enterprises
    are added into the rollup in the same transaction."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
