"""Working groups of a call: nomination by the selected institutions, meetings of 1 or 2
days with attendance per day, and the fee list of a meeting outside working hours."""

import datetime
import io
from datetime import time as clock
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from courses import roles
from courses.models import (
    AccessEvent,
    Enrolment,
    EnrolmentStatus,
    Gender,
    GroupKind,
    Nomination,
    Sector,
    SupportKind,
    TraineeProfile,
)
from courses.models.recruitment import ApplicationStatus, CallApplication
from courses.services.attendance import attendance_mark
from courses.services.recruitment import call_publish_results, call_select
from courses.services.working_groups import (
    GroupError,
    MeetingDay,
    Nominee,
    group_meeting_book,
    group_nominate,
    meeting_fee_list,
    working_group_course,
    working_group_create,
)
from tests.courses.test_recruitment import COUNTY, GMINA, apply, close, make_call
from tests.factories import TraineeFactory, TrainerProfileFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enrolment_invariants")]
DAY = datetime.timedelta(days=1)
TODAY = timezone.localdate


@pytest.fixture
def call():
    """A call of lubuskie with its results sent: 1 county and 2 gminas selected."""
    call = make_call(counties=1, gminas=2)
    apply(call, "Powiat nowosolski", kind=COUNTY, families=900)
    apply(call, "Powiat żarski", kind=COUNTY, families=100)
    apply(call, "Gmina Kożuchów", kind=GMINA, families=700)
    apply(call, "Gmina Sława", kind=GMINA, families=600)
    apply(call, "Gmina Lubsko", kind=GMINA, families=50)
    close(call)
    call_select(call=call, diversity=False, actor=None)
    call_publish_results(call=call, actor=None)
    return call


def app(call, authority) -> CallApplication:
    return call.applications.get(authority=authority)


def make_group(call, kind=GroupKind.COUNTY_REFLECTIVE, authority="Powiat nowosolski",
               **kwargs):  # fmt: skip
    return working_group_create(
        call=call,
        kind=kind,
        name=kwargs.pop("name", f"{GroupKind(kind).label} – {authority}"),
        course=working_group_course(call=call),
        starts_on=TODAY(),
        ends_on=TODAY() + 90 * DAY,
        application=app(call, authority) if authority else None,
        **kwargs,
    )


def person(n=1, **kwargs) -> Nominee:
    defaults = {
        "email": f"czlonek{n}@powiat-nowosolski.pl",
        "first_name": "Ewa",
        "last_name": f"Nowak{n}",
        "gender": Gender.FEMALE,
        "institution": "Komenda Powiatowa Policji w Nowej Soli",
    }
    return Nominee(**{**defaults, **kwargs})


def nominate(group, actor, n=1, sector=Sector.POLICE, **kwargs):
    return group_nominate(
        group=group, nominee=person(n, **kwargs), sector=sector, actor=actor
    )


@pytest.fixture
def coordinator():
    return UserFactory(role=roles.COORDINATOR)


# Groups ----------------------------------------------------------------------------------


def test_each_kind_of_group_takes_what_the_seed_says(call):
    reflective = make_group(call)
    decision = make_group(call, GroupKind.COUNTY_DECISION_MAKERS)
    regional = make_group(call, GroupKind.REGIONAL_REFLECTIVE, authority=None)

    assert (reflective.target_size, reflective.meeting_days) == (7, 2)
    assert (decision.target_size, decision.meeting_days) == (15, 1)
    assert (regional.target_size, regional.meeting_days) == (20, 1)
    for group in (reflective, decision, regional):
        assert group.edition.capacity == group.target_size
        assert group.edition.course.kind == SupportKind.WORKING_GROUP
    assert make_group(call, target_size=8, name="Inna").edition.capacity == 8


def test_a_county_group_belongs_to_a_selected_county(call):
    with pytest.raises(GroupError) as refused:
        make_group(call, authority="Powiat żarski")
    assert refused.value.code == "application"
    assert "Powiat żarski nie został wybrany" in str(refused.value)
    with pytest.raises(GroupError):
        make_group(call, GroupKind.REGIONAL_REFLECTIVE, authority="Powiat nowosolski")
    with pytest.raises(GroupError):
        make_group(call, authority=None)


# Nominations ---------------------------------------------------------------------------


