"""Demo project of seed 003 with its quotas, target groups, editions and trainees."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.pl import pesel as stdnum_pesel

from .models import (
    Answer,
    Course,
    DeliveryMode,
    Edition,
    EducationLevel,
    EligibilityRule,
    InstitutionType,
    ParticipantRecord,
    PartnerOrganisation,
    Position,
    Project,
    Quota,
    Session,
    TraineeProfile,
    TrainerProfile,
    Voivodeship,
)
from .services.attendance import attendance_mark
from .services.enrolment import enrolment_create
from .services.monitoring import participant_record_save
from .services.profiles import trainee_profile_save
from .services.quotas import quota_save

PROJECT = {
    "code": "POWR.02.05",
    "name": (
        "Doskonalenie zawodowe kluczowych pracowników systemu pomocy społecznej "
        "na terenie makroregionu II"
    ),
    "programme": "Program Operacyjny Wiedza Edukacja Rozwój 2014-2020",
    "priority_axis": (
        "II. Efektywne polityki publiczne dla rynku pracy, gospodarki i edukacji"
    ),
    "measure": "2.5 Skuteczna pomoc społeczna",
    "start_date": datetime.date(2020, 8, 1),
    "end_date": datetime.date(2022, 7, 31),
    "value": Decimal("1007997.60"),
    "cofinancing": Decimal("849540.38"),
    "target_participants": 2020,
    "contact_name": "Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego",
    "contact_email": "szkolenia@rops.example.pl",
    "contact_phone": "32 000 00 00",
}
QUOTAS = [
    ("Małopolskie i opolskie", 1140, ["małopolskie", "opolskie"]),
    ("Śląskie", 880, ["śląskie"]),
]
RULES = [
    (
        "Pracownicy socjalni i aspiranci pracy socjalnej w OPS, MOPS, MOPR i PCPR",
        [
            InstitutionType.OPS,
            InstitutionType.MOPS,
            InstitutionType.MOPR,
            InstitutionType.PCPR,
        ],
        [Position.SOCIAL_WORKER, Position.ASPIRANT],
    ),
    (
        "Pracownicy socjalni oraz kierownicy i koordynatorzy zespołów terapeutyczno-"
        "opiekuńczych w domach pomocy społecznej",
        [InstitutionType.DPS],
        [Position.SOCIAL_WORKER, Position.CARE_TEAM_HEAD],
    ),
    (
        "Pracownicy socjalni i terapeuci w ośrodkach wsparcia",
        [InstitutionType.SUPPORT_CENTRE],
        [Position.SOCIAL_WORKER, Position.THERAPIST],
    ),
]
REGIONS = ["małopolskie", "opolskie", "śląskie"]
# fmt: off
# code, course slug, weeks from now, city, venue, mode, seats, trainer names
EDITIONS = [
    (
        "ZOUS-KAT-01",
        "zarzadzanie-i-organizacja-uslug-spolecznych",
        3,
        "Katowice",
        "ROPS, ul. Modelarska 10",
        DeliveryMode.ON_SITE,
        24,
        ["dr Anna Wójcik"],
    ),
    (
        "ZOUS-KRK-01",
        "zarzadzanie-i-organizacja-uslug-spolecznych",
        5,
        "Kraków",
        "Centrum Konferencyjne, ul. Lea 114",
        DeliveryMode.ON_SITE,
        24,
        ["dr Anna Wójcik"],
    ),
    (
        "ZOUS-ONL-01",
        "zarzadzanie-i-organizacja-uslug-spolecznych",
        7,
        "",
        "",
        DeliveryMode.REMOTE,
        30,
        ["dr Anna Wójcik"],
    ),
    (
        "IPUS-OPO-01",
        "indywidualne-plany-uslug-spolecznych",
        4,
        "Opole",
        "Sala ROPS, ul. Głogowska 25c",
        DeliveryMode.ON_SITE,
        3,
        ["Marek Zieliński"],
    ),
    (
        "IPUS-KAT-01",
        "indywidualne-plany-uslug-spolecznych",
        6,
        "Katowice",
        "ROPS, ul. Modelarska 10",
        DeliveryMode.ON_SITE,
        20,
        ["Marek Zieliński"],
    ),
    (
        "OSL-KRK-01",
        "organizacja-spolecznosci-lokalnej",
        6,
        "Kraków",
        "Centrum Konferencyjne, ul. Lea 114",
        DeliveryMode.ON_SITE,
        20,
        ["Katarzyna Nowicka"],
    ),
    (
        "OSL-ONL-01",
        "organizacja-spolecznosci-lokalnej",
        8,
        "",
        "",
        DeliveryMode.REMOTE,
        30,
        ["Katarzyna Nowicka"],
    ),
]
COURSES = {
    "zarzadzanie-i-organizacja-uslug-spolecznych": (
        "Zarządzanie i organizacja usług społecznych",
        24,
        3,
    ),
    "indywidualne-plany-uslug-spolecznych": (
        "Opracowywanie i realizacja indywidualnych planów usług społecznych",
        16,
        2,
    ),
    "organizacja-spolecznosci-lokalnej": ("Organizacja społeczności lokalnej", 16, 2),
    "warsztaty-cus-i-deinstytucjonalizacja": (
        "Warsztaty dla władz gmin: centra usług społecznych i deinstytucjonalizacja",
        8,
        1,
    ),
}
# e-mail, first, last, gender, position, institution (name, type, voivodeship, county, municipality)
TRAINEES = [
    (
        "uczestnik@szkolenia.test",
        "Małgorzata",
        "Lewandowska",
        "K",
        Position.SOCIAL_WORKER,
        (
            "Miejski Ośrodek Pomocy Społecznej w Katowicach",
            InstitutionType.MOPS,
            "śląskie",
            "Katowice",
            "Katowice",
        ),
    ),
    (
        "aspirant@szkolenia.test",
        "Tomasz",
        "Kaczmarek",
        "M",
        Position.ASPIRANT,
        (
            "Ośrodek Pomocy Społecznej w Wadowicach",
            InstitutionType.OPS,
            "małopolskie",
            "wadowicki",
            "Wadowice",
        ),
    ),
    (
        "dps@szkolenia.test",
        "Ewa",
        "Grabowska",
        "K",
        Position.CARE_TEAM_HEAD,
        (
            "Dom Pomocy Społecznej w Opolu",
            InstitutionType.DPS,
            "opolskie",
            "Opole",
            "Opole",
        ),
    ),
    (
        "spoza@szkolenia.test",
        "Krzysztof",
        "Wiśniewski",
        "M",
        Position.SOCIAL_WORKER,
        (
            "Miejski Ośrodek Pomocy Rodzinie w Lublinie",
            InstitutionType.MOPR,
            "lubelskie",
            "Lublin",
            "Lublin",
        ),
    ),
    (
        "terapeuta@szkolenia.test",
        "Agnieszka",
        "Zając",
        "K",
        Position.THERAPIST,
        (
            "Dom Pomocy Społecznej w Gliwicach",
            InstitutionType.DPS,
            "śląskie",
            "Gliwice",
            "Gliwice",
        ),
    ),
]


# fmt: on


def demo_period(today: datetime.date) -> dict[str, datetime.date]:
    """The seed's two years (August 2020 – July 2022), moved so that today falls in
    its second half: the demo's editions, past and coming, lie within the project."""
    start = datetime.date(today.year - 1, today.month, 1)
    end = datetime.date(start.year + 2, start.month, 1) - datetime.timedelta(days=1)
    return {"start_date": start, "end_date": end}


