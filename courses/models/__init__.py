from .attendance import Attendance, CompletionRule, SessionSheet
from .catalogue import Course, Edition, Session
from .choices import (
    HOLDING,
    LIVE,
    DeliveryMode,
    EnrolmentStatus,
    Gender,
    InstitutionType,
    Position,
)
from .enrolments import Enrolment, EnrolmentEvent
from .people import Institution, TraineeProfile, TrainerProfile
from .projects import EligibilityRule, Project, Quota
from .regions import Macroregion, Voivodeship
from .settings import FundingSettings

__all__ = [
    "HOLDING",
    "LIVE",
    "Attendance",
    "CompletionRule",
    "Course",
    "DeliveryMode",
    "Edition",
    "EligibilityRule",
    "Enrolment",
    "EnrolmentEvent",
    "EnrolmentStatus",
    "FundingSettings",
    "Gender",
    "Institution",
    "InstitutionType",
    "Macroregion",
    "Position",
    "Project",
    "Quota",
    "Session",
    "SessionSheet",
    "TraineeProfile",
    "TrainerProfile",
    "Voivodeship",
]
