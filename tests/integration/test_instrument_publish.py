"""Publishing a questionnaire version from the administrator page: validated, stored once,
audited, picked up by new assessments only; a refused file changes nothing."""

from __future__ import annotations

import io
import time

import pytest
from flask import Flask
from sqlalchemy import func, select

from assessment.instrument import INSTRUMENT_DIR
from models import Assessment, AuditLog, Role
from webapp.extensions import db
from webapp.instrument_registry import InstrumentRegistry

#: About questionnaire v1 behaviour (v1 item codes and gates): the app starts drafts on v1.
pytestmark = pytest.mark.usefixtures("instrument_v1")

V1 = (INSTRUMENT_DIR / "dmi-v1.toml").read_text(encoding="utf-8")


def with_version(version: str, text: str = V1) -> bytes:
    return text.replace('version = "1"', f'version = "{version}"', 1).encode("utf-8")


def registry(app: Flask) -> InstrumentRegistry:
    """The test app's own questionnaire versions (each test's app starts from the packaged ones)."""
    instruments = app.extensions["instruments"]
    assert isinstance(instruments, InstrumentRegistry)
    return instruments


def publish(client, data: bytes, name: str = "dmi-v2.toml"):  # type: ignore[no-untyped-def]
    return client.post(
        "/admin/instruments",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_published_version_is_used_by_new_assessments_only(
    app, admin_client, owner, enterprise, make_user, login
) -> None:  # type: ignore[no-untyped-def]
    admin_user = make_user(Role.ADMIN)
    login(admin_user)
    assert publish(admin_client, with_version("2")).status_code == 302
    page = admin_client.get("/admin/instruments").get_data(as_text=True)
    assert "dmi-v2" in page and "管理员发布" in page
    assert admin_client.get("/admin/instruments/dmi-v2.toml").get_data() == with_version("2")
    with app.app_context():
        assert registry(app).current().version == "2"
        audit = db.session.scalar(select(AuditLog).where(AuditLog.entity == "instrument"))
        assert audit is not None and audit.entity_code == "dmi-v2" and audit.action == "publish"

    login(owner)
    admin_client.post("/enterprise/assessments/start")
    with app.app_context():
        started = db.session.scalar(
            select(Assessment).where(Assessment.enterprise_id == enterprise.id)
        )
        assert started is not None and started.instrument_version == "2"


def test_a_new_process_learns_the_publication_from_the_database(
    app, admin_client, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    publish(admin_client, with_version("2"))
    registry(app).forget_published()  # as if another worker, which never saw the upload
    assert registry(app).current().version == "1"
    admin_client.get(
        "/admin/instruments"
    )  # synced at the first request, within the interval: no read
    assert registry(app).current().version == "1"
    later = time.monotonic() + app.config["INSTRUMENT_SYNC_SECONDS"] + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    admin_client.get("/admin/instruments")  # the interval has passed: this request syncs first
    assert registry(app).current().version == "2"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (with_version("1"), "大于 1"),  # a published version never changes
        (with_version("0"), "大于 1"),
        (with_version("x2"), "大于 1"),
        (b"id = 'dmi'\nversion = '2'\n", "文件无效"),
        (with_version("2").replace(b'id = "dmi"', b'id = "other"', 1), "问卷代码"),
        (with_version("2").replace(b"weight = 0.12", b"weight = -1", 1), "文件无效"),
        ("问卷".encode("gb18030"), "UTF-8"),
    ],
)
def test_refused_files_change_nothing(app, admin_client, data: bytes, reason: str) -> None:  # type: ignore[no-untyped-def]
    response = publish(admin_client, data)
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    assert registry(app).current().version == "1"
    with app.app_context():
        assert not db.session.scalar(
            select(func.count(AuditLog.id)).where(AuditLog.entity == "instrument")
        )


def test_a_version_whose_stage_gates_cannot_be_scored_is_refused(app, admin_client) -> None:  # type: ignore[no-untyped-def]
    # Renaming an item that a stage gate reads leaves the gate without its answer.
    broken = with_version("2").replace(b'code = "ORG-01"', b'code = "ORG-99"', 1)
    response = publish(admin_client, broken)
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert registry(app).current().version == "1"


def test_only_administrators_may_publish(app, client, make_user, login) -> None:  # type: ignore[no-untyped-def]
    login(make_user(Role.CENTRE_STAFF))
    assert publish(client, with_version("2")).status_code == 403
    assert registry(app).current().version == "1"
