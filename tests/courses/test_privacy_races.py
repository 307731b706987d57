"""Real threads on PostgreSQL: versions numbered once each, one erasure per person."""

import pytest

from courses.models import ConsentPurpose, ErasureRequest, InformationClause
from courses.services.erasure import erasure_request
from courses.services.privacy import clause_publish, consent_text_publish
from tests.concurrency import THREAD_TEST_MARKS, race
from tests.factories import ProjectFactory, TraineeFactory

pytestmark = THREAD_TEST_MARKS
THREADS = 8
SECTIONS = {
    "controllers": "ROPS",
    "dpo": "iod@rops.example.pl",
    "purposes": "Projekt",
    "recipients": "Partnerzy",
    "retention": "Do archiwizacji",
}


@pytest.mark.parametrize("with_project", [True, False])
def test_clause_versions_published_at_once_are_numbered_once_each(with_project):
    project = ProjectFactory() if with_project else None
    errors = race(
        [
            lambda: clause_publish(project=project, sections=SECTIONS, actor=None)
            for _ in range(THREADS)
        ]
    )
    assert errors == []
    versions = InformationClause.objects.filter(project=project).values_list(
        "version", flat=True
    )
    assert sorted(versions) == list(range(1, THREADS + 1))


def test_consent_text_versions_published_at_once_are_numbered_once_each():
    purpose = ConsentPurpose.objects.create(code="wizerunek", name="Wizerunek")
    errors = race(
        [
            lambda n=n: consent_text_publish(purpose=purpose, text=f"v{n}", actor=None)
            for n in range(THREADS)
        ]
    )
    assert errors == []
    assert sorted(purpose.texts.values_list("version", flat=True)) == list(
        range(1, THREADS + 1)
    )


def test_a_double_submitted_erasure_is_one_request():
    trainee = TraineeFactory()
    errors = race([lambda: erasure_request(user=trainee.user) for _ in range(4)])
    assert errors == []
    assert ErasureRequest.objects.filter(user=trainee.user).count() == 1
