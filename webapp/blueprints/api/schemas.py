"""marshmallow schemas of the JSON API; the OpenAPI document is generated from them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from assessment.classification import MANUFACTURING_DIVISIONS, TOWN_CODES
from assessment.onsite import Basis
from assessment.types import MIIT_LEVEL_CODES, ProductionType


class ProfileSchema(Schema):
    industry_code = fields.String(
        required=True,
        validate=validate.OneOf(list(MANUFACTURING_DIVISIONS)),
        metadata={"description": "GB/T 4754-2017 manufacturing division, C13-C43"},
    )
    production_type = fields.String(
        required=True, validate=validate.OneOf([p.value for p in ProductionType])
    )
    town = fields.String(required=True, validate=validate.OneOf(sorted(TOWN_CODES)))
    employees = fields.Integer(required=True, validate=validate.Range(0, 1_000_000))
    revenue_wan = fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(0, 100_000_000),
        metadata={"description": "annual revenue in 万元 (10,000 CNY)"},
    )


class ScoreRequestSchema(Schema):
    instrument_version = fields.String(required=True, metadata={"example": "1"})
    profile = fields.Nested(ProfileSchema, required=True)
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=False),
        required=True,
        metadata={
            "description": "item code -> option code, list of option codes, or number; a "
            'figure item may be answered "unknown" (the firm does not know the figure), which '
            "MIIT's rule scores as 0 for that item"
        },
    )


class ConditionSchema(Schema):
    code = fields.String()
    text_zh = fields.String()
    text_en = fields.String()


class WarningSchema(Schema):
    code = fields.String()
    items = fields.List(fields.String())
    text_zh = fields.String()
    text_en = fields.String()


class ScenarioSchema(Schema):
    code = fields.String(metadata={"description": "MIIT 2024 business scenario, e.g. finance"})
    name_zh = fields.String()
    name_en = fields.String()
    level = fields.Integer(
        validate=validate.Range(0, 4), metadata={"description": "0 (not yet) to 4 (L4)"}
    )
    constrained = fields.Boolean(metadata={"description": "one of MIIT's constrained scenarios"})


class MiitGapSchema(Schema):
    target = fields.Integer(
        validate=validate.Range(1, 4), metadata={"description": "MIIT level 1-4"}
    )
    points_missing = fields.Float(
        metadata={"description": "points short of the level's threshold, 0-100 (0: enough)"}
    )
    scenario_level = fields.Integer(
        metadata={"description": "the level scenarios must reach for the target"}
    )
    scenarios_missing = fields.Integer(metadata={"description": "scenarios still to raise"})
    constrained_missing = fields.Integer(
        metadata={"description": "how many of those must be constrained scenarios"}
    )
    candidates = fields.List(
        fields.String(), metadata={"description": "scenario codes to raise, most useful first"}
    )


class BorderlineSchema(Schema):
    classification = fields.String(metadata={"description": "stage | miit"})
    item = fields.String(metadata={"description": "the item whose answer decides"})
    answer = fields.Raw(metadata={"description": "the answer that would change the class"})
    current = fields.String()
    reached = fields.String()


class TextSchema(Schema):
    zh = fields.String()
    en = fields.String()


class KpiSchema(Schema):
    item = fields.String(metadata={"description": "the PRF item holding the KPI, e.g. PRF-05"})
    name = fields.Nested(TextSchema)
    unit = fields.Nested(TextSchema)
    change = fields.Float(metadata={"description": "relative change, e.g. 0.03 for +3%"})
    baseline = fields.Float(allow_none=True, metadata={"description": "the firm's figure"})
    target = fields.Float(allow_none=True, metadata={"description": "baseline after the change"})


class CostShareSchema(Schema):
    price_wan = fields.Float(metadata={"description": "the step's 24-month amount, 万元"})
    provider_wan = fields.Float(metadata={"description": "the provider's discount (让一点)"})
    programme_wan = fields.Float(metadata={"description": "the programme's support (补一点)"})
    firm_wan = fields.Float(metadata={"description": "what the firm pays (出一点)"})
    programme = fields.String(allow_none=True, metadata={"description": "programme code"})
    rule = fields.Nested(TextSchema, metadata={"description": "the computation in words"})


class ProductSchema(Schema):
    code = fields.String()
    name = fields.Nested(TextSchema)
    provider = fields.String(metadata={"description": "provider code"})
    provider_name = fields.Nested(TextSchema)
    provider_roles = fields.List(
        fields.String(), metadata={"description": "e.g. traction (数字化牵引单位), software"}
    )
    price_band = fields.String()
    price_model = fields.String(metadata={"description": "one_off | subscription"})
    delivery_weeks = fields.Integer()
    is_demo = fields.Boolean()


class RoadmapStepSchema(Schema):
    capability = fields.String()
    name = fields.Nested(TextSchema)
    horizon = fields.Integer(
        validate=validate.Range(1, 3),
        metadata={"description": "1: months 0-3, 2: months 3-12, 3: months 12-24"},
    )
    phase = fields.String(
        metadata={"description": "consolidate | miit_gap | stage_gate | pain_point | industry"}
    )
    why = fields.List(fields.Nested(TextSchema))
    prerequisites = fields.List(fields.String(), metadata={"description": "capability codes"})
    kpi = fields.Nested(KpiSchema, allow_none=True)
    budget_wan = fields.List(
        fields.Float(), metadata={"description": "[low, high] in 万元; per year if subscription"}
    )
    price_model = fields.String(metadata={"description": "one_off | subscription"})
    total_wan = fields.Float(metadata={"description": "the step's amount over the 24 months"})
    payback_months = fields.List(
        fields.Float(allow_none=True),
        metadata={"description": "[low, high]; null when no benefit is assumed"},
    )
    payback_assumption = fields.Nested(TextSchema)
    cost_share = fields.Nested(CostShareSchema)
    products = fields.List(fields.Nested(ProductSchema))
    covered_by = fields.String(
        allow_none=True,
        metadata={
            "description": "capability of the earlier step whose product this step shares; "
            "the product is costed there and this step's total_wan is 0 (null: own cost)"
        },
    )
    covered = fields.Nested(TextSchema, allow_none=True)


class PilotStepSchema(Schema):
    programme = fields.String()
    programme_name = fields.Nested(TextSchema)
    next_step = fields.String(allow_none=True, metadata={"description": "null: path complete"})
    next_step_name = fields.Nested(TextSchema, allow_none=True)
    bring = fields.Nested(TextSchema, allow_none=True)


class RoadmapSchema(Schema):
    steps = fields.List(fields.Nested(RoadmapStepSchema))
    total_wan = fields.Float(metadata={"description": "24-month total, 万元"})
    digital_spend_wan = fields.Float(metadata={"description": "the firm's yearly digital spend"})
    spend_source = fields.Nested(TextSchema)
    multiple = fields.Float(allow_none=True, metadata={"description": "total / yearly spend"})
    flagged = fields.Boolean(metadata={"description": "total above 3 times the yearly spend"})
    flag = fields.Nested(TextSchema, allow_none=True)
    firm_pays_wan = fields.Float()
    subsidy_wan = fields.Float()
    provider_discount_wan = fields.Float()
    programmes = fields.List(fields.String(), metadata={"description": "eligible programmes"})
    pilot = fields.Nested(PilotStepSchema, allow_none=True)


ROADMAP_FIELD = {
    "description": "the roadmap built from the answers (null on instrument version 1, which "
    "has no MIIT level)"
}


class ScoreResponseSchema(Schema):
    stage = fields.String(metadata={"description": "S0..S3"})
    stage_name = fields.String()
    stage_name_en = fields.String()
    index = fields.Float(metadata={"description": "maturity index, 0-100"})
    dimensions = fields.Dict(keys=fields.String(), values=fields.Float())
    unmet_conditions = fields.List(fields.Nested(ConditionSchema))
    warnings = fields.List(fields.Nested(WarningSchema))
    instrument_version = fields.String()
    scoring_version = fields.String()
    miit_level = fields.String(
        allow_none=True,
        validate=validate.OneOf(list(MIIT_LEVEL_CODES)),
        metadata={"description": "MIIT 2024 level: none, 1-4 (null on instrument version 1)"},
    )
    miit_score = fields.Float(
        allow_none=True,
        metadata={"description": "MIIT 2024 score, 0-100 (null on instrument version 1)"},
    )
    scenarios = fields.List(
        fields.Nested(ScenarioSchema),
        metadata={"description": "the 16 business scenarios (empty on instrument version 1)"},
    )
    miit_next = fields.List(
        fields.Nested(MiitGapSchema),
        metadata={
            "description": "what is missing for the next level(s), the most relevant first "
            "(for a pilot firm below level 2, the gap to level 2); empty at level 4 or on v1"
        },
    )
    borderline = fields.Nested(
        BorderlineSchema,
        allow_none=True,
        metadata={"description": "null, or the one answer that would change stage or level"},
    )
    roadmap = fields.Nested(RoadmapSchema, allow_none=True, metadata=ROADMAP_FIELD)


class OptionSchema(Schema):
    code = fields.String()
    value = fields.Float(metadata={"description": "ordinal maturity in [0, 1]"})
    text_zh = fields.String()
    text_en = fields.String()


class ShowIfSchema(Schema):
    item = fields.String()
    values = fields.List(fields.String())


class ItemSchema(Schema):
    code = fields.String()
    dimension = fields.String()
    indicator = fields.String()
    kind = fields.String(metadata={"description": "single | multi | number | figure"})
    text_zh = fields.String()
    text_en = fields.String()
    help_zh = fields.String()
    help_en = fields.String()
    required = fields.Boolean()
    unit_zh = fields.String()
    unit_en = fields.String()
    minimum = fields.Float(allow_none=True)
    maximum = fields.Float(allow_none=True)
    applies_to = fields.List(fields.String())
    show_if = fields.Nested(ShowIfSchema, allow_none=True)
    options = fields.List(fields.Nested(OptionSchema))
    points = fields.Float(
        allow_none=True, metadata={"description": "MIIT 2024 points of the item (version 2)"}
    )
    scenario = fields.String(
        allow_none=True,
        metadata={"description": "the MIIT business scenario the item rates (version 2)"},
    )
    constrained = fields.Boolean(
        metadata={"description": "the scenario is one of MIIT's constrained ones"}
    )
    cluster = fields.String(
        allow_none=True,
        metadata={"description": "shown only to enterprises of this industry cluster"},
    )
    denominator = fields.String(
        allow_none=True, metadata={"description": "figure this one is a share of"}
    )
    previous = fields.String(
        allow_none=True, metadata={"description": "figure holding last year's value"}
    )
    better = fields.String(
        allow_none=True, metadata={"description": "lower | higher: the improving direction"}
    )
    max_choices = fields.Integer(allow_none=True)


class DimensionSchema(Schema):
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    weight = fields.Float()
    scored = fields.Boolean(metadata={"description": "false: unscored (profile, modules)"})


class InstrumentSchema(Schema):
    id = fields.String()
    version = fields.String()
    title_zh = fields.String()
    title_en = fields.String()
    minutes = fields.Integer()
    dimensions = fields.List(fields.Nested(DimensionSchema))
    items = fields.List(fields.Nested(ItemSchema))


class AssessmentSummarySchema(Schema):
    id = fields.String(metadata={"description": "public id"})
    round = fields.String()
    status = fields.String(metadata={"description": "draft | submitted"})
    instrument_version = fields.String()
    submitted_at = fields.DateTime(allow_none=True)
    stage = fields.String(allow_none=True)
    index = fields.Float(allow_none=True)
    dimensions = fields.Dict(keys=fields.String(), values=fields.Float(), allow_none=True)
    warnings = fields.List(fields.String(), allow_none=True)
    miit_level = fields.String(
        allow_none=True,
        validate=validate.OneOf(MIIT_LEVEL_CODES),
        metadata={"description": "self-reported MIIT 2024 level (questionnaire v2), none-4"},
    )
    basis = fields.String(
        validate=validate.OneOf([b.value for b in Basis]),
        metadata={
            "description": "what the result rests on: self_reported, staff_verified (a centre "
            "confirmed or corrected the stage) or onsite_rated (现场评定)"
        },
    )


class ChangedScenarioSchema(Schema):
    code = fields.String(metadata={"description": "MIIT scenario code"})
    self_level = fields.Integer(validate=validate.Range(0, 4))
    level = fields.Integer(validate=validate.Range(0, 4), metadata={"description": "as rated"})
    reason = fields.String()


class VerifiedSchema(Schema):
    miit_level = fields.String(
        validate=validate.OneOf(MIIT_LEVEL_CODES),
        metadata={"description": "MIIT level verified by the on-site rating"},
    )
    self_miit_level = fields.String(validate=validate.OneOf(MIIT_LEVEL_CODES))
    changed = fields.List(fields.Nested(ChangedScenarioSchema))


class AssessmentDetailSchema(AssessmentSummarySchema):
    roadmap = fields.Nested(RoadmapSchema, allow_none=True, metadata=ROADMAP_FIELD)
    verified = fields.Nested(
        VerifiedSchema,
        allow_none=True,
        metadata={"description": "the finished on-site rating (null when not rated on site)"},
    )
