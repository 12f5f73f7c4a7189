"""The models of grading, by topic; Django finds them here (the one package ``__init__`` that re-exports)."""

from grading.models.assessments import (
    SECRETARY_EDITABLE,
    Assessment,
    AssessmentStatus,
    AttendeeCategory,
    EvaluationMeeting,
    ItemScore,
    MeetingTallyRow,
    ScoreLevel,
    SelfReport,
    status_now,
    status_now_q,
)
from grading.models.campaigns import Campaign, CampaignStatus, Dimension, Item, ScoringTemplate
from grading.models.notices import Notice, Objection, ObjectionOutcome, ObjectionStage
from grading.models.review import ReviewEvidence, ReviewMethod
from grading.models.yearend import (
    ExcellenceAward,
    ExperiencePaper,
    GradeRecord,
    RegradeDirection,
    RegradeRequest,
    RegradeSupplement,
    TownshipSummary,
    YearEndReview,
)

__all__ = [
    "SECRETARY_EDITABLE",
    "Assessment",
    "AssessmentStatus",
    "AttendeeCategory",
    "Campaign",
    "CampaignStatus",
    "Dimension",
    "EvaluationMeeting",
    "ExcellenceAward",
    "ExperiencePaper",
    "GradeRecord",
    "Item",
    "ItemScore",
    "MeetingTallyRow",
    "Notice",
    "Objection",
    "ObjectionOutcome",
    "ObjectionStage",
    "RegradeDirection",
    "RegradeRequest",
    "RegradeSupplement",
    "ReviewEvidence",
    "ReviewMethod",
    "ScoreLevel",
    "ScoringTemplate",
    "SelfReport",
    "TownshipSummary",
    "YearEndReview",
    "status_now",
    "status_now_q",
]
