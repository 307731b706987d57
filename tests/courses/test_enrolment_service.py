import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.errors import EnrolmentError
from courses.models import (
    EligibilityRule,
    Enrolment,
    EnrolmentStatus,
    InstitutionType,
    Position,
)
from courses.selectors import edition_seats, quota_fill, waitlist_position
from courses.services import (
    edition_set_capacity,
    enrolment_approve,
    enrolment_create,
    enrolment_mark_declaration_received,
    enrolment_move,
    enrolment_reject,
    enrolment_withdraw,
    enrolments_expire,
)
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enrolment_invariants")]
S = EnrolmentStatus


@pytest.fixture
def project():
    project = ProjectFactory()
    QuotaFactory(project=project, size=3, regions=["śląskie"])
    QuotaFactory(project=project, size=2, regions=["małopolskie", "opolskie"])
    return project


def trainee_in(region: str):
    from courses.models import Voivodeship

    return TraineeFactory(
        institution=InstitutionFactory(voivodeship=Voivodeship.objects.get(name=region))
    )


def test_enrolment_is_confirmed_while_every_limit_has_room(project):
    edition = EditionFactory(project=project, capacity=2)
    enrolment = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    assert enrolment.status == S.CONFIRMED
    assert enrolment.quota.voivodeships.filter(name="śląskie").exists()
    assert list(enrolment.events.values_list("to_status", flat=True)) == [S.CONFIRMED]


def test_full_edition_puts_trainees_on_the_waitlist_in_order(project):
    edition = EditionFactory(project=project, capacity=1)
    enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    second = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    third = enrolment_create(trainee=trainee_in("opolskie"), edition=edition)
    assert (second.status, third.status) == (S.WAITLISTED, S.WAITLISTED)
    assert waitlist_position(enrolment=second) == 1
    assert waitlist_position(enrolment=third) == 2
    assert edition_seats(edition=edition).left == 0
    assert edition_seats(edition=edition).waiting == 2


def test_quota_counts_persons_not_seats(project):
    first, second = EditionFactory(project=project), EditionFactory(project=project)
    people = [trainee_in("małopolskie") for _ in range(2)]
    for person in people:
        assert enrolment_create(trainee=person, edition=first).status == S.CONFIRMED
    # The same persons take a second module: no second quota place is needed.
    for person in people:
        assert enrolment_create(trainee=person, edition=second).status == S.CONFIRMED
    # A third person from the same pool finds it full, though seats are free.
    assert (
        enrolment_create(trainee=trainee_in("opolskie"), edition=second).status
        == S.WAITLISTED
    )
    # Another pool is unaffected.
    assert (
        enrolment_create(trainee=trainee_in("śląskie"), edition=second).status
        == S.CONFIRMED
    )
    fill = {f.quota.size: f for f in quota_fill(project=project)}
    assert (fill[2].used, fill[2].waiting, fill[3].used) == (2, 1, 1)


def test_repeated_request_yields_one_enrolment(project):
    edition = EditionFactory(project=project)
    person = trainee_in("śląskie")
    first = enrolment_create(trainee=person, edition=edition)
    again = enrolment_create(trainee=person, edition=edition)
    assert first.pk == again.pk
    assert Enrolment.objects.filter(trainee=person, edition=edition).count() == 1


def test_database_forbids_two_live_enrolments_of_one_trainee_in_one_edition(project):
    edition = EditionFactory(project=project)
    person = trainee_in("śląskie")
    enrolment = enrolment_create(trainee=person, edition=edition)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            trainee=person,
            edition=edition,
            status=S.WAITLISTED,
            voivodeship=enrolment.voivodeship,
        )


def test_withdrawal_promotes_the_first_waiting_trainee_who_fits(project, mailoutbox):
    edition = EditionFactory(project=project, capacity=1)
    holder = enrolment_create(trainee=trainee_in("małopolskie"), edition=edition)
    enrolment_create(
        trainee=trainee_in("małopolskie"), edition=EditionFactory(project=project)
    )
    # Pool małopolskie+opolskie (2) is now full; this one waits for the quota and the seat.
    blocked = enrolment_create(trainee=trainee_in("opolskie"), edition=edition)
    fits = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    assert (blocked.status, fits.status) == (S.WAITLISTED, S.WAITLISTED)
    mailoutbox.clear()
    enrolment_withdraw(enrolment=holder, actor=holder.trainee.user)
    blocked.refresh_from_db()
    fits.refresh_from_db()
    # The withdrawal frees a seat and a małopolskie+opolskie place: the first in line fits.
    assert blocked.status == S.CONFIRMED
    assert fits.status == S.WAITLISTED
    assert waitlist_position(enrolment=fits) == 1
    assert list(blocked.events.values_list("from_status", "to_status")) == [
        ("", S.WAITLISTED),
        (S.WAITLISTED, S.CONFIRMED),
    ]