def test_the_selected_county_nominates_a_member_who_gets_an_account(call):
    group = make_group(call)
    county = app(call, "Powiat nowosolski")

    nomination = nominate(group, county.representative)

    assert nomination.application == county
    assert nomination.nominated_by == county.representative
    assert nomination.get_sector_display() == "policja"
    enrolment = nomination.enrolment
    assert enrolment.edition == group.edition
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    trainee = enrolment.trainee
    assert trainee.full_name == "Ewa Nowak1"
    assert trainee.institution.voivodeship.name == "lubuskie"
    assert trainee.institution.county == "Powiat nowosolski"
    assert not trainee.user.has_usable_password()  # sets one through "forgot password"


def test_an_existing_person_is_nominated_with_the_profile_they_keep(call):
    group = make_group(call)
    existing = TraineeFactory(user=UserFactory(email="jan.kowal@sad.gov.pl"))
    nomination = nominate(
        group,
        app(call, "Powiat nowosolski").representative,
        email="JAN.KOWAL@sad.gov.pl",
        first_name="Inne",
        last_name="Nazwisko",
        sector=Sector.JUSTICE,
    )
    assert nomination.enrolment.trainee == existing
    existing.refresh_from_db()
    assert existing.last_name != "Nazwisko"


@pytest.mark.parametrize("who", ["not_selected", "other_county", "anyone"])
def test_others_cannot_nominate_and_nothing_is_written(call, who):
    group = make_group(call)
    make_group(call, authority="Powiat nowosolski", name="Druga")
    actor = {
        "not_selected": app(call, "Powiat żarski").representative,
        "other_county": app(call, "Gmina Kożuchów").representative,
        "anyone": UserFactory(role=roles.TRAINEE),
    }[who]
    users = get_user_model().objects.count()
    with pytest.raises(GroupError) as refused:
        nominate(group, actor)
    assert refused.value.code == "forbidden"
    assert get_user_model().objects.count() == users
    assert not Nomination.objects.exists()


def test_every_selected_institution_nominates_to_the_regional_group(call):
    regional = make_group(call, GroupKind.REGIONAL_REFLECTIVE, authority=None)
    for n, authority in enumerate(
        ["Powiat nowosolski", "Gmina Kożuchów", "Gmina Sława"]
    ):
        nominate(regional, app(call, authority).representative, n=n)
    assert Nomination.objects.filter(group=regional).count() == 3
    with pytest.raises(GroupError):
        nominate(regional, app(call, "Gmina Lubsko").representative, n=9)


def test_before_the_results_are_sent_only_the_coordinator_nominates(coordinator):
    call = make_call(counties=1, gminas=0)
    county = apply(call, "Powiat nowosolski", kind=COUNTY)
    close(call)
    call_select(call=call, diversity=False, actor=None)
    group = make_group(call)
    with pytest.raises(GroupError):
        nominate(group, county.representative)
    assert nominate(group, coordinator).application is None


def test_nominations_beyond_the_target_size_are_refused_whole(call, coordinator):
    group = make_group(call, target_size=2)
    nominate(group, coordinator, n=1)
    nominate(group, coordinator, n=2)
    users = get_user_model().objects.count()

    with pytest.raises(GroupError) as refused:
        nominate(group, coordinator, n=3)

    assert refused.value.code == "full"
    assert "2" in str(refused.value)
    assert get_user_model().objects.count() == users  # no account left behind
    assert not TraineeProfile.objects.filter(last_name="Nowak3").exists()
    assert Enrolment.objects.filter(edition=group.edition).count() == 2


def test_the_same_person_twice_is_refused(call, coordinator):
    group = make_group(call)
    nominate(group, coordinator)
    with pytest.raises(GroupError) as refused:
        nominate(group, coordinator)
    assert refused.value.code == "email"
    assert Nomination.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "bez-malpy"}, "email"),
        ({"last_name": " "}, "first_name"),
        ({"gender": "X"}, "gender"),
        ({"institution": ""}, "institution"),
    ],
)
def test_bad_nominee_data_is_refused_with_the_field(call, coordinator, changes, field):
    group = make_group(call)
    with pytest.raises(GroupError) as refused:
        nominate(group, coordinator, **changes)
    assert refused.value.code == field
    assert not Nomination.objects.exists()


# Meetings and fees ----------------------------------------------------------------------


def two_days(start=None):
    start = start or TODAY() - 3 * DAY
    return [
        MeetingDay(start, clock(16), clock(20)),
        MeetingDay(start + DAY, clock(16), clock(20)),
    ]


