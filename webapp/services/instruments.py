"""Publishing questionnaire (instrument) versions from the administrator page.

The packaged ``assessment/instruments/<id>-v<n>.toml`` files are the versions that ship with the
code. An administrator can publish a later version without a deployment: the TOML text is
validated by the same parser and a scoring smoke test, stored once in the ``setting`` table
(``instrument:<id>-v<n>``, never updated afterwards) with an audit-log entry, and a pointer
(``instrument:current``) names the version new assessments start on. Each app's
``InstrumentRegistry`` (``webapp.registries.instruments()``) is made to agree with the database
before a request at most every ``INSTRUMENT_SYNC_SECONDS`` (``sync_current``), so each web worker
sees a publication within that interval, the publishing one at once. Assessments keep the version they
were started on (DESIGN.md: "a published version never changes").
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from assessment.carry_over import check_carry_over
from assessment.errors import AssessmentError, InstrumentVersionError
from assessment.instrument import CURRENT, parse_instrument
from assessment.scoring import extreme_answers
from assessment.types import MIIT_LEVEL_CODES, Instrument
from models import Setting, User
from webapp.extensions import db
from webapp.instrument_registry import InstrumentRegistry
from webapp.registries import instruments, scorer_for
from webapp.services import audit
from webapp.services.errors import ServiceError
from webapp.services.instrument_workbook import toml_from_workbook, workbook_from_toml
from webapp.services.tabular_import import ImportRefused, RowError

KEY_PREFIX = "instrument:"
CURRENT_KEY = "instrument:current"
MAX_BYTES = 512 * 1024


class PublicationRefused(ServiceError):
    """The uploaded file cannot be published; ``reason`` is a localised sentence and ``errors``
    the refused rows of a workbook (empty for a TOML file)."""

    def __init__(self, reason: str, errors: Sequence[RowError] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.errors = list(errors)


@dataclass(frozen=True)
class PublishedVersion:
    """One row of the versions table on the administrator page."""

    instrument_id: str
    version: str
    title_zh: str
    title_en: str
    items: int
    packaged: bool
    current: bool
    published_at: datetime | None
    sha256: str


def _key(instrument_id: str, version: str) -> str:
    return f"{KEY_PREFIX}{instrument_id}-v{version}"


def _stored_rows() -> list[Setting]:
    rows = db.session.scalars(select(Setting).where(Setting.key.startswith(KEY_PREFIX)))
    return [r for r in rows if r.key != CURRENT_KEY]


def sync_current(registry: InstrumentRegistry) -> None:
    """Make ``registry`` match the database (before a request, at most once per interval).

    One primary-key read when nothing changed. Without a pointer row, only the packaged files
    count. A database that cannot answer leaves the registry as it is (the request itself will
    report the outage, e.g. ``/healthz``).
    """
    try:
        pointer = db.session.get(Setting, CURRENT_KEY)
    except SQLAlchemyError:
        db.session.rollback()
        return
    if pointer is None:
        registry.forget_published()
        return
    instrument_id, version = pointer.value["id"], pointer.value["version"]
    if registry.is_current_publication(instrument_id, version):
        return
    published = [parse_instrument(row.value["toml"]) for row in _stored_rows()]
    registry.replace(published, (instrument_id, version))


def _smoke_test(instrument: Instrument) -> None:
    """The extreme answers of every production type (``scoring.extreme_answers``) must get
    their stage and MIIT level under the scorer of the version (``scorer_for``: the v1 gates of
    ``assessment/stages.py`` or the v2 gates of ``assessment/stages_v2.py``, which name item
    codes). Otherwise the gates no longer fit the new version, e.g. an item a gate reads was
    renamed or dropped.

    Raises
    ------
    PublicationRefused
        The version cannot be scored, or an extreme answer set gets another stage or level.
    """
    score = scorer_for(instrument)
    for case in extreme_answers(instrument):
        try:
            result = score(instrument, case.profile, case.responses)
        except (AssessmentError, KeyError, ValueError) as exc:
            raise PublicationRefused(
                _("新版本无法评分：%(e)s", e=f"{type(exc).__name__}: {exc}")
            ) from exc
        which = _("最高") if case.most else _("最低")
        stage = result.stage.stage
        if stage != case.stage:
            raise PublicationRefused(
                _(
                    "新版本与阶段判定条件不符：%(t)s 类型企业的全部%(w)s答案得到 %(s)s，应为 %(e)s。",
                    t=case.profile.production_type.value,
                    w=which,
                    s=stage.name,
                    e=case.stage.name,
                )
            )
        if result.miit is not None and result.miit.level != case.miit_level:
            raise PublicationRefused(
                _(
                    "新版本与工信部等级规则不符：%(t)s 类型企业的全部%(w)s答案得到等级 %(s)s，应为 %(e)s。",
                    t=case.profile.production_type.value,
                    w=which,
                    s=result.miit.level_code,
                    e=MIIT_LEVEL_CODES[case.miit_level],
                )
            )


def _check_carry_over(instrument: Instrument) -> None:
    """Refuse ``carried_from`` marks naming items or options the earlier version lacks."""
    if instrument.carried_from_version is None:
        return
    try:
        check_carry_over(
            instruments().get(instrument.id, instrument.carried_from_version), instrument
        )
    except InstrumentVersionError as exc:
        raise PublicationRefused(_("文件无效：%(e)s", e=str(exc))) from exc


def publish(actor: User, data: bytes, filename: str = "upload.toml") -> Instrument:
    """Publish an uploaded instrument, TOML or Excel workbook, as the version new assessments
    start on. A workbook is stored as the TOML it spells, so every version downloads both ways.

    Parameters
    ----------
    data : bytes
        At most 512 KiB: UTF-8 TOML in the format of ``assessment/instruments/dmi-v2.toml``
        (a name ending ``.toml``), or an .xlsx workbook in the layout of
        ``assessment.instrument_sheets`` (a name ending ``.xlsx``).
    filename : str
        The uploaded file's name; only its ending is read.

    Raises
    ------
    PublicationRefused
        Another file type, not UTF-8, too large, a workbook with bad rows (``errors`` lists
        every one), invalid (``parse_instrument``'s message), another instrument id, a version
        that is not a whole number above every published version, carry-over marks that do not
        fit the version they name (``carry_over.check_carry_over``), or a version that cannot be
        scored.
    """
    if len(data) > MAX_BYTES:
        raise PublicationRefused(_("文件过大（上限 512 KB）。"))
    suffix = filename.lower().rsplit(".", 1)[-1]
    try:
        if suffix == "xlsx":
            text = toml_from_workbook(data)
        elif suffix == "toml":
            text = data.decode("utf-8")
        else:
            raise PublicationRefused(_("只接受 .toml 或 .xlsx 文件。"))
        instrument = parse_instrument(text)
    except ImportRefused as exc:
        summary = _("工作簿有 %(n)d 处错误，未发布。", n=len(exc.errors))
        raise PublicationRefused(summary, exc.errors) from exc
    except UnicodeDecodeError:
        raise PublicationRefused(_("文件须为 UTF-8 编码的 TOML。")) from None
    except InstrumentVersionError as exc:
        raise PublicationRefused(_("文件无效：%(e)s", e=str(exc))) from exc
    if instrument.id != CURRENT[0]:
        raise PublicationRefused(_("问卷代码须为 %(id)s。", id=CURRENT[0]))
    latest = max(int(v.version) for v in published_versions())
    if not instrument.version.isdigit() or int(instrument.version) <= latest:
        raise PublicationRefused(
            _("版本号须为大于 %(v)d 的整数（已发布的版本不能修改）。", v=latest)
        )
    _check_carry_over(instrument)
    _smoke_test(instrument)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    db.session.add(
        Setting(key=_key(instrument.id, instrument.version), value={"toml": text, "sha256": digest})
    )
    pointer = db.session.get(Setting, CURRENT_KEY)
    value = {"id": instrument.id, "version": instrument.version}
    if pointer is None:
        db.session.add(Setting(key=CURRENT_KEY, value=value))
    else:
        pointer.value = value
    audit.record(
        actor,
        "instrument",
        f"{instrument.id}-v{instrument.version}",
        "publish",
        {"sha256": digest, "items": len(instrument.items), "source": suffix},
    )
    db.session.commit()
    instruments().register(instrument, current=True)
    return instrument


def published_versions() -> list[PublishedVersion]:
    """Packaged and published versions of the current instrument id, oldest first."""
    registry = instruments()
    current = registry.current()
    rows: list[PublishedVersion] = []
    for version in registry.packaged_versions(CURRENT[0]):
        path = registry.packaged_path(CURRENT[0], version)
        assert path is not None  # listed as packaged just above
        inst = registry.get(CURRENT[0], version)
        rows.append(
            PublishedVersion(
                inst.id,
                version,
                inst.title_zh,
                inst.title_en,
                len(inst.items),
                True,
                current.version == version,
                None,
                hashlib.sha256(path.read_bytes()).hexdigest(),
            )
        )
    for row in _stored_rows():
        inst = parse_instrument(row.value["toml"])
        rows.append(
            PublishedVersion(
                inst.id,
                inst.version,
                inst.title_zh,
                inst.title_en,
                len(inst.items),
                False,
                current.version == inst.version,
                row.updated_at,
                row.value["sha256"],
            )
        )
    return sorted(rows, key=lambda r: int(r.version))


def instrument_text(instrument_id: str, version: str) -> str | None:
    """The TOML of a packaged or published version (to download and edit into the next one)."""
    row = db.session.get(Setting, _key(instrument_id, version))
    if row is not None:
        return str(row.value["toml"])
    path = (
        instruments().packaged_path(instrument_id, version) if instrument_id == CURRENT[0] else None
    )
    return None if path is None else path.read_text(encoding="utf-8")


def instrument_workbook(instrument_id: str, version: str) -> bytes | None:
    """A packaged or published version as an .xlsx workbook (the layout an upload takes), or
    None when there is no such version."""
    text = instrument_text(instrument_id, version)
    return None if text is None else workbook_from_toml(text)