def load(*, users: dict) -> Project:
    """Idempotent: objects are found by their natural keys and left as they are."""
    project, created = Project.objects.get_or_create(
        code=PROJECT["code"],
        defaults={**PROJECT, **demo_period(timezone.localdate())},
    )
    if created:
        for name, size, regions in QUOTAS:
            quota_save(
                quota=Quota(project=project, name=name, size=size),
                voivodeships=Voivodeship.objects.filter(name__in=regions),
            )
        for name, types, positions in RULES:
            rule = EligibilityRule.objects.create(
                project=project, name=name, institution_types=types, positions=positions
            )
            rule.voivodeships.set(Voivodeship.objects.filter(name__in=REGIONS))
    courses = {
        slug: Course.objects.get_or_create(
            code=slug, defaults={"title": title, "hours": hours}
        )[0]
        for slug, (title, hours, _days) in COURSES.items()
    }
    _editions(project=project, courses=courses)
    for row in TRAINEES:
        _trainee(users[row[0]], *row[1:])
    _trainer_group(
        project=project, course=courses[GROUP[1]], trainer=users.get(GROUP[2])
    )
    _partner(project=project, staff=users.get(PARTNER_STAFF))
    _participant_records()
    return project


# The group's participants answered the funder's questions on their profile: their
# records pass the platform's validation and export in the SL2014 layout. The last
# one left out the phone and the municipality's DEGURBA class, so the monitoring
# list shows what is missing. (Birth dates give the PESEL numbers; DEGURBA classes
# here are the demo's, not checked against the statistical office's list.)
# fmt: off
PARTICIPANT_RECORDS = [
    ("zofia.wroblewska@szkolenia.test", "1979-04-12", "Gliwice", "44-100", "Zwycięstwa", "12", "1"),
    ("lukasz.dabrowski@szkolenia.test", "1988-11-03", "Żywiec", "34-300", "Kościuszki", "5", "2"),
    ("jadwiga.szymanska@szkolenia.test", "1971-02-27", "Oświęcim", "32-600", "Rynek", "3", "2"),
    ("pawel.kolodziej@szkolenia.test", "1983-07-19", "Chorzów", "41-500", "Wolności", "44", "1"),
    ("bozena.cwiklinska@szkolenia.test", "1966-09-08", "Brzeg", "49-300", "Chrobrego", "7", "2"),
    ("grzegorz.bak@szkolenia.test", "1990-05-30", "Zabierzów", "32-080", "", "21", ""),
]
# fmt: on


