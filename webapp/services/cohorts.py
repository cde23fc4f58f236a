"""An enabling centre's cohort (企业群): the enterprises assigned to it and their latest results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Select, func, select

from assessment.classification import TOWNS
from assessment.consistency import RULES, Rule
from assessment.features import feature_columns
from assessment.localised import Localised
from assessment.onsite import ShownStage
from assessment.paths import RULES_BY_CODE, PathCode
from assessment.types import (
    MIIT_LEVEL_CODES,
    MIIT_LEVEL_LABELS,
    IndustryCluster,
    SizeClass,
    Stage,
)
from models import (
    Assessment,
    AssessmentStatus,
    Enterprise,
    StageValidation,
    User,
    round_record,
)
from reports.basis_view import basis_label, level_name, shown_basis_label, shown_stage_text
from webapp.extensions import db
from webapp.registries import instruments
from webapp.services import onsite, snapshots
from webapp.services.answer_lists import AnswerRow, answer_rows
from webapp.services.assessments import instrument_of, latest_submitted
from webapp.services.clusters import current_model, persona_names
from webapp.services.corrections import CorrectionEntry, correction_history
from webapp.services.loaders import enterprise_for_staff
from webapp.services.segments import CohortSegments, cohort_segments
from webapp.services.validation import validations_of


@dataclass(frozen=True)
class CohortFilter:
    """Filters and sort order of the cohort table; unknown values are ignored, not errors."""

    round_code: str
    town: str | None = None
    cluster: str | None = None
    size_class: str | None = None
    stage: str | None = None
    persona: int | None = None
    status: str | None = None  # "submitted" | "draft" | "none"
    sort: str = "name"
    #: Search: a substring of the name (case-insensitive) or a prefix of the USCC; ``%`` and
    #: ``_`` are matched as themselves, not as wildcards.
    q: str | None = None


SORTS = {
    "name": (Enterprise.name,),
    "index": (Assessment.maturity_index.desc(), Enterprise.name),
    "index_asc": (Assessment.maturity_index, Enterprise.name),
    "stage": (Assessment.stage, Enterprise.name),
    "town": (Enterprise.town, Enterprise.name),
}


def _query(actor: User, f: CohortFilter) -> Select[Enterprise, Assessment | None]:
    query = (
        select(Enterprise, Assessment)
        .outerjoin(
            Assessment,
            (Assessment.enterprise_id == Enterprise.id)
            & (Assessment.round_code == f.round_code)
            & round_record(),  # one row per enterprise: corrections replace, never add
        )
        .where(Enterprise.centre_id == actor.centre_id, Enterprise.centre_id.is_not(None))
    )
    if f.q:
        query = query.where(
            func.lower(Enterprise.name).contains(f.q.lower(), autoescape=True)
            | Enterprise.uscc.startswith(f.q.upper(), autoescape=True)
        )
    if f.town:
        query = query.where(Enterprise.town == f.town)
    if f.cluster:
        query = query.where(Enterprise.cluster == f.cluster)
    if f.size_class:
        query = query.where(Enterprise.size_class == f.size_class)
    if f.stage in {s.code for s in Stage}:
        query = query.where(Assessment.stage == f.stage)
    if f.persona is not None:
        query = query.where(Assessment.persona == f.persona)
    if f.status == "none":
        query = query.where(Assessment.id.is_(None))
    elif f.status in ("draft", "submitted"):
        query = query.where(Assessment.status == f.status)
    return query.order_by(*SORTS.get(f.sort, SORTS["name"]))


@dataclass(frozen=True)
class CohortPage:
    """One page of a centre's enterprises with the round's assessment (one query per page)."""

    rows: list[tuple[Enterprise, Assessment | None]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def cohort_page(actor: User, f: CohortFilter, page: int, per_page: int) -> CohortPage:
    """One page of the actor's centre's enterprises that pass the filter.

    Scoped to the actor's centre: a member of staff never sees another centre's enterprises.
    """
    query = _query(actor, f)
    total = (
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return CohortPage([(e, a) for e, a in rows], int(total), page, per_page)


def cohort_rows(actor: User, f: CohortFilter) -> list[tuple[Enterprise, Assessment | None]]:
    """Every row that passes the filter (for exports and charts), in the chosen order."""
    return [(e, a) for e, a in db.session.execute(_query(actor, f)).all()]


@dataclass(frozen=True)
class EnterpriseDetail:
    """What the staff page of one cohort enterprise shows (``centre/enterprise.html``).

    ``assessment`` is the newest submitted assessment in force (``None`` before the first
    submission); ``answers`` are its applicable answers in instrument order and ``warnings`` the
    consistency rules it broke; ``rounds`` holds one record per round, oldest first; ``persona``
    is the peer persona of ``assessment`` (``clusters.persona_names``' dict) when one is
    assigned; ``audit`` the stage validations of ``assessment``, newest first, with each
    actor's name; ``corrections`` every correction of the enterprise, newest first;
    ``shown`` the stage each submitted record of ``rounds`` shows, by assessment id
    (``onsite.shown_stages``: staff's stage when they changed the model's).
    """

    enterprise: Enterprise
    assessment: Assessment | None
    answers: list[AnswerRow]
    warnings: list[Rule]
    rounds: list[Assessment]
    persona: dict[str, Any] | None
    audit: list[tuple[StageValidation, str]]
    corrections: list[CorrectionEntry]
    shown: dict[int, ShownStage]


def enterprise_detail(actor: User, enterprise_id: int) -> EnterpriseDetail:
    """Profile, latest submitted assessment, visible answers and consistency warnings of one
    enterprise of the actor's cohort.

    Raises
    ------
    NotFoundError
        No such enterprise, or it is not in the actor's centre's cohort.
    """
    enterprise = enterprise_for_staff(actor, enterprise_id)
    assessment = latest_submitted(enterprise.id)
    answers: list[AnswerRow] = []
    warnings: list[Rule] = []
    if assessment is not None and assessment.status == AssessmentStatus.SUBMITTED.value:
        instrument = instrument_of(assessment)
        profile = snapshots.assessment_profile(assessment, enterprise)
        responses = snapshots.responses_of(assessment)
        warned_codes = set(assessment.consistency_warnings or [])
        warnings = [r for r in RULES if r.code in warned_codes]
        warned_items = {code for r in warnings for code in r.items}
        answers = answer_rows(instrument, profile, responses, warned_items)

    rounds = db.session.scalars(
        select(Assessment)
        .where(Assessment.enterprise_id == enterprise.id, round_record())
        .order_by(Assessment.round_code)
    ).all()
    persona = None
    if assessment is not None and assessment.persona is not None:
        persona = persona_names(assessment.round_code).get(assessment.persona)
    return EnterpriseDetail(
        enterprise=enterprise,
        assessment=assessment,
        answers=answers,
        warnings=warnings,
        rounds=list(rounds),
        persona=persona,
        audit=validations_of(assessment.id) if assessment is not None else [],
        corrections=correction_history(enterprise.id),
        shown=onsite.shown_stages(
            [r for r in rounds if r.status == AssessmentStatus.SUBMITTED.value]
            + ([assessment] if assessment is not None else [])
        ),
    )


TOWN_BY_CODE = {t.code: t for t in TOWNS}
#: Export columns before the dimension scores: stable code and header (in the page's language).
EXPORT_COLUMNS: tuple[tuple[str, LazyString], ...] = (
    ("uscc", _l("统一社会信用代码")),
    ("name", _l("企业名称")),
    ("industry_code", _l("行业代码")),
    ("cluster", _l("产业集群")),
    ("town", _l("镇街")),
    ("size_class", _l("企业规模")),
    ("above_scale", _l("规上")),
    ("round", _l("评估批次")),
    ("status", _l("状态")),
    ("stage", _l("阶段")),
    ("miit_level", _l("工信部数字化水平等级")),
    ("basis", _l("结果依据")),
    ("verified_miit_level", _l("现场评定核定等级")),
    ("maturity_index", _l("成熟度指数")),
    ("persona", _l("画像")),
    ("path", _l("转型路径")),
    ("path_segment", _l("转型路径分群")),
    ("contact_name", _l("联系人")),
    ("contact_phone", _l("联系电话")),
    ("contact_email", _l("联系邮箱")),
    ("warnings", _l("一致性提示数")),
)
#: Labels of an enterprise's state in a round (the cohort's status filter values).
STATUS_LABELS: dict[str, LazyString] = {
    AssessmentStatus.SUBMITTED.value: _l("已提交"),
    AssessmentStatus.DRAFT.value: _l("填写中"),
    "none": _l("未开始"),
}


def _miit_label(result: dict[str, Any] | None, lang: str) -> str:
    """The MIIT level label a stored result carries; empty for results without one (v1)."""
    code = ((result or {}).get("miit") or {}).get("level")
    if code not in MIIT_LEVEL_CODES:
        return ""
    return Localised(*MIIT_LEVEL_LABELS[MIIT_LEVEL_CODES.index(code)]).for_locale(lang)


def _path_name(code: str | None, lang: str) -> str:
    """The name of a stored path code (``assessment.paths.PathCode``) in ``lang``; "" for none."""
    return RULES_BY_CODE[PathCode(code)].name.for_locale(lang) if code else ""


def export_table(actor: User, f: CohortFilter, lang: str) -> tuple[list[str], list[list[object]]]:
    """Header ("label (code)") and rows of the filtered cohort, for Excel and CSV, in ``lang``.

    Labels, not codes: cluster, town, size, status, the stage the result shows ("S2 集成提升";
    staff's stage when they changed the model's, with the model's: ``onsite.shown_stages``),
    MIIT level (v2 results; empty for v1), the basis of the result (企业自评 / 中心人员校验 /
    现场评定, or the centre's change of the stage: ``reports.basis_view.shown_basis_label``;
    empty without an assessment), the MIIT level verified on site
    (only when a finished on-site rating exists), persona names, the rule-based path and the
    main path of the firm's statistical path segment (both as stored when scored,
    ``segments.refresh_segments``) are in ``lang``. After the fixed columns
    (``EXPORT_COLUMNS``) come the dimension scores (0-100, one decimal), one column per
    dimension code any exported result carries (header "name (dim:CODE)"), the current
    version's dimensions first; a result without that dimension leaves the cell empty.
    """
    personas = persona_names(f.round_code)
    found = cohort_rows(actor, f)
    present = {
        c for _e, a in found if a is not None for c in (a.result or {}).get("dimension_scores", {})
    }
    current = [c for c in feature_columns(instruments().current()) if c in present]
    dimensions = current + sorted(present - set(current))
    assessment_ids = [a.id for _e, a in found if a is not None]
    shown = onsite.shown_stages([a for _e, a in found if a is not None])
    # A result with a stage says its basis as its pages do; a draft is "企业自评".
    bases = {aid: basis_label(b, lang) for aid, b in onsite.bases_of(assessment_ids).items()}
    bases |= {aid: shown_basis_label(s, lang) for aid, s in shown.items()}
    verified = onsite.verified_levels_of(assessment_ids)
    headers = [f"{label} ({code})" for code, label in EXPORT_COLUMNS] + [
        f"{name} (dim:{code})"
        for code, name in zip(dimensions, _fitted_dimension_names(dimensions, lang), strict=True)
    ]
    rows: list[list[object]] = []
    for e, a in found:
        persona = personas.get(a.persona) if a is not None and a.persona is not None else None
        scores = (a.result or {}).get("dimension_scores", {}) if a is not None else {}
        cluster, size = IndustryCluster(e.cluster), SizeClass(e.size_class)
        town = TOWN_BY_CODE.get(e.town)
        rows.append(
            [
                e.uscc,
                e.name,
                e.industry_code,
                Localised(cluster.label_zh, cluster.label_en).for_locale(lang),
                town.name.for_locale(lang) if town else e.town,
                Localised(size.label_zh, size.label_en).for_locale(lang),
                str(_l("是") if e.above_scale else _l("否")),
                f.round_code,
                str(STATUS_LABELS[a.status if a else "none"]),
                shown_stage_text(shown[a.id], lang, named=True) if a and a.id in shown else "",
                _miit_label(a.result if a else None, lang),
                bases[a.id] if a else "",
                level_name(verified[a.id], lang) if a and a.id in verified else "",
                round(a.maturity_index, 2) if a and a.maturity_index is not None else "",
                Localised(persona["name_zh"], persona["name_en"]).for_locale(lang)
                if persona
                else "",
                _path_name(a.path_rule if a else None, lang),
                _path_name(a.path_segment if a else None, lang),
                e.contact_name,
                e.contact_phone,
                e.contact_email,
                len(a.consistency_warnings or []) if a else "",
            ]
            + [round(scores[c], 1) if c in scores else "" for c in dimensions]
        )
    return headers, rows


@dataclass(frozen=True)
class CohortCharts:
    stage_counts: dict[str, int]
    segments: CohortSegments | None
    heatmap: tuple[list[str], list[str], list[list[float]]] | None


def cohort_charts(actor: User, f: CohortFilter, lang: str) -> CohortCharts:
    """Data of the cohort charts for the filtered rows: stages, path segments, persona
    heatmap."""
    rows = [(e, a) for e, a in cohort_rows(actor, f) if a is not None and a.result]
    counts: dict[str, int] = {}
    for _, a in rows:
        counts[a.stage or "S0"] = counts.get(a.stage or "S0", 0) + 1
    segments = cohort_segments([a for _, a in rows])
    model = current_model(f.round_code)
    personas = {p["label"]: p for p in model.personas} if model else {}
    heatmap = None
    if model is not None and personas:
        # The personas' centroids are on the dimensions the model was fitted on, which after a
        # change of the current questionnaire version are not the current version's.
        fitted: list[str] = model.params["columns"]
        heatmap = (
            [f"P{label}" for label in personas],
            _fitted_dimension_names(fitted, lang),
            [[p["centroid"][c] for c in fitted] for p in personas.values()],
        )
    return CohortCharts(counts, segments, heatmap)


def _fitted_dimension_names(columns: list[str], lang: str) -> list[str]:
    """Names in ``lang`` of a peer model's fitted ``columns`` (dimension codes): those of the
    newest version of the current instrument whose scored dimensions are exactly ``columns``
    (the version the model was fitted on), else each code's name in the newest version that has
    it, else the code itself."""
    registry = instruments()
    current = registry.current()
    versions = [current] + [
        registry.get(current.id, v) for v in reversed(registry.packaged_versions(current.id))
    ]
    for instrument in versions:
        if list(feature_columns(instrument)) == columns:
            by_code = {d.code: d.name.for_locale(lang) for d in instrument.dimensions}
            return [by_code[c] for c in columns]
    names: dict[str, str] = {}
    for instrument in reversed(versions):
        names.update({d.code: d.name.for_locale(lang) for d in instrument.dimensions})
    return [names.get(c, c) for c in columns]
