"""Demo of seeds 000/001: "Doradztwo ROPS" in śląskie, with requests and meetings.

The facts are the seed's: the project it ran in, the aim, the eight topics, who may
ask, the forms, the contact person, the target of 100 recipients, the 15 staff and 10
volunteers. The seed's period (April to mid-November 2020) is over; so that the
request form works in the demo, the offer runs as long (about 7.5 months) around
today, and its description says when the real one ran.
"""

import datetime
from collections.abc import Sequence

from django.utils import timezone

from .demo import demo_person
from .models import (
    AdvisoryForm,
    AdvisoryMode,
    AdvisoryOffer,
    AdvisoryRequest,
    Course,
    EligibilityRule,
    InstitutionType,
    Position,
    Project,
    Quota,
    RequestChannel,
    Session,
    SupportKind,
    TrainerProfile,
    Voivodeship,
)
from .services import enrolment_approve, enrolment_mark_declaration_received
from .services.advisory import (
    Participant,
    RequestDetails,
    advisory_assign,
    advisory_meeting_book,
    advisory_meeting_record,
    advisory_request_create,
)
from .services.quotas import quota_save

PROJECT = {
    "code": "DORADZTWO-ROPS-SL",
    "name": (
        "Współpraca się opłaca – koordynacja sektora ekonomii społecznej "
        "w województwie śląskim"
    ),
    "programme": "Europejski Fundusz Społeczny",
    "target_participants": 100,
    "contact_name": "Jadwiga Sznajder",
    "contact_email": "jadwiga.sznajder@klaster.org.pl",
    "contact_phone": "732-259-513",
    "requires_approval": True,
}
AIM = (
    "Celem jest udzielenie wsparcia w obszarze nowych możliwości w zakresie "
    "koordynacji integracji usług społecznych przez gminy – aspekty prawne "
    "i organizacyjne.\n"
    "Doradztwo było realizowane od kwietnia do połowy listopada 2020 r.; w demo "
    "oferta trwa równie długo wokół dzisiejszej daty."
)
TOPICS = [
    "Usługi społeczne w świetle ustawy o realizowaniu usług społecznych przez "
    "centrum usług społecznych.",
    "Różne warianty tworzenia CUS, procedury tworzenia CUS/przekształcenia OPS w CUS.",
    "Zadania oraz zasady działania CUS.",
    "Sposoby realizacji usług społecznych określonych w programie usług społecznych, "
    "w tym ścieżki zlecania realizacji zadań podmiotom ekonomii społecznej w trybach "
    "ustawy o działalności pożytku publicznego i o wolontariacie, w trybie PZP "
    "(z uwzględnieniem aspektów społecznych i klauzul społecznych).",
    "Określanie zasad odpłatności za usługi społeczne.",
    "Organizacja centrum usług społecznych: struktura organizacyjna, zakres "
    "obowiązków oraz wymagania kwalifikacyjne dla kadry, sprawozdawczość.",
    "Współpraca CUS z lokalnymi wykonawcami usług społecznych. Rodzaj zlecanych "
    "usług i ich zakres.",
    "Dylematy prawne i organizacyjne związane z utworzeniem i prowadzeniem CUS.",
]
WHO_MAY_ASK = [
    InstitutionType.MUNICIPAL_OFFICE,
    InstitutionType.COUNTY_OFFICE,
    InstitutionType.VOIVODESHIP_UNIT,
    InstitutionType.OPS,
    InstitutionType.MOPS,
    InstitutionType.MOPR,
    InstitutionType.PCPR,
    InstitutionType.CUS,
    InstitutionType.INTEGRATION,
    InstitutionType.EMPLOYMENT_SERVICE,
]
ADVISER_EMAIL = "doradca@szkolenia.test"
ADVISER = ("Barbara Michalska", "doradczyni ds. centrów usług społecznych")
# fmt: off
ASKING = [
    ("beata.krol@szkolenia.test", "Beata", "Król", "K", Position.MANAGER,
     ("Urząd Miasta Rybnika", InstitutionType.MUNICIPAL_OFFICE, "śląskie", "Rybnik", "Rybnik")),
    ("adam.pietrzak@szkolenia.test", "Adam", "Pietrzak", "M", Position.SOCIAL_WORKER,
     ("Ośrodek Pomocy Społecznej w Pszczynie", InstitutionType.OPS, "śląskie", "pszczyński", "Pszczyna")),
    ("iwona.sikora@szkolenia.test", "Iwona", "Sikora", "K", Position.MANAGER,
     ("Powiatowy Urząd Pracy w Tychach", InstitutionType.EMPLOYMENT_SERVICE, "śląskie", "Tychy", "Tychy")),
]
# fmt: on