def test_a_two_day_meeting_is_two_sessions_in_a_row(call):
    group = make_group(call)
    meeting = group_meeting_book(
        group=group,
        days=two_days(),
        place="Starostwo, sala 12",
        outside_working_hours=True,
        fee_per_member=Decimal("150.00"),
    )
    sessions = [d.session for d in meeting.days.all()]
    assert [s.date for s in sessions] == [d.on for d in two_days()]
    assert all(s.edition == group.edition for s in sessions)
    assert meeting.number == 1
    second = group_meeting_book(
        group=group,
        days=two_days(TODAY() + 10 * DAY),
        place="",
        outside_working_hours=False,
    )
    assert second.number == 2


@pytest.mark.parametrize(
    ("days", "outside", "fee", "code"),
    [
        ("one", True, 0, "days"),
        ("apart", True, 0, "days"),
        ("two", False, 100, "fee_per_member"),
        ("two", True, -5, "fee_per_member"),
    ],
)
def test_a_meeting_that_breaks_a_rule_is_not_booked(call, days, outside, fee, code):
    group = make_group(call)
    start = TODAY()
    chosen = {
        "one": [MeetingDay(start, clock(16), clock(20))],
        "apart": [
            MeetingDay(start, clock(16), clock(20)),
            MeetingDay(start + 3 * DAY, clock(16), clock(20)),
        ],
        "two": two_days(start),
    }[days]
    with pytest.raises(GroupError) as refused:
        group_meeting_book(
            group=group,
            days=chosen,
            place="",
            outside_working_hours=outside,
            fee_per_member=Decimal(fee),
        )
    assert refused.value.code == code
    assert not group.meetings.exists()
    assert not group.edition.sessions.exists()


def _meeting_with_members(call, coordinator):
    group = make_group(call)
    members = [nominate(group, coordinator, n=n).enrolment for n in range(1, 4)]
    meeting = group_meeting_book(
        group=group,
        days=two_days(),
        place="Starostwo Powiatowe w Nowej Soli",
        outside_working_hours=True,
        fee_per_member=Decimal("150.00"),
    )
    return group, members, meeting


def test_the_fee_follows_the_days_present(call, coordinator):
    _group, (both, one, none), meeting = _meeting_with_members(call, coordinator)
    first, second = [d.session for d in meeting.days.all()]
    for enrolment, marks in ((both, (True, True)), (one, (True, False)),
                             (none, (False, False))):  # fmt: skip
        attendance_mark(
            enrolment=enrolment, session=first, present=marks[0], actor=None
        )
        attendance_mark(
            enrolment=enrolment, session=second, present=marks[1], actor=None
        )

    fees = meeting_fee_list(meeting=meeting)

    amounts = {row.enrolment.pk: row.amount for row in fees.rows}
    assert amounts == {
        both.pk: Decimal("150.00"),
        one.pk: Decimal("75.00"),
        none.pk: Decimal("0.00"),
    }
    assert fees.total == Decimal("225.00")
    assert fees.unmarked == []


def test_days_not_marked_are_named(call, coordinator):
    _group, (both, *_rest), meeting = _meeting_with_members(call, coordinator)
    first = meeting.days.first().session
    attendance_mark(enrolment=both, session=first, present=True, actor=None)
    fees = meeting_fee_list(meeting=meeting)
    assert len(fees.unmarked) == 5  # 3 members x 2 days, one marked
    assert any("Nowak2" in line for line in fees.unmarked)


# Screens -----------------------------------------------------------------------------


def _mark_all(members, meeting, present=True):
    for day in meeting.days.all():
        for enrolment in members:
            attendance_mark(
                enrolment=enrolment, session=day.session, present=present, actor=None
            )


