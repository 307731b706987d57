"""Polish sentences with the right cases: "w województwie lubelskim", not "lubelskie"."""

import pytest
from django.utils import translation

from courses.models import EligibilityRule, Voivodeship
from courses.services.eligibility import eligibility_problems
from tests.factories import EditionFactory, InstitutionFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "locative", "genitive"),
    [
        ("lubelskie", "lubelskim", "lubelskiego"),
        ("śląskie", "śląskim", "śląskiego"),
        ("łódzkie", "łódzkim", "łódzkiego"),
        ("warmińsko-mazurskie", "warmińsko-mazurskim", "warmińsko-mazurskiego"),
    ],
)
def test_voivodeship_names_in_polish_cases(name, locative, genitive):
    voivodeship = Voivodeship.objects.get(name=name)
    with translation.override("pl"):
        assert voivodeship.in_sentence("locative") == locative
        assert voivodeship.in_sentence("genitive") == genitive
    with translation.override("en"):
        assert voivodeship.in_sentence("locative") == name


def test_every_voivodeship_declines():
    assert all(v.name.endswith("kie") for v in Voivodeship.objects.all())
    assert Voivodeship.objects.count() == 16


def test_the_refusal_says_where_the_institution_is_in_polish():
    edition = EditionFactory()
    rule = EligibilityRule.objects.create(project=edition.project, name="Śląsk")
    rule.voivodeships.add(Voivodeship.objects.get(name="śląskie"))
    trainee = TraineeFactory(
        institution=InstitutionFactory(
            voivodeship=Voivodeship.objects.get(name="lubelskie")
        )
    )
    with translation.override("pl"):
        problems = eligibility_problems(trainee=trainee, edition=edition)
    assert any("w województwie lubelskim" in str(p) for p in problems), problems
    with translation.override("en"):
        problems = eligibility_problems(trainee=trainee, edition=edition)
    assert any("is in lubelskie" in str(p) for p in problems), problems