def load(*, users: dict) -> AdvisoryOffer:
    """Idempotent: the offer is found by its code and then left as it is."""
    existing = AdvisoryOffer.objects.filter(code="doradztwo-rops").first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    starts = today - datetime.timedelta(days=75)
    ends = starts + datetime.timedelta(days=228)
    project = Project.objects.create(**PROJECT, start_date=starts, end_date=ends)
    slaskie = Voivodeship.objects.filter(name="śląskie")
    quota_save(
        quota=Quota(project=project, name="Śląskie – odbiorcy doradztwa", size=100),
        voivodeships=slaskie,
    )
    rule = EligibilityRule.objects.create(
        project=project,
        name="Pracownicy jednostek, których siedziba znajduje się w województwie śląskim",
        institution_types=list(WHO_MAY_ASK),
    )
    rule.voivodeships.set(slaskie)
    course, _created = Course.objects.get_or_create(
        code="doradztwo-rops",
        defaults={"title": "Doradztwo ROPS", "hours": 2, "kind": SupportKind.ADVISORY},
    )
    offer = AdvisoryOffer.objects.create(
        project=project,
        course=course,
        code="doradztwo-rops",
        title="Doradztwo ROPS",
        description=AIM,
        topics="\n".join(TOPICS),
        starts_on=starts,
        ends_on=ends,
        target_recipients=100,
        staff_engaged=15,
        volunteers_engaged=10,
    )
    _cases(offer=offer, users=users)
    return offer


def adviser_profile(name: str, title: str, *, user) -> TrainerProfile:
    """The adviser's (or coach's) profile, found by the name."""
    adviser, _created = TrainerProfile.objects.get_or_create(
        name=name, defaults={"title": title, "user": user}
    )
    return adviser


def meeting_held(
    *,
    request: AdvisoryRequest,
    on: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    place: str,
    mode: str,
    topics: Sequence[str],
    note: str,
    attendees: Sequence[str],
    coordinator,
    adviser: TrainerProfile,
) -> Session:
    """A meeting the coordinator booked and the adviser described as held, the person
    who asked present."""
    session = advisory_meeting_book(
        request=request,
        on=on,
        start_time=start_time,
        end_time=end_time,
        place=place,
        actor=coordinator,
    )
    advisory_meeting_record(
        session=session,
        mode=mode,
        topics=topics,
        note=note,
        requester_present=True,
        attendees=attendees,
        actor=adviser.user,
    )
    return session


def _cases(*, offer: AdvisoryOffer, users: dict) -> None:
    """A closed case, a group with a meeting next week, a phone request to handle."""
    coordinator = users.get("koordynator@szkolenia.test")
    adviser = adviser_profile(*ADVISER, user=users.get(ADVISER_EMAIL))
    people = [demo_person(*row, users=users) for row in ASKING]
    today = timezone.localdate()
    held = _request(
        offer,
        people[0],
        RequestDetails(
            topics=TOPICS[1:3],
            form=AdvisoryForm.INDIVIDUAL,
            mode=AdvisoryMode.WORKPLACE,
            preferred_dates="wtorki i czwartki przed południem",
            indirect_recipients=60,
        ),
    )
    group = _request(
        offer,
        people[1],
        RequestDetails(
            topics=TOPICS[4:5],
            form=AdvisoryForm.GROUP,
            mode=AdvisoryMode.AGREED_PLACE,
            place="OPS w Pszczynie, ul. Bogedaina 12, sala narad",
            preferred_dates="dowolny dzień po 10:00",
            participants=[
                Participant("Renata Gajda", "Ośrodek Pomocy Społecznej w Pszczynie"),
                Participant("Michał Wrona", "Urząd Miejski w Pszczynie"),
            ],
            indirect_recipients=90,
        ),
    )
    for request in (held, group):
        enrolment_mark_declaration_received(
            enrolment=request.enrolment, actor=coordinator
        )
        enrolment_approve(enrolment=request.enrolment, actor=coordinator)
        advisory_assign(request=request, adviser=adviser, actor=coordinator)
    for days_ago in (14, 2):
        meeting_held(
            request=held,
            on=today - datetime.timedelta(days=days_ago),
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            place="Urząd Miasta Rybnika, ul. Bolesława Chrobrego 2",
            mode=AdvisoryMode.WORKPLACE,
            topics=held.topics,
            note="Omówiono warianty utworzenia CUS i harmonogram przekształcenia OPS.",
            attendees=[],
            coordinator=coordinator,
            adviser=adviser,
        )
    advisory_meeting_book(
        request=group,
        on=today + datetime.timedelta(days=7),
        start_time=datetime.time(11),
        end_time=datetime.time(13),
        place=group.place,
        actor=coordinator,
    )
    advisory_request_create(
        offer=offer,
        trainee=people[2],
        details=RequestDetails(
            topics=TOPICS[6:7],
            form=AdvisoryForm.INDIVIDUAL,
            mode=AdvisoryMode.PHONE,
            preferred_dates="w przyszłym tygodniu",
            indirect_recipients=200,
        ),
        actor=coordinator,
        channel=RequestChannel.PHONE,
    )


def _request(offer, trainee, details) -> AdvisoryRequest:
    return advisory_request_create(
        offer=offer, trainee=trainee, details=details, actor=trainee.user
    )
