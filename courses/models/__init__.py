from .advisory import (
    AdvisoryForm,
    AdvisoryMeeting,
    AdvisoryMode,
    AdvisoryOffer,
    AdvisoryRequest,
    RequestChannel,
)
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
    SupportKind,
)
from .enrolments import Enrolment, EnrolmentEvent
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
    "AdvisoryForm",
    "AdvisoryMeeting",
    "AdvisoryMode",
    "AdvisoryOffer",
    "AdvisoryRequest",
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
    "RequestChannel",
    "Session",
    "SessionSheet",
    "SupportKind",
    "TraineeProfile",
    "TrainerProfile",
    "Voivodeship",
]
