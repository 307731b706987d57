"""Seed 004: one project, CUS modules for staff and workshops for municipal authorities.

Each eligibility rule may name the courses it admits to; a rule naming none admits to
every course of the project.
"""

import pytest
from django.db import transaction

from courses.errors import RuleError
from courses.models import (
    EligibilityRule,
    EnrolmentStatus,
    InstitutionType,
    Position,
    Quota,
    Voivodeship,
)
from courses.services import enrolment_create, quota_save
from courses.services.eligibility import (
    EligibilityCache,
    SharedEligibilityCache,
    eligibility_problems,
    eligibility_with_quota,
)
from tests.factories import (
    CourseFactory,
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_004():
    project = ProjectFactory(name="Liderzy Kooperacji")
    module, workshop = CourseFactory(), CourseFactory(title="Warsztaty CUS i DI")
    staff_rule = EligibilityRule.objects.create(
        project=project,
        name="Kadra pomocy i integracji społecznej tworząca CUS",
        institution_types=[InstitutionType.OPS, InstitutionType.CUS],
        positions=[Position.SOCIAL_WORKER, Position.MANAGER],
    )
    staff_rule.courses.add(module)
    authorities = EligibilityRule.objects.create(
        project=project,
        name="Władze gmin i osoby przez nie wydelegowane",
        institution_types=[InstitutionType.MUNICIPAL_OFFICE],
        positions=[Position.MAYOR, Position.MAYOR_DELEGATE, Position.COUNCILLOR],
    )
    authorities.courses.add(workshop)
    office = InstitutionFactory(
        name="Urząd Gminy Bodzentyn", type=InstitutionType.MUNICIPAL_OFFICE
    )
    ops = InstitutionFactory(name="GOPS Bodzentyn", type=InstitutionType.OPS)
    return {
        "project": project,
        "module": EditionFactory(project=project, course=module),
        "workshop": EditionFactory(project=project, course=workshop),
        "mayor": TraineeFactory(institution=office, position=Position.MAYOR),
        "delegate": TraineeFactory(
            institution=office, position=Position.MAYOR_DELEGATE
        ),
        "councillor": TraineeFactory(institution=office, position=Position.COUNCILLOR),
        "clerk": TraineeFactory(institution=office, position=Position.OTHER),
        "social_worker": TraineeFactory(
            institution=ops, position=Position.SOCIAL_WORKER
        ),
    }


@pytest.mark.parametrize("who", ["mayor", "delegate", "councillor"])
def test_municipal_authorities_are_admitted_to_the_workshops(seed_004, who):
    trainee = seed_004[who]
    assert eligibility_problems(trainee=trainee, edition=seed_004["workshop"]) == []
    enrolment = enrolment_create(trainee=trainee, edition=seed_004["workshop"])
    assert enrolment.status == EnrolmentStatus.CONFIRMED


def test_the_workshop_rule_does_not_open_the_staff_modules(seed_004):
    problems = eligibility_problems(
        trainee=seed_004["mayor"], edition=seed_004["module"]
    )
    assert problems == [
        "Projekt jest skierowany do pracowników: CUS (centrum usług społecznych), "
        "OPS (ośrodek pomocy społecznej). Twoja instytucja to: urząd gminy lub miasta."
    ]
    with pytest.raises(RuleError):
        enrolment_create(trainee=seed_004["mayor"], edition=seed_004["module"])
    assert not seed_004["mayor"].enrolments.exists()


def test_staff_rule_does_not_open_the_workshops(seed_004):
    assert (
        eligibility_problems(
            trainee=seed_004["social_worker"], edition=seed_004["module"]
        )
        == []
    )
    problems = eligibility_problems(
        trainee=seed_004["social_worker"], edition=seed_004["workshop"]
    )
    assert len(problems) == 1 and "urząd gminy lub miasta" in problems[0]


def test_an_office_clerk_is_refused_the_workshops_with_the_positions(seed_004):
    problems = eligibility_problems(
        trainee=seed_004["clerk"], edition=seed_004["workshop"]
    )
    assert len(problems) == 1
    for position in ("wójt, burmistrz, prezydent miasta", "radny"):
        assert position in problems[0]


def test_a_rule_without_courses_admits_to_every_course(seed_004):
    seed_004["project"].eligibility_rules.get(name__startswith="Władze").courses.clear()
    assert (
        eligibility_problems(trainee=seed_004["mayor"], edition=seed_004["module"])
        == []
    )


def test_the_import_cache_answers_as_the_service(seed_004):
    cache = EligibilityCache()
    for who in ("mayor", "clerk", "social_worker"):
        for edition in ("module", "workshop"):
            direct = eligibility_with_quota(
                trainee=seed_004[who], edition=seed_004[edition]
            )
            cached = eligibility_with_quota(
                trainee=seed_004[who], edition=seed_004[edition], cache=cache
            )
            assert cached == direct


def _answers(seed, cache_factory):
    """Every trainee's answer for every edition of the seed, through a fresh cache."""
    cache = cache_factory() if cache_factory else None
    return {
        (who, edition): eligibility_with_quota(
            trainee=seed[who], edition=seed[edition], cache=cache
        )
        for who in ("mayor", "clerk", "social_worker")
        for edition in ("module", "workshop")
    }


def _clear_the_workshop_courses(seed):
    seed["project"].eligibility_rules.get(name__startswith="Władze").courses.clear()


def _admit_clerks(seed):
    rule = seed["project"].eligibility_rules.get(name__startswith="Władze")
    rule.positions = [*rule.positions, Position.OTHER]
    rule.save()


def _limit_to_malopolskie(seed):
    for rule in seed["project"].eligibility_rules.all():
        rule.voivodeships.set(Voivodeship.objects.filter(name="małopolskie"))


def _quota_for_opolskie(seed):
    quota_save(
        quota=Quota(project=seed["project"], name="Opolskie", size=10),
        voivodeships=Voivodeship.objects.filter(name="opolskie"),
    )


def _delete_the_staff_rule(seed):
    seed["project"].eligibility_rules.get(name__startswith="Kadra").delete()


@pytest.mark.parametrize(
    "change",
    [
        _clear_the_workshop_courses,
        _admit_clerks,
        _limit_to_malopolskie,
        _quota_for_opolskie,
        _delete_the_staff_rule,
    ],
)
def test_pages_read_the_rules_kept_in_the_cache_until_one_changes(
    seed_004, change, django_assert_num_queries
):
    before = _answers(seed_004, None)
    assert _answers(seed_004, SharedEligibilityCache) == before
    kept = SharedEligibilityCache()
    with django_assert_num_queries(0):
        kept.preload([seed_004["project"].pk])
    with transaction.atomic():
        change(seed_004)
        # This transaction's own next page sees the change.
        inside = _answers(seed_004, SharedEligibilityCache)
    after = _answers(seed_004, None)
    assert after != before
    assert inside == after
    assert _answers(seed_004, SharedEligibilityCache) == after
