"""Demo of seed 002's working groups: the call's result and the three kinds of group.

From the seed: the three kinds ("Powiatowe Grupy Refleksyjne" of about 7 local
representatives of several sectors, meeting for 2 days outside working hours with a
fee; "Powiatowe Grupy Decydentów" of 15, meeting for 1 day; "Regionalne Grupy
Refleksyjne" of about 20, meeting for 1 day) and that representatives of the Nicolaus
Copernicus University in Toruń run the meetings. Not in the seed, so chosen for the
demo: the selection (by the ranking, keeping the income bands), the members and
their institutions, the dates (autumn 2019), the place and the fee of 150 zł.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from .models import Enrolment, Gender, InstitutionType, Position, TrainerProfile
from .models.recruitment import ApplicationStatus, Call, LocalAuthorityKind
from .models.working_groups import GroupKind, Sector, WorkingGroup
from .services.attendance import attendance_mark
from .services.recruitment import call_select
from .services.working_groups import (
    MeetingDay,
    Nominee,
    group_meeting_book,
    group_nominate,
    working_group_course,
    working_group_create,
)

STARTS = datetime.date(2019, 6, 1)
ENDS = datetime.date(2021, 3, 31)
FACILITATOR = "Zespół Uniwersytetu Mikołaja Kopernika w Toruniu"
# first name, last name, gender, institution, institution type, sector, position
REFLECTIVE = [
    ("Beata", "Sikora", "K", "Powiatowe Centrum Pomocy Rodzinie w Nowej Soli",
     InstitutionType.PCPR, Sector.SOCIAL_ASSISTANCE, Position.SOCIAL_WORKER),
    ("Robert", "Domański", "M", "Powiatowy Urząd Pracy w Nowej Soli",
     InstitutionType.EMPLOYMENT_SERVICE, Sector.LABOUR_MARKET, Position.OTHER),
    ("Iwona", "Kubiak", "K", "Szkoła Podstawowa nr 2 w Nowej Soli",
     InstitutionType.OTHER, Sector.EDUCATION, Position.OTHER),
    ("Marta", "Jankowska", "K", "Szpital Na Wyspie w Żarach – oddział w Nowej Soli",
     InstitutionType.OTHER, Sector.HEALTH, Position.OTHER),
    ("Paweł", "Wróbel", "M", "Sąd Rejonowy w Nowej Soli – zespół kuratorski",
     InstitutionType.OTHER, Sector.JUSTICE, Position.OTHER),
    ("Krzysztof", "Adamczyk", "M", "Komenda Powiatowa Policji w Nowej Soli",
     InstitutionType.OTHER, Sector.POLICE, Position.OTHER),
    ("Anna", "Pawlak", "K", "Ośrodek Pomocy Społecznej w Kożuchowie",
     InstitutionType.OPS, Sector.SOCIAL_ASSISTANCE, Position.SOCIAL_WORKER),
]  # fmt: skip
DECISION_MAKERS = [
    ("Jacek", "Sobczak", "M", "Starostwo Powiatowe w Nowej Soli",
     InstitutionType.COUNTY_OFFICE, Sector.LOCAL_GOVERNMENT, Position.MANAGER),
    ("Dorota", "Baran", "K", "Powiatowe Centrum Pomocy Rodzinie w Nowej Soli",
     InstitutionType.PCPR, Sector.SOCIAL_ASSISTANCE, Position.MANAGER),
    ("Grzegorz", "Kaczor", "M", "Powiatowy Urząd Pracy w Nowej Soli",
     InstitutionType.EMPLOYMENT_SERVICE, Sector.LABOUR_MARKET, Position.MANAGER),
]  # fmt: skip
REGIONAL = [
    ("Elżbieta", "Szulc", "K", "Regionalny Ośrodek Polityki Społecznej w Zielonej Górze",
     InstitutionType.VOIVODESHIP_UNIT, Sector.SOCIAL_ASSISTANCE, Position.MANAGER),
    ("Tadeusz", "Kołodziej", "M", "Wojewódzki Urząd Pracy w Zielonej Górze",
     InstitutionType.EMPLOYMENT_SERVICE, Sector.LABOUR_MARKET, Position.OTHER),
    ("Renata", "Cieślak", "K", "Kuratorium Oświaty w Gorzowie Wielkopolskim",
     InstitutionType.OTHER, Sector.EDUCATION, Position.OTHER),
]  # fmt: skip
NAMES = {
    GroupKind.COUNTY_REFLECTIVE: "Powiatowa Grupa Refleksyjna",
    GroupKind.COUNTY_DECISION_MAKERS: "Powiatowa Grupa Decydentów",
    GroupKind.REGIONAL_REFLECTIVE: "Regionalna Grupa Refleksyjna",
}
# Attendance of the reflective group's first meeting: (day 1, day 2) per member.
PRESENT = [(True, True)] * 5 + [(True, False), (False, False)]


def _nominee(row, domain: str) -> tuple[Nominee, str]:
    first, last, gender, institution, kind, sector, position = row
    email = f"{first}.{last}@{domain}".lower()
    for plain, accented in zip("acelnoszz", "ąćęłńóśźż", strict=True):
        email = email.replace(accented, plain)
    return (
        Nominee(
            email=email,
            first_name=first,
            last_name=last,
            gender=Gender(gender),
            institution=institution,
            institution_type=kind,
            position=position,
        ),
        sector,
    )


def _nominate(
    *, group: WorkingGroup, rows: list[tuple], domain: str, actor
) -> list[Enrolment]:
    """The people of `rows`, nominated to the group by one representative."""
    enrolments = []
    for row in rows:
        nominee, sector = _nominee(row, domain)
        enrolments.append(
            group_nominate(
                group=group, nominee=nominee, sector=sector, actor=actor
            ).enrolment
        )
    return enrolments


def load(*, users: dict) -> None:
    """Idempotent: nothing is done once the call has working groups."""
    call = Call.objects.filter(code="kooperacja-lubuskie").first()
    if call is None or call.working_groups.exists():
        return
    coordinator = users.get("koordynator@szkolenia.test")
    if not call.applications.exclude(status=ApplicationStatus.SUBMITTED).exists():
        call_select(call=call, diversity=True, actor=coordinator)
    if call.results_published_at is None:
        # The demo's e-mail backend sends nothing; the result is on each page.
        Call.objects.filter(pk=call.pk).update(results_published_at=timezone.now())
        call.refresh_from_db()
    selected = call.applications.filter(status=ApplicationStatus.SELECTED)
    counties = list(selected.filter(kind=LocalAuthorityKind.COUNTY).order_by("pk"))
    course = working_group_course(call=call)
    facilitator, _created = TrainerProfile.objects.get_or_create(
        name=FACILITATOR, defaults={"title": "prowadzący spotkania grup"}
    )
    trainer = TrainerProfile.objects.filter(user__email="trener@szkolenia.test").first()

    def group(kind, county=None):
        authority = county.authority if county else "województwo lubuskie"
        created = working_group_create(
            call=call,
            kind=kind,
            name=f"{NAMES[kind]} – {authority}",
            course=course,
            starts_on=STARTS,
            ends_on=ENDS,
            application=county,
        )
        created.edition.trainers.set([t for t in (facilitator, trainer) if t])
        return created

    groups = {}
    for county in counties:
        groups[(GroupKind.COUNTY_REFLECTIVE, county.pk)] = group(
            GroupKind.COUNTY_REFLECTIVE, county
        )
        groups[(GroupKind.COUNTY_DECISION_MAKERS, county.pk)] = group(
            GroupKind.COUNTY_DECISION_MAKERS, county
        )
    regional = group(GroupKind.REGIONAL_REFLECTIVE)
    if not counties:
        return
    first = counties[0]
    reflective = groups[(GroupKind.COUNTY_REFLECTIVE, first.pk)]
    decision = groups[(GroupKind.COUNTY_DECISION_MAKERS, first.pk)]
    members = _nominate(
        group=reflective,
        rows=REFLECTIVE,
        domain="grupy.nowasol.test",
        actor=first.representative,
    )
    _nominate(
        group=decision,
        rows=DECISION_MAKERS,
        domain="decydenci.nowasol.test",
        actor=first.representative,
    )
    nominators = [a.representative for a in selected.order_by("pk")]
    for row, actor in zip(REGIONAL, [coordinator, *nominators], strict=False):
        nominee, sector = _nominee(row, "region.lubuskie.test")
        if actor is not None:
            group_nominate(group=regional, nominee=nominee, sector=sector, actor=actor)
    meeting = group_meeting_book(
        group=reflective,
        days=[
            MeetingDay(
                datetime.date(2019, 10, 18), datetime.time(15), datetime.time(19)
            ),
            MeetingDay(
                datetime.date(2019, 10, 19), datetime.time(9), datetime.time(15)
            ),
        ],
        place="Starostwo Powiatowe w Nowej Soli, ul. Moniuszki 7, sala 12",
        outside_working_hours=True,
        fee_per_member=Decimal("150.00"),
        actor=coordinator,
    )
    days = [day.session for day in meeting.days.order_by("session__date")]
    for enrolment, marks in zip(members, PRESENT, strict=True):
        for session, present in zip(days, marks, strict=True):
            attendance_mark(
                enrolment=enrolment, session=session, present=present, actor=coordinator
            )
    group_meeting_book(
        group=decision,
        days=[
            MeetingDay(datetime.date(2019, 11, 6), datetime.time(10), datetime.time(14))
        ],
        place="Starostwo Powiatowe w Nowej Soli, sala konferencyjna",
        outside_working_hours=False,
        actor=coordinator,
    )
