"""Trainees take the tests and the survey; trainers see results and enter paper tests."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courses.http import AuthenticatedHttpRequest
from courses.models import Edition, Enrolment, TrainerProfile
from courses.selectors import editions_managed_by

from .models import Attempt, Kind, KnowledgeTest, QuestionKind
from .selectors import group_results, survey_summary
from .services import (
    EvaluationError,
    attempt_start,
    attempt_submit,
    paper_attempt_save,
    survey_for,
    survey_open,
    survey_submit,
    test_for,
)


def _own_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    """The signed-in trainee's enrolment; anyone else's is a 404."""
    return get_object_or_404(
        Enrolment.objects.select_related("edition__course", "trainee"),
        pk=pk,
        trainee__user=request.user,
    )


def _kind(value: str) -> str:
    if value not in Kind.values:
        raise Http404
    return value


def _questions(attempt: Attempt):
    """The questions in the order this attempt showed them, answers shuffled too."""
    questions = {q.pk: q for q in attempt.test.questions.all()}
    shown = []
    for pk in attempt.layout.get("questions", []):
        question = questions.get(pk)
        if question is None:
            continue
        texts = {number: text for number, text, _c in question.choices()}
        order = attempt.layout.get("answers", {}).get(str(pk), list(texts))
        chosen = set(attempt.answers.get(str(pk), []))
        shown.append(
            {
                "question": question,
                "multiple": len(question.correct()) > 1,
                "answers": [
                    (number, texts[number], number in chosen)
                    for number in order
                    if number in texts
                ],
            }
        )
    return shown


def _posted_answers(request: HttpRequest, test: KnowledgeTest) -> dict:
    return {str(q.pk): request.POST.getlist(f"q{q.pk}") for q in test.questions.all()}


@login_required
def take_test(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    kind = _kind(kind)
    try:
        attempt = attempt_start(enrolment=enrolment, kind=kind)
    except EvaluationError as refused:
        messages.info(request, str(refused))
        return redirect("courses:my_enrolments")
    error = ""
    if request.method == "POST":
        answers = _posted_answers(request, attempt.test)
        try:
            attempt = attempt_submit(
                attempt=attempt, answers=answers, actor=request.user
            )
        except EvaluationError as problem:
            error = str(problem)
            attempt.answers = {
                k: [int(v) for v in vs if v.isdigit()] for k, vs in answers.items()
            }
        else:
            messages.success(
                request,
                _("Your test is saved: %(score)s of %(max)s points.")
                % {"score": attempt.score, "max": attempt.max_score},
            )
            return redirect("courses:my_enrolments")
    return render(
        request,
        "evaluation/test.html",
        {
            "enrolment": enrolment,
            "attempt": attempt,
            "kind_label": Kind(kind).label,
            "questions": _questions(attempt),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def take_survey(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _own_enrolment(request, pk)
    survey = survey_for(edition=enrolment.edition)
    if survey is None:
        raise Http404
    reason = survey_open(enrolment=enrolment, survey=survey)
    if reason:
        messages.info(request, reason)
        return redirect("courses:my_enrolments")
    error = ""
    if request.method == "POST":
        try:
            survey_submit(survey=survey, enrolment=enrolment, data=request.POST.dict())
        except EvaluationError as problem:
            error = str(problem)
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect("courses:my_enrolments")
    trainers = list(enrolment.edition.trainers.all())
    items: list[tuple[Any, TrainerProfile | None, str]] = []
    for question in survey.questions.all():
        if question.kind == QuestionKind.TRAINER:
            for trainer in trainers:
                items.append((question, trainer, f"q{question.pk}-t{trainer.pk}"))
        else:
            items.append((question, None, f"q{question.pk}"))
    return render(
        request,
        "evaluation/survey.html",
        {
            "enrolment": enrolment,
            "survey": survey,
            "items": items,
            "posted": request.POST,
            "scale": range(1, 6),
            "error": error,
        },
        status=400 if error else 200,
    )


def _managed_edition(request: HttpRequest, pk: int) -> Edition:
    """One of the editions the user keeps (a trainer's own, or any for a coordinator)."""
    return get_object_or_404(editions_managed_by(user=request.user), pk=pk)


@login_required
def group_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _managed_edition(request, pk)
    responses, summaries = survey_summary(edition=edition)
    return render(
        request,
        "evaluation/group.html",
        {
            "edition": edition,
            "test": test_for(edition=edition),
            "results": group_results(edition=edition),
            "responses": responses,
            "summaries": summaries,
        },
    )


@login_required
def printable_test(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _managed_edition(request, pk)
    test = test_for(edition=edition)
    if test is None:
        raise Http404
    return render(
        request,
        "evaluation/print.html",
        {"edition": edition, "test": test, "questions": test.questions.all()},
    )


@login_required
def paper_entry(
    request: AuthenticatedHttpRequest, pk: int, enrolment_pk: int, kind: str
) -> HttpResponse:
    edition = _managed_edition(request, pk)
    kind = _kind(kind)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("trainee"), pk=enrolment_pk, edition=edition
    )
    test = test_for(edition=edition)
    if test is None:
        raise Http404
    error = ""
    chosen: dict[str, list[int]] = {}
    if request.method == "POST":
        answers = _posted_answers(request, test)
        try:
            attempt = paper_attempt_save(
                enrolment=enrolment, kind=kind, answers=answers, actor=request.user
            )
        except EvaluationError as problem:
            error = str(problem)
            chosen = {
                k: [int(v) for v in vs if v.isdigit()] for k, vs in answers.items()
            }
        else:
            messages.success(
                request,
                _("The paper test of %(name)s is entered: %(score)s of %(max)s points.")
                % {
                    "name": enrolment.trainee.full_name,
                    "score": attempt.score,
                    "max": attempt.max_score,
                },
            )
            return redirect("evaluation:group", pk=edition.pk)
    questions = [
        {
            "question": q,
            "answers": [
                (n, text, n in chosen.get(str(q.pk), [])) for n, text, _c in q.choices()
            ],
        }
        for q in test.questions.all()
    ]
    return render(
        request,
        "evaluation/paper.html",
        {
            "edition": edition,
            "enrolment": enrolment,
            "kind_label": Kind(kind).label,
            "questions": questions,
            "error": error,
        },
        status=400 if error else 200,
    )
