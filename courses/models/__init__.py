from .attendance import Attendance, CompletionRule, SessionSheet
from .catalogue import Course, Edition, Session
from .choices import (
    HOLDING,
    LIVE,
    DeliveryMode,
    EducationLevel,
    EnrolmentStatus,
    FundingKind,
    Gender,
    InstitutionType,
    Position,
)
from .enrolments import Enrolment, EnrolmentEvent
from .participants import (
    Answer,
    Citizenship,
    Degurba,
    LabourDetail,
    LabourStatus,
    LeavingSituation,
    MonitoringSystem,
    Occupation,
    ParticipantRecord,
    Participation,
    SupportType,
)
from .partners import (
    ExportFormat,
    ExportList,
    ExportLog,
    PartnerKind,
    PartnerOrganisation,
)
from .people import Institution, TraineeProfile, TrainerProfile
from .projects import EligibilityRule, Project, Quota, QuotaVoivodeship
from .regions import Macroregion, Voivodeship
from .settings import FundingSettings

__all__ = [
    "HOLDING",
    "LIVE",
    "Answer",
    "Citizenship",
    "Degurba",
    "LabourDetail",
    "LabourStatus",
    "LeavingSituation",
    "MonitoringSystem",
    "Occupation",
    "ParticipantRecord",
    "Participation",
    "SupportType",
    "Attendance",
    "CompletionRule",
    "Course",
    "DeliveryMode",
    "EducationLevel",
    "Edition",
    "EligibilityRule",
    "Enrolment",
    "EnrolmentEvent",
    "EnrolmentStatus",
    "ExportFormat",
    "ExportList",
    "ExportLog",
    "FundingKind",
    "FundingSettings",
    "Gender",
    "Institution",
    "InstitutionType",
    "Macroregion",
    "PartnerKind",
    "PartnerOrganisation",
    "Position",
    "Project",
    "Quota",
    "QuotaVoivodeship",
    "Session",
    "SessionSheet",
    "TraineeProfile",
    "TrainerProfile",
    "Voivodeship",
]
