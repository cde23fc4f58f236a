"""catalogue v2: capabilities, scenarios, price model, provider discount, pilot directory, cases

The roadmap (issue 19) matches solutions by the capability they build and prices them by their
model (one-off or per year). Existing rows get the neutral values (no capability, one-off, no
discount); rows of the demo catalogue (matched by code) get the demo file's v2 fields as they
stood when this revision was written, so a database seeded before it matches products at once.

Revision ID: a7c4e2d9b1f3
Revises: a7c2e94b1f36
Create Date: 2026-11-30 17:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a7c4e2d9b1f3"
down_revision = "a7c2e94b1f36"
branch_labels = None
depends_on = None

#: code: (capabilities, scenarios, price_model, provider_discount, in_pilot_directory, cases)
DEMO_V2 = {
    "S-AI-QC": (["ai_quality"], [], "one_off", 0.0, False, []),
    "S-APS": (["planning"], [], "one_off", 0.05, True, []),
    "S-BATCH-SCADA": (["production"], ["production"], "one_off", 0.1, True, []),
    "S-BI": (["decision"], [], "subscription", 0.1, True, []),
    "S-CAD-PDM": (["design"], [], "one_off", 0.05, False, []),
    "S-CAPP": (["process_design"], [], "one_off", 0.05, False, []),
    "S-CLOUD-ERP": (
        ["finance", "purchasing", "warehouse"],
        [],
        "subscription",
        0.1,
        True,
        ["humen/textiles", "changan/electronics"],
    ),
    "S-CRM-SAAS": (["sales"], [], "subscription", 0.1, True, []),
    "S-DATA-PLATFORM": (["integration"], [], "subscription", 0.0, False, []),
    "S-ELE-SPC": (["ele_test"], [], "one_off", 0.15, True, []),
    "S-ELE-TRACE": (["ele_trace"], [], "one_off", 0.15, True, ["changan/electronics"]),
    "S-ENERGY-METER": (["energy"], [], "one_off", 0.05, False, []),
    "S-EQP-3D": (["eqp_design"], [], "one_off", 0.05, False, []),
    "S-EQP-PROJ": (["eqp_project"], [], "subscription", 0.1, False, []),
    "S-EQP-REMOTE": (["eqp_remote"], [], "subscription", 0.05, False, []),
    "S-FIN-SAAS": (["finance"], [], "subscription", 0.1, True, ["humen/textiles"]),
    "S-FOD-CCP": (["fod_ccp"], [], "subscription", 0.15, True, ["machong/food"]),
    "S-FOD-ERP": (["purchasing", "warehouse"], [], "subscription", 0.15, True, []),
    "S-FOD-RECIPE": (["fod_recipe"], [], "one_off", 0.15, True, []),
    "S-FOOD-ENERGY": (["energy", "fod_recipe"], [], "one_off", 0.1, True, []),
    "S-FOOD-TRACE": (["fod_trace"], [], "one_off", 0.15, True, ["machong/food"]),
    "S-FUR-DEALER": (["fur_dealer"], [], "subscription", 0.1, False, ["houjie/furniture"]),
    "S-FURN-CUSTOM": (["fur_cnc"], [], "one_off", 0.1, False, ["houjie/furniture"]),
    "S-FURN-MES": (["fur_trace"], [], "one_off", 0.1, False, []),
    "S-GATEWAY": (["equipment"], [], "one_off", 0.05, True, ["changan/equipment"]),
    "S-HR-SAAS": (["hr"], [], "subscription", 0.1, True, []),
    "S-IIOT-PLATFORM": (["platform"], [], "subscription", 0.05, True, []),
    "S-INTEG": (["integration"], [], "one_off", 0.05, True, []),
    "S-ISOFT-ERP": (["finance", "purchasing", "warehouse"], [], "one_off", 0.05, False, []),
    "S-LIGHT-ROBOT": (["automation"], [], "one_off", 0.0, False, []),
    "S-MES-LIGHT": (["production"], [], "subscription", 0.1, True, ["dalang/textiles"]),
    "S-MES-SIEMENS": (["production", "shopfloor_data"], [], "one_off", 0.0, False, []),
    "S-OA": (["office", "sales"], [], "subscription", 0.1, True, []),
    "S-OFFICE-SAAS": (["office"], ["office"], "subscription", 0.1, True, []),
    "S-PLM-SIEMENS": (["design", "process_design"], [], "one_off", 0.0, False, []),
    "S-PROCESS-IOT": (["equipment"], ["equipment"], "one_off", 0.05, False, []),
    "S-PUR-SAAS": (["purchasing"], [], "subscription", 0.1, True, []),
    "S-QMS-SAAS": (["quality"], [], "subscription", 0.1, True, []),
    "S-ROBOT-CELL": (["automation"], [], "one_off", 0.0, False, []),
    "S-SAFETY-APP": (["safety"], [], "subscription", 0.05, False, []),
    "S-SAP-B1": (["finance", "purchasing", "warehouse"], [], "subscription", 0.0, False, []),
    "S-SAP-S4": (
        ["finance", "integration", "purchasing", "warehouse"],
        [],
        "one_off",
        0.0,
        False,
        [],
    ),
    "S-SCM-PORTAL": (["supply_chain"], [], "one_off", 0.0, False, []),
    "S-SEC-BASELINE": (["security"], [], "one_off", 0.1, True, []),
    "S-SECURITY": (["security"], [], "one_off", 0.1, True, []),
    "S-SERVICE-SAAS": (["service"], [], "subscription", 0.1, False, []),
    "S-SHOPDATA": (["shopfloor_data"], [], "one_off", 0.05, True, []),
    "S-TEX-APS": (["planning"], [], "one_off", 0.15, True, []),
    "S-TEX-CAD": (["tex_cad"], [], "one_off", 0.15, True, ["humen/textiles"]),
    "S-TEX-ERP": (["purchasing", "warehouse"], [], "subscription", 0.15, True, ["humen/textiles"]),
    "S-TEX-FLEX": (["tex_quick"], [], "subscription", 0.15, True, ["humen/textiles"]),
    "S-TEX-MES": (["tex_piece"], [], "subscription", 0.15, True, ["dalang/textiles"]),
    "S-TEX-OMNI": (["tex_omni"], [], "subscription", 0.15, True, []),
    "S-TEX-PIECE": (["tex_piece"], [], "subscription", 0.15, True, ["humen/textiles"]),
    "S-TEX-QMS": (["quality"], [], "subscription", 0.15, True, []),
    "S-WMS": (["warehouse"], [], "one_off", 0.05, False, []),
    "S-WMS-SAAS": (["warehouse"], [], "subscription", 0.1, True, ["dalang/textiles"]),
}


def upgrade():
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capabilities", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("scenarios", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("price_model", sa.String(length=20), server_default="one_off", nullable=False)
        )
        batch_op.add_column(
            sa.Column("provider_discount", sa.Float(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("in_pilot_directory", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("cases", sa.JSON(), nullable=True))
    _fill_existing_rows()
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.alter_column("capabilities", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("scenarios", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("cases", existing_type=sa.JSON(), nullable=False)


def _fill_existing_rows():
    bind = op.get_bind()
    solution = sa.table(
        "solution",
        sa.column("id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("capabilities", sa.JSON),
        sa.column("scenarios", sa.JSON),
        sa.column("price_model", sa.String),
        sa.column("provider_discount", sa.Float),
        sa.column("in_pilot_directory", sa.Boolean),
        sa.column("cases", sa.JSON),
    )
    for id_, code in bind.execute(sa.select(solution.c.id, solution.c.code)).all():
        caps, scenarios, model, discount, directory, cases = DEMO_V2.get(
            code, ([], [], "one_off", 0.0, False, [])
        )
        bind.execute(
            solution.update()
            .where(solution.c.id == id_)
            .values(
                capabilities=caps,
                scenarios=scenarios,
                price_model=model,
                provider_discount=discount,
                in_pilot_directory=directory,
                cases=cases,
            )
        )


def downgrade():
    with op.batch_alter_table("solution", schema=None) as batch_op:
        batch_op.drop_column("cases")
        batch_op.drop_column("in_pilot_directory")
        batch_op.drop_column("provider_discount")
        batch_op.drop_column("price_model")
        batch_op.drop_column("scenarios")
        batch_op.drop_column("capabilities")
