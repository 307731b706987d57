"""Demo of seed 004: "Liderzy Kooperacji" of ROPS Kielce, funded from the state budget.

The facts are the seed's: the name, the beneficiary and its partners, the programme
(PO WER 2014-2020, axis II, measure 2.5), the state-budget funding (4 655 373,79 zł of
co-financing, a targeted grant, of a total of 31 023 712,56 zł), the five voivodeships
of macroregion I, the beneficiaries (institutions of social assistance and integration),
the three competence modules for the staff of social services centres and the
workshops on CUS and deinstitutionalisation for the authorities of municipalities
(mayors or the people they delegate, councillors). Part of the education platform's
materials is open only to authorised institutions: here the GOPS in Masłów, whose
staff read the restricted lessons without being enrolled.

The seed ran from 1 April 2018 to 30 November 2022. So that its workshops can be
enrolled in, the demo keeps its length and its days (1 April – 30 November, four years
and eight months) and places them around today; every edition lies within it. The seed
names no contact person: the contact is the beneficiary with an example address.

Idempotent: objects are found by their codes and e-mail addresses; a state is written
only when its object is created.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from . import roles
from .demo import (
    COURSES,
    _participant_records,
    demo_person,
    edition_with_sessions,
    enrolment_closes_before,
)
from .models import (
    AuthorisedInstitution,
    Course,
    Edition,
    EligibilityRule,
    FundingKind,
    InstitutionType,
    LeavingSituation,
    Occupation,
    Position,
    Project,
    TraineeProfile,
    TrainerProfile,
    Voivodeship,
)
from .services.attendance import attendance_mark, edition_complete
from .services.enrolment import enrolment_create
from .services.monitoring import participation_save

PASSWORD = "uczestnik-demo-2026"
MAYOR = "wojt@szkolenia.test"
AUTHORISED_STAFF = "gops@szkolenia.test"
# fmt: off
USERS = [
    (MAYOR, "Adam", "Wrona", roles.TRAINEE, PASSWORD, False),
    (AUTHORISED_STAFF, "Monika", "Pawłowska", roles.TRAINEE, PASSWORD, False),
]
# fmt: on

PROJECT = {
    "code": "LIDERZY-KOOPERACJI",
    "name": "Liderzy Kooperacji",
    "programme": "Program Operacyjny Wiedza Edukacja Rozwój 2014-2020",
    "priority_axis": (
        "II. Efektywne polityki publiczne dla rynku pracy, gospodarki i edukacji"
    ),
    "measure": "2.5 Skuteczna pomoc społeczna",
    "funding_kind": FundingKind.STATE_BUDGET,
    "value": Decimal("31023712.56"),
    "cofinancing": Decimal("4655373.79"),
    "contact_name": "Regionalny Ośrodek Polityki Społecznej w Kielcach",
    "contact_email": "liderzy@rops-kielce.example.pl",
}
SEED_PERIOD = (datetime.date(2018, 4, 1), datetime.date(2022, 11, 30))
BENEFICIARY = (
    "Regionalny Ośrodek Polityki Społecznej w Kielcach w partnerstwie z samorządami "
    "makroregionu reprezentowanymi przez Regionalne Ośrodki Polityki Społecznej "
    "w Rzeszowie, Lublinie i Białymstoku oraz Mazowieckie Centrum Polityki Społecznej "
    "w Warszawie"
)
# Macroregion I, as the seed names it.
REGIONS = ["lubelskie", "mazowieckie", "podkarpackie", "podlaskie", "świętokrzyskie"]
MODULES = [
    "zarzadzanie-i-organizacja-uslug-spolecznych",
    "indywidualne-plany-uslug-spolecznych",
    "organizacja-spolecznosci-lokalnej",
]
WORKSHOPS = "warsztaty-cus-i-deinstytucjonalizacja"
# The seed's beneficiaries: entities working in social assistance and integration,
# and those it names besides: OIK, community day-rooms, the police, the courts
# (probation officers), cultural and educational institutions and NGOs.
STAFF_TYPES = [
    InstitutionType.OPS,
    InstitutionType.MOPS,
    InstitutionType.MOPR,
    InstitutionType.PCPR,
    InstitutionType.CUS,
    InstitutionType.DPS,
    InstitutionType.SUPPORT_CENTRE,
    InstitutionType.INTEGRATION,
    InstitutionType.CRISIS_INTERVENTION,
    InstitutionType.DAY_ROOM,
    InstitutionType.POLICE,
    InstitutionType.COURT,
    InstitutionType.CULTURE_EDUCATION,
    InstitutionType.NGO,
]
RULES = [
    (
        "Kadra instytucji pomocy i integracji społecznej makroregionu I "
        "(moduły kompetencyjne CUS)",
        STAFF_TYPES,
        [],
        MODULES,
    ),
    (
        "Władze gmin: wójtowie, burmistrzowie, prezydenci miast i osoby przez nich "
        "wydelegowane, radni (warsztaty CUS i DI)",
        [],
        [Position.MAYOR, Position.MAYOR_DELEGATE, Position.COUNCILLOR],
        [WORKSHOPS],
    ),
]
TRAINERS = {
    "zarzadzanie-i-organizacja-uslug-spolecznych": ["dr Anna Wójcik"],
    "indywidualne-plany-uslug-spolecznych": ["Marek Zieliński"],
    "organizacja-spolecznosci-lokalnej": ["Katarzyna Nowicka"],
    WORKSHOPS: ["dr Anna Wójcik", "Katarzyna Nowicka"],
}
# code, course, days from today, city, venue, seats
# fmt: off
EDITIONS = [
    ("LK-ZOUS-KIE-00", MODULES[0], -63, "Kielce", "ROPS, ul. Witosa 86", 20),
    ("LK-CUS-LUB-00", WORKSHOPS, -42, "Lublin", "ROPS, ul. Diamentowa 2", 25),
    ("LK-CUS-KIE-01", WORKSHOPS, 24, "Kielce", "ROPS, ul. Witosa 86", 25),
    ("LK-IPUS-RZE-01", MODULES[1], 31, "Rzeszów", "ROPS, ul. Hetmańska 9", 20),
    ("LK-OSL-BIA-01", MODULES[2], 45, "Białystok", "ROPS, ul. Wiejska 45A", 20),
]
# e-mail, first, last, gender, position, institution (name, type, voivodeship, county, municipality)
AUTHORISED = ("Gminny Ośrodek Pomocy Społecznej w Masłowie", InstitutionType.OPS,
              "świętokrzyskie", "kielecki", "Masłów")
PEOPLE = {
    MAYOR: ("Adam", "Wrona", "M", Position.MAYOR,
        ("Urząd Gminy Masłów", InstitutionType.MUNICIPAL_OFFICE, "świętokrzyskie", "kielecki", "Masłów")),
    AUTHORISED_STAFF: ("Monika", "Pawłowska", "K", Position.SOCIAL_WORKER, AUTHORISED),
    # People of the finished groups: on the lists only, nobody logs in as them.
    "renata.kwiatkowska@szkolenia.test": ("Renata", "Kwiatkowska", "K", Position.SOCIAL_WORKER, AUTHORISED),
    "marcin.sobczak@szkolenia.test": ("Marcin", "Sobczak", "M", Position.MANAGER,
        ("Powiatowe Centrum Pomocy Rodzinie w Busku-Zdroju", InstitutionType.PCPR, "świętokrzyskie", "buski", "Busko-Zdrój")),
    "teresa.adamczyk@szkolenia.test": ("Teresa", "Adamczyk", "K", Position.SOCIAL_WORKER,
        ("Gminny Ośrodek Pomocy Społecznej w Łopusznie", InstitutionType.OPS, "świętokrzyskie", "kielecki", "Łopuszno")),
    "jan.mazurek@szkolenia.test": ("Jan", "Mazurek", "M", Position.MAYOR,
        ("Urząd Gminy Jabłonna", InstitutionType.MUNICIPAL_OFFICE, "lubelskie", "lubelski", "Jabłonna")),
    "ewa.sadowska@szkolenia.test": ("Ewa", "Sadowska", "K", Position.COUNCILLOR,
        ("Urząd Gminy Niedrzwica Duża", InstitutionType.MUNICIPAL_OFFICE, "lubelskie", "lubelski", "Niedrzwica Duża")),
    "piotr.urban@szkolenia.test": ("Piotr", "Urban", "M", Position.MAYOR_DELEGATE,
        ("Gminny Ośrodek Pomocy Społecznej w Jabłonnie", InstitutionType.OPS, "lubelskie", "lubelski", "Jabłonna")),
}
# Who completed the finished groups (every session attended).
FINISHED = {
    "LK-ZOUS-KIE-00": ["renata.kwiatkowska@szkolenia.test", "marcin.sobczak@szkolenia.test",
                       "teresa.adamczyk@szkolenia.test"],
    "LK-CUS-LUB-00": ["jan.mazurek@szkolenia.test", "ewa.sadowska@szkolenia.test",
                      "piotr.urban@szkolenia.test"],
}
# Their answers to the funder's questions (courses.demo.PARTICIPANT_RECORDS' columns).
RECORDS = [
    ("renata.kwiatkowska@szkolenia.test", "1981-03-14", "Masłów Pierwszy", "26-001", "Spacerowa", "5", "3"),
    ("marcin.sobczak@szkolenia.test", "1975-10-02", "Busko-Zdrój", "28-100", "Mickiewicza", "15", "2"),
    ("teresa.adamczyk@szkolenia.test", "1969-06-21", "Łopuszno", "26-070", "Strażacka", "8", "3"),
    ("jan.mazurek@szkolenia.test", "1964-01-30", "Jabłonna Pierwsza", "23-114", "", "40", "3"),
    ("ewa.sadowska@szkolenia.test", "1978-08-17", "Niedrzwica Duża", "24-220", "Lubelska", "30", "3"),
    ("piotr.urban@szkolenia.test", "1986-12-05", "Jabłonna Pierwsza", "23-114", "", "12", "3"),
]
# fmt: on
# Mayors and councillors are not key staff of social assistance.
OCCUPATIONS: dict[str, str] = {
    "jan.mazurek@szkolenia.test": Occupation.OTHER,
    "ewa.sadowska@szkolenia.test": Occupation.OTHER,
}


def demo_period(today: datetime.date) -> dict[str, datetime.date]:
    """1 April to 30 November four years later, as the seed's, with today inside."""
    return {
        "start_date": datetime.date(today.year - 2, 4, 1),
        "end_date": datetime.date(today.year + 2, 11, 30),
    }


