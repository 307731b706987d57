"""Demo of evaluation: the finished group ZOUS-SOS-00 (courses.demo_journeys) took the
knowledge test before and after the training and filled in the satisfaction survey.

Of its four people, Irena Kubiak (absolwent@) and Alicja Król scored higher after the
training, Stefan Lis the same, Elżbieta Sowa (who left after the first day) took the
test before it only: the indicators dashboard shows 2 of 3 persons with raised
competences, and "Survey results" the ratings of the edition and of its trainer.

Loaded only when evaluation is installed. Idempotent: the test and the survey are
found by their edition; answers are written only when they are created.
"""

import datetime

from django.utils import timezone

from courses.models import Edition, Enrolment

from .models import (
    Attempt,
    Kind,
    KnowledgeTest,
    Question,
    QuestionKind,
    Survey,
    SurveyQuestion,
)
from .services import attempt_start, attempt_submit, survey_submit

EDITION = "ZOUS-SOS-00"
TITLE = "Test wiedzy: zarządzanie i organizacja usług społecznych"
# question, correct answers, wrong answers
QUESTIONS = [
    (
        "Kto przyjmuje program usług społecznych gminy?",
        ["rada gminy"],
        ["dyrektor CUS", "wojewoda"],
    ),
    (
        "Na jakiej podstawie przygotowuje się program usług społecznych?",
        ["diagnozy potrzeb i potencjału społeczności lokalnej"],
        ["wniosków mieszkańców złożonych w danym roku", "budżetu z poprzedniego roku"],
    ),
    (
        "Jak może powstać centrum usług społecznych?",
        [
            "przez przekształcenie ośrodka pomocy społecznej",
            "jako nowa jednostka organizacyjna gminy",
        ],
        ["jako oddział powiatowego centrum pomocy rodzinie"],
    ),
    (
        "Z kim przygotowuje się indywidualny plan usług społecznych?",
        ["z osobą, która będzie korzystać z usług"],
        ["z radą gminy", "z wojewodą"],
    ),
    (
        "W jakim trybie CUS może zlecić usługę organizacji pozarządowej?",
        ["w trybie ustawy o działalności pożytku publicznego i o wolontariacie"],
        ["wyłącznie w drodze decyzji administracyjnej"],
    ),
]
SURVEY = "Ankieta satysfakcji po szkoleniu"
SURVEY_QUESTIONS = [
    ("Organizacja szkolenia (sala, materiały, przerwy)", QuestionKind.SCALE),
    ("Przydatność szkolenia w mojej pracy", QuestionKind.SCALE),
    ("Prowadzenie zajęć", QuestionKind.TRAINER),
    ("Co warto zmienić w kolejnych edycjach?", QuestionKind.TEXT),
]
# e-mail: (right answers before, right answers after or None)
SCORES = {
    "absolwent@szkolenia.test": (2, 5),
    "alicja.krol@szkolenia.test": (3, 4),
    "stefan.lis@szkolenia.test": (3, 3),
    "elzbieta.sowa@szkolenia.test": (1, None),
}
# e-mail: (organisation, usefulness, trainer, comment); those who completed
RESPONSES = {
    "absolwent@szkolenia.test": (
        5,
        5,
        5,
        "Więcej czasu na warsztat z programem usług.",
    ),
    "alicja.krol@szkolenia.test": (4, 5, 5, ""),
    "stefan.lis@szkolenia.test": (
        4,
        3,
        4,
        "Przydałyby się przykłady z gmin wiejskich.",
    ),
}


def load(*, users: dict) -> None:
    edition = Edition.objects.filter(code=EDITION).first()
    if edition is None or KnowledgeTest.objects.filter(edition=edition).exists():
        return
    test = KnowledgeTest.objects.create(title=TITLE, edition=edition)
    for order, (text, right, wrong) in enumerate(QUESTIONS):
        answers = "\n".join([*(f"*{a}" for a in right), *wrong])
        Question.objects.create(test=test, text=text, answers=answers, sort_order=order)
    survey = Survey.objects.create(title=SURVEY, edition=edition)
    for order, (text, kind) in enumerate(SURVEY_QUESTIONS):
        SurveyQuestion.objects.create(
            survey=survey, text=text, kind=kind, sort_order=order
        )
    sessions = list(edition.sessions.order_by("date"))
    enrolments = {
        e.trainee.user.email: e
        for e in Enrolment.objects.filter(edition=edition).select_related(
            "trainee__user"
        )
    }
    for email, (before, after) in SCORES.items():
        enrolment = enrolments.get(email)
        if enrolment is None:
            continue
        _attempt(enrolment, Kind.PRE, right=before, day=sessions[0].date, hour=8)
        if after is not None:
            _attempt(enrolment, Kind.POST, right=after, day=sessions[-1].date, hour=15)
    trainers = list(edition.trainers.all())
    questions = list(survey.questions.all())
    for email, (organisation, usefulness, trainer, comment) in RESPONSES.items():
        enrolment = enrolments.get(email)
        if enrolment is None:
            continue
        data = {
            f"q{questions[0].pk}": organisation,
            f"q{questions[1].pk}": usefulness,
            f"q{questions[3].pk}": comment,
            **{f"q{questions[2].pk}-t{t.pk}": trainer for t in trainers},
        }
        survey_submit(survey=survey, enrolment=enrolment, data=data)


def _attempt(
    enrolment: Enrolment, kind: str, *, right: int, day: datetime.date, hour: int
) -> Attempt:
    """Taken in the browser: the first `right` questions answered correctly."""
    attempt = attempt_start(enrolment=enrolment, kind=kind)
    answers = {}
    for number, question in enumerate(attempt.test.questions.all()):
        choices = question.choices()
        if number < right:
            answers[str(question.pk)] = sorted(question.correct())
        else:
            answers[str(question.pk)] = [next(n for n, _t, ok in choices if not ok)]
    attempt = attempt_submit(
        attempt=attempt, answers=answers, actor=enrolment.trainee.user
    )
    taken = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=taken)
    return attempt
