"""Demo of seed 002's coaching: social workers coached individually and in groups.

From the seed: "Wsparciem w ramach projektu będą również objęci pracownicy socjalni,
dla których zaplanowano coaching indywidualny i grupowy" in the project "Kooperacja –
efektywna i skuteczna" (its period, 2019 to 31.03.2021, and the contact person are the
project's, loaded by courses.demo_calls). Not in the seed, so chosen for the demo: the
coach, the topics, the people coached and their institutions in lubuskie, the dates
(autumn 2019 to March 2020) and the hours.

The project ended in 2021, so its coaching is on record: a completed individual
coaching (the demo account socjalna@szkolenia.test), a group coaching under way with a
session booked and not yet described, and a request taken by phone waiting for a
coach. The requests are entered as the coordinator enters those received by phone or
e-mail, on the day they came.
"""

import datetime

from . import roles
from .demo import demo_person
from .demo_advisory import adviser_profile, meeting_held
from .models import (
    AdvisoryForm,
    AdvisoryMode,
    AdvisoryOffer,
    Course,
    EligibilityRule,
    InstitutionType,
    Position,
    Project,
    RequestChannel,
    SupportKind,
    Voivodeship,
)
from .services.advisory import (
    Participant,
    RequestDetails,
    advisory_assign,
    advisory_meeting_book,
    advisory_request_create,
)
from .services.attendance import enrolment_complete

CODE = "coaching-kooperacja"
COACH_EMAIL = "coach@szkolenia.test"
COACHED_EMAIL = "socjalna@szkolenia.test"
COORDINATOR_EMAIL = "koordynator@szkolenia.test"
# Development-only passwords, listed in README (rows as DEMO_USERS).
USERS = [
    (COACH_EMAIL, "Monika", "Dąbrowska", roles.ADVISER, "coach-demo-2026", False),
    (COACHED_EMAIL, "Karolina", "Nowak", roles.TRAINEE, "uczestnik-demo-2026", False),
]
COACH = ("Monika Dąbrowska", "coach pracowników socjalnych")
STARTS = datetime.date(2019, 9, 1)
ENDS = datetime.date(2021, 3, 31)
DESCRIPTION = (
    "Wsparciem w ramach projektu „Kooperacja – efektywna i skuteczna” objęci są "
    "również pracownicy socjalni, dla których zaplanowano coaching indywidualny "
    "i grupowy. Coaching prowadzi się w miejscu pracy pracownika socjalnego lub "
    "zdalnie; grupa liczy od 2 do 15 osób."
)
TOPICS = [
    "Rola pracownika socjalnego w modelu kooperacji instytucji.",
    "Współpraca z podmiotami innych polityk sektorowych wokół rodziny.",
    "Kontrakt socjalny i koszyk usług dla rodziny.",
    "Radzenie sobie ze stresem i zapobieganie wypaleniu zawodowemu.",
]
# fmt: off
COACHED = [
    (COACHED_EMAIL, "Karolina", "Nowak", "K", Position.SOCIAL_WORKER,
     ("Ośrodek Pomocy Społecznej w Kożuchowie", InstitutionType.OPS, "lubuskie",
      "nowosolski", "Kożuchów")),
    ("aleksandra.wilk@szkolenia.test", "Aleksandra", "Wilk", "K", Position.SOCIAL_WORKER,
     ("Ośrodek Pomocy Społecznej w Sławie", InstitutionType.OPS, "lubuskie",
      "wschowski", "Sława")),
    ("lukasz.pawlowski@szkolenia.test", "Łukasz", "Pawłowski", "M", Position.SOCIAL_WORKER,
     ("Powiatowe Centrum Pomocy Rodzinie w Żarach", InstitutionType.PCPR, "lubuskie",
      "żarski", "Żary")),
]
# fmt: on
GROUP = [
    Participant("Marzena Kruk", "Ośrodek Pomocy Społecznej w Sławie"),
    Participant("Daniel Sowa", "Miejsko-Gminny Ośrodek Pomocy Społecznej w Iłowej"),
]
# date, start hour, end hour, topics (indexes), note
INDIVIDUAL_SESSIONS = [
    (datetime.date(2019, 11, 5), 10, 12, [0],
     "Cele coachingu: rola w zespole kooperacji gminy i powiatu."),
    (datetime.date(2019, 12, 3), 10, 12, [1, 2],
     "Plan współpracy z PUP i szkołą wokół jednej rodziny; kontrakt socjalny."),
    (datetime.date(2020, 1, 14), 10, 12, [3],
     "Podsumowanie, plan dalszego rozwoju, sposoby radzenia sobie ze stresem."),
]  # fmt: skip


