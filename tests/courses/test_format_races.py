"""Races of the advisory and call services, with real threads on PostgreSQL.

Each test starts its writers together (tests/concurrency.py) and checks what a
coordinator would: one booking of an adviser's hour, one application per county,
no application left undecided by a selection at the deadline, the results sent once.
"""

import datetime
import threading
import time
from datetime import time as clock
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from courses import roles
from courses.errors import RuleError
from courses.models import AdvisoryMeeting, Attendance, Session
from courses.models.recruitment import ApplicationStatus, Call, CallApplication
from courses.services import enrolment_approve, enrolment_mark_declaration_received
from courses.services import recruitment as recruitment_services
from courses.services.advisory import (
    advisory_assign,
    advisory_meeting_book,
    advisory_meeting_record,
)
from courses.services.recruitment import (
    application_set_manual_points,
    call_publish_results,
    call_select,
)
from tests.concurrency import THREAD_TEST_MARKS, race
from tests.courses.test_advisory import TOPICS, ask, make_offer
from tests.courses.test_recruitment import COUNTY, GMINA, apply, close, make_call
from tests.factories import TrainerProfileFactory, UserFactory

pytestmark = THREAD_TEST_MARKS
DAY = datetime.timedelta(days=1)


def _codes(errors) -> list[str]:
    assert all(isinstance(e, RuleError) for e in errors), errors
    return sorted(e.code for e in errors)


# Advisory -----------------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(3))
def test_two_coordinators_booking_one_advisers_hour_book_it_once(round_):
    offer = make_offer(requires_approval=False)
    adviser = TrainerProfileFactory(user=UserFactory(role=roles.ADVISER))
    requests = [ask(offer) for _ in range(2)]
    for request in requests:
        advisory_assign(request=request, adviser=adviser, actor=None)
    on = timezone.localdate() + 3 * DAY
    coordinators = [UserFactory(role=roles.COORDINATOR) for _ in range(2)]

    def book(request, coordinator, start):
        return lambda: advisory_meeting_book(
            request=request,
            on=on,
            start_time=start,
            end_time=clock(start.hour + 2),
            place="",
            actor=coordinator,
        )

    # 10-12 and 11-13 overlap: whoever comes second is told the adviser is taken.
    errors = race(
        [
            book(requests[0], coordinators[0], clock(10)),
            book(requests[1], coordinators[1], clock(11)),
        ]
    )

    assert _codes(errors) == ["start_time"]
    assert "already has a meeting" in str(errors[0]) or "ma już spotkanie" in str(
        errors[0]
    )
    assert Session.objects.filter(edition__trainers=adviser, date=on).count() == 1


def test_meetings_of_two_advisers_at_the_same_hour_are_both_booked():
    offer = make_offer(requires_approval=False)
    requests = [ask(offer) for _ in range(2)]
    for request in requests:
        advisory_assign(
            request=request,
            adviser=TrainerProfileFactory(user=UserFactory(role=roles.ADVISER)),
            actor=None,
        )
    on = timezone.localdate() + 3 * DAY
    errors = race(
        [
            lambda r=r: advisory_meeting_book(
                request=r,
                on=on,
                start_time=clock(10),
                end_time=clock(12),
                place="",
                actor=None,
            )
            for r in requests
        ]
    )
    assert errors == []
    assert Session.objects.filter(date=on).count() == 2


def test_a_meeting_recorded_twice_at_once_is_one_record_and_one_attendance():
    offer = make_offer()
    request = ask(offer)
    coordinator = UserFactory(role=roles.COORDINATOR)
    enrolment_mark_declaration_received(enrolment=request.enrolment, actor=coordinator)
    enrolment_approve(enrolment=request.enrolment, actor=coordinator)
    adviser = TrainerProfileFactory(user=UserFactory(role=roles.ADVISER))
    advisory_assign(request=request, adviser=adviser, actor=None)
    session = advisory_meeting_book(
        request=request,
        on=timezone.localdate() - DAY,
        start_time=clock(9),
        end_time=clock(11),
        place="",
        actor=None,
    )
    errors = race(
        [
            lambda note=note: advisory_meeting_record(
                session=session,
                mode=request.mode,
                topics=TOPICS[:1],
                note=note,
                requester_present=True,
                attendees=[],
                actor=adviser.user,
            )
            for note in ("pierwszy zapis", "drugi zapis")
        ]
    )
    assert errors == []
    assert AdvisoryMeeting.objects.filter(session=session).count() == 1
    assert Attendance.objects.filter(session=session).count() == 1
    assert AdvisoryMeeting.objects.get().note in {"pierwszy zapis", "drugi zapis"}


# Calls --------------------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(3))
def test_one_county_applying_twice_at_once_is_one_application(round_):
    call = make_call()
    errors = race([lambda: apply(call, "Powiat żarski", kind=COUNTY) for _ in range(3)])
    assert _codes(errors) == ["authority", "authority"]
    assert CallApplication.objects.filter(authority="Powiat żarski").count() == 1


def test_applications_racing_the_deadline_are_taken_or_refused_whole():
    """Eight applicants press "send" in the last instant; some are after the deadline."""
    call = make_call(deadline=timezone.now() + datetime.timedelta(seconds=1.5))

    def late(n):
        def submit():
            time.sleep(0.25 * n)  # 0 .. 1.75 s: the deadline falls among them
            apply(call, f"Gmina {n}")

        return submit

    errors = race([late(n) for n in range(8)])

    assert set(_codes(errors)) <= {"closed"}
    taken = CallApplication.objects.filter(call=call)
    assert taken.count() + len(errors) == 8
    assert all(a.submitted_at < call.deadline for a in taken)
    assert all(a.answers.count() == 3 for a in taken)  # none taken in part


