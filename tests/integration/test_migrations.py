"""``flask db upgrade`` builds the schema from empty, and it matches the models exactly."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from assessment.plan_targets import indicators_met
from tests.integration.migrated import (
    firm_row,
    migrated_tables,
    placeholder_row,
    upgrade_and_select,
)
from webapp import create_app
from webapp.extensions import db


def test_upgrade_from_empty_matches_models(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.sqlite"})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"enterprise", "assessment", "user_account", "solution"} <= tables
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        db.engine.dispose()


@pytest.mark.own_database  # drops the tables and migrates on connections of its own
def test_dashboard_revision_fills_in_flags_and_round_codes_of_existing_rows(app):
    """The revision that stores plan-target flags fills them in from the stored answers of
    every submitted assessment (the same verdicts ``assessment.plan_targets`` gives), leaves
    drafts without, and gives every dimension score its assessment's round code. On SQLite, and
    on PostgreSQL when the suite runs there."""
    rows = [  # (status, responses)
        ("submitted", {"INT-01": "L3", "MGT-04": "L1", "INF-02": "L4"}),
        ("submitted", {"INT-01": "L2", "MGT-04": "L2"}),
        ("draft", {"INT-01": "L4", "MGT-04": "L4", "INF-02": "L4"}),
    ]
    with app.app_context():
        t = migrated_tables("f9197677fb0d", ["enterprise", "assessment", "dimension_score"]).tables
        with db.engine.begin() as conn:
            firm = firm_row(t["enterprise"], id=1, uscc="91441900MA0000000X", name="旧企业")
            conn.execute(t["enterprise"].insert(), firm)
            conn.execute(
                t["assessment"].insert(),
                [
                    placeholder_row(
                        t["assessment"],
                        id=n + 1,
                        public_id=uuid.uuid4().hex,
                        enterprise_id=1,
                        round_code=str(2020 + n),
                        instrument_id="dmi",
                        instrument_version="1",
                        status=status,
                        responses=responses,
                        version_id=1,
                    )
                    for n, (status, responses) in enumerate(rows)
                ],
            )
            ids = conn.execute(text("SELECT id FROM assessment ORDER BY round_code")).scalars()
            conn.execute(
                t["dimension_score"].insert(),
                [
                    {"assessment_id": aid, "dimension": dim, "score": 50.0}
                    for aid, (status, _) in zip(ids, rows, strict=True)
                    if status == "submitted"
                    for dim in ("ORG", "INF")
                ],
            )
        stored, scores = upgrade_and_select(
            "SELECT plan_integrated, plan_supply_chain, plan_cloud FROM assessment "
            "ORDER BY round_code",
            "SELECT d.round_code, a.round_code FROM dimension_score d "
            "JOIN assessment a ON a.id = d.assessment_id",
        )
    assert len(scores) == 4 and all(mine == theirs for mine, theirs in scores)
    for (status, responses), flags in zip(rows, stored, strict=True):
        expected = indicators_met(responses, "1")
        if status == "submitted":
            assert tuple(map(bool, flags)) == (
                expected["integrated"],
                expected["supply_chain"],
                expected["cloud"],
            )
        else:
            assert tuple(flags) == (None, None, None)


@pytest.mark.own_database  # drops the tables and migrates on connections of its own
def test_centre_revision_assigns_existing_enterprises_by_cluster_and_town(app):
    """Enterprises without a centre get the responsible one (cluster + town centre, else the
    region-wide one); an enterprise that already had a centre keeps it; contacts start as the
    account's name and e-mail."""
    now = datetime.now(UTC)
    centre = {"dimensions": [], "gates": [], "capacity": 0, "contact": "", "is_demo": True}
    centre |= {"retired": False, "centre_type": "specialised", "updated_at": now}
    with app.app_context():
        tables = migrated_tables("b7e2c41d9a05", ["enterprise", "enabling_centre", "user_account"])
        t = tables.tables
        with db.engine.begin() as conn:
            conn.execute(
                t["enabling_centre"].insert(),
                [
                    centre
                    | {"id": i, "code": code, "clusters": cl, "towns": tw}
                    | {"name_zh": code, "name_en": code}
                    for i, code, cl, tw in [
                        (1, "C-BENCH", [], []),
                        (2, "C-PLAT", [], []),
                        (3, "C-FURN", ["furniture"], ["houjie"]),
                    ]
                ],
            )
            conn.execute(
                t["enterprise"].insert(),
                [
                    firm_row(t["enterprise"], id=i, uscc=f"91441900MA000000{i}X", name=f"企业{i}")
                    | {"cluster": cl, "town": town, "centre_id": centre_id}
                    for i, cl, town, centre_id in [
                        (1, "furniture", "houjie", None),
                        (2, "electronics", "humen", None),
                        (3, "furniture", "houjie", 1),
                    ]
                ],
            )
            conn.execute(
                t["user_account"].insert(),
                {
                    "id": 1,
                    "email": "owner@example.com",
                    "password_hash": "x",
                    "display_name": "王小明",
                    "role": "enterprise",
                    "enterprise_id": 1,
                    "active": True,
                    "created_at": now,
                },
            )
        rows, centres = upgrade_and_select(
            "SELECT id, centre_id, contact_name, contact_email FROM enterprise ORDER BY id",
            "SELECT code FROM enabling_centre WHERE region_wide",
        )
        region_wide = [code for (code,) in centres]
        assert [(r[0], r[1]) for r in rows] == [(1, 3), (2, 2), (3, 1)]
        assert (rows[0][2], rows[0][3]) == ("王小明", "owner@example.com")
        assert (rows[1][2], rows[1][3]) == ("", "")
        assert region_wide == ["C-PLAT"]
        db.engine.dispose()


