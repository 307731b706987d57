"""The demo's evaluation: the finished group ZOUS-SOS-00 took both tests and the survey,
so the indicators dashboard shows a real "raised competences" figure and the survey
results show the edition's and its trainer's ratings."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from courses import roles
from courses.models import Edition
from courses.reporting import indicators
from evaluation import demo
from evaluation.models import Attempt, KnowledgeTest, SurveyResponse
from evaluation.selectors import group_results, survey_summary

pytestmark = pytest.mark.django_db


def _charts():
    return {chart.key: chart for chart in indicators()}


def test_the_demo_group_took_both_tests_and_the_survey(demo_data, client):
    edition = Edition.objects.get(code=demo.EDITION)
    test = KnowledgeTest.objects.get(edition=edition)
    assert test.questions.count() == len(demo.QUESTIONS)
    results = {
        r.enrolment.trainee.user.email: r for r in group_results(edition=edition)
    }
    assert {
        email: (
            r.pre and r.pre.score,
            r.post and r.post.score,
            r.raised,
        )
        for email, r in results.items()
    } == {
        "absolwent@szkolenia.test": (2, 5, True),
        "alicja.krol@szkolenia.test": (3, 4, True),
        "stefan.lis@szkolenia.test": (3, 3, False),
        "elzbieta.sowa@szkolenia.test": (1, None, None),
    }
    # Taken during the training: before the first session, on the last day.
    sessions = list(edition.sessions.order_by("date"))
    for attempt in Attempt.objects.filter(test=test):
        day = sessions[0 if attempt.kind == "pre" else -1].date
        assert attempt.submitted_at.date() == day

    charts = _charts()
    pools = {b.label: (b.value, b.target) for b in charts["competences_pools"].bars}
    pool = f"Śląskie ({edition.project.code})"  # the pool, beside its project's code
    assert pools == {pool: (2, 3)}
    genders = {b.label: (b.value, b.target) for b in charts["competences_gender"].bars}
    assert genders == {"kobieta": (2, 2), "mężczyzna": (0, 1)}

    total, questions = survey_summary(edition=edition)
    assert total == 3
    trainer = next(q for q in questions if q.trainer is not None)
    assert trainer.trainer.name == "dr Anna Wójcik"
    assert round(trainer.average, 2) == round((5 + 5 + 4) / 3, 2)
    comments = next(q for q in questions if q.kind == "text").comments
    assert len(comments) == 2

    coordinator = get_user_model().objects.get(email="koordynator@szkolenia.test")
    assert coordinator.groups.filter(name=roles.COORDINATOR).exists()
    client.force_login(coordinator)
    dashboard = client.get(reverse("partner_indicators:index")).content.decode()
    table = dashboard[dashboard.index('data-chart="competences_pools"') :]
    table = table[: table.index("</table>")]
    assert f'<th scope="row">{pool}</th>' in table and "<td>2</td>" in table
    page = client.get(reverse("evaluation_results:edition", args=[edition.pk]))
    assert page.status_code == 200
    assert "Prowadzenie zajęć: dr Anna Wójcik" in page.content.decode()


def test_loading_the_demo_again_adds_no_answers(demo_data):
    before = (Attempt.objects.count(), SurveyResponse.objects.count())
    call_command("load_demo_data", verbosity=0)
    assert (Attempt.objects.count(), SurveyResponse.objects.count()) == before == (7, 3)
