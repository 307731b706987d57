"""The rules of evaluation: who takes which test when, scoring, paper entry, surveys."""

import random
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.errors import RuleError
from courses.models import Edition, Enrolment, EnrolmentStatus

from .models import (
    Attempt,
    Kind,
    KnowledgeTest,
    ProjectEvaluation,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Who takes the tests and the survey: a place in the group, or a decided completion.
TAKERS = [
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
]


class EvaluationError(RuleError):
    """A rule of evaluation said no."""


def test_for(*, edition: Edition) -> KnowledgeTest | None:
    """The edition's own test, else its course's."""
    return (
        KnowledgeTest.objects.filter(edition=edition).first()
        or KnowledgeTest.objects.filter(course_id=edition.course_id).first()
    )


def survey_for(*, edition: Edition) -> Survey | None:
    return (
        Survey.objects.filter(edition=edition).first()
        or Survey.objects.filter(course_id=edition.course_id).first()
    )


def _last_session_day(edition: Edition):
    last = edition.sessions.order_by("-date").values_list("date", flat=True).first()
    return last or edition.end_date


def test_open(*, enrolment: Enrolment, kind: str, today=None) -> str | None:
    """Why the trainee may not take this test now, or None when they may."""
    today = today or timezone.localdate()
    if enrolment.status not in TAKERS:
        return _("Only trainees with a place in the group take the tests.")
    submitted = set(
        Attempt.objects.filter(
            enrolment=enrolment, submitted_at__isnull=False
        ).values_list("kind", flat=True)
    )
    if kind in submitted:
        return _("You have already taken this test.")
    if kind == Kind.PRE and Kind.POST in submitted:
        return _("The test before the training closed when you took the one after it.")
    if kind == Kind.POST and today < _last_session_day(enrolment.edition):
        return _("The test after the training opens on the day of the last session.")
    return None


def attempt_start(*, enrolment: Enrolment, kind: str) -> Attempt:
    """The trainee's attempt with its questions and answers in a shuffled order,
    kept, so that a reload shows the same order."""
    test = test_for(edition=enrolment.edition)
    if test is None:
        raise EvaluationError(_("This training has no knowledge test."))
    reason = test_open(enrolment=enrolment, kind=kind)
    if reason:
        raise EvaluationError(reason)
    with transaction.atomic():
        attempt, created = Attempt.objects.get_or_create(
            enrolment=enrolment, test=test, kind=kind
        )
        if created or not attempt.layout:
            shuffle = random.SystemRandom()
            questions = list(test.questions.all())
            shuffle.shuffle(questions)
            order = {}
            for question in questions:
                numbers = [number for number, _t, _c in question.choices()]
                shuffle.shuffle(numbers)
                order[str(question.pk)] = numbers
            attempt.layout = {
                "questions": [q.pk for q in questions],
                "answers": order,
            }
            attempt.save(update_fields=["layout"])
    return attempt


def _score(test: KnowledgeTest, answers: dict[str, list[int]]) -> tuple[int, int]:
    questions = list(test.questions.all())
    points = sum(1 for q in questions if set(answers.get(str(q.pk), [])) == q.correct())
    return points, len(questions)


def _clean_answers(
    test: KnowledgeTest, answers: dict[str, Any]
) -> dict[str, list[int]]:
    """Every question answered with numbers it has; else an error saying how many lack."""
    clean: dict[str, list[int]] = {}
    missing = 0
    for question in test.questions.all():
        numbers = {n for n, _t, _c in question.choices()}
        given = answers.get(str(question.pk)) or []
        try:
            chosen = sorted({int(value) for value in given})
        except (TypeError, ValueError):
            chosen = []
        if not chosen or not set(chosen) <= numbers:
            missing += 1
            continue
        clean[str(question.pk)] = chosen
    if missing:
        raise EvaluationError(
            _("Answer every question: %(count)s without an answer.")
            % {"count": missing}
        )
    return clean


def attempt_submit(
    *, attempt: Attempt, answers: dict[str, Any], actor: "User"
) -> Attempt:
    """Score and close the attempt, once; nothing is saved when an answer lacks."""
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("test")
            .get(pk=attempt.pk)
        )
        if attempt.submitted_at is not None:
            raise EvaluationError(_("You have already taken this test."))
        clean = _clean_answers(attempt.test, answers)
        attempt.answers = clean
        attempt.score, attempt.max_score = _score(attempt.test, clean)
        attempt.submitted_at = timezone.now()
        attempt.save(update_fields=["answers", "score", "max_score", "submitted_at"])
    return attempt