def _demo_pesel(born: datetime.date, gender: str, serial: int) -> str:
    month = born.month + (20 if born.year >= 2000 else 0)
    sex = serial * 2 + (0 if gender == "K" else 1)
    base = f"{born:%y}{month:02d}{born:%d}{sex:04d}"
    return base + stdnum_pesel.calc_check_digit(base)


def _participant_records(
    rows: list[tuple] = PARTICIPANT_RECORDS,
    *,
    serial: int = 100,
    occupations: dict[str, str] | None = None,
) -> None:
    """Records of the funder's questions for these people (see PARTICIPANT_RECORDS);
    `occupations` by e-mail where it is not key staff of social assistance."""
    for number, row in enumerate(rows):
        email, born, town, postcode, street, building, degurba = row
        trainee = TraineeProfile.objects.filter(user__email=email).first()
        if (
            trainee is None
            or ParticipantRecord.objects.filter(trainee=trainee).exists()
        ):
            continue
        complete = bool(degurba)
        participant_record_save(
            trainee=trainee,
            person={
                "pesel": trainee.pesel
                or _demo_pesel(
                    datetime.date.fromisoformat(born), trainee.gender, serial + number
                ),
                "education": trainee.education or EducationLevel.ISCED_5_8,
                "phone": trainee.phone
                or (f"+48 600 200 1{number:02d}" if complete else ""),
            },
            record={
                "country": "Polska",
                "citizenship": "pl",
                "home_voivodeship": trainee.institution.voivodeship,
                "home_county": trainee.institution.county,
                "home_municipality": trainee.institution.municipality,
                "home_town": town,
                "home_postcode": postcode,
                "home_street": street,
                "home_building": building,
                "degurba": degurba,
                "labour_status": "employed",
                "labour_detail": "local_government",
                "occupation": (occupations or {}).get(
                    email, "social_assistance_key_staff"
                ),
                **dict.fromkeys(
                    (
                        "disability",
                        "minority",
                        "foreign_origin",
                        "third_country",
                        "homeless",
                        "household_jobless",
                        "single_adult_household",
                    ),
                    Answer.NO,
                ),
                "other_disadvantage": Answer.REFUSED,
            },
        )