@pytest.mark.own_database  # drops the tables and migrates on connections of its own
def test_catalogue_v2_revision_gives_existing_solutions_their_v2_fields(app):
    """Solutions stored before catalogue v2 get neutral values (no capability, one-off, no
    discount, not in the directory); a demo catalogue row (by code) gets the demo file's v2
    fields, so a database seeded before the revision matches roadmap products at once."""
    now = datetime.now(UTC)
    provider = {"code": "P-ERPDEMO", "name_zh": "演示", "name_en": "Demo", "clusters": []}
    provider |= {"towns": [], "contact": "13800138000", "is_demo": True, "retired": False}
    provider |= {"provider_types": ["software"], "software": [], "updated_at": now, "id": 1}
    solution = {"provider_id": 1, "dimensions": [], "gates": [], "stages": [], "clusters": []}
    solution |= {"production_types": [], "size_classes": [], "price_band": "lt5"}
    solution |= {"delivery_weeks": 2, "light_fast": True, "subsidy_eligible": False}
    solution |= {"cloud_voucher": False, "retired": False, "updated_at": now}
    with app.app_context():
        tables = migrated_tables("a7c2e94b1f36", ["service_provider", "solution"])
        with db.engine.begin() as conn:
            conn.execute(tables.tables["service_provider"].insert(), provider)
            conn.execute(
                tables.tables["solution"].insert(),
                [
                    solution | {"id": i, "code": code, "name_zh": code, "name_en": code}
                    for i, code in [(1, "S-CLOUD-ERP"), (2, "S-OWN-PRODUCT")]
                ],
            )
        (rows,) = upgrade_and_select(
            "SELECT code, capabilities, price_model, provider_discount, "
            "in_pilot_directory, cases FROM solution ORDER BY code"
        )
        db.engine.dispose()

    def listed(value: object) -> object:  # JSON comes back as text on SQLite
        return json.loads(value) if isinstance(value, str) else value

    (_, caps, model, discount, directory, cases), own = rows
    assert listed(caps) == ["finance", "purchasing", "warehouse"] and model == "subscription"
    assert discount == pytest.approx(0.1) and bool(directory) and listed(cases)
    assert (listed(own[1]), own[2], own[3], bool(own[4]), listed(own[5])) == (
        [],
        "one_off",
        0.0,
        False,
        [],
    )


