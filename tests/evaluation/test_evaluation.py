"""Knowledge tests before and after, the satisfaction survey, paper tests, the indicator."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from courses import roles
from courses.models import EnrolmentStatus
from courses.reporting import indicators
from courses.services.attendance import attendance_mark, enrolment_complete
from courses.services.exports import indicators_workbook
from evaluation.models import (
    Attempt,
    KnowledgeTest,
    ProjectEvaluation,
    Question,
    QuestionKind,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from evaluation.services import (
    EvaluationError,
    attempt_start,
    attempt_submit,
    paper_attempt_save,
    survey_submit,
)
from tests.factories import (
    ProjectFactory,
    QuotaFactory,
    TrainerProfileFactory,
    UserFactory,
)
from tests.states import confirmed_enrolment, past_edition

pytestmark = pytest.mark.django_db

QUESTIONS = [
    ("Kto przyznaje zasiłek stały?", "*ośrodek pomocy społecznej\nurząd pracy\nZUS"),
    ("Ile wynosi kryterium dochodowe?", "*zależy od ustawy\n100 zł\n10 000 zł"),
    ("Które są formami pracy socjalnej?", "*wywiad\n*kontrakt socjalny\nmandat"),
]


def trainer_user(name="dr Anna Wójcik"):
    user = UserFactory(role=roles.TRAINER)
    TrainerProfileFactory(user=user, name=name)
    return user


@pytest.fixture
def world():
    edition = past_edition(days=2)
    QuotaFactory(project=edition.project, size=10, regions=["śląskie"])
    trainer = trainer_user()
    edition.trainers.add(trainer.trainer_profile)
    test = KnowledgeTest.objects.create(title="Test wiedzy", course=edition.course)
    for order, (text, answers) in enumerate(QUESTIONS):
        Question.objects.create(test=test, text=text, answers=answers, sort_order=order)
    survey = Survey.objects.create(title="Ankieta", course=edition.course)
    SurveyQuestion.objects.create(survey=survey, text="Organizacja", kind="scale")
    SurveyQuestion.objects.create(survey=survey, text="Prowadzący", kind="trainer")
    SurveyQuestion.objects.create(survey=survey, text="Uwagi", kind="text")
    return {
        "edition": edition,
        "test": test,
        "survey": survey,
        "trainer": trainer,
        "anna": confirmed_enrolment(edition=edition, gender="K"),
        "jan": confirmed_enrolment(edition=edition, gender="M"),
    }


def right_answers(test):
    return {str(q.pk): sorted(q.correct()) for q in test.questions.all()}


def answers_with(test, wrong: int):
    """The right answers but for the first `wrong` questions, answered "the last"."""
    answers = right_answers(test)
    for question in list(test.questions.all())[:wrong]:
        answers[str(question.pk)] = [question.choices()[-1][0]]
    return answers


def take(enrolment, kind, answers):
    attempt = attempt_start(enrolment=enrolment, kind=kind)
    return attempt_submit(
        attempt=attempt, answers=answers, actor=enrolment.trainee.user
    )


def test_questions_and_answers_are_shuffled_and_the_order_is_kept(world):
    test = world["test"]
    orders = set()
    for _ in range(20):
        attempt = attempt_start(enrolment=world["anna"], kind="pre")
        ids = attempt.layout["questions"]
        assert sorted(ids) == sorted(q.pk for q in test.questions.all())
        orders.add(tuple(ids) + tuple(map(tuple, attempt.layout["answers"].values())))
        # The same attempt comes back with the same order on a reload.
        again = attempt_start(enrolment=world["anna"], kind="pre")
        assert again.layout == attempt.layout
        attempt.delete()
    assert len(orders) > 1


def test_scoring_counts_a_question_only_with_exactly_its_correct_answers(world):
    test = world["test"]
    assert take(world["anna"], "pre", right_answers(test)).score == 3
    half = right_answers(test)
    multiple = test.questions.get(text__startswith="Które")
    half[str(multiple.pk)] = half[str(multiple.pk)][:1]  # one of two correct
    attempt = take(world["jan"], "pre", half)
    assert (attempt.score, attempt.max_score) == (2, 3)


def test_an_unanswered_question_saves_nothing_and_a_test_is_taken_once(world):
    test = world["test"]
    answers = right_answers(test)
    answers.pop(next(iter(answers)))
    attempt = attempt_start(enrolment=world["anna"], kind="pre")
    with translation.override("pl"), pytest.raises(EvaluationError) as error:
        attempt_submit(attempt=attempt, answers=answers, actor=None)
    assert "1" in str(error.value)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.answers == {}
    attempt_submit(attempt=attempt, answers=right_answers(test), actor=None)
    with pytest.raises(EvaluationError):
        attempt_submit(attempt=attempt, answers=right_answers(test), actor=None)
    with pytest.raises(EvaluationError):
        attempt_start(enrolment=world["anna"], kind="pre")


def test_the_post_test_waits_for_the_last_session_and_closes_the_pre_test(world):
    from tests.factories import EditionFactory

    future = EditionFactory(
        project=world["edition"].project, course=world["edition"].course
    )
    enrolment = confirmed_enrolment(edition=future)
    with pytest.raises(EvaluationError):
        attempt_start(enrolment=enrolment, kind="post")
    assert attempt_start(enrolment=enrolment, kind="pre")

    take(world["anna"], "post", right_answers(world["test"]))
    with pytest.raises(EvaluationError):
        attempt_start(enrolment=world["anna"], kind="pre")


def test_pre_and_post_tests_move_the_raised_competences_indicator(world, client):
    test = world["test"]
    take(world["anna"], "pre", answers_with(test, wrong=2))
    take(world["anna"], "post", right_answers(test))
    take(world["jan"], "pre", right_answers(test))
    take(world["jan"], "post", right_answers(test))  # no rise: already knew it all
    charts = {chart.key: chart for chart in indicators()}
    [pool] = charts["competences_pools"].bars
    assert (pool.value, pool.target) == (1, 2)
    genders = {
        bar.label: (bar.value, bar.target) for bar in charts["competences_gender"].bars
    }
    assert set(genders.values()) == {(1, 1), (0, 1)}

    # A threshold the project sets: post-test at least 100% counts for both.
    ProjectEvaluation.objects.create(
        project=world["edition"].project, threshold_percent=100
    )
    charts = {chart.key: chart for chart in indicators()}
    assert charts["competences_pools"].bars[0].value == 2

    book = openpyxl.load_workbook(io.BytesIO(indicators_workbook(charts=indicators())))
    assert charts["competences_pools"].title[:31] in book.sheetnames

    client.force_login(UserFactory(role=roles.COORDINATOR))
    page = client.get(reverse("partner_indicators:index"))
    assert 'data-chart="competences_pools"' in page.content.decode()


def test_raised_competences_count_per_quota_not_per_quota_name(world):
    """Two projects' "Śląskie" pools are two rows, each with its project's code."""
    first = world["edition"].project
    first.quotas.update(name="Śląskie")
    other = ProjectFactory(code="KOOPERACJA-SL")
    QuotaFactory(project=other, name="Śląskie", size=10, regions=["śląskie"])
    edition = past_edition(days=2, project=other, course=world["edition"].course)
    ewa = confirmed_enrolment(edition=edition, gender="K")
    test = world["test"]
    take(world["anna"], "pre", answers_with(test, wrong=2))
    take(world["anna"], "post", right_answers(test))
    for enrolment in (world["jan"], ewa):
        take(enrolment, "pre", answers_with(test, wrong=1))
        take(enrolment, "post", answers_with(test, wrong=1))  # no rise
    assert {e.quota.project for e in (world["anna"], world["jan"], ewa)} == {
        first,
        other,
    }

    charts = {chart.key: chart for chart in indicators()}
    pools = {b.label: (b.value, b.target) for b in charts["competences_pools"].bars}
    assert pools == {
        f"Śląskie ({first.code})": (1, 2),
        "Śląskie (KOOPERACJA-SL)": (0, 1),
    }


def test_a_required_test_is_a_completion_condition(world):
    test = world["test"]
    test.required_for_completion = True
    test.save()
    anna = world["anna"]
    for session in world["edition"].sessions.all():
        attendance_mark(enrolment=anna, session=session, present=True, actor=None)
    take(anna, "pre", right_answers(test))
    with translation.override("pl"):
        done = enrolment_complete(enrolment=anna, actor=None)
    assert done.status == EnrolmentStatus.NOT_COMPLETED

    jan = world["jan"]
    for session in world["edition"].sessions.all():
        attendance_mark(enrolment=jan, session=session, present=True, actor=None)
    take(jan, "pre", right_answers(test))
    take(jan, "post", right_answers(test))
    assert (
        enrolment_complete(enrolment=jan, actor=None).status
        == EnrolmentStatus.COMPLETED
    )


def test_the_trainee_takes_the_test_in_the_browser_form(client, world):
    anna = world["anna"]
    client.force_login(anna.trainee.user)
    url = reverse("evaluation:test", args=[anna.pk, "pre"])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "*" not in text.split("<form")[1].split("</form>")[0]  # no answer marked
    form = {f"q{k}": v for k, v in right_answers(world["test"]).items()}
    missing = dict(form)
    missing.pop(next(iter(missing)))
    assert client.post(url, missing).status_code == 400
    assert client.post(url, form).status_code == 302
    attempt = Attempt.objects.get(enrolment=anna, kind="pre")
    assert attempt.score == 3 and not attempt.on_paper

    links = client.get(reverse("courses:my_enrolments")).content.decode()
    assert reverse("evaluation:test", args=[anna.pk, "post"]) in links
    assert url not in links


def test_nobody_takes_or_reads_someone_elses_tests(client, world):
    anna, jan = world["anna"], world["jan"]
    client.force_login(jan.trainee.user)
    assert (
        client.get(reverse("evaluation:test", args=[anna.pk, "pre"])).status_code == 404
    )
    assert client.get(reverse("evaluation:survey", args=[anna.pk])).status_code == 404
    assert (
        client.get(reverse("evaluation:group", args=[world["edition"].pk])).status_code
        == 404
    )
    client.force_login(trainer_user("Marek Zieliński"))
    edition = world["edition"].pk
    assert client.get(reverse("evaluation:group", args=[edition])).status_code == 404
    assert client.get(reverse("evaluation:print", args=[edition])).status_code == 404
    paper = reverse("evaluation:paper", args=[edition, anna.pk, "pre"])
    assert client.post(paper, {}).status_code == 404
    client.logout()
    assert client.get(reverse("evaluation:group", args=[edition])).status_code == 302


def test_the_trainer_prints_the_test_and_enters_paper_answers(client, world):
    client.force_login(world["trainer"])
    edition = world["edition"]
    printed = client.get(
        reverse("evaluation:print", args=[edition.pk])
    ).content.decode()
    for text, _answers in QUESTIONS:
        assert text in printed
        assert "*" not in printed.split(text)[1][:200]
    anna = world["anna"]
    url = reverse("evaluation:paper", args=[edition.pk, anna.pk, "pre"])
    form = {f"q{k}": v for k, v in answers_with(world["test"], wrong=1).items()}
    assert client.post(url, form).status_code == 302
    attempt = Attempt.objects.get(enrolment=anna, kind="pre")
    assert attempt.on_paper and attempt.entered_by == world["trainer"]
    assert attempt.score == 2
    again = client.post(url, form)
    assert again.status_code == 400
    with pytest.raises(EvaluationError):
        paper_attempt_save(
            enrolment=anna, kind="pre", answers={}, actor=world["trainer"]
        )

    group = client.get(reverse("evaluation:group", args=[edition.pk])).content.decode()
    assert "2/3" in group


def test_the_survey_rates_each_trainer_and_the_results_show_per_edition(client, world):
    survey, anna = world["survey"], world["anna"]
    scale, per_trainer, comment = survey.questions.all()
    trainer = world["trainer"].trainer_profile
    with pytest.raises(EvaluationError):
        survey_submit(survey=survey, enrolment=anna, data={f"q{scale.pk}": "5"})
    assert not SurveyResponse.objects.exists()
    client.force_login(anna.trainee.user)
    url = reverse("evaluation:survey", args=[anna.pk])
    page = client.get(url).content.decode()
    assert trainer.name in page
    done = client.post(
        url,
        {
            f"q{scale.pk}": "4",
            f"q{per_trainer.pk}-t{trainer.pk}": "5",
            f"q{comment.pk}": "Dobrze",
        },
    )
    assert done.status_code == 302
    survey_submit(
        survey=survey,
        enrolment=world["jan"],
        data={f"q{scale.pk}": "2", f"q{per_trainer.pk}-t{trainer.pk}": "5"},
    )
    with pytest.raises(EvaluationError):
        survey_submit(survey=survey, enrolment=anna, data={})

    client.force_login(world["trainer"])
    group = client.get(
        reverse("evaluation:group", args=[world["edition"].pk])
    ).content.decode()
    assert "3,00" in group or "3.00" in group  # (4 + 2) / 2
    assert "5,00" in group or "5.00" in group
    assert "Dobrze" in group

    client.force_login(UserFactory(role=roles.COORDINATOR))
    results = client.get(
        reverse("evaluation_results:edition", args=[world["edition"].pk])
    )
    assert results.status_code == 200
    assert f"Prowadzący: {trainer.name}" in results.content.decode()
    listing = client.get(reverse("evaluation_results:index")).content.decode()
    assert world["edition"].code in listing


def test_trainees_and_partners_cannot_edit_tests_or_read_results(client, world):
    for role in (roles.TRAINEE, roles.PARTNER, roles.TRAINER):
        client.force_login(UserFactory(role=role))
        for url in (
            reverse("evaluation_results:index"),
            reverse("evaluation_tests:index"),
            reverse("evaluation_surveys:index"),
        ):
            assert client.get(url).status_code in (302, 403), (role, url)
    assert QuestionKind.TRAINER
