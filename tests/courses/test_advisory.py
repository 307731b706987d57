"""Advisory and coaching: request -> case -> meetings -> attendance -> indicators."""

import datetime
import io
from datetime import time

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from courses import roles
from courses.errors import EnrolmentError
from courses.models import (
    AdvisoryForm,
    AdvisoryMeeting,
    AdvisoryMode,
    AdvisoryOffer,
    AdvisoryRequest,
    Attendance,
    Edition,
    EligibilityRule,
    Enrolment,
    EnrolmentStatus,
    InstitutionType,
    RequestChannel,
    SupportKind,
    Voivodeship,
)
from courses.reporting import advisory_indicators, indicators
from courses.services import enrolment_approve, enrolment_mark_declaration_received
from courses.services.advisory import (
    AdvisoryError,
    Participant,
    RequestDetails,
    advisory_assign,
    advisory_meeting_book,
    advisory_meeting_record,
    advisory_request_create,
)
from courses.services.attendance import enrolment_complete
from courses.services.exports import indicators_workbook
from tests.factories import (
    CourseFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    TrainerProfileFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enrolment_invariants")]

TOPICS = [
    "Zadania oraz zasady działania CUS.",
    "Określanie zasad odpłatności za usługi społeczne.",
]
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def make_offer(*, requires_approval=True, **kwargs) -> AdvisoryOffer:
    project = ProjectFactory(requires_approval=requires_approval)
    QuotaFactory(project=project, size=100, regions=["śląskie"])
    rule = EligibilityRule.objects.create(
        project=project,
        name="Pracownicy jednostek z siedzibą w województwie śląskim",
        institution_types=[
            InstitutionType.OPS,
            InstitutionType.MOPS,
            InstitutionType.PCPR,
            InstitutionType.MUNICIPAL_OFFICE,
        ],
    )
    rule.voivodeships.set(Voivodeship.objects.filter(name="śląskie"))
    course = CourseFactory(title="Doradztwo ROPS", kind=SupportKind.ADVISORY, hours=2)
    defaults = {
        "project": project,
        "course": course,
        "code": "doradztwo-2026",
        "title": "Doradztwo ROPS",
        "topics": "\n".join(TOPICS),
        "starts_on": TODAY() - 30 * DAY,
        "ends_on": TODAY() + 30 * DAY,
        "target_recipients": 100,
        "staff_engaged": 15,
        "volunteers_engaged": 10,
    }
    return AdvisoryOffer.objects.create(**{**defaults, **kwargs})


def details(**kwargs) -> RequestDetails:
    defaults = {
        "topics": TOPICS[:1],
        "form": AdvisoryForm.INDIVIDUAL,
        "mode": AdvisoryMode.WORKPLACE,
        "preferred_dates": "wtorki rano",
        "indirect_recipients": 40,
    }
    return RequestDetails(**{**defaults, **kwargs})


def group(*names: str) -> list[Participant]:
    return [Participant(name, "OPS w Rybniku") for name in names]


def ask(offer, trainee=None, **kwargs) -> AdvisoryRequest:
    trainee = trainee or TraineeFactory()
    return advisory_request_create(
        offer=offer, trainee=trainee, details=details(**kwargs), actor=trainee.user
    )


def confirm(request: AdvisoryRequest, coordinator) -> None:
    enrolment_mark_declaration_received(enrolment=request.enrolment, actor=coordinator)
    enrolment_approve(enrolment=request.enrolment, actor=coordinator)


def held_meeting(request, *, days_ago=1, start=time(10), end=time(12)):
    adviser = request.adviser or TrainerProfileFactory(
        user=UserFactory(role=roles.ADVISER)
    )
    advisory_assign(request=request, adviser=adviser, actor=None)
    return advisory_meeting_book(
        request=request,
        on=TODAY() - days_ago * DAY,
        start_time=start,
        end_time=end,
        place="",
        actor=None,
    )


@pytest.fixture
def coordinator():
    return UserFactory(role=roles.COORDINATOR)


def test_an_online_request_is_a_pending_enrolment_in_an_unlisted_case():
    offer = make_offer()
    request = ask(offer, form=AdvisoryForm.GROUP, participants=group("Ewa Lis"))

    enrolment = request.enrolment
    assert enrolment.status == EnrolmentStatus.PENDING
    assert enrolment.quota is not None  # counted against the project's persons
    assert enrolment.edition.course.kind == SupportKind.ADVISORY
    assert enrolment.edition.capacity == 1
    assert request.group_size == 2
    assert request.participants == [{"name": "Ewa Lis", "institution": "OPS w Rybniku"}]
    assert request.channel == RequestChannel.ONLINE
    assert request.entered_by is None


def test_a_person_from_another_voivodeship_is_refused_and_nothing_is_written():
    offer = make_offer()
    outsider = TraineeFactory(
        institution=InstitutionFactory(
            voivodeship=Voivodeship.objects.get(name="opolskie")
        )
    )
    with pytest.raises(EnrolmentError) as refused:
        ask(offer, outsider)

    assert "śląskie" in str(refused.value)
    assert not Edition.objects.exists()
    assert not AdvisoryRequest.objects.exists()


def test_an_institution_type_not_listed_is_refused():
    offer = make_offer()
    dps = TraineeFactory(institution=InstitutionFactory(type=InstitutionType.DPS))
    with pytest.raises(EnrolmentError):
        ask(offer, dps)
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"form": AdvisoryForm.GROUP, "participants": []}, "participants"),
        (
            {
                "form": AdvisoryForm.GROUP,
                "participants": group(*[f"Osoba {n}" for n in range(15)]),
            },
            "participants",
        ),
        ({"participants": group("Ewa Lis")}, "participants"),
        ({"topics": []}, "topics"),
        ({"topics": ["Coś spoza oferty"]}, "topics"),
        ({"mode": AdvisoryMode.AGREED_PLACE, "place": " "}, "place"),
        ({"preferred_dates": ""}, "preferred_dates"),
    ],
)
def test_bad_answers_are_refused_with_the_field_named(kwargs, code):
    offer = make_offer()
    with pytest.raises(AdvisoryError) as refused:
        ask(offer, **kwargs)
    assert refused.value.code == code
    assert not Edition.objects.exists()