PARTNER = "Regionalny Ośrodek Polityki Społecznej w Katowicach (demo)"
PARTNER_STAFF = "partner@szkolenia.test"


def _partner(*, project: Project, staff) -> None:
    """A partner scoped to this project in śląskie, with the demo partner as staff."""
    organisation, created = PartnerOrganisation.objects.get_or_create(
        name=PARTNER, defaults={"kind": PartnerOrganisation.Kind.ROPS}
    )
    if created:
        organisation.projects.add(project)
        organisation.voivodeships.add(Voivodeship.objects.get(name="śląskie"))
    if staff is not None:
        organisation.staff.add(staff)


def _editions(*, project: Project, courses: dict) -> None:
    today = timezone.localdate()
    now = timezone.now()
    for code, slug, weeks, city, venue, mode, seats, trainers in EDITIONS:
        if Edition.objects.filter(code=code).exists():
            continue
        start = today + datetime.timedelta(weeks=weeks)
        edition_with_sessions(
            start=start,
            days=COURSES[slug][2],
            trainers=TrainerProfile.objects.filter(name__in=trainers),
            course=courses[slug],
            project=project,
            code=code,
            delivery_mode=mode,
            city=city,
            venue=venue,
            online_link="https://spotkania.example.pl/rops"
            if mode == DeliveryMode.REMOTE
            else "",
            capacity=seats,
            min_group_size=min(10, seats),
            enrolment_opens=now - datetime.timedelta(days=7),
            enrolment_closes=enrolment_closes_before(start),
        )


def edition_with_sessions(
    *, start: datetime.date, days: int, trainers: Iterable[TrainerProfile], **fields
) -> Edition:
    """An edition of `days` days from `start` with its trainers and a session a day:
    9:00 to 16:00, a one-day workshop to 15:00."""
    edition = Edition.objects.create(
        start_date=start, end_date=start + datetime.timedelta(days=days - 1), **fields
    )
    edition.trainers.set(trainers)
    for day in range(days):
        Session.objects.create(
            edition=edition,
            date=start + datetime.timedelta(days=day),
            start_time=datetime.time(9, 0),
            end_time=datetime.time(16, 0 if days > 1 else 15),
            place=edition.place,
        )
    return edition


def enrolment_closes_before(start: datetime.date) -> datetime.datetime:
    """Enrolment to a coming edition closes at 23:59 three days before its first day."""
    return timezone.make_aware(
        datetime.datetime.combine(
            start - datetime.timedelta(days=3), datetime.time(23, 59)
        )
    )


def _trainee(
    user, first_name, last_name, gender, position, institution
) -> TraineeProfile:
    existing = TraineeProfile.objects.filter(user=user).first()
    if existing:
        return existing
    name, type_, region, county, municipality = institution
    saved = trainee_profile_save(
        user=user,
        person={
            "first_name": first_name,
            "last_name": last_name,
            "gender": gender,
            "position": position,
        },
        institution={
            "name": name,
            "type": type_,
            "voivodeship": Voivodeship.objects.get(name=region),
            "county": county,
            "municipality": municipality,
            "regon": "",
        },
    )
    return saved.profile


def demo_person(
    email, first_name, last_name, gender, position, institution, *, users: dict
) -> TraineeProfile:
    """A demo trainee with the account `users` has for the e-mail, or else with an
    account nobody logs in to."""
    user = users.get(email) or user_without_password(email, first_name, last_name)
    return _trainee(user, first_name, last_name, gender, position, institution)


