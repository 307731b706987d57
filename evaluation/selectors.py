"""Reads of evaluation: a group's results, survey summaries, the indicator charts."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.extensions import IndicatorBar, IndicatorChart
from courses.models import Edition, Enrolment, Gender, Session, TrainerProfile
from courses.selectors import edition_trainees

from .models import (
    Attempt,
    Kind,
    KnowledgeTest,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from .services import (
    TAKERS,
    competences_raised,
    project_threshold,
    survey_for,
    test_for,
)


@dataclass
class Result:
    enrolment: Enrolment
    pre: Attempt | None
    post: Attempt | None
    raised: bool | None

    @property
    def pairs(self) -> list[tuple[Attempt | None, str]]:
        return [(self.pre, Kind.PRE), (self.post, Kind.POST)]


def group_results(*, edition: Edition) -> list[Result]:
    """Every trainee of the group with their tests and whether competences rose."""
    test = test_for(edition=edition)
    enrolments = edition_trainees(edition_id=edition.pk)  # in Polish order
    attempts: dict[tuple[int, str], Attempt] = {}
    if test is not None:
        for attempt in Attempt.objects.filter(
            test=test, enrolment__in=enrolments, submitted_at__isnull=False
        ):
            attempts[(attempt.enrolment_id, attempt.kind)] = attempt
    threshold = project_threshold(project_id=edition.project_id)
    rows = []
    for enrolment in enrolments:
        pre = attempts.get((enrolment.pk, Kind.PRE))
        post = attempts.get((enrolment.pk, Kind.POST))
        rows.append(
            Result(
                enrolment,
                pre,
                post,
                competences_raised(pre=pre, post=post, threshold=threshold),
            )
        )
    return rows


@dataclass
class QuestionSummary:
    text: str
    kind: str
    trainer: TrainerProfile | None = None
    count: int = 0
    average: float | None = None
    distribution: list[tuple[int, int, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def survey_summary(*, edition: Edition) -> tuple[int, list[QuestionSummary]]:
    """Responses of the edition's survey: per question (and per trainer), the average,
    the count of each rating 1-5 with its share, and the comments."""
    survey = survey_for(edition=edition)
    if survey is None:
        return 0, []
    responses = SurveyResponse.objects.filter(survey=survey, enrolment__edition=edition)
    total = responses.count()
    answers = SurveyAnswer.objects.filter(response__in=responses)
    counts: dict[tuple[int, int | None], dict[int, int]] = defaultdict(dict)
    averages: dict[tuple[int, int | None], float]
    for row in (
        answers.exclude(rating=None)
        .values("question_id", "trainer_id", "rating")
        .annotate(n=Count("pk"))
    ):
        rating: int = row["rating"] or 0  # None excluded above
        counts[(row["question_id"], row["trainer_id"])][rating] = row["n"]
    averages = {
        (row["question_id"], row["trainer_id"]): row["avg"]
        for row in answers.exclude(rating=None)
        .values("question_id", "trainer_id")
        .annotate(avg=Avg("rating"))
    }
    trainers = list(edition.trainers.all())
    summaries = []
    for question in survey.questions.all():
        if question.kind == QuestionKind.TEXT:
            summaries.append(
                QuestionSummary(
                    question.text,
                    question.kind,
                    comments=list(
                        answers.filter(question=question)
                        .exclude(comment="")
                        .values_list("comment", flat=True)
                    ),
                )
            )
            continue
        targets = trainers if question.kind == QuestionKind.TRAINER else [None]
        for trainer in targets:
            key = (question.pk, trainer.pk if trainer else None)
            ratings = counts.get(key, {})
            n = sum(ratings.values())
            summaries.append(
                QuestionSummary(
                    question.text,
                    question.kind,
                    trainer,
                    n,
                    averages.get(key),
                    [
                        (
                            r,
                            ratings.get(r, 0),
                            round(100 * ratings.get(r, 0) / n) if n else 0,
                        )
                        for r in range(1, 6)
                    ],
                )
            )
    return total, summaries


def _tested_pairs():
    """(enrolment, pre, post) of every enrolment with both tests taken."""
    attempts = Attempt.objects.filter(submitted_at__isnull=False).select_related(
        "enrolment__trainee", "enrolment__quota__project", "enrolment__edition"
    )
    pairs: dict[int, dict[str, Attempt]] = defaultdict(dict)
    for attempt in attempts:
        pairs[attempt.enrolment_id][attempt.kind] = attempt
    for kinds in pairs.values():
        if Kind.PRE in kinds and Kind.POST in kinds:
            yield kinds[Kind.POST].enrolment, kinds[Kind.PRE], kinds[Kind.POST]


def indicator_charts() -> list[IndicatorChart]:
    """ "Persons who raised their competences" per quota pool and per gender: each
    person once (their best participation), against the persons who took both tests."""
    thresholds: dict[int, int | None] = {}
    by_person: dict[int, tuple[bool, Enrolment]] = {}
    for enrolment, pre, post in _tested_pairs():
        project_id = enrolment.edition.project_id
        if project_id not in thresholds:
            thresholds[project_id] = project_threshold(project_id=project_id)
        raised = bool(
            competences_raised(pre=pre, post=post, threshold=thresholds[project_id])
        )
        known = by_person.get(enrolment.trainee_id)
        if known is None or (raised and not known[0]):
            by_person[enrolment.trainee_id] = (raised, enrolment)
    # By the quota itself, not its name: two projects' "Śląskie" are two pools,
    # told apart on the dashboard by the project's code.
    pools: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    pool_labels: dict[int | None, str] = {None: str(_("no pool"))}
    genders: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    labels = dict(Gender.choices)
    for raised, enrolment in by_person.values():
        quota = enrolment.quota
        if quota is not None:
            pool_labels[quota.pk] = f"{quota.name} ({quota.project.code})"
        gender = str(labels.get(enrolment.trainee.gender, enrolment.trainee.gender))
        for bucket in (pools[enrolment.quota_id], genders[gender]):
            bucket[0] += int(raised)
            bucket[1] += 1
    pool_rows = sorted((pool_labels[key], v, t) for key, (v, t) in pools.items())
    return [
        IndicatorChart(
            "competences_pools",
            _("Raised competences per quota pool (persons with both tests)"),
            [IndicatorBar(label, v, t) for label, v, t in pool_rows],
        ),
        IndicatorChart(
            "competences_gender",
            _("Raised competences by gender (persons with both tests)"),
            [IndicatorBar(label, v, t) for label, (v, t) in sorted(genders.items())],
        ),
    ]


@dataclass
class EvaluationState:
    """What "Moje szkolenia" needs to offer the tests and surveys, read at once."""

    tests: dict[int, int]  # edition id -> test id
    surveys: dict[int, int]  # edition id -> survey id
    taken: set[tuple[int, str]]  # (enrolment id, kind) submitted
    answered: set[int]  # enrolment ids with a survey response
    last_days: dict[int, datetime.date]
    today: datetime.date

    def test_open(self, enrolment: Enrolment, kind: str) -> bool:
        if enrolment.edition_id not in self.tests or enrolment.status not in TAKERS:
            return False
        if (enrolment.pk, kind) in self.taken:
            return False
        if kind == Kind.PRE:
            return (enrolment.pk, Kind.POST) not in self.taken
        return self.today >= self.last_days.get(enrolment.edition_id, self.today)

    def survey_open(self, enrolment: Enrolment) -> bool:
        return (
            enrolment.edition_id in self.surveys
            and enrolment.status in TAKERS
            and enrolment.pk not in self.answered
            and self.today >= self.last_days.get(enrolment.edition_id, self.today)
        )


def _by_edition(model, editions: dict[int, int]) -> dict[int, int]:
    """Edition id -> the id of its own row, else its course's (one query)."""
    rows = model.objects.filter(
        Q(edition_id__in=editions) | Q(course_id__in=set(editions.values()))
    ).values_list("pk", "edition_id", "course_id")
    own = {edition: pk for pk, edition, _course in rows if edition}
    of_course = {course: pk for pk, _edition, course in rows if course}
    found = {}
    for edition, course in editions.items():
        pk = own.get(edition) or of_course.get(course)
        if pk:
            found[edition] = pk
    return found


def evaluation_state(*, enrolments) -> EvaluationState:
    enrolments = list(enrolments)
    editions = {e.edition_id: e.edition.course_id for e in enrolments}
    ids = [e.pk for e in enrolments]
    return EvaluationState(
        tests=_by_edition(KnowledgeTest, editions),
        surveys=_by_edition(Survey, editions),
        taken=set(
            Attempt.objects.filter(
                enrolment_id__in=ids, submitted_at__isnull=False
            ).values_list("enrolment_id", "kind")
        ),
        answered=set(
            SurveyResponse.objects.filter(enrolment_id__in=ids).values_list(
                "enrolment_id", flat=True
            )
        ),
        last_days={
            **{e.edition_id: e.edition.end_date for e in enrolments},
            **dict(
                Session.objects.filter(edition_id__in=editions)
                .values("edition_id")
                .annotate(last=Max("date"))
                .values_list("edition_id", "last")
            ),
        },
        today=timezone.localdate(),
    )
