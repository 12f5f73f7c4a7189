"""Models of the rectification app, one module per concept; import them from here."""

from rectification.models.acceptance import Acceptance, AcceptanceIssue, SupervisionLevel, SupervisionVisit
from rectification.models.cases import (
    Case,
    CaseSource,
    DevelopmentTarget,
    Evidence,
    Measure,
    Problem,
    ProgressNote,
    Project,
    RegradeStatus,
    WorkGroupMember,
    YearEndReport,
)
from rectification.models.categories import (
    CategoryAssignment,
    CategorySource,
    GradeApplication,
    Helper,
    Liaison,
    LiaisonKind,
    Pairing,
    Showcase,
)

__all__ = [
    "Acceptance",
    "AcceptanceIssue",
    "Case",
    "CaseSource",
    "CategoryAssignment",
    "CategorySource",
    "DevelopmentTarget",
    "Evidence",
    "GradeApplication",
    "Helper",
    "Liaison",
    "LiaisonKind",
    "Measure",
    "Pairing",
    "Problem",
    "ProgressNote",
    "Project",
    "RegradeStatus",
    "Showcase",
    "SupervisionLevel",
    "SupervisionVisit",
    "WorkGroupMember",
    "YearEndReport",
]
