"""What certificates adds to courses through its hooks: links and monthly counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.services import certificate_issue, certificate_revoke
from courses.models import Enrolment, EnrolmentStatus
from courses.reporting import indicators
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


def _my_training_queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("courses:my_enrolments"))  # site root and the like cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("courses:my_enrolments")).status_code == 200
    return len(queries)


def test_links_of_many_certificates_cost_no_query_per_row(
    client, enrolment, edition, coordinator
):
    certificate_issue(enrolment=enrolment, actor=coordinator)
    trainee = enrolment.trainee
    one = _my_training_queries(client, trainee.user)
    for _ in range(3):
        other = Enrolment.objects.create(  # as completed_enrolment, same trainee
            trainee=trainee,
            edition=EditionFactory(project=edition.project, course=edition.course),
            voivodeship=trainee.institution.voivodeship,
            status=EnrolmentStatus.COMPLETED,
        )
        certificate_issue(enrolment=other, actor=coordinator)
    page = client.get(reverse("courses:my_enrolments")).content.decode()
    assert page.count("/pobierz/") == 4
    assert page.count("Zaświadczenie nr") == 4
    assert _my_training_queries(client, trainee.user) == one


def test_valid_certificates_count_in_the_dashboard_by_month(enrolment, coordinator):
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    month = f"{timezone.localdate():%Y-%m}"
    charts = {chart.key: chart for chart in indicators()}
    assert charts["certificates"].is_series
    assert [(bar.label, bar.value) for bar in charts["certificates"].bars] == [
        (month, 1)
    ]
    certificate_revoke(certificate=certificate, actor=coordinator, reason="Błąd")
    charts = {chart.key: chart for chart in indicators()}
    assert charts["certificates"].bars == []