# A group of dr Anna Wójcik that met in the last days, with its trainees, so that
# "Moje grupy" has attendance to mark and completion to confirm.
GROUP = (
    "ZOUS-KAT-00",
    "zarzadzanie-i-organizacja-uslug-spolecznych",
    "trener@szkolenia.test",
)
# fmt: off
GROUP_TRAINEES = [
    ("zofia.wroblewska@szkolenia.test", "Zofia", "Wróblewska", "K", Position.SOCIAL_WORKER,
     ("Miejski Ośrodek Pomocy Społecznej w Gliwicach", InstitutionType.MOPS, "śląskie", "Gliwice", "Gliwice")),
    ("lukasz.dabrowski@szkolenia.test", "Łukasz", "Dąbrowski", "M", Position.ASPIRANT,
     ("Ośrodek Pomocy Społecznej w Żywcu", InstitutionType.OPS, "śląskie", "żywiecki", "Żywiec")),
    ("jadwiga.szymanska@szkolenia.test", "Jadwiga", "Szymańska", "K", Position.SOCIAL_WORKER,
     ("Powiatowe Centrum Pomocy Rodzinie w Oświęcimiu", InstitutionType.PCPR, "małopolskie", "oświęcimski", "Oświęcim")),
    ("pawel.kolodziej@szkolenia.test", "Paweł", "Kołodziej", "M", Position.SOCIAL_WORKER,
     ("Miejski Ośrodek Pomocy Rodzinie w Chorzowie", InstitutionType.MOPR, "śląskie", "Chorzów", "Chorzów")),
    ("bozena.cwiklinska@szkolenia.test", "Bożena", "Ćwiklińska", "K", Position.SOCIAL_WORKER,
     ("Miejski Ośrodek Pomocy Społecznej w Brzegu", InstitutionType.MOPS, "opolskie", "brzeski", "Brzeg")),
    ("grzegorz.bak@szkolenia.test", "Grzegorz", "Bąk", "M", Position.ASPIRANT,
     ("Gminny Ośrodek Pomocy Społecznej w Zabierzowie", InstitutionType.OPS, "małopolskie", "krakowski", "Zabierzów")),
]
# fmt: on


def _trainer_group(*, project: Project, course: Course, trainer) -> None:
    edition = Edition.objects.filter(code=GROUP[0]).first()
    created = edition is None
    if edition is None:
        # Three days ending yesterday: hidden from the course page, open to the trainer.
        now = timezone.now()
        edition = edition_with_sessions(
            start=timezone.localdate() - datetime.timedelta(days=3),
            days=3,
            trainers=TrainerProfile.objects.filter(user__email=GROUP[2]),
            course=course,
            project=project,
            code=GROUP[0],
            city="Katowice",
            venue="ROPS, ul. Modelarska 10",
            capacity=20,
            enrolment_opens=now - datetime.timedelta(days=40),
            enrolment_closes=now - datetime.timedelta(days=7),
        )
    at = edition.enrolment_opens + datetime.timedelta(hours=1)
    enrolments = [
        enrolment_create(trainee=demo_person(*row, users={}), edition=edition, at=at)
        for row in GROUP_TRAINEES
    ]
    if created:
        # The first two days are marked; the last one is left for the trainer.
        sessions = list(edition.sessions.all()[:2])
        for number, enrolment in enumerate(enrolments):
            for session in sessions:
                present = not (number == 4 and session == sessions[1])
                attendance_mark(
                    enrolment=enrolment,
                    session=session,
                    present=present,
                    actor=trainer,
                )


def user_without_password(email: str, first_name: str, last_name: str = ""):
    """A demo person's account that nobody logs in to: they only appear on lists."""
    user, created = get_user_model().objects.get_or_create(
        username=email,
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
