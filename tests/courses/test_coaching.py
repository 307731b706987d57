"""Coaching of social workers on the advisory machinery, with screens of its own:
"Coaching" (the offers), "Moje coachingi" (the coach), "Moje sesje coachingowe" (the
person coached)."""

import datetime
from datetime import time as clock

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import roles
from courses.errors import EnrolmentError
from courses.models import AdvisoryForm, Position, SupportKind
from courses.services.advisory import (
    advisory_assign,
    advisory_meeting_book,
    advisory_meeting_record,
)
from tests.courses.test_advisory import TOPICS, ask, confirm, group, make_offer
from tests.factories import (
    CourseFactory,
    TraineeFactory,
    TrainerProfileFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enrolment_invariants")]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def coaching():
    offer = make_offer(
        code="coaching-pracownikow-socjalnych",
        title="Coaching indywidualny i grupowy dla pracowników socjalnych",
        course=CourseFactory(title="Coaching", kind=SupportKind.COACHING, hours=2),
    )
    rule = offer.project.eligibility_rules.get()
    rule.positions = [Position.SOCIAL_WORKER]
    rule.save()
    return offer


@pytest.fixture
def advisory():
    return make_offer(code="doradztwo-inne", title="Doradztwo ROPS")


@pytest.fixture
def coach():
    return TrainerProfileFactory(
        name="Iwona Coach", user=UserFactory(role=roles.ADVISER)
    )


def social_worker():
    return TraineeFactory(position=Position.SOCIAL_WORKER)


def test_coaching_and_advisory_offers_are_listed_apart(client, coaching, advisory):
    coaching_page = client.get(reverse("courses:coaching_offers")).content.decode()
    advisory_page = client.get(reverse("courses:advisory_offers")).content.decode()
    assert coaching.title in coaching_page and advisory.title not in coaching_page
    assert advisory.title in advisory_page and coaching.title not in advisory_page


def test_coaching_is_for_social_workers_only(coaching):
    with pytest.raises(EnrolmentError) as refused:
        ask(coaching, TraineeFactory(position=Position.THERAPIST))
    assert "pracownik socjalny" in str(refused.value)
    assert ask(coaching, social_worker()).enrolment.edition.course.kind == "coaching"


def _held_session(case, coach, coordinator, *, present=True):
    confirm(case, coordinator)
    advisory_assign(request=case, adviser=coach, actor=coordinator)
    session = advisory_meeting_book(
        request=case,
        on=timezone.localdate() - DAY,
        start_time=clock(10),
        end_time=clock(11, 30),
        place="OPS w Rybniku",
        actor=coordinator,
    )
    advisory_meeting_record(
        session=session,
        mode=case.mode,
        topics=TOPICS[:1],
        note="Sesja 1: cele",
        requester_present=present,
        attendees=[],
        actor=coach.user,
    )
    return session


def test_the_coach_sees_coaching_in_moje_coachingi_not_in_moje_doradztwo(
    client, coaching, advisory, coach
):
    coordinator = UserFactory(role=roles.COORDINATOR)
    mine = ask(coaching, social_worker())
    advice = ask(advisory)
    for case in (mine, advice):
        advisory_assign(request=case, adviser=coach, actor=coordinator)
    client.force_login(coach.user)

    coachings = client.get(reverse("courses:my_coaching")).content.decode()
    advisories = client.get(reverse("courses:my_advisory")).content.decode()

    assert "Moje coachingi" in coachings
    assert mine.enrolment.trainee.full_name in coachings
    assert advice.enrolment.trainee.full_name not in coachings
    assert advice.enrolment.trainee.full_name in advisories
    assert mine.enrolment.trainee.full_name not in advisories
    case_page = client.get(reverse("courses:advisory_case", args=[mine.pk]))
    assert "Moje coachingi" in case_page.content.decode()  # breadcrumbs lead back


def test_another_coach_sees_none_of_it(client, coaching, coach):
    case = ask(coaching, social_worker())
    advisory_assign(request=case, adviser=coach, actor=None)
    other = TrainerProfileFactory(user=UserFactory(role=roles.ADVISER))
    client.force_login(other.user)
    page = client.get(reverse("courses:my_coaching")).content.decode()
    assert case.enrolment.trainee.full_name not in page
    assert (
        client.get(reverse("courses:advisory_case", args=[case.pk])).status_code == 404
    )


def test_the_person_coached_sees_sessions_hours_and_attendance(client, coaching, coach):
    coordinator = UserFactory(role=roles.COORDINATOR)
    trainee = social_worker()
    case = ask(
        coaching, trainee, form=AdvisoryForm.GROUP, participants=group("Ewa Lis")
    )
    session = _held_session(case, coach, coordinator)
    advisory_meeting_book(
        request=case,
        on=timezone.localdate() + 7 * DAY,
        start_time=clock(12),
        end_time=clock(13),
        place="",
        actor=coordinator,
    )
    client.force_login(trainee.user)

    page = client.get(reverse("courses:my_coaching_sessions")).content.decode()

    assert coaching.title in page
    assert "Iwona Coach" in page
    assert "10:00–11:30" in page and "12:00–13:00" in page
    assert "<td>obecność</td>" in page
    assert "godziny obecności: 1,5" in page or "godziny obecności: 1.5" in page
    assert "jeszcze nie zaznaczono" in page  # next week's session
    assert session.place in page
    enrolments = client.get(reverse("courses:my_enrolments")).content.decode()
    assert reverse("courses:my_coaching_sessions") in enrolments


def test_nobody_else_sees_someones_coaching_sessions(client, coaching, coach):
    case = ask(coaching, social_worker())
    _held_session(case, coach, UserFactory(role=roles.COORDINATOR))
    other = social_worker()
    client.force_login(other.user)
    page = client.get(reverse("courses:my_coaching_sessions")).content.decode()
    assert coaching.title not in page
    assert "Nie masz jeszcze coachingu" in page