def test_an_application_in_flight_at_the_deadline_is_in_the_selection(monkeypatch):
    """The selection waits for an application that passed the deadline check.

    The application is slowed after its check (its answers take 1.5 s to write);
    the coordinator selects as soon as the deadline has passed. Without the lock on
    the call, the selection read the applications without it and the latecomer
    stayed "submitted" for ever: the results could never be sent.
    """
    call = make_call(deadline=timezone.now() + datetime.timedelta(seconds=1))
    apply(call, "Gmina Kożuchów")
    manager = recruitment_services.ApplicationAnswer.objects
    slow_create = manager.bulk_create
    writing = threading.Event()

    def slowly(objs, *args, **kwargs):
        writing.set()
        time.sleep(1.5)
        return slow_create(objs, *args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", slowly)

    def select_after_deadline():
        writing.wait(5)
        while timezone.now() < call.deadline:
            time.sleep(0.05)
        call_select(call=call, diversity=False, actor=None)

    errors = race([lambda: apply(call, "Gmina Sława"), select_after_deadline])

    assert errors == []
    statuses = dict(CallApplication.objects.values_list("authority", "status"))
    assert statuses == {
        "Gmina Kożuchów": ApplicationStatus.SELECTED,
        "Gmina Sława": ApplicationStatus.SELECTED,
    }


def _closed_call_with_applicants():
    call = make_call(counties=1, gminas=2)
    apply(call, "Powiat nowosolski", kind=COUNTY, families=900)
    apply(call, "Powiat żarski", kind=COUNTY, families=100)
    for n, families in enumerate([800, 400, 100]):
        apply(call, f"Gmina {n}", kind=GMINA, families=families)
    close(call)
    return call


def test_two_coordinators_selecting_at_once_select_each_place_once():
    call = _closed_call_with_applicants()
    errors = race(
        [lambda: call_select(call=call, diversity=False, actor=None) for _ in range(2)]
    )
    assert errors == []
    selected = CallApplication.objects.filter(status=ApplicationStatus.SELECTED)
    assert sorted(selected.values_list("authority", flat=True)) == [
        "Gmina 0",
        "Gmina 1",
        "Powiat nowosolski",
    ]
    assert not CallApplication.objects.filter(status=ApplicationStatus.SUBMITTED)


def test_results_sent_twice_at_once_go_out_once():
    call = _closed_call_with_applicants()
    call_select(call=call, diversity=False, actor=None)
    mail.outbox.clear()
    errors = race([lambda: call_publish_results(call=call, actor=None)] * 3)
    assert _codes(errors) == ["published", "published"]
    assert len(mail.outbox) == 5
    assert len({tuple(m.to) for m in mail.outbox}) == 5


@pytest.mark.parametrize("round_", range(3))
def test_manual_points_racing_the_results_either_count_or_are_refused(round_):
    call = _closed_call_with_applicants()
    call_select(call=call, diversity=False, actor=None)
    last = CallApplication.objects.get(authority="Gmina 2")
    errors = race(
        [
            lambda: application_set_manual_points(
                application=last,
                points=Decimal(10),
                reason="Zdiagnozowany koszyk usług (załącznik)",
                actor=None,
            ),
            lambda: call_publish_results(call=call, actor=None),
        ]
    )
    last.refresh_from_db()
    call = Call.objects.get(pk=call.pk)
    assert len(errors) == 1, errors
    if call.results_published_at:
        # Published on the old selection: the points came too late.
        assert _codes(errors) == ["published"]
        assert last.manual_points == 0
    else:
        # The points came first: the old selection is void, so nothing was sent.
        assert _codes(errors) == ["undecided"]
        assert last.manual_points == 10
        assert last.status == ApplicationStatus.SUBMITTED
        assert not CallApplication.objects.exclude(status=ApplicationStatus.SUBMITTED)


# Working groups -----------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(3))
def test_nominations_racing_beyond_the_target_size_fill_it_exactly(round_):
    from courses.models import Enrolment, Nomination, TraineeProfile
    from courses.models.working_groups import GroupKind
    from courses.services.working_groups import (
        group_nominate,
        working_group_course,
        working_group_create,
    )
    from tests.courses.test_working_groups import person

    call = make_call(counties=0, gminas=3)
    for n in range(3):
        apply(call, f"Gmina {n}")
    close(call)
    call_select(call=call, diversity=False, actor=None)
    call_publish_results(call=call, actor=None)
    group = working_group_create(
        call=call,
        kind=GroupKind.REGIONAL_REFLECTIVE,
        name="Regionalna Grupa Refleksyjna",
        course=working_group_course(call=call),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + 60 * DAY,
        target_size=4,
    )
    representatives = [a.representative for a in CallApplication.objects.all()]
    coordinator = UserFactory(role=roles.COORDINATOR)
    actors = [*representatives, coordinator] * 2  # 8 nominations for 4 places

    errors = race(
        [
            lambda n=n, actor=actor: group_nominate(
                group=group, nominee=person(n), sector="police", actor=actor
            )
            for n, actor in enumerate(actors)
        ]
    )

    assert _codes(errors) == ["full"] * 4
    assert Nomination.objects.filter(group=group).count() == 4
    assert Enrolment.objects.filter(edition=group.edition).count() == 4
    # The refused are refused whole: no profile is left without its nomination.
    assert TraineeProfile.objects.count() == 4