def test_a_group_of_fifteen_is_accepted():
    offer = make_offer()
    names = [f"Osoba {n}" for n in range(14)]
    request = ask(offer, form=AdvisoryForm.GROUP, participants=group(*names))
    assert request.group_size == 15


def test_after_the_offer_ends_no_request_is_taken():
    offer = make_offer(starts_on=TODAY() - 60 * DAY, ends_on=TODAY() - DAY)
    with pytest.raises(AdvisoryError) as refused:
        ask(offer)
    assert refused.value.code == "closed"


def test_the_coordinator_enters_a_request_received_by_phone(coordinator):
    offer = make_offer()
    trainee = TraineeFactory()
    request = advisory_request_create(
        offer=offer,
        trainee=trainee,
        details=details(mode=AdvisoryMode.PHONE),
        actor=coordinator,
        channel=RequestChannel.PHONE,
    )
    assert request.entered_by == coordinator
    assert request.enrolment.edition.delivery_mode == "remote"


def test_meetings_are_booked_within_the_offer_with_an_adviser(coordinator):
    offer = make_offer()
    request = ask(offer)
    with pytest.raises(AdvisoryError) as no_adviser:
        advisory_meeting_book(
            request=request,
            on=TODAY(),
            start_time=time(9),
            end_time=time(10),
            place="",
            actor=coordinator,
        )
    assert no_adviser.value.code == "adviser"

    adviser = TrainerProfileFactory(user=UserFactory(role=roles.ADVISER))
    advisory_assign(request=request, adviser=adviser, actor=coordinator)
    with pytest.raises(AdvisoryError) as outside:
        advisory_meeting_book(
            request=request,
            on=offer.ends_on + DAY,
            start_time=time(9),
            end_time=time(10),
            place="",
            actor=coordinator,
        )
    assert outside.value.code == "date"

    session = advisory_meeting_book(
        request=request,
        on=TODAY() + 2 * DAY,
        start_time=time(9),
        end_time=time(11),
        place="OPS w Rybniku, pok. 12",
        actor=coordinator,
    )
    edition = Edition.objects.get(pk=request.enrolment.edition_id)
    assert list(edition.trainers.all()) == [adviser]
    assert edition.start_date == edition.end_date == session.date


