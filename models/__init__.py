"""SQLAlchemy 2.x ORM models. Importing this package registers every table on ``Base.metadata``."""

from models.assessment import (
    Assessment,
    AssessmentResultRecord,
    AssessmentStatus,
    DimensionScore,
    in_force,
    round_record,
    superseded,
    superseded_ids,
)
from models.base import Base, utcnow
from models.catalogue import EnablingCentre, ServiceProvider, Solution, SupportProgramme
from models.cluster import PeerModelRecord, StageValidation
from models.enterprise import Enterprise
from models.evidence import Evidence, OnsiteRating
from models.job import Job
from models.privacy import DeletionRequest, DeletionState
from models.referral import Notification, Referral, ReferralEvent
from models.release import StatisticsRelease
from models.report_file import ReportFile
from models.rollup import RoundRollup, RoundRollupBuild
from models.settings import AuditLog, Setting
from models.user import (
    ClaimState,
    EnterpriseClaim,
    Invitation,
    MemberRole,
    PasswordResetToken,
    Role,
    User,
)

__all__ = [
    "Assessment",
    "AuditLog",
    "AssessmentResultRecord",
    "AssessmentStatus",
    "ClaimState",
    "Base",
    "DeletionRequest",
    "DeletionState",
    "DimensionScore",
    "EnablingCentre",
    "Enterprise",
    "Evidence",
    "EnterpriseClaim",
    "Invitation",
    "Job",
    "MemberRole",
    "Notification",
    "OnsiteRating",
    "PasswordResetToken",
    "PeerModelRecord",
    "ReportFile",
    "Referral",
    "ReferralEvent",
    "Role",
    "RoundRollup",
    "RoundRollupBuild",
    "ServiceProvider",
    "Setting",
    "Solution",
    "StatisticsRelease",
    "SupportProgramme",
    "StageValidation",
    "User",
    "in_force",
    "round_record",
    "superseded",
    "superseded_ids",
    "utcnow",
]
