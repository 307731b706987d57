"""The demo of seed 002's coaching, and the back-dated requests it is entered with."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import (
    AdvisoryOffer,
    AdvisoryRequest,
    EnrolmentStatus,
    Position,
    RequestChannel,
    SupportKind,
)
from courses.models.working_groups import Sector, WorkingGroup
from courses.reporting import advisory_indicators
from courses.services.advisory import AdvisoryError, advisory_request_create
from courses.services.working_groups import Nominee, group_nominate
from tests.courses.test_advisory import DAY, TODAY, details, make_offer
from tests.factories import TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_holds_coaching_of_social_workers_in_several_states(demo_data, client):
    from django.contrib.auth import get_user_model

    offer = AdvisoryOffer.objects.get(code="coaching-kooperacja")
    assert offer.project.code == "KOOPERACJA-LUBUSKIE"
    assert offer.course.kind == SupportKind.COACHING
    cases = {
        r.enrolment.trainee.full_name: r
        for r in AdvisoryRequest.objects.filter(offer=offer)
    }
    assert set(cases) == {"Karolina Nowak", "Aleksandra Wilk", "Łukasz Pawłowski"}
    done, group, waiting = (
        cases["Karolina Nowak"],
        cases["Aleksandra Wilk"],
        cases["Łukasz Pawłowski"],
    )
    assert done.enrolment.status == EnrolmentStatus.COMPLETED
    assert done.enrolment.attendances.filter(present=True).count() == 3
    assert group.enrolment.status == EnrolmentStatus.CONFIRMED
    assert group.enrolment.edition.sessions.count() == 3  # two held, one to describe
    sessions = group.enrolment.edition.sessions
    assert sessions.filter(advisory_meeting__isnull=True).count() == 1
    assert waiting.adviser is None and waiting.channel == RequestChannel.PHONE
    assert waiting.created_at.date() == datetime.date(2020, 3, 2)  # as received
    assert advisory_indicators(offer=offer).direct == 4  # Karolina, Aleksandra + 2
    assert advisory_indicators(offer=offer).indirect == 115

    users = get_user_model().objects
    client.force_login(users.get(email="coach@szkolenia.test"))
    page = client.get(reverse("courses:my_coaching")).content.decode()
    assert "Aleksandra Wilk" in page and "Karolina Nowak" in page
    assert "Coach: Monika Dąbrowska" in page
    client.force_login(users.get(email="socjalna@szkolenia.test"))
    page = client.get(reverse("courses:my_coaching_sessions")).content.decode()
    assert "godziny obecności: 6" in page
    for day in ("5 listopada 2019", "3 grudnia 2019", "14 stycznia 2020"):
        assert day in page

    call_command("load_demo_data", verbosity=0)  # twice: nothing doubles
    assert AdvisoryRequest.objects.filter(offer=offer).count() == 3


def test_the_coaching_rule_leaves_the_working_groups_to_nominations(demo_data):
    """Social workers only, for coaching; a nominee of another position still joins a
    group of the same project."""
    from django.contrib.auth import get_user_model

    offer = AdvisoryOffer.objects.get(code="coaching-kooperacja")
    rule = offer.project.eligibility_rules.get()
    assert rule.positions == ["social_worker"]
    assert list(rule.courses.all()) == [offer.course]
    group = WorkingGroup.objects.get(call__project=offer.project, application=None)
    coordinator = get_user_model().objects.get(email="koordynator@szkolenia.test")
    nomination = group_nominate(
        group=group,
        nominee=Nominee(
            email="jan.nowy@region.lubuskie.test",
            first_name="Jan",
            last_name="Nowy",
            gender="M",
            institution="Lubuski Urząd Wojewódzki",
            position=Position.MANAGER,
        ),
        sector=Sector.LOCAL_GOVERNMENT,
        actor=coordinator,
    )
    assert nomination.enrolment.status == EnrolmentStatus.CONFIRMED


def test_a_request_by_phone_is_entered_back_dated_to_the_day_it_came():
    offer = make_offer(starts_on=TODAY() - 60 * DAY, ends_on=TODAY() - 5 * DAY)
    coordinator = UserFactory()
    came = TODAY() - 10 * DAY
    request = advisory_request_create(
        offer=offer,
        trainee=TraineeFactory(),
        details=details(),
        actor=coordinator,
        channel=RequestChannel.PHONE,
        received_on=came,
    )
    request.refresh_from_db()
    assert request.created_at.date() == came and request.entered_by == coordinator


@pytest.mark.parametrize(
    ("channel", "days_ago", "code"),
    [
        (RequestChannel.ONLINE, 10, "received_on"),  # online requests date themselves
        (RequestChannel.EMAIL, -1, "received_on"),  # not a day to come
        (RequestChannel.EMAIL, 70, "received_on"),  # before the offer started
        (RequestChannel.EMAIL, 2, "closed"),  # after the offer ended
    ],
)
def test_a_back_dated_request_must_fall_within_the_offer(channel, days_ago, code):
    offer = make_offer(starts_on=TODAY() - 60 * DAY, ends_on=TODAY() - 5 * DAY)
    with pytest.raises(AdvisoryError) as refused:
        advisory_request_create(
            offer=offer,
            trainee=TraineeFactory(),
            details=details(),
            actor=UserFactory(),
            channel=channel,
            received_on=TODAY() - days_ago * DAY,
        )
    assert refused.value.code == code
    assert not AdvisoryRequest.objects.exists()
