"""Catalogue administration: bulk import/export (Excel, CSV) and retiring entries, audited;
the support programmes are one more part of the catalogue (sheet "programmes").

An import is all or nothing: every row is checked first by the field rules of
``catalogue_rules`` and the pure parsers in ``assessment.catalogue``; any bad row is reported with its sheet, row number and reason and
nothing is written. A clean file is applied in one transaction (entries are matched by code:
new codes are added, existing ones updated).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from assessment.catalogue import (
    CatalogueError,
    centre_from_mapping,
    provider_from_mapping,
    solution_from_mapping,
)
from assessment.catalogue import Solution as CatalogueSolution
from assessment.programmes import (
    ProgrammeError,
    programme_from_mapping,
    steps_from_text,
    steps_text,
)
from assessment.roadmap import CAPABILITIES, SCENARIO_ITEM, UNPLANNED_CAPABILITIES
from assessment.text import text_problem
from models import AuditLog, EnablingCentre, ServiceProvider, Solution, SupportProgramme, User
from reports.exports import FORMULA_PREFIXES, Sheet, workbook_xlsx
from webapp.extensions import db
from webapp.services import audit
from webapp.services.catalogue import CENTRE_FIELDS, PROVIDER_FIELDS, SOLUTION_FIELDS
from webapp.services.catalogue_rules import field_problems
from webapp.services.errors import NotFoundError
from webapp.services.plain_text import text_problem_message
from webapp.services.programmes import PROGRAMME_FIELDS
from webapp.services.tabular_import import MAX_ROWS, ImportRefused, RowError, read_sheets

LIST_FIELDS = {
    "clusters",
    "towns",
    "dimensions",
    "gates",
    "provider_types",
    "software",
    "stages",
    "production_types",
    "size_classes",
    "capabilities",
    "scenarios",
    "cases",
    "divisions",
    "certifications",
}
#: Fields written one entry per line (texts that may hold commas; a programme's steps, each
#: "code | 中文名称 | English name | 需准备 | to bring", ``assessment.programmes.steps_from_text``).
LINE_FIELDS = {"documents", "steps"}
BOOL_FIELDS = {
    "is_demo",
    "retired",
    "region_wide",
    "light_fast",
    "subsidy_eligible",
    "cloud_voucher",
    "in_pilot_directory",
    "pilot_list",
    "cloud_only",
    "pilot_directory_only",
}
INT_FIELDS = {"capacity", "delivery_weeks", "provider_id", "max_level_before"}
#: Fields stored as a float; empty is 0.
FLOAT_FIELDS = {"provider_discount", "share", "cap_wan"}


def _programme(values: dict[str, Any]) -> Any:
    """A programme parsed from checked cells: ``ProgrammeError`` is reported as a bad row."""
    try:
        return programme_from_mapping(values)
    except ProgrammeError as exc:
        raise ValueError(str(exc)) from exc


#: A catalogue table: each has a unique ``code`` and a ``retired`` flag.
CatalogueModel = type[EnablingCentre | ServiceProvider | Solution | SupportProgramme]
SHEETS: dict[str, tuple[CatalogueModel, Any, tuple[str, ...]]] = {
    "centres": (EnablingCentre, centre_from_mapping, CENTRE_FIELDS),
    "providers": (ServiceProvider, provider_from_mapping, PROVIDER_FIELDS),
    "solutions": (Solution, solution_from_mapping, SOLUTION_FIELDS),
    "programmes": (SupportProgramme, _programme, PROGRAMME_FIELDS),
}
__all__ = ["MAX_ROWS", "ImportRefused", "RowError", "apply_rows", "import_catalogue_file"]


def _cell_value(field: str, raw: Any) -> Any:
    """A cell (or form field) as the parsers read it: lists split at commas, flags from
    yes/no words, a programme's documents and steps as their text (parsed by the programme
    parser), anything else as given."""
    if isinstance(raw, str) and raw[:1] == "'" and raw[1:2] and raw[1] in FORMULA_PREFIXES:
        # ``reports.exports.safe_cell`` wrote this apostrophe so that a spreadsheet would not
        # run the value as a formula; the export round-trips (review finding 20).
        raw = raw[1:]
    if field in LIST_FIELDS:
        text = "" if raw is None else str(raw)
        return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    if field in BOOL_FIELDS:
        return str(raw).strip().lower() in {"1", "true", "yes", "是", "y"}
    if field in LINE_FIELDS:
        return "" if raw is None else str(raw).replace("\r\n", "\n")
    return "" if raw is None else raw


def _stored_value(field: str, value: Any) -> Any:
    """A checked cell as its column stores it: whole numbers for counts, a float for the
    provider discount (empty: 0), "one_off" for an empty price model, lists and flags as read,
    and every other value as text, so a phone number typed as a number in Excel stays the
    digits it was ("13800138000", not 13800138000.0)."""
    if field in LIST_FIELDS or field in BOOL_FIELDS:
        return value
    if field == "documents":
        return [line.strip() for line in value.splitlines() if line.strip()]
    if field == "steps":
        return steps_from_text(value)
    if field == "max_level_before":
        return int(value) if value != "" else 4
    if field in INT_FIELDS:
        return int(value) if value != "" else 0
    if field in FLOAT_FIELDS:
        return float(value) if value != "" else 0.0
    if field == "price_model":
        return str(value) or "one_off"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _unknown_codes(entry: object) -> str:
    """Why a solution's capability or scenario codes are refused ("" when all are known): a
    misspelt code would silently never match a roadmap step."""
    if not isinstance(entry, CatalogueSolution):
        return ""
    reasons = []
    if bad := sorted(entry.capabilities - set(CAPABILITIES) - set(UNPLANNED_CAPABILITIES)):
        reasons.append(f"{entry.code}: unknown capabilities {', '.join(bad)}")
    if bad := sorted(entry.scenarios - set(SCENARIO_ITEM)):
        reasons.append(f"{entry.code}: unknown scenarios {', '.join(bad)}")
    return "; ".join(reasons)


def import_catalogue_file(
    actor: User, data: bytes, filename: str, kind: str | None = None
) -> dict[str, int]:
    """Validate every row, then apply all of them in one transaction.

    Returns counts of added and updated entries per sheet.

    Raises
    ------
    ImportRefused
        Any row is bad (each listed with sheet, row number counting the header as row 1, and
        reason), the file is unreadable, or it has more than ``MAX_ROWS`` rows.
    """
    return apply_rows(actor, read_sheets(data, filename, SHEETS, kind), filename)


def apply_rows(actor: User, sheets: dict[str, list[dict[str, Any]]], source: str) -> dict[str, int]:
    """Validate rows by kind and apply them all, or none (``ImportRefused`` lists the errors).

    Used by file imports and by the single-entry create/edit form, so both follow one rule.
    """
    errors: list[RowError] = []
    parsed: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    known_providers = set(db.session.scalars(select(ServiceProvider.code)))
    for name, rows in sheets.items():
        if len(rows) > MAX_ROWS:
            errors.append(RowError(name, 0, f"more than {MAX_ROWS} rows"))
            continue
        model, parse, fields = SHEETS[name]
        seen: set[str] = set()
        for number, raw in enumerate(rows, start=2):
            values = {f: _cell_value(f, raw.get(f)) for f in fields if f in raw}
            problems = [
                f"{f}: {text_problem_message(p)}"
                for f, v in values.items()
                if isinstance(v, str)
                and (p := text_problem(v, multiline=f in LINE_FIELDS)) is not None
            ]
            if problems:
                errors.extend(RowError(name, number, reason) for reason in problems)
                continue
            if refused := field_problems(model, values):
                errors.extend(RowError(name, number, reason, field) for field, reason in refused)
                continue
            try:
                entry = parse(values)
            except (CatalogueError, ValueError, TypeError) as exc:
                errors.append(RowError(name, number, str(exc)))
                continue
            unknown = _unknown_codes(entry)
            if unknown:
                errors.append(RowError(name, number, unknown))
                continue
            if entry.code in seen:
                errors.append(RowError(name, number, f"code {entry.code} appears twice"))
            seen.add(entry.code)
            if name == "providers":
                known_providers.add(entry.code)
            parsed.setdefault(name, []).append((values, entry))
    for _values, entry in parsed.get("solutions", []):
        if entry.provider not in known_providers:
            errors.append(
                RowError("solutions", 0, f"{entry.code}: unknown provider {entry.provider}")
            )
    if errors:
        raise ImportRefused(errors)
    counts: dict[str, int] = {}
    for name in SHEETS:  # providers before their solutions
        model, _, _ = SHEETS[name]
        for values, entry in parsed.get(name, []):
            if "provider" in values:
                values = {
                    **values,
                    "provider_id": db.session.scalar(
                        select(ServiceProvider.id).where(ServiceProvider.code == values["provider"])
                    ),
                }
            row = db.session.scalar(select(model).where(model.code == entry.code))
            action = "update" if row is not None else "create"
            if row is None:
                row = model(code=entry.code)
                db.session.add(row)
            changed = {
                field: stored
                for field, value in values.items()
                if field not in ("code", "provider")
                and getattr(row, field) != (stored := _stored_value(field, value))
            }
            if action == "update" and not changed:
                # A re-import of an unchanged row is no change: no write, no audit entry.
                counts[f"{name}_unchanged"] = counts.get(f"{name}_unchanged", 0) + 1
                continue
            for field, stored in changed.items():
                setattr(row, field, stored)
            db.session.flush()
            audit.record(actor, name, entry.code, action, {"source": source})
            counts[f"{name}_{action}d"] = counts.get(f"{name}_{action}d", 0) + 1
    db.session.commit()
    return counts


def export_catalogue() -> bytes:
    """The whole catalogue as a workbook in the import format (round-trips)."""
    provider_codes = dict(
        db.session.execute(select(ServiceProvider.id, ServiceProvider.code)).all()
    )
    sheets = []
    for name, (model, _, fields) in SHEETS.items():
        rows = []
        for row in db.session.scalars(select(model).order_by(model.code)):
            rows.append(
                [_as_cell(f, _field_value(row, f, provider_codes), text=False) for f in fields]
            )
        sheets.append(Sheet(name, rows, list(fields)))
    return workbook_xlsx(sheets)


def _as_cell(field: str, value: Any, *, text: bool) -> Any:
    """A stored value as the sheet cell (``text`` False) or form field (``text`` True) writes
    it, so that an export or a form re-reads to the same value: steps and documents one per
    line, other lists comma-separated; in a form, flags as "1"/"" and everything as text."""
    if field == "steps":
        return steps_text(value)
    if field in LINE_FIELDS:
        return "\n".join(value)
    if isinstance(value, list):
        return ", ".join(value)
    if text:
        return "1" if value is True else "" if value is False else str(value)
    return value


def _field_value(row: object, field: str, provider_codes: dict[int, str]) -> object:
    """A catalogue row's value of ``field``; a solution's ``provider`` is the provider's code."""
    if field == "provider" and isinstance(row, Solution):
        return provider_codes.get(row.provider_id)
    return getattr(row, field)