def test_the_record_waits_for_the_confirmed_request_and_marks_attendance(coordinator):
    offer = make_offer()
    request = ask(
        offer, form=AdvisoryForm.GROUP, participants=group("Ewa Lis", "Jan Bąk")
    )
    session = held_meeting(request)
    record = {
        "session": session,
        "mode": AdvisoryMode.WORKPLACE,
        "topics": TOPICS,
        "note": "Omówiono warianty przekształcenia OPS w CUS.",
        "requester_present": True,
        "attendees": ["Ewa Lis"],
        "actor": coordinator,
    }
    with pytest.raises(AdvisoryError) as pending:
        advisory_meeting_record(**record)
    assert pending.value.code == "wrong_status"

    confirm(request, coordinator)
    with pytest.raises(AdvisoryError):
        advisory_meeting_record(**{**record, "attendees": ["Ktoś Obcy"]})
    meeting = advisory_meeting_record(**record)

    assert meeting.participants_present == 2
    assert Attendance.objects.get(enrolment=request.enrolment, session=session).present
    # Recording again changes the record, not the number of rows.
    advisory_meeting_record(**{**record, "attendees": [], "requester_present": False})
    assert AdvisoryMeeting.objects.count() == 1
    assert not Attendance.objects.get(session=session).present


def test_a_future_meeting_cannot_be_recorded(coordinator):
    request = ask(make_offer())
    confirm(request, coordinator)
    session = held_meeting(request, days_ago=-3)
    with pytest.raises(AdvisoryError) as future:
        advisory_meeting_record(
            session=session,
            mode=AdvisoryMode.PHONE,
            topics=TOPICS[:1],
            note="",
            requester_present=True,
            attendees=[],
            actor=coordinator,
        )
    assert future.value.code == "future"


def test_completion_and_the_advisory_certificate(coordinator):
    from certificates.services import certificate_issue

    request = ask(make_offer())
    confirm(request, coordinator)
    session = held_meeting(request, start=time(9), end=time(12))
    advisory_meeting_record(
        session=session,
        mode=AdvisoryMode.VIDEO,
        topics=TOPICS,
        note="",
        requester_present=True,
        attendees=[],
        actor=coordinator,
    )
    enrolment = enrolment_complete(enrolment=request.enrolment, actor=coordinator)
    assert enrolment.status == EnrolmentStatus.COMPLETED

    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    assert certificate.hours == 3
    assert certificate.snapshot["template"]["subtitle"] == "o udziale w doradztwie"
    assert [t["title"] for t in certificate.snapshot["topics"]] == TOPICS[:1]


def test_the_four_indicators_count_persons_once(coordinator):
    offer = make_offer()
    first = ask(
        offer,
        form=AdvisoryForm.GROUP,
        participants=group("Ewa Lis", "Jan Bąk"),
        indirect_recipients=150,
    )
    second = ask(
        offer,
        form=AdvisoryForm.GROUP,
        participants=group("Ewa Lis"),  # the same person, in a second group
        indirect_recipients=30,
    )
    never_met = ask(offer, indirect_recipients=999)
    for request, attendees in ((first, ["Ewa Lis", "Jan Bąk"]), (second, ["Ewa Lis"])):
        confirm(request, coordinator)
        for days_ago in (2, 1):  # two meetings: still one person each
            advisory_meeting_record(
                session=held_meeting(request, days_ago=days_ago),
                mode=AdvisoryMode.WORKPLACE,
                topics=TOPICS[:1],
                note="",
                requester_present=True,
                attendees=attendees,
                actor=coordinator,
            )
    assert never_met.enrolment.status == EnrolmentStatus.PENDING

    figures = advisory_indicators(offer=offer)
    assert (figures.direct, figures.indirect) == (4, 180)
    assert (figures.staff, figures.volunteers) == (15, 10)

    chart = next(chart for chart in indicators() if chart.key == "advisory")
    assert [bar.value for bar in chart.bars] == [4, 180, 15, 10]
    assert chart.bars[0].target == 100
    book = load_workbook(io.BytesIO(indicators_workbook(charts=indicators())))
    sheet = book[chart.title[:31]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][1:] == (4, 100)
    assert rows[1][1] == 180


def test_no_offer_no_advisory_chart():
    assert "advisory" not in [chart.key for chart in indicators()]