def load(*, users: dict) -> Project:
    project, created = Project.objects.get_or_create(
        code=PROJECT["code"],
        defaults={**PROJECT, **demo_period(timezone.localdate())},
    )
    courses = {
        slug: Course.objects.get_or_create(
            code=slug, defaults={"title": COURSES[slug][0], "hours": COURSES[slug][1]}
        )[0]
        for slug in [*MODULES, WORKSHOPS]
    }
    if created:
        regions = Voivodeship.objects.filter(name__in=REGIONS)
        for name, types, positions, slugs in RULES:
            rule = EligibilityRule.objects.create(
                project=project, name=name, institution_types=types, positions=positions
            )
            rule.voivodeships.set(regions)
            rule.courses.set([courses[slug] for slug in slugs])
    people = {
        email: demo_person(email, *row, users=users) for email, row in PEOPLE.items()
    }
    trainer = users.get("trener@szkolenia.test")
    for row in EDITIONS:
        edition, created = _edition(project=project, courses=courses, row=row)
        if created and edition.code in FINISHED:
            _finish(
                edition=edition,
                trainees=[people[email] for email in FINISHED[edition.code]],
                trainer=trainer,
            )
    AuthorisedInstitution.objects.get_or_create(
        project=project, institution=people[AUTHORISED_STAFF].institution
    )
    _participant_records(RECORDS, serial=300, occupations=OCCUPATIONS)
    return project