def set_retired(actor: User, kind: str, code: str, retired: bool) -> None:
    """Retire or restore an entry; retired entries are never recommended."""
    model = SHEETS[kind][0]
    row = db.session.scalar(select(model).where(model.code == code))
    if not isinstance(row, EnablingCentre | ServiceProvider | Solution | SupportProgramme):
        raise NotFoundError(code)
    row.retired = retired
    audit.record(actor, kind, code, "retire" if retired else "restore")
    db.session.commit()


def listing() -> dict[str, list[Any]]:
    """Every entry by kind, ordered by code."""
    return {
        name: list(db.session.scalars(select(model).order_by(model.code)))
        for name, (model, _, _) in SHEETS.items()
    }


#: Audit entities the catalogue page lists (never enterprises, assessments or their owners:
#: the administrator sees no enterprise-level data, review finding 14).
CATALOGUE_AUDIT_ENTITIES = (
    "centres",
    "providers",
    "solutions",
    "programmes",
    "setting",
    "instrument",
)


def recent_audit(limit: int = 20) -> list[tuple[AuditLog, str | None]]:
    """The latest ``limit`` audit rows about the catalogue and settings, with the actor's name."""
    rows = db.session.execute(
        select(AuditLog, User.display_name)
        .outerjoin(User, User.id == AuditLog.actor_id)
        .where(AuditLog.entity.in_(CATALOGUE_AUDIT_ENTITIES))
        .order_by(AuditLog.id.desc())
        .limit(limit)
    )
    return [(a, name) for a, name in rows]


def entry_values(kind: str, code: str) -> dict[str, str]:
    """An entry's fields as form strings (lists comma-separated); empty for a new entry."""
    model, _, fields = SHEETS[kind]
    row = db.session.scalar(select(model).where(model.code == code)) if code else None
    if row is None:
        return {f: "" for f in fields}
    provider_codes = dict(
        db.session.execute(select(ServiceProvider.id, ServiceProvider.code)).all()
    )
    return {f: _as_cell(f, _field_value(row, f, provider_codes), text=True) for f in fields}
