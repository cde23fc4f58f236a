"""Everything the product holds about one enterprise, for its own users to download.

``firm_data`` gathers it as plain JSON-ready values; ``firm_workbook`` lays the same values out
as an Excel workbook (one sheet per kind of record). Who may download it: the firm's own users
only (``webapp/access.py``, scope OWN_ENTERPRISE; the view passes the actor's enterprise).
No password hashes, session tokens or reset tokens are ever included.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from models import (
    Assessment,
    DeletionRequest,
    EnablingCentre,
    Enterprise,
    Evidence,
    Referral,
    ReferralEvent,
    User,
    utcnow,
)
from reports.exports import Sheet, workbook_xlsx
from reports.formatting import moment
from webapp.extensions import db
from webapp.services.errors import NotFoundError
from webapp.services.privacy import NOTICE_VERSION

_ENTERPRISE_FIELDS = (
    "uscc",
    "name",
    "industry_code",
    "cluster",
    "production_type",
    "town",
    "employees",
    "revenue_wan",
    "size_class",
    "above_scale",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def _time(value: datetime | None) -> str | None:
    # ISO 8601 in UTC, as stored; the workbook shows China Standard Time instead.
    return value.isoformat() if value is not None else None


def firm_data(enterprise_id: int, now: datetime | None = None) -> dict[str, Any]:
    """The enterprise's data as a JSON-ready dict.

    Keys: ``exported_at`` (ISO 8601 UTC), ``notice_version``, ``enterprise`` (profile and
    contacts, the centre's name), ``users`` (name, e-mail, role, active), ``consents`` (per
    user: notice version and time), ``assessments`` (every record with answers, stage,
    maturity index and the full stored result), ``referrals`` (with the notes staff marked
    for the owner only), ``evidence`` (per file: assessment id, item code, original name,
    kind, size in bytes, upload time and uploader's name; metadata only, never the bytes),
    ``deletion_requests``. Times are ISO 8601 strings in UTC.

    Raises
    ------
    NotFoundError
        No such enterprise.
    """
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFoundError(str(enterprise_id))
    centre = db.session.get(EnablingCentre, enterprise.centre_id) if enterprise.centre_id else None
    users = list(
        db.session.scalars(
            select(User).where(User.enterprise_id == enterprise_id).order_by(User.id)
        )
    )
    return {
        "exported_at": _time(now or utcnow()),
        "notice_version": NOTICE_VERSION,
        "enterprise": {
            **{f: getattr(enterprise, f) for f in _ENTERPRISE_FIELDS},
            "centre": centre.name_zh if centre is not None else None,
            "created_at": _time(enterprise.created_at),
        },
        "users": [
            {
                "name": u.display_name,
                "email": u.email,
                "role": u.role,
                "member_role": u.member_role,
                "active": u.active,
            }
            for u in users
        ],
        "consents": [
            {"email": u.email, "notice_version": u.consent_version, "at": _time(u.consented_at)}
            for u in users
            if u.consent_version is not None
        ],
        "assessments": _assessments(enterprise_id),
        "referrals": _referrals(enterprise_id),
        "evidence": _evidence(enterprise_id),
        "deletion_requests": [
            {"state": r.state, "requested_at": _time(r.requested_at)}
            for r in db.session.scalars(
                select(DeletionRequest).where(DeletionRequest.enterprise_id == enterprise_id)
            )
        ],
    }


def _assessments(enterprise_id: int) -> list[dict[str, Any]]:
    rows = list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.enterprise_id == enterprise_id)
            .order_by(Assessment.id)
        )
    )
    public_ids = {a.id: a.public_id for a in rows}
    return [
        {
            "id": a.public_id,
            "round": a.round_code,
            "instrument": f"{a.instrument_id}-v{a.instrument_version}",
            "status": a.status,
            "created_at": _time(a.created_at),
            "submitted_at": _time(a.submitted_at),
            "corrects": public_ids.get(a.corrects_id) if a.corrects_id else None,
            "correction_reason": a.correction_reason,
            "answers": dict(a.responses or {}),
            "stage": a.stage,
            "maturity_index": a.maturity_index,
            "result": a.result,
        }
        for a in rows
    ]


def _evidence(enterprise_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Evidence, Assessment.public_id, User.display_name)
        .join(Assessment, Assessment.id == Evidence.assessment_id)
        .outerjoin(User, User.id == Evidence.uploaded_by_id)
        .where(Assessment.enterprise_id == enterprise_id)
        .order_by(Evidence.id)
    ).all()
    return [
        {
            "assessment": public_id,
            "item": e.item_code,
            "filename": e.filename,
            "kind": e.kind,
            "size": e.size,
            "uploaded_at": _time(e.created_at),
            "uploaded_by": uploader,
        }
        for e, public_id, uploader in rows
    ]


def _referrals(enterprise_id: int) -> list[dict[str, Any]]:
    referrals = list(
        db.session.scalars(
            select(Referral).where(Referral.enterprise_id == enterprise_id).order_by(Referral.id)
        )
    )
    notes: dict[int, list[dict[str, Any]]] = {}
    for event in db.session.scalars(
        select(ReferralEvent)
        .where(
            ReferralEvent.referral_id.in_([r.id for r in referrals]),
            ReferralEvent.for_owner,
        )
        .order_by(ReferralEvent.id)
    ):
        notes.setdefault(event.referral_id, []).append(
            {"at": _time(event.created_at), "state": event.to_state, "note": event.note}
        )
    return [
        {
            "id": r.public_id,
            "target_kind": r.target_kind,
            "target": r.target_name,
            "state": r.state,
            "created_at": _time(r.created_at),
            "contract_products": r.contract_products,
            "contract_amount_wan": r.contract_amount_wan,
            "close_reason": r.close_reason,
            "notes_for_owner": notes.get(r.id, []),
        }
        for r in referrals
    ]


def firm_json(data: dict[str, Any]) -> bytes:
    """``firm_data``'s dict as UTF-8 JSON (Chinese kept readable, indented)."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def firm_workbook(data: dict[str, Any], lang: str) -> bytes:
    """``firm_data``'s dict as .xlsx bytes: sheets 企业, 用户, 同意记录, 评估, 作答, 对接,
    佐证材料;
    headers in the page language, times in China Standard Time (``reports.formatting``)."""

    def at(value: str | None) -> str:
        return moment(datetime.fromisoformat(value), lang) if value else "—"

    firm = data["enterprise"]
    assessments = data["assessments"]
    return workbook_xlsx(
        [
            Sheet(
                _("企业"),
                [[key, firm[key]] for key in (*_ENTERPRISE_FIELDS, "centre")],
                [_("字段"), _("内容")],
            ),
            Sheet(
                _("用户"),
                [
                    [u["name"], u["email"], u["role"], u["member_role"], u["active"]]
                    for u in data["users"]
                ],
                [_("姓名"), _("电子邮箱"), _("角色"), _("权限"), _("有效")],
            ),
            Sheet(
                _("同意记录"),
                [[c["email"], c["notice_version"], at(c["at"])] for c in data["consents"]],
                [_("电子邮箱"), _("隐私说明版本"), _("同意时间")],
            ),
            Sheet(
                _("评估"),
                [
                    [
                        a["id"],
                        a["round"],
                        a["instrument"],
                        a["status"],
                        at(a["submitted_at"]),
                        a["stage"],
                        a["maturity_index"],
                        a["corrects"],
                        a["correction_reason"],
                    ]
                    for a in assessments
                ],
                [
                    _("编号"),
                    _("评估批次"),
                    _("问卷版本"),
                    _("状态"),
                    _("提交时间"),
                    _("阶段"),
                    _("成熟度指数"),
                    _("更正的评估"),
                    _("更正原因"),
                ],
            ),
            Sheet(
                _("作答"),
                [
                    [a["id"], code, json.dumps(answer, ensure_ascii=False)]
                    for a in assessments
                    for code, answer in sorted(a["answers"].items())
                ],
                [_("评估编号"), _("题目"), _("作答")],
            ),
            Sheet(
                _("对接"),
                [
                    [
                        r["id"],
                        r["target"],
                        r["state"],
                        at(r["created_at"]),
                        r["contract_products"],
                        r["contract_amount_wan"],
                        r["close_reason"],
                        "\n".join(f"{at(n['at'])} {n['note']}" for n in r["notes_for_owner"]),
                    ]
                    for r in data["referrals"]
                ],
                [
                    _("编号"),
                    _("对接对象"),
                    _("状态"),
                    _("申请时间"),
                    _("签约内容"),
                    _("合同金额（万元）"),
                    _("关闭原因"),
                    _("赋能中心留言"),
                ],
            ),
            Sheet(
                _("佐证材料"),
                [
                    [
                        e["assessment"],
                        e["item"],
                        e["filename"],
                        e["kind"],
                        e["size"],
                        at(e["uploaded_at"]),
                        e["uploaded_by"],
                    ]
                    for e in data["evidence"]
                ],
                [
                    _("评估编号"),
                    _("题目"),
                    _("文件名"),
                    _("类型"),
                    _("大小（字节）"),
                    _("上传时间"),
                    _("上传人"),
                ],
            ),
        ]
    )
