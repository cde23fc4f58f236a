"""Pure domain core: instrument, scoring, stage gates, task list, classification, USCC.

No Flask, no ORM, no I/O beyond reading the packaged instrument files.
"""

from assessment.classification import (
    MANUFACTURING_DIVISIONS,
    TOWNS,
    Classification,
    classify,
    cluster_for_industry,
    is_above_scale,
    size_class,
)
from assessment.errors import (
    AssessmentError,
    IncompleteResponseError,
    InstrumentVersionError,
    InvalidResponseError,
    InvalidUSCCError,
)
from assessment.instrument import (
    current_instrument,
    is_applicable,
    load_instrument,
    missing_items,
    normalise_response,
)
from assessment.scoring import SCORING_VERSION, score
from assessment.stages import GATES, assign_stage
from assessment.tasks import task_list
from assessment.types import (
    AssessmentResult,
    EnterpriseProfile,
    IndustryCluster,
    Instrument,
    ProductionType,
    SizeClass,
    Stage,
    Task,
)
from assessment.uscc import is_valid_uscc, make_uscc, validate_uscc

__all__ = [
    "GATES",
    "MANUFACTURING_DIVISIONS",
    "SCORING_VERSION",
    "TOWNS",
    "AssessmentError",
    "AssessmentResult",
    "Classification",
    "EnterpriseProfile",
    "IncompleteResponseError",
    "IndustryCluster",
    "Instrument",
    "InstrumentVersionError",
    "InvalidResponseError",
    "InvalidUSCCError",
    "ProductionType",
    "SizeClass",
    "Stage",
    "Task",
    "assign_stage",
    "classify",
    "cluster_for_industry",
    "current_instrument",
    "is_applicable",
    "is_above_scale",
    "is_valid_uscc",
    "load_instrument",
    "make_uscc",
    "missing_items",
    "normalise_response",
    "score",
    "size_class",
    "task_list",
    "validate_uscc",
]