def test_the_fee_list_prints_as_pdf_and_xlsx_and_is_logged(client, call, coordinator):
    _group, members, meeting = _meeting_with_members(call, coordinator)
    _mark_all(members, meeting)
    client.force_login(coordinator)

    pdf = client.get(reverse("courses:meeting_fee_list", args=[meeting.pk, "pdf"]))
    assert pdf.status_code == 200
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "LISTA WYNAGRODZEŃ" in text.upper()
    assert "Ewa Nowak1" in text
    assert "450,00" in text or "450.00" in text

    xlsx = client.get(reverse("courses:meeting_fee_list", args=[meeting.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Nazwisko"
    assert [row[1] for row in rows[1:4]] == ["Nowak1", "Nowak2", "Nowak3"]
    assert rows[-1][-1] == 450
    assert AccessEvent.objects.filter(action="download", trainee_count=3).count() == 2


def test_the_fee_list_waits_for_every_days_attendance(client, call, coordinator):
    _group, members, meeting = _meeting_with_members(call, coordinator)
    client.force_login(coordinator)
    response = client.get(
        reverse("courses:meeting_fee_list", args=[meeting.pk, "pdf"]), follow=True
    )
    assert response.redirect_chain
    assert "Najpierw zaznacz obecność" in response.content.decode()


def test_only_the_coordinator_downloads_the_fee_list(client, call, coordinator):
    _group, members, meeting = _meeting_with_members(call, coordinator)
    _mark_all(members, meeting)
    client.force_login(app(call, "Powiat nowosolski").representative)
    url = reverse("courses:meeting_fee_list", args=[meeting.pk, "pdf"])
    assert client.get(url).status_code == 403


def test_nobody_enrols_in_a_group_by_themselves(client, call):
    group = make_group(call)
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    response = client.post(reverse("courses:enrol", args=[group.edition.pk]))
    assert response.status_code == 404
    assert not Enrolment.objects.filter(edition=group.edition).exists()


def test_a_representative_nominates_on_the_page_and_sees_only_their_people(
    client, call, coordinator
):
    group = make_group(call, GroupKind.REGIONAL_REFLECTIVE, authority=None)
    nominate(group, coordinator, n=7, last_name="Koordynatorska")
    county = app(call, "Powiat nowosolski")
    client.force_login(county.representative)
    url = reverse("courses:working_group", args=[group.pk])

    response = client.post(
        url,
        {
            "nominate": "1",
            "n-first_name": "Adam",
            "n-last_name": "Wiśniewski",
            "n-email": "a.wisniewski@pup.nowasol.pl",
            "n-gender": Gender.MALE,
            "n-institution": "Powiatowy Urząd Pracy w Nowej Soli",
            "n-institution_type": "employment_service",
            "n-sector": Sector.LABOUR_MARKET,
            "n-position": "other",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Adam Wiśniewski" in page
    assert "Koordynatorska" not in page  # not nominated by this county
    assert Nomination.objects.get(application=county).sector == Sector.LABOUR_MARKET
    assert AccessEvent.objects.filter(user=county.representative).exists()
    groups = client.get(reverse("courses:call_groups", args=[call.pk])).content
    assert group.name in groups.decode()


def test_a_stranger_sees_no_group(client, call):
    group = make_group(call)
    client.force_login(app(call, "Powiat żarski").representative)
    assert (
        client.get(reverse("courses:working_group", args=[group.pk])).status_code == 404
    )
    assert client.get(reverse("courses:call_groups", args=[call.pk])).status_code == 404


def test_the_coordinator_sets_up_a_group_and_books_a_meeting_on_the_page(
    client, call, coordinator
):
    client.force_login(coordinator)
    response = client.post(
        reverse("courses:call_groups", args=[call.pk]),
        {
            "kind": GroupKind.COUNTY_REFLECTIVE,
            "name": "Powiatowa Grupa Refleksyjna – powiat nowosolski",
            "application": app(call, "Powiat nowosolski").pk,
            "starts_on": TODAY().isoformat(),
            "ends_on": (TODAY() + 60 * DAY).isoformat(),
        },
    )
    group = call.working_groups.get()
    assert response.status_code == 302
    day = TODAY() + 7 * DAY
    response = client.post(
        reverse("courses:working_group", args=[group.pk]),
        {
            "meeting": "1",
            "m-first_day": day.isoformat(),
            "m-first_start": "16:00",
            "m-first_end": "20:00",
            "m-second_start": "09:00",
            "m-second_end": "13:00",
            "m-place": "Nowa Sól, ul. Piłsudskiego 12",
            "m-outside_working_hours": "on",
            "m-fee_per_member": "150",
        },
        follow=True,
    )
    meeting = group.meetings.get()
    assert meeting.fee_per_member == 150
    assert [d.session.date for d in meeting.days.all()] == [day, day + DAY]
    assert "Lista wynagrodzeń (PDF)" in response.content.decode()


def test_the_facilitator_keeps_attendance_in_my_groups(client, call, coordinator):
    group, members, meeting = _meeting_with_members(call, coordinator)
    facilitator = TrainerProfileFactory(user=UserFactory(role=roles.TRAINER))
    group.edition.trainers.add(facilitator)
    client.force_login(facilitator.user)
    assert group.name in client.get(reverse("courses:my_groups")).content.decode()
    day = meeting.days.first().session
    page = client.get(reverse("courses:session_attendance", args=[day.pk]))
    assert page.status_code == 200
    assert "Nowak1" in page.content.decode()


def test_results_of_not_selected_institutions_stay_as_they_were(call):
    assert app(call, "Powiat żarski").status == ApplicationStatus.NOT_SELECTED