def paper_attempt_save(
    *, enrolment: Enrolment, kind: str, answers: dict[str, Any], actor: "User"
) -> Attempt:
    """A trainer enters the answers of a paper test; scored as in the browser."""
    test = test_for(edition=enrolment.edition)
    if test is None:
        raise EvaluationError(_("This training has no knowledge test."))
    if enrolment.status not in TAKERS:
        raise EvaluationError(
            _("Only trainees with a place in the group take the tests.")
        )
    with transaction.atomic():
        attempt, _created = Attempt.objects.select_for_update().get_or_create(
            enrolment=enrolment, test=test, kind=kind
        )
        if attempt.submitted_at is not None:
            raise EvaluationError(
                _("This trainee has already taken this test; it is not entered twice.")
            )
        clean = _clean_answers(test, answers)
        attempt.answers = clean
        attempt.score, attempt.max_score = _score(test, clean)
        attempt.on_paper = True
        attempt.entered_by = actor
        attempt.submitted_at = timezone.now()
        attempt.save()
    return attempt


def competences_raised(
    *, pre: Attempt | None, post: Attempt | None, threshold: int | None
) -> bool | None:
    """None until both tests are taken."""
    if pre is None or post is None or not post.max_score:
        return None
    if threshold is not None:
        return post.percent >= threshold
    return post.percent > pre.percent


def project_threshold(*, project_id: int) -> int | None:
    rule = ProjectEvaluation.objects.filter(project_id=project_id).first()
    return rule.threshold_percent if rule else None


def survey_open(*, enrolment: Enrolment, survey: Survey, today=None) -> str | None:
    today = today or timezone.localdate()
    if enrolment.status not in TAKERS:
        return _("Only trainees with a place in the group fill in the survey.")
    if SurveyResponse.objects.filter(survey=survey, enrolment=enrolment).exists():
        return _("You have already filled in this survey. Thank you.")
    if today < _last_session_day(enrolment.edition):
        return _("The survey opens on the day of the last session.")
    return None


def survey_submit(
    *, survey: Survey, enrolment: Enrolment, data: dict[str, Any]
) -> SurveyResponse:
    """One response per trainee: every rating given (1-5), comments optional."""
    reason = survey_open(enrolment=enrolment, survey=survey)
    if reason:
        raise EvaluationError(reason)
    trainers = list(enrolment.edition.trainers.all())
    rows: list[SurveyAnswer] = []
    missing = 0
    for question in survey.questions.all():
        if question.kind == QuestionKind.TEXT:
            text = str(data.get(f"q{question.pk}", "")).strip()
            if text:
                rows.append(SurveyAnswer(question=question, comment=text[:4000]))
            continue
        targets = trainers if question.kind == QuestionKind.TRAINER else [None]
        for trainer in targets:
            key = f"q{question.pk}" + (f"-t{trainer.pk}" if trainer else "")
            try:
                rating = int(data.get(key, ""))
            except (TypeError, ValueError):
                rating = 0
            if not 1 <= rating <= 5:
                missing += 1
                continue
            rows.append(SurveyAnswer(question=question, trainer=trainer, rating=rating))
    if missing:
        raise EvaluationError(
            _("Give every rating from 1 to 5: %(count)s missing.") % {"count": missing}
        )
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, enrolment=enrolment)
            for row in rows:
                row.response = response
            SurveyAnswer.objects.bulk_create(rows)
    except IntegrityError:  # the same response sent twice at once: one counts
        raise EvaluationError(
            _("You have already filled in this survey. Thank you.")
        ) from None
    return response
