from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionType(models.TextChoices):
    OPS = "ops", _("OPS (social assistance centre)")
    MOPS = "mops", _("MOPS (municipal social assistance centre)")
    MOPR = "mopr", _("MOPR (municipal family assistance centre)")
    PCPR = "pcpr", _("PCPR (county family assistance centre)")
    DPS = "dps", _("DPS (social care home)")
    SUPPORT_CENTRE = "support_centre", _("support centre (ośrodek wsparcia)")
    CUS = "cus", _("CUS (social services centre)")
    MUNICIPAL_OFFICE = "municipal_office", _("municipal or city office")
    COUNTY_OFFICE = "county_office", _("county office (starostwo powiatowe)")
    VOIVODESHIP_UNIT = "voivodeship_unit", _("voivodeship-level unit")
    INTEGRATION = "integration", _("other social assistance or integration institution")
    EMPLOYMENT_SERVICE = "employment_service", _("public employment service")
    CRISIS_INTERVENTION = (
        "crisis_intervention",
        _("OIK (crisis intervention centre)"),
    )
    DAY_ROOM = "day_room", _("community day-room (świetlica środowiskowa)")
    POLICE = "police", _("police")
    COURT = "court", _("court (probation officers)")
    CULTURE_EDUCATION = "culture_education", _("cultural or educational institution")
    NGO = "ngo", _("non-governmental organisation")
    OTHER = "other", _("other")


class Position(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("social worker")
    ASPIRANT = "aspirant", _("social work aspirant")
    CARE_TEAM_HEAD = (
        "care_team_head",
        _("head or coordinator of a therapeutic-care team"),
    )
    THERAPIST = "therapist", _("therapist")
    MANAGER = "manager", _("manager")
    MAYOR = "mayor", _("mayor (wójt, burmistrz, prezydent miasta)")
    MAYOR_DELEGATE = "mayor_delegate", _("the mayor's delegate")
    COUNCILLOR = "councillor", _("councillor")
    OTHER = "other", _("other")


class SupportKind(models.TextChoices):
    """What a course delivers: training in groups, or support booked per request."""

    TRAINING = "training", _("training")
    ADVISORY = "advisory", _("advisory")
    COACHING = "coaching", _("coaching")
    WORKING_GROUP = "working_group", _("working group")


class Gender(models.TextChoices):
    FEMALE = "K", _("woman")
    MALE = "M", _("man")


class DeliveryMode(models.TextChoices):
    ON_SITE = "on_site", _("on site")
    WORKPLACE = "workplace", _("at the participant's workplace")
    REMOTE = "remote", _("remote")


class EnrolmentStatus(models.TextChoices):
    PENDING = "pending", _("pending approval")
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("on the waiting list")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REJECTED = "rejected", _("rejected")
    EXPIRED = "expired", _("expired")
    COMPLETED = "completed", _("completed")
    NOT_COMPLETED = "not_completed", _("not completed")


# Statuses that hold a place against every limit (seats and quota persons).
HOLDING = [
    EnrolmentStatus.PENDING,
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
]
# Statuses of a live enrolment: at most one per trainee and edition.
LIVE = [*HOLDING, EnrolmentStatus.WAITLISTED]


class EducationLevel(models.TextChoices):
    """ISCED levels as the ESF participant record asks for them."""

    ISCED_0 = "0", _("ISCED 0 – below primary")
    ISCED_1 = "1", _("ISCED 1 – primary")
    ISCED_2 = "2", _("ISCED 2 – lower secondary")
    ISCED_3 = "3", _("ISCED 3 – upper secondary")
    ISCED_4 = "4", _("ISCED 4 – post-secondary")
    ISCED_5_8 = "5-8", _("ISCED 5–8 – higher education")


class FundingKind(models.TextChoices):
    """Who co-finances a project: what its documents must say and which marks they carry."""

    EU_FUNDS = "eu_funds", _("European funds")
    STATE_BUDGET = "state_budget", _("state budget")