@pytest.mark.own_database  # drops the tables and migrates on connections of its own
def test_referral_revision_maps_old_states_onto_the_life_cycle(app):
    """推进中 becomes 方案/报价 and 已终止 becomes 已关闭 (its reason kept as the close reason),
    in the referral and in its history; other states stay."""
    names = ["enterprise", "assessment", "user_account", "referral", "referral_event"]
    with app.app_context():
        tables = migrated_tables("c3a91f5e7d20", names)
        t = tables.tables
        with db.engine.begin() as conn:
            conn.execute(
                t["enterprise"].insert(), placeholder_row(t["enterprise"], id=1, uscc="U1")
            )
            conn.execute(
                t["user_account"].insert(), placeholder_row(t["user_account"], id=1, email="a@b.c")
            )
            conn.execute(
                t["assessment"].insert(), placeholder_row(t["assessment"], id=1, enterprise_id=1)
            )
            referral = {"enterprise_id": 1, "assessment_id": 1, "centre_id": None}
            conn.execute(
                t["referral"].insert(),
                [
                    placeholder_row(t["referral"], id=i, public_id=f"r{i}", state=state, **referral)
                    | {"decline_reason": reason}
                    for i, state, reason in [
                        (1, "in_progress", ""),
                        (2, "declined", "无预算"),
                        (3, "contacted", ""),
                    ]
                ],
            )
            conn.execute(
                t["referral_event"].insert(),
                placeholder_row(
                    t["referral_event"],
                    id=1,
                    referral_id=2,
                    from_state="in_progress",
                    to_state="declined",
                    actor_id=1,
                ),
            )
        rows, events = upgrade_and_select(
            "SELECT state, close_reason FROM referral ORDER BY id",
            "SELECT from_state, to_state FROM referral_event",
        )
        (event,) = events
        assert [tuple(r) for r in rows] == [
            ("proposal", ""),
            ("closed", "无预算"),
            ("contacted", ""),
        ]
        assert tuple(event) == ("proposal", "closed")
        db.engine.dispose()


@pytest.mark.own_database  # drops the tables and migrates on connections of its own
def test_plan_flag_revision_reads_version_2_answers_with_version_2_items(app):
    """Submitted v2 assessments get their supply-chain and cloud flags from INT-05 and INT-07,
    the same verdicts ``assessment.plan_targets`` gives; v1 rows keep their flags."""
    rows = [  # (id, version, responses, stored flags before)
        (1, "2", {"INT-01": "L3", "INT-05": "L2", "INT-07": "L1"}, False),
        (2, "2", {"INT-01": "L2", "INT-05": "L1", "INT-07": "L0"}, False),
        (3, "1", {"INT-01": "L4", "MGT-04": "L4", "INF-02": "L4"}, True),
    ]
    with app.app_context():
        tables = migrated_tables("b9d3f7a2c614", ["enterprise", "assessment"])
        t = tables.tables
        with db.engine.begin() as conn:
            conn.execute(
                t["enterprise"].insert(), placeholder_row(t["enterprise"], id=1, uscc="U1")
            )
            for i, version, responses, flag in rows:
                conn.execute(
                    t["assessment"].insert(),
                    placeholder_row(
                        t["assessment"],
                        id=i,
                        public_id=f"a{i}",
                        enterprise_id=1,
                        round_code=f"202{i}",
                        status="submitted",
                        instrument_version=version,
                        responses=responses,
                        plan_integrated=flag,
                        plan_supply_chain=flag,
                        plan_cloud=flag,
                    ),
                )
        (stored,) = upgrade_and_select(
            "SELECT id, plan_integrated, plan_supply_chain, plan_cloud FROM assessment ORDER BY id"
        )
        for (i, version, responses, _flag), row in zip(rows, stored, strict=True):
            expected = indicators_met(responses, version)
            assert (row[1], row[2], row[3]) == (
                expected["integrated"],
                expected["supply_chain"],
                expected["cloud"],
            ), i
        db.engine.dispose()
