"""Twin submissions on PostgreSQL: a test and a survey count once."""

import pytest

from evaluation.models import Attempt, SurveyAnswer, SurveyResponse
from evaluation.services import (
    EvaluationError,
    attempt_start,
    attempt_submit,
    paper_attempt_save,
    survey_submit,
)
from tests.concurrency import THREAD_TEST_MARKS, race
from tests.evaluation.test_evaluation import right_answers
from tests.evaluation.test_evaluation import world as world  # noqa: F401 - fixture

pytestmark = THREAD_TEST_MARKS


@pytest.mark.parametrize("round_", range(3))
def test_a_test_sent_twice_at_once_is_scored_once(world, round_):  # noqa: F811
    anna = world["anna"]
    attempt = attempt_start(enrolment=anna, kind="pre")
    answers = right_answers(world["test"])
    errors = race(
        [
            lambda: attempt_submit(attempt=attempt, answers=answers, actor=None),
            lambda: attempt_submit(attempt=attempt, answers=answers, actor=None),
            lambda: paper_attempt_save(
                enrolment=anna, kind="pre", answers=answers, actor=world["trainer"]
            ),
        ]
    )
    assert len(errors) == 2 and all(isinstance(e, EvaluationError) for e in errors)
    [saved] = Attempt.objects.filter(enrolment=anna, kind="pre")
    assert saved.submitted_at is not None and saved.score == 3


@pytest.mark.parametrize("round_", range(3))
def test_a_survey_sent_twice_at_once_is_counted_once(world, round_):  # noqa: F811
    survey, anna = world["survey"], world["anna"]
    scale, per_trainer, _comment = survey.questions.all()
    trainer = world["trainer"].trainer_profile
    data = {f"q{scale.pk}": "4", f"q{per_trainer.pk}-t{trainer.pk}": "5"}
    errors = race([lambda: survey_submit(survey=survey, enrolment=anna, data=data)] * 3)
    assert len(errors) == 2 and all(isinstance(e, EvaluationError) for e in errors)
    assert SurveyResponse.objects.filter(enrolment=anna).count() == 1
    assert SurveyAnswer.objects.count() == 2
