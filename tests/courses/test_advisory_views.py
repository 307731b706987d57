"""Who reaches the advisory pages, and what their forms change."""

from datetime import time

import pytest
from django.urls import reverse

from courses import roles
from courses.models import (
    AdvisoryMeeting,
    AdvisoryRequest,
    Attendance,
    EnrolmentStatus,
    RequestChannel,
    Session,
)
from courses.services.advisory import advisory_assign
from tests.courses.test_advisory import TODAY, TOPICS, ask, confirm, make_offer
from tests.factories import TraineeFactory, TrainerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def adviser_user(name="Jadwiga Sznajder"):
    user = UserFactory(role=roles.ADVISER)
    TrainerProfileFactory(user=user, name=name)
    return user


@pytest.fixture
def world():
    offer = make_offer()
    request = ask(offer)
    own = adviser_user()
    advisory_assign(request=request, adviser=own.trainer_profile, actor=None)
    return {
        "offer": offer,
        "request": request,
        "adviser": own,
        "other_adviser": adviser_user("Marek Zieliński"),
        "coordinator": UserFactory(role=roles.COORDINATOR),
        "trainee": request.enrolment.trainee.user,
    }


def test_the_offer_page_lists_topics_rules_and_the_form_link(client, world):
    page = client.get(reverse("courses:advisory_offer", args=[world["offer"].pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert TOPICS[0] in text
    assert "województwie śląskim" in text  # the rule's name
    assert reverse("courses:advisory_request", args=[world["offer"].pk]) in text


def test_an_anonymous_visitor_is_sent_to_log_in(client, world):
    url = reverse("courses:advisory_request", args=[world["offer"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_trainee_sends_the_request_form(client, world):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    url = reverse("courses:advisory_request", args=[world["offer"].pk])
    form = client.get(url).content.decode()
    # Seed 001: the person asking sees to a place that suits both sides.
    assert "zadbaj o miejsce dogodne i komfortowe dla obu stron" in form
    response = client.post(
        url,
        {
            "topics": [TOPICS[1]],
            "form": "group",
            "participants": "Ewa Lis; OPS w Rybniku\nJan Bąk; PCPR w Raciborzu",
            "mode": "video",
            "preferred_dates": "poniedziałki po 12:00",
            "indirect_recipients": "120",
        },
    )
    assert response.status_code == 302
    request = AdvisoryRequest.objects.get(enrolment__trainee=trainee)
    assert request.group_size == 3
    assert request.participants[1] == {
        "name": "Jan Bąk",
        "institution": "PCPR w Raciborzu",
    }
    # "Moje szkolenia" carries it on with the declaration, as any enrolment.
    page = client.get(reverse("courses:my_enrolments"))
    assert reverse("courses:application_pdf", args=[request.enrolment.pk]) in (
        page.content.decode()
    )


def test_a_bad_request_form_says_why_and_saves_nothing(client, world):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    url = reverse("courses:advisory_request", args=[world["offer"].pk])
    response = client.post(
        url,
        {
            "topics": [TOPICS[0]],
            "form": "group",
            "participants": "Ewa Lis bez instytucji",
            "mode": "workplace",
            "preferred_dates": "",
            "indirect_recipients": "0",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "średnik" in text  # the line without a semicolon
    assert "terminy" in text.lower()
    assert not AdvisoryRequest.objects.filter(enrolment__trainee=trainee).exists()


def test_the_closed_offer_says_so_and_takes_nothing(client, world):
    offer = world["offer"]
    offer.ends_on = TODAY().replace(year=TODAY().year - 1)
    offer.starts_on = offer.ends_on
    offer.save()
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    url = reverse("courses:advisory_request", args=[offer.pk])
    response = client.post(url, {"topics": [TOPICS[0]], "form": "individual"})
    assert "nie są już przyjmowane" in response.content.decode()
    assert AdvisoryRequest.objects.count() == 1


def test_my_advisory_shows_only_the_advisers_own_cases(client, world):
    url = reverse("courses:my_advisory")
    case_url = reverse("courses:advisory_case", args=[world["request"].pk])
    client.force_login(world["adviser"])
    assert case_url in client.get(url).content.decode()
    assert client.get(case_url).status_code == 200

    client.force_login(world["other_adviser"])
    assert case_url not in client.get(url).content.decode()
    assert client.get(case_url).status_code == 404

    client.force_login(world["trainee"])
    assert client.get(url).status_code == 403
    assert client.get(case_url).status_code == 404


def test_only_the_coordinator_assigns_and_enters_requests(client, world):
    case_url = reverse("courses:advisory_case", args=[world["request"].pk])
    other = world["other_adviser"].trainer_profile
    client.force_login(world["adviser"])
    assert (
        client.post(case_url, {"assign": "1", "adviser": other.pk}).status_code == 403
    )
    enter_url = reverse("courses:advisory_request_enter", args=[world["offer"].pk])
    assert client.get(enter_url).status_code == 403

    client.force_login(world["coordinator"])
    client.post(case_url, {"assign": "1", "adviser": other.pk})
    world["request"].refresh_from_db()
    assert world["request"].adviser == other

    person = TraineeFactory()
    response = client.post(
        enter_url,
        {
            "trainee": person.pk,
            "channel": "email",
            "topics": [TOPICS[0]],
            "form": "individual",
            "mode": "phone",
            "preferred_dates": "jak najszybciej",
            "indirect_recipients": "10",
        },
    )
    assert response.status_code == 302
    entered = AdvisoryRequest.objects.get(enrolment__trainee=person)
    assert (entered.channel, entered.entered_by) == (
        RequestChannel.EMAIL,
        world["coordinator"],
    )


def test_the_adviser_books_records_and_closes(client, world):
    request = world["request"]
    confirm(request, world["coordinator"])
    client.force_login(world["adviser"])
    case_url = reverse("courses:advisory_case", args=[request.pk])
    yesterday = TODAY().fromordinal(TODAY().toordinal() - 1)
    response = client.post(
        case_url,
        {
            "book": "1",
            "date": yesterday.isoformat(),
            "start_time": "10:00",
            "end_time": "11:30",
            "place": "OPS w Gliwicach",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(edition=request.enrolment.edition)
    assert (session.start_time, session.end_time) == (time(10), time(11, 30))

    record_url = reverse("courses:advisory_meeting_record", args=[session.pk])
    response = client.post(
        record_url,
        {
            "mode": "workplace",
            "requester_present": "on",
            "topics": [TOPICS[0]],
            "note": "Procedura przekształcenia OPS w CUS.",
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.get(session=session).present
    assert AdvisoryMeeting.objects.get(session=session).note.startswith("Procedura")

    client.post(reverse("courses:advisory_case_complete", args=[request.pk]))
    request.enrolment.refresh_from_db()
    assert request.enrolment.status == EnrolmentStatus.COMPLETED


def test_another_adviser_cannot_record_a_meeting(client, world):
    request = world["request"]
    confirm(request, world["coordinator"])
    session = Session.objects.create(
        edition=request.enrolment.edition,
        date=TODAY(),
        start_time=time(9),
        end_time=time(10),
    )
    client.force_login(world["other_adviser"])
    url = reverse("courses:advisory_meeting_record", args=[session.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"mode": "phone", "topics": [TOPICS[0]]}).status_code == 404
    assert not AdvisoryMeeting.objects.exists()


def test_advisory_cases_stay_out_of_my_groups(client, world):
    client.force_login(world["coordinator"])
    page = client.get(reverse("courses:my_groups")).content.decode()
    assert world["request"].enrolment.edition.code not in page
