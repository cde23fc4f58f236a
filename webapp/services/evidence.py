"""Evidence files (佐证材料) attached to answers: checked by content, stored outside the web
root, listed per answer, deleted while the assessment is a draft.

A file is accepted when its *content* is one of the kinds in ``KINDS`` and its name ends with
an extension of that kind: a PDF must start with the PDF header, an image must open as PNG or
JPEG with Pillow, a workbook must be an Office Open XML zip holding ``xl/workbook.xml``. So a
zip named ``.pdf`` or a program named ``.png`` is refused. The bytes go to ``EVIDENCE_DIR``
(default: the instance folder's ``evidence``) in a file named by a random id; the owner's file
name is kept only to show it. Size cap: ``EVIDENCE_MAX_BYTES`` per file, ``EVIDENCE_MAX_FILES``
per assessment.
"""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select

from models import Assessment, AssessmentStatus, Evidence, User
from reports.exports import XLSX_MIMETYPE
from webapp.access import may_answer, may_reach_assessment
from webapp.extensions import db
from webapp.services.assessment_rows import instrument_of
from webapp.services.errors import ConflictError, InvalidInputError, PermissionDeniedError


@dataclass(frozen=True)
class Kind:
    """An accepted kind of file: its code, the extensions a name may end with, its MIME type."""

    code: str
    extensions: tuple[str, ...]
    mimetype: str


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("pdf", (".pdf",), "application/pdf"),
        Kind("png", (".png",), "image/png"),
        Kind("jpeg", (".jpg", ".jpeg"), "image/jpeg"),
        Kind("xlsx", (".xlsx",), XLSX_MIMETYPE),
    )
}
#: What the upload field accepts (the browser's file picker; the server checks the content).
ACCEPT = ",".join(ext for kind in KINDS.values() for ext in kind.extensions)


def kind_of_content(data: bytes) -> str | None:
    """The ``KINDS`` code the bytes are, judged by content alone; None for anything else.

    PDF: the ``%PDF-`` header (ISO 32000-1 §7.5.2). PNG/JPEG: Pillow identifies and verifies
    the image (no pixels are decoded). XLSX: a zip with ``[Content_Types].xml`` and
    ``xl/workbook.xml`` (ECMA-376 part 2); its members are listed, never extracted.
    """
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        return "xlsx" if {"[Content_Types].xml", "xl/workbook.xml"} <= names else None
    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return {"PNG": "png", "JPEG": "jpeg"}.get(found or "")


def storage_dir() -> Path:
    """The folder evidence files are kept in (created when missing): ``EVIDENCE_DIR``, or
    ``evidence`` in the instance folder; never under ``static``."""
    configured = current_app.config.get("EVIDENCE_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(evidence: Evidence) -> Path:
    """Where the bytes of ``evidence`` are stored (its random public id, no extension)."""
    return storage_dir() / evidence.public_id


def _clean_name(filename: str) -> str:
    """The last path component of a browser-sent name, at most 200 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[-200:]


def _check_draft(actor: User, assessment: Assessment) -> None:
    if not may_answer(actor) or not may_reach_assessment(actor, assessment):
        raise PermissionDeniedError(
            _("您在本企业的账户只能查看，不能修改或提交。请联系企业负责人。")
        )
    if assessment.status != AssessmentStatus.DRAFT.value:
        raise ConflictError(_("评估已提交，佐证材料不能再添加或删除。"))


def attach(
    actor: User, assessment: Assessment, item_code: str, filename: str, data: bytes
) -> Evidence:
    """Store ``data`` as evidence for the answer to ``item_code`` and return its row.

    Raises
    ------
    PermissionDeniedError
        The actor may not answer for this enterprise (view-only member, another firm).
    ConflictError
        The assessment is submitted.
    InvalidInputError
        ``item``: not a question of this questionnaire; ``file``: empty, over
        ``EVIDENCE_MAX_BYTES``, more than ``EVIDENCE_MAX_FILES`` files, content not PDF, PNG,
        JPEG or XLSX, or a name whose extension does not match the content.
    """
    _check_draft(actor, assessment)
    try:
        instrument_of(assessment).item(item_code)
    except KeyError:
        raise InvalidInputError("item", _("请选择要附上材料的题目。")) from None
    name = _clean_name(filename)
    if not data or not name:
        raise InvalidInputError("file", _("请选择要上传的文件。"))
    cap = int(current_app.config["EVIDENCE_MAX_BYTES"])
    if len(data) > cap:
        raise InvalidInputError(
            "file",
            _("文件超过 %(mb)s MB 的上限，请压缩或拆分后再上传。", mb=f"{cap / 1048576:g}"),
        )
    count = db.session.scalar(
        select(func.count()).select_from(Evidence).where(Evidence.assessment_id == assessment.id)
    )
    if (count or 0) >= int(current_app.config["EVIDENCE_MAX_FILES"]):
        raise InvalidInputError("file", _("每份评估最多上传 %(n)d 个文件。", n=count))
    kind = kind_of_content(data)
    if kind is None or not name.lower().endswith(KINDS[kind].extensions):
        raise InvalidInputError(
            "file",
            _("只能上传 PDF、PNG、JPEG 或 Excel（.xlsx）文件，且文件内容须与扩展名一致。"),
        )
    evidence = Evidence(
        public_id=secrets.token_hex(16),
        assessment_id=assessment.id,
        item_code=item_code,
        kind=kind,
        filename=name,
        size=len(data),
        uploaded_by_id=actor.id,
    )
    target = path_of(evidence)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, target)
    db.session.add(evidence)
    db.session.commit()
    return evidence


def remove(actor: User, evidence: Evidence, assessment: Assessment) -> None:
    """Delete a file of a draft assessment (row, then bytes).

    Raises
    ------
    PermissionDeniedError, ConflictError
        As :func:`attach`.
    """
    _check_draft(actor, assessment)
    path = path_of(evidence)
    db.session.delete(evidence)
    db.session.commit()
    path.unlink(missing_ok=True)


def forget_enterprise(enterprise_id: int) -> list[Path]:
    """Delete the rows of every evidence file of the enterprise's assessments (their original
    names are personal data, ``docs/privacy.md``) and return where their bytes are stored.

    Does not commit; the caller unlinks the returned paths with :func:`unlink` *after* its
    commit, so a rolled-back deletion never loses a file.
    """
    rows = list(
        db.session.scalars(
            select(Evidence)
            .join(Assessment, Assessment.id == Evidence.assessment_id)
            .where(Assessment.enterprise_id == enterprise_id)
        )
    )
    paths = [path_of(row) for row in rows]
    for row in rows:
        db.session.delete(row)
    return paths


def unlink(paths: list[Path]) -> None:
    """Remove stored files; one already gone is no error."""
    for path in paths:
        path.unlink(missing_ok=True)


def by_item(assessment_id: int) -> dict[str, list[Evidence]]:
    """The assessment's evidence files grouped by item code, oldest first."""
    rows = db.session.scalars(
        select(Evidence).where(Evidence.assessment_id == assessment_id).order_by(Evidence.id)
    )
    grouped: dict[str, list[Evidence]] = defaultdict(list)
    for row in rows:
        grouped[row.item_code].append(row)
    return dict(grouped)


def read(evidence: Evidence) -> bytes:
    """The stored bytes of ``evidence``.

    Raises
    ------
    ConflictError
        The file is missing from the store (restored database without its files).
    """
    try:
        return path_of(evidence).read_bytes()
    except FileNotFoundError:
        raise ConflictError(_("该文件已不在存储中，请联系管理员。")) from None
