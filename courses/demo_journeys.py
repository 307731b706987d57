"""Demo of every journey of issue 10: a project whose applications a coordinator
approves, with a trainee in each state a person meets.

- `zgloszenie@`: applied, the signed declaration is in, waiting for the approval;
- `oswiadczenie@`: applied, a place is held, the signed declaration is still missing;
- `rezerwa@`: on the waiting list of the same full group;
- `absolwent@`: completed an earlier group (the certificate comes from certificates.demo);
- a place held by a third person expires within 48 hours, and the group starts within
  14 days below its minimum size: the coordinator's "What needs doing" shows both;
- the trainer's finished group of `courses.demo` has a message the trainer sent, and the
  waiting list a message from the coordinator.

Idempotent: objects are found by their codes and e-mail addresses; a state is written
only when the object is created, so a second run changes nothing.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from . import roles
from .demo import (
    GROUP,
    demo_period,
    demo_person,
    edition_with_sessions,
    enrolment_closes_before,
)
from .models import (
    Course,
    Edition,
    EligibilityRule,
    Enrolment,
    EnrolmentStatus,
    GroupMessage,
    InstitutionType,
    MessageAudience,
    Position,
    Project,
    Quota,
    TrainerProfile,
    Voivodeship,
)
from .services.attendance import attendance_mark, edition_complete, session_attach_sheet
from .services.communication import group_message_send
from .services.declarations import enrolment_attach_declaration
from .services.enrolment import enrolment_approve, enrolment_create
from .services.quotas import quota_save

PASSWORD = "uczestnik-demo-2026"
# fmt: off
USERS = [
    ("zgloszenie@szkolenia.test", "Beata", "Pawlak", roles.TRAINEE, PASSWORD, False),
    ("oswiadczenie@szkolenia.test", "Jan", "Sikora", roles.TRAINEE, PASSWORD, False),
    ("rezerwa@szkolenia.test", "Marta", "Wilk", roles.TRAINEE, PASSWORD, False),
    ("absolwent@szkolenia.test", "Irena", "Kubiak", roles.TRAINEE, PASSWORD, False),
]
# fmt: on

PROJECT = {
    "code": "ROPS-SL.DEMO.ZATW",
    "name": (
        "Szkolenia kadr pomocy społecznej w województwie śląskim – zgłoszenia "
        "zatwierdzane przez koordynatora (projekt demonstracyjny)"
    ),
    "programme": "Fundusze Europejskie dla Śląskiego 2021-2027",
    "value": Decimal("250000.00"),
    "cofinancing": Decimal("212500.00"),
    "target_participants": 120,
    "contact_name": "Regionalny Ośrodek Polityki Społecznej Województwa Śląskiego",
    "contact_email": "szkolenia@rops.example.pl",
    "contact_phone": "32 000 00 00",
    "requires_approval": True,
    "pending_hold_days": 14,
}
COURSE = "zarzadzanie-i-organizacja-uslug-spolecznych"
COORDINATOR = "koordynator@szkolenia.test"
TRAINER = "trener@szkolenia.test"
# The coming group: 3 seats, all held, so the fourth person waits.
COMING = "ZOUS-BYT-01"
# An earlier group, over a month ago: completed, attendance lists uploaded.
FINISHED = "ZOUS-SOS-00"

# fmt: off
# e-mail, first, last, gender, position, institution (name, type, voivodeship, county, municipality)
PEOPLE = {
    "zgloszenie@szkolenia.test": ("Beata", "Pawlak", "K", Position.SOCIAL_WORKER,
        ("Miejski Ośrodek Pomocy Społecznej w Bytomiu", InstitutionType.MOPS, "śląskie", "Bytom", "Bytom")),
    "oswiadczenie@szkolenia.test": ("Jan", "Sikora", "M", Position.ASPIRANT,
        ("Ośrodek Pomocy Społecznej w Pszczynie", InstitutionType.OPS, "śląskie", "pszczyński", "Pszczyna")),
    "rezerwa@szkolenia.test": ("Marta", "Wilk", "K", Position.SOCIAL_WORKER,
        ("Miejski Ośrodek Pomocy Rodzinie w Rudzie Śląskiej", InstitutionType.MOPR, "śląskie", "Ruda Śląska", "Ruda Śląska")),
    "absolwent@szkolenia.test": ("Irena", "Kubiak", "K", Position.SOCIAL_WORKER,
        ("Miejski Ośrodek Pomocy Społecznej w Sosnowcu", InstitutionType.MOPS, "śląskie", "Sosnowiec", "Sosnowiec")),
    # People on the lists only: nobody logs in as them.
    "roman.nowak@szkolenia.test": ("Roman", "Nowak", "M", Position.SOCIAL_WORKER,
        ("Powiatowe Centrum Pomocy Rodzinie w Tarnowskich Górach", InstitutionType.PCPR, "śląskie", "tarnogórski", "Tarnowskie Góry")),
    "alicja.krol@szkolenia.test": ("Alicja", "Król", "K", Position.SOCIAL_WORKER,
        ("Miejski Ośrodek Pomocy Społecznej w Sosnowcu", InstitutionType.MOPS, "śląskie", "Sosnowiec", "Sosnowiec")),
    "stefan.lis@szkolenia.test": ("Stefan", "Lis", "M", Position.ASPIRANT,
        ("Miejski Ośrodek Pomocy Społecznej w Będzinie", InstitutionType.MOPS, "śląskie", "będziński", "Będzin")),
    "elzbieta.sowa@szkolenia.test": ("Elżbieta", "Sowa", "K", Position.SOCIAL_WORKER,
        ("Miejski Ośrodek Pomocy Społecznej w Będzinie", InstitutionType.MOPS, "śląskie", "będziński", "Będzin")),
}
# fmt: on
# Of the finished group: who came to how many of its three sessions.
FINISHED_ATTENDANCE = {
    "absolwent@szkolenia.test": 3,
    "alicja.krol@szkolenia.test": 3,
    "stefan.lis@szkolenia.test": 3,
    "elzbieta.sowa@szkolenia.test": 1,  # not completed: 33 % of the sessions
}
TRAINER_MESSAGE = (
    "Materiały po szkoleniu",
    "Dzień dobry,\n\ndziękuję za udział w zajęciach. Prezentacja i lista lektur są w "
    "materiałach kursu na platformie. Obecność z ostatniego dnia uzupełnię dziś.\n\n"
    "Anna Wójcik",
)
WAITING_MESSAGE = (
    "Lista rezerwowa – ZOUS-BYT-01",
    "Dzień dobry,\n\njest Pani/Pan na liście rezerwowej grupy w Bytomiu. Gdy zwolni się "
    "miejsce, platforma przydzieli je automatycznie i wyśle wiadomość.\n\n"
    "Joanna Kowalczyk, koordynatorka projektu",
)


def load(*, users: dict) -> Project:
    project = _project()
    course = Course.objects.get(code=COURSE)
    people = {
        email: demo_person(email, *row, users=users) for email, row in PEOPLE.items()
    }
    coordinator, trainer = users.get(COORDINATOR), users.get(TRAINER)
    finished, created = _edition(
        project=project, course=course, code=FINISHED, **_finished_dates()
    )
    if created:
        _finish(
            edition=finished, people=people, coordinator=coordinator, trainer=trainer
        )
    coming, created = _edition(project=project, course=course, code=COMING, **_coming())
    if created:
        _fill(edition=coming, people=people, coordinator=coordinator)
    _messages(coordinator=coordinator, trainer=trainer, coming=coming)
    return project


def _project() -> Project:
    project, created = Project.objects.get_or_create(
        code=PROJECT["code"],
        defaults={**PROJECT, **demo_period(timezone.localdate())},
    )
    if created:
        region = Voivodeship.objects.filter(name="śląskie")
        quota_save(
            quota=Quota(project=project, name="Śląskie", size=120), voivodeships=region
        )
        rule = EligibilityRule.objects.create(
            project=project,
            name="Pracownicy socjalni i aspiranci pracy socjalnej w OPS, MOPS, MOPR i PCPR",
            institution_types=[
                InstitutionType.OPS,
                InstitutionType.MOPS,
                InstitutionType.MOPR,
                InstitutionType.PCPR,
            ],
            positions=[Position.SOCIAL_WORKER, Position.ASPIRANT],
        )
        rule.voivodeships.set(region)
    return project


def _finished_dates() -> dict:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=35)
    return {
        "start": start,
        "days": 3,
        "city": "Sosnowiec",
        "venue": "Centrum Usług Społecznych, ul. Kilińskiego 20",
        "capacity": 20,
        "minimum": 4,
        "opens": timezone.now() - datetime.timedelta(days=80),
        "closes": timezone.now() - datetime.timedelta(days=40),
    }


def _coming() -> dict:
    start = timezone.localdate() + datetime.timedelta(days=10)
    return {
        "start": start,
        "days": 3,
        "city": "Bytom",
        "venue": "Miejski Ośrodek Pomocy Społecznej, ul. Józefczaka 35",
        "capacity": 3,
        "minimum": 8,
        "opens": timezone.now() - datetime.timedelta(days=20),
        "closes": enrolment_closes_before(start),
    }


def _edition(
    *,
    project: Project,
    course: Course,
    code: str,
    start: datetime.date,
    days: int,
    city: str,
    venue: str,
    capacity: int,
    minimum: int,
    opens: datetime.datetime,
    closes: datetime.datetime,
) -> tuple[Edition, bool]:
    edition = Edition.objects.filter(code=code).first()
    if edition is not None:
        return edition, False
    edition = edition_with_sessions(
        start=start,
        days=days,
        trainers=TrainerProfile.objects.filter(user__email=TRAINER),
        course=course,
        project=project,
        code=code,
        city=city,
        venue=venue,
        capacity=capacity,
        min_group_size=minimum,
        enrolment_opens=opens,
        enrolment_closes=closes,
    )
    return edition, True


def scan(title: str, lines: list[str]) -> ContentFile:
    """A small PNG standing in for a scanned signed paper."""
    image = Image.new("RGB", (620, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.text((30, 30), title, fill="black")
    for number, line in enumerate(lines):
        draw.text((30, 80 + 26 * number), line, fill="black")
    draw.line((360, 360, 580, 340), fill="navy", width=3)  # the signature
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="skan.png")


def _declaration(enrolment: Enrolment, actor) -> Enrolment:
    trainee = enrolment.trainee
    file = scan(
        "Oswiadczenie uczestnika projektu",
        [trainee.full_name, enrolment.edition.code, "podpisano"],
    )
    return enrolment_attach_declaration(enrolment=enrolment, file=file, actor=actor)


def _finish(*, edition: Edition, people: dict, coordinator, trainer) -> None:
    """Applied, declared, approved, attended, completed: a month ago."""
    at = edition.enrolment_opens + datetime.timedelta(hours=2)
    enrolments = {}
    for email in FINISHED_ATTENDANCE:
        enrolment = enrolment_create(trainee=people[email], edition=edition, at=at)
        _declaration(enrolment, people[email].user)
        enrolments[email] = enrolment_approve(enrolment=enrolment, actor=coordinator)
    sessions = list(edition.sessions.order_by("date"))
    for email, attended in FINISHED_ATTENDANCE.items():
        for number, session in enumerate(sessions):
            attendance_mark(
                enrolment=enrolments[email],
                session=session,
                present=number < attended,
                actor=trainer,
            )
    for session in sessions:
        names = [people[email].full_name for email in FINISHED_ATTENDANCE]
        session_attach_sheet(
            session=session,
            file=scan(f"Lista obecnosci {edition.code} {session.date:%d.%m.%Y}", names),
            actor=trainer,
        )
    edition_complete(edition=edition, actor=trainer)


def _fill(*, edition: Edition, people: dict, coordinator) -> None:
    """Three places held (one of them about to expire), one person waiting."""
    now = timezone.now()
    enrolments = {}
    # Who applied how many days ago, in the order of their applications.
    for email, days in (
        ("roman.nowak@szkolenia.test", 13),
        ("zgloszenie@szkolenia.test", 4),
        ("oswiadczenie@szkolenia.test", 2),
        ("rezerwa@szkolenia.test", 1),
    ):
        applied = now - datetime.timedelta(days=days)
        enrolment = enrolment_create(trainee=people[email], edition=edition, at=applied)
        Enrolment.objects.filter(pk=enrolment.pk).update(created_at=applied)
        enrolments[email] = enrolment
    _declaration(
        enrolments["zgloszenie@szkolenia.test"],
        people["zgloszenie@szkolenia.test"].user,
    )
    # Applied 13 days ago: the place is held until tomorrow afternoon.
    Enrolment.objects.filter(pk=enrolments["roman.nowak@szkolenia.test"].pk).update(
        hold_until=now + datetime.timedelta(hours=30)
    )
    waiting = enrolments["rezerwa@szkolenia.test"]
    assert waiting.status == EnrolmentStatus.WAITLISTED, waiting.status


def _messages(*, coordinator, trainer, coming: Edition) -> None:
    group = Edition.objects.filter(code=GROUP[0]).first()
    if trainer is not None and group is not None and not group.messages.exists():
        subject, body = TRAINER_MESSAGE
        group_message_send(
            edition=group,
            audience=MessageAudience.GROUP,
            subject=subject,
            body=body,
            sender=trainer,
        )
    waiting = GroupMessage.objects.filter(
        edition=coming, audience=MessageAudience.WAITING_LIST
    )
    if coordinator is not None and not waiting.exists():
        subject, body = WAITING_MESSAGE
        group_message_send(
            edition=coming,
            audience=MessageAudience.WAITING_LIST,
            subject=subject,
            body=body,
            sender=coordinator,
        )