def _edition(*, project: Project, courses: dict, row: tuple) -> tuple[Edition, bool]:
    code, slug, days_from_today, city, venue, seats = row
    edition = Edition.objects.filter(code=code).first()
    if edition is not None:
        return edition, False
    start = timezone.localdate() + datetime.timedelta(days=days_from_today)
    now = timezone.now()
    if days_from_today < 0:
        opens = now + datetime.timedelta(days=days_from_today - 45)
        closes = now + datetime.timedelta(days=days_from_today - 5)
    else:
        opens = now - datetime.timedelta(days=7)
        closes = enrolment_closes_before(start)
    edition = edition_with_sessions(
        start=start,
        days=COURSES[slug][2],
        trainers=TrainerProfile.objects.filter(name__in=TRAINERS[slug]),
        course=courses[slug],
        project=project,
        code=code,
        city=city,
        venue=venue,
        capacity=seats,
        min_group_size=min(10, seats),
        enrolment_opens=opens,
        enrolment_closes=closes,
    )
    return edition, True


def _finish(*, edition: Edition, trainees: list[TraineeProfile], trainer) -> None:
    """Enrolled, present at every session, completed, the participation ended."""
    at = edition.enrolment_opens + datetime.timedelta(hours=3)
    enrolments = [
        enrolment_create(trainee=trainee, edition=edition, at=at)
        for trainee in trainees
    ]
    for session in edition.sessions.order_by("date"):
        for enrolment in enrolments:
            attendance_mark(
                enrolment=enrolment, session=session, present=True, actor=trainer
            )
    edition_complete(edition=edition, actor=trainer)
    # How each participation ended, as the funder's export asks.
    for enrolment in enrolments:
        participation_save(
            enrolment=enrolment,
            data={
                "leaving_situation": LeavingSituation.RAISED_QUALIFICATIONS,
                "ended_as_planned": "yes",
            },
        )