def load(*, users: dict) -> AdvisoryOffer | None:
    """Idempotent: the offer is found by its code and then left as it is."""
    existing = AdvisoryOffer.objects.filter(code=CODE).first()
    if existing is not None:
        return existing
    project = Project.objects.filter(code="KOOPERACJA-LUBUSKIE").first()
    if project is None:
        return None
    course, _created = Course.objects.get_or_create(
        code=CODE,
        defaults={
            "title": "Coaching pracowników socjalnych",
            "hours": 6,
            "kind": SupportKind.COACHING,
        },
    )
    rule = EligibilityRule.objects.create(
        project=project,
        name="Pracownicy socjalni instytucji pomocy społecznej województwa lubuskiego",
        institution_types=[],
        positions=[Position.SOCIAL_WORKER],
    )
    rule.voivodeships.set(Voivodeship.objects.filter(name="lubuskie"))
    rule.courses.set([course])  # the working groups keep their own nominations
    offer = AdvisoryOffer.objects.create(
        project=project,
        course=course,
        code=CODE,
        title="Coaching indywidualny i grupowy dla pracowników socjalnych",
        description=DESCRIPTION,
        topics="\n".join(TOPICS),
        starts_on=STARTS,
        ends_on=ENDS,
    )
    _cases(offer=offer, users=users)
    return offer


def _cases(*, offer: AdvisoryOffer, users: dict) -> None:
    coordinator = users.get(COORDINATOR_EMAIL)
    coach = adviser_profile(*COACH, user=users.get(COACH_EMAIL))
    karolina, aleksandra, lukasz = (demo_person(*row, users=users) for row in COACHED)

    def enter(trainee, details, received_on, channel=RequestChannel.EMAIL):
        return advisory_request_create(
            offer=offer,
            trainee=trainee,
            details=details,
            actor=coordinator,
            channel=channel,
            received_on=received_on,
        )

    # Completed: individual coaching at the workplace, three sessions of 2 hours.
    individual = enter(
        karolina,
        RequestDetails(
            topics=TOPICS,
            form=AdvisoryForm.INDIVIDUAL,
            mode=AdvisoryMode.WORKPLACE,
            preferred_dates="wtorki przed południem",
            indirect_recipients=45,
        ),
        datetime.date(2019, 10, 14),
    )
    advisory_assign(request=individual, adviser=coach, actor=coordinator)
    for on, start, end, topics, note in INDIVIDUAL_SESSIONS:
        meeting_held(
            request=individual,
            on=on,
            start_time=datetime.time(start),
            end_time=datetime.time(end),
            place="Ośrodek Pomocy Społecznej w Kożuchowie, ul. Szkolna 11",
            mode=AdvisoryMode.WORKPLACE,
            topics=[TOPICS[i] for i in topics],
            note=note,
            attendees=[],
            coordinator=coordinator,
            adviser=coach,
        )
    enrolment_complete(enrolment=individual.enrolment, actor=coordinator)

    # Under way: group coaching of three, two sessions held (one absent at the
    # second), the third booked and not yet described by the coach.
    group = enter(
        aleksandra,
        RequestDetails(
            topics=TOPICS[1:3],
            form=AdvisoryForm.GROUP,
            mode=AdvisoryMode.AGREED_PLACE,
            place="Ośrodek Pomocy Społecznej w Sławie, sala narad",
            preferred_dates="czwartki od 12:00",
            participants=GROUP,
            indirect_recipients=70,
        ),
        datetime.date(2020, 1, 8),
    )
    advisory_assign(request=group, adviser=coach, actor=coordinator)
    for on, attendees in (
        (datetime.date(2020, 2, 6), [p.name for p in GROUP]),
        (datetime.date(2020, 2, 20), [GROUP[0].name]),
    ):
        meeting_held(
            request=group,
            on=on,
            start_time=datetime.time(12),
            end_time=datetime.time(15),
            place="",
            mode=AdvisoryMode.AGREED_PLACE,
            topics=group.topics,
            note="Studium przypadku rodziny objętej wsparciem kilku instytucji.",
            attendees=attendees,
            coordinator=coordinator,
            adviser=coach,
        )
    advisory_meeting_book(
        request=group,
        on=datetime.date(2020, 3, 5),
        start_time=datetime.time(12),
        end_time=datetime.time(15),
        place="",
        actor=coordinator,
    )

    # Waiting for a coach: taken by phone, remote coaching asked for.
    enter(
        lukasz,
        RequestDetails(
            topics=TOPICS[3:],
            form=AdvisoryForm.INDIVIDUAL,
            mode=AdvisoryMode.VIDEO,
            preferred_dates="poniedziałki po 14:00",
            indirect_recipients=30,
        ),
        datetime.date(2020, 3, 2),
        channel=RequestChannel.PHONE,
    )
