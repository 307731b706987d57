"""What the funder's monitoring system asks of each participant, collected once.

The person's record (ParticipantRecord) holds the answers given once, with the right
to refuse where the rules allow; a participation (Participation) holds what differs
per enrolment: how it ended. The words the funder's file uses for each value are data
(courses/monitoring/data/*.json), not these choices.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_postcode


class Answer(models.TextChoices):
    """A special-situation question: yes, no, or the person refuses to answer."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    REFUSED = "refused", _("refuses to answer")


class Citizenship(models.TextChoices):
    POLISH = "pl", _("Polish")
    EU = "eu", _("another EU country")
    NON_EU = "non_eu", _("a country outside the EU")
    STATELESS = "stateless", _("stateless")


class Degurba(models.TextChoices):
    """Eurostat's degree of urbanisation of the municipality (DEGURBA)."""

    CITIES = "1", _("1 – cities (densely populated)")
    TOWNS = "2", _("2 – towns and suburbs (intermediate density)")
    RURAL = "3", _("3 – rural areas (thinly populated)")


class LabourStatus(models.TextChoices):
    EMPLOYED = "employed", _("employed")
    UNEMPLOYED_REGISTERED = (
        "unemployed_registered",
        _("unemployed, registered at a labour office"),
    )
    UNEMPLOYED_UNREGISTERED = (
        "unemployed_unregistered",
        _("unemployed, not registered at a labour office"),
    )
    INACTIVE = "inactive", _("economically inactive")


class LabourDetail(models.TextChoices):
    GOVERNMENT = "government", _("works in government administration")
    LOCAL_GOVERNMENT = "local_government", _("works in local government")
    SME = "sme", _("works in a micro, small or medium enterprise")
    NGO = "ngo", _("works in a non-governmental organisation")
    SELF_EMPLOYED = "self_employed", _("self-employed")
    LARGE_COMPANY = "large_company", _("works in a large enterprise")
    OTHER = "other", _("other")


class Occupation(models.TextChoices):
    SOCIAL_ASSISTANCE_KEY_STAFF = (
        "social_assistance_key_staff",
        _("key staff of a social assistance and integration institution"),
    )
    FAMILY_SUPPORT_STAFF = (
        "family_support_staff",
        _("staff of the family support and foster care system"),
    )
    LABOUR_MARKET_STAFF = (
        "labour_market_staff",
        _("staff of a labour-market institution"),
    )
    SOCIAL_ECONOMY_SUPPORT_STAFF = (
        "social_economy_support_staff",
        _("staff of a social economy support centre"),
    )
    HEALTH_CARE_STAFF = "health_care_staff", _("staff of the health care system")
    HIGHER_EDUCATION_STAFF = (
        "higher_education_staff",
        _("staff of a higher education institution"),
    )
    COUNSELLING_CENTRE_STAFF = (
        "counselling_centre_staff",
        _("staff of a psychological and pedagogical counselling centre"),
    )
    TEACHER_GENERAL = "teacher_general", _("teacher of general education")
    TEACHER_VOCATIONAL = "teacher_vocational", _("teacher of vocational education")
    TEACHER_PRESCHOOL = "teacher_preschool", _("pre-school teacher")
    VOCATIONAL_INSTRUCTOR = "vocational_instructor", _("vocational instructor")
    FARMER = "farmer", _("farmer")
    OTHER = "other", _("other")


class LeavingSituation(models.TextChoices):
    CONTINUES_EMPLOYMENT = "continues_employment", _("continues in employment")
    RAISED_QUALIFICATIONS = (
        "raised_qualifications",
        _("gained competences or qualifications"),
    )
    OTHER = "other", _("other")


class MonitoringSystem(models.TextChoices):
    """The funder's system a project reports its participants to."""

    SL2014 = "sl2014", _("SL2014 (POWER 2014–2020)")
    CST2021 = "cst2021", _("CST2021 / SM EFS (FERS 2021–2027)")


def _answer(label):
    return models.CharField(label, max_length=10, choices=Answer.choices, blank=True)


class ParticipantRecord(models.Model):
    """A trainee's answers for the funder's participant record, given once."""

    trainee = models.OneToOneField(
        "courses.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="record",
    )
    no_pesel = models.BooleanField(
        _("I have no PESEL number"),
        default=False,
        help_text=_("Then give your country and date of birth."),
    )
    country = models.CharField(
        _("country"),
        max_length=60,
        default="Polska",
        blank=True,
        help_text=_("The country where you live."),
    )
    birth_date = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_(
            "Only without PESEL: the age at the start of support is counted from it."
        ),
    )
    citizenship = models.CharField(
        _("citizenship"), max_length=10, choices=Citizenship.choices, blank=True
    )
    home_voivodeship = models.ForeignKey(
        "courses.Voivodeship",
        verbose_name=_("voivodeship (home address)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_county = models.CharField(_("county"), max_length=100, blank=True)
    home_municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    home_town = models.CharField(_("town or village"), max_length=100, blank=True)
    home_postcode = models.CharField(
        _("postcode"), max_length=6, blank=True, validators=[validate_postcode]
    )
    home_street = models.CharField(_("street"), max_length=100, blank=True)
    home_building = models.CharField(_("building number"), max_length=20, blank=True)
    home_flat = models.CharField(_("flat number"), max_length=20, blank=True)
    degurba = models.CharField(
        _("degree of urbanisation of the municipality (DEGURBA)"),
        max_length=1,
        choices=Degurba.choices,
        blank=True,
    )
    labour_status = models.CharField(
        _("labour-market status at the start"),
        max_length=30,
        choices=LabourStatus.choices,
        blank=True,
    )
    labour_detail = models.CharField(
        _("where you work"), max_length=30, choices=LabourDetail.choices, blank=True
    )
    occupation = models.CharField(
        _("occupation"), max_length=40, choices=Occupation.choices, blank=True
    )
    disability = _answer(_("a person with disabilities"))
    minority = _answer(_("a member of a national or ethnic minority"))
    foreign_origin = _answer(_("a person of foreign origin or a migrant"))
    third_country = _answer(_("a national of a country outside the EU"))
    homeless = _answer(_("homeless or excluded from access to housing"))
    household_jobless = _answer(_("lives in a household where nobody works"))
    household_children = _answer(_("… and in that household with dependent children"))
    single_adult_household = _answer(
        _("lives in a household of one adult with dependent children")
    )
    other_disadvantage = _answer(_("in another disadvantaged social situation"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("participant record")
        verbose_name_plural = _("participant records")

    def __str__(self) -> str:
        return str(self.trainee)


class Participation(models.Model):
    """What the funder asks of one participation: how it ended."""

    enrolment = models.OneToOneField(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="participation",
    )
    leaving_situation = models.CharField(
        _("situation on leaving the project"),
        max_length=30,
        choices=LeavingSituation.choices,
        blank=True,
    )
    ended_as_planned = models.CharField(
        _("support ended as planned"),
        max_length=3,
        choices=[("yes", _("yes")), ("no", _("no"))],
        blank=True,
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return str(self.enrolment)