def test_promotion_skips_a_waiting_trainee_whose_quota_is_full(project):
    edition = EditionFactory(project=project, capacity=1)
    other = EditionFactory(project=project, capacity=5)
    holder = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    for _ in range(2):
        enrolment_create(trainee=trainee_in("opolskie"), edition=other)
    blocked = enrolment_create(trainee=trainee_in("małopolskie"), edition=edition)
    fits = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    enrolment_withdraw(enrolment=holder, actor=None)
    blocked.refresh_from_db()
    fits.refresh_from_db()
    assert blocked.status == S.WAITLISTED  # its pool is still full
    assert fits.status == S.CONFIRMED


def test_raising_capacity_promotes_at_once(project):
    edition = EditionFactory(project=project, capacity=1)
    enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    waiting = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    edition_set_capacity(edition=edition, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_capacity_cannot_drop_below_the_places_taken(project):
    edition = EditionFactory(project=project, capacity=2)
    enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    with pytest.raises(EnrolmentError, match="2"):
        edition_set_capacity(edition=edition, capacity=1)


def test_approval_needs_the_declaration_and_expiry_frees_the_place(project):
    project.requires_approval = True
    project.pending_hold_days = 3
    project.save()
    edition = EditionFactory(project=project, capacity=1)
    pending = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    waiting = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    assert pending.status == S.PENDING
    assert pending.hold_until > timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(EnrolmentError, match="oświadczeni|declaration"):
        enrolment_approve(enrolment=pending, actor=None)
    assert enrolments_expire(now=timezone.now() + datetime.timedelta(days=4)) == 1
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == S.EXPIRED
    assert waiting.status == S.PENDING


def test_coordinator_approves_after_the_paper_declaration(project):
    project.requires_approval = True
    project.save()
    enrolment = enrolment_create(
        trainee=trainee_in("śląskie"), edition=EditionFactory(project=project)
    )
    enrolment_mark_declaration_received(enrolment=enrolment, actor=None)
    assert enrolment_approve(enrolment=enrolment, actor=None).status == S.CONFIRMED


def test_rejection_needs_a_reason_and_frees_the_place(project):
    project.requires_approval = True
    project.save()
    edition = EditionFactory(project=project, capacity=1)
    pending = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    waiting = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    with pytest.raises(EnrolmentError):
        enrolment_reject(enrolment=pending, actor=None, reason="  ")
    enrolment_reject(enrolment=pending, actor=None, reason="Brak podpisu kierownika.")
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert pending.status == S.REJECTED
    assert pending.events.last().reason == "Brak podpisu kierownika."
    assert waiting.status == S.PENDING


def test_trainee_cannot_withdraw_after_the_start(project):
    edition = EditionFactory(project=project, start_date=timezone.localdate())
    enrolment = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    with pytest.raises(EnrolmentError):
        enrolment_withdraw(enrolment=enrolment, actor=None)
    enrolment_withdraw(enrolment=enrolment, actor=None, by_coordinator=True)
    enrolment.refresh_from_db()
    assert enrolment.status == S.WITHDRAWN


def test_move_keeps_the_quota_place_and_promotes_the_old_edition(project):
    source = EditionFactory(project=project, capacity=1)
    target = EditionFactory(project=project, capacity=1)
    enrolment = enrolment_create(trainee=trainee_in("śląskie"), edition=source)
    waiting = enrolment_create(trainee=trainee_in("śląskie"), edition=source)
    moved = enrolment_move(enrolment=enrolment, to_edition=target, actor=None)
    enrolment.refresh_from_db()
    waiting.refresh_from_db()
    assert (moved.edition, moved.status) == (target, S.CONFIRMED)
    assert enrolment.status == S.WITHDRAWN
    assert waiting.status == S.CONFIRMED
    with pytest.raises(EnrolmentError):
        enrolment_move(
            enrolment=waiting, to_edition=target, actor=None
        )  # target is full


def test_enrolment_window_and_publication_are_enforced(project):
    closed = EditionFactory(
        project=project,
        enrolment_opens=timezone.now() - datetime.timedelta(days=5),
        enrolment_closes=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(EnrolmentError, match="zamknięte|closed"):
        enrolment_create(trainee=trainee_in("śląskie"), edition=closed)
    assert not Enrolment.objects.exists()


def test_ineligible_trainee_is_told_exactly_why(project):
    from courses.models import Voivodeship

    rule = EligibilityRule.objects.create(
        project=project,
        name="Pracownicy socjalni DPS",
        institution_types=[InstitutionType.DPS],
        positions=[Position.SOCIAL_WORKER, Position.CARE_TEAM_HEAD],
    )
    rule.voivodeships.set(
        Voivodeship.objects.filter(name__in=["śląskie", "opolskie", "małopolskie"])
    )
    edition = EditionFactory(project=project)
    wrong_region = TraineeFactory(
        institution=InstitutionFactory(
            type=InstitutionType.DPS,
            voivodeship=Voivodeship.objects.get(name="mazowieckie"),
        )
    )
    with pytest.raises(EnrolmentError) as error:
        enrolment_create(trainee=wrong_region, edition=edition)
    assert "w województwie mazowieckim" in str(error.value)
    wrong_position = TraineeFactory(
        position=Position.THERAPIST,
        institution=InstitutionFactory(type=InstitutionType.DPS),
    )
    with pytest.raises(EnrolmentError) as error:
        enrolment_create(trainee=wrong_position, edition=edition)
    assert "terapeuta" in str(error.value)
    assert Enrolment.objects.count() == 0
    fits = TraineeFactory(
        position=Position.CARE_TEAM_HEAD,
        institution=InstitutionFactory(type=InstitutionType.DPS),
    )
    assert enrolment_create(trainee=fits, edition=edition).status == S.CONFIRMED


def test_a_plug_in_rule_can_refuse(project):
    from wagtail import hooks

    from courses.services.eligibility import ELIGIBILITY_HOOK

    def only_with_pesel(*, trainee, edition):
        return None if trainee.pesel else "Podaj numer PESEL w profilu."

    with hooks.register_temporarily(ELIGIBILITY_HOOK, only_with_pesel):
        with pytest.raises(EnrolmentError, match="PESEL"):
            enrolment_create(
                trainee=trainee_in("śląskie"), edition=EditionFactory(project=project)
            )


def test_expire_command_frees_held_places(project):
    from django.core.management import call_command

    project.requires_approval = True
    project.pending_hold_days = 0
    project.save()
    edition = EditionFactory(project=project, capacity=1)
    pending = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    assert pending.hold_until < timezone.now()  # held for 0 days: already past
    call_command("expire_enrolments", verbosity=0)
    pending.refresh_from_db()
    assert pending.status == S.EXPIRED


def test_a_status_change_read_before_another_committed_is_refused_as_stale(project):
    """Compare and set: a writer holding an old copy cannot write over a newer status."""
    from courses.services.status import enrolment_set_status

    edition = EditionFactory(project=project, capacity=5)
    enrolment = enrolment_create(trainee=TraineeFactory(), edition=edition)
    old_copy = Enrolment.objects.get(pk=enrolment.pk)
    enrolment_withdraw(enrolment=enrolment, actor=None)
    assert old_copy.status == S.CONFIRMED  # read before the withdrawal
    with pytest.raises(EnrolmentError) as caught:
        enrolment_set_status(enrolment=old_copy, status=S.COMPLETED)
    assert caught.value.code == "stale"
    enrolment.refresh_from_db()
    assert enrolment.status == S.WITHDRAWN
    assert [e.to_status for e in enrolment.events.order_by("pk")] == [
        S.CONFIRMED,
        S.WITHDRAWN,
    ]


def test_promotion_gives_free_places_to_the_first_in_line(project):
    from courses.services import enrolments_promote

    edition = EditionFactory(project=project, capacity=1)
    first, second, third = (
        enrolment_create(trainee=TraineeFactory(), edition=edition) for _ in "abc"
    )
    Edition = type(edition)
    Edition.objects.filter(pk=edition.pk).update(capacity=2)  # freed, not yet given
    assert [e.pk for e in enrolments_promote(project=project)] == [second.pk]
    assert enrolments_promote(project=project) == []
    third.refresh_from_db()
    assert third.status == S.WAITLISTED
