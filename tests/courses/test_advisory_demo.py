"""The demo of seeds 000/001: the offer, its requests and meetings, the indicators."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from courses.models import AdvisoryOffer, AdvisoryRequest, EnrolmentStatus
from courses.reporting import advisory_indicators

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_seeds_advisory(demo_data, client):
    offer = AdvisoryOffer.objects.get(code="doradztwo-rops")
    assert len(offer.topic_list) == 8
    assert offer.project.contact_phone == "732-259-513"
    assert (offer.target_recipients, offer.staff_engaged, offer.volunteers_engaged) == (
        100,
        15,
        10,
    )
    statuses = sorted(
        AdvisoryRequest.objects.filter(offer=offer).values_list(
            "enrolment__status", flat=True
        )
    )
    assert statuses == sorted(
        [EnrolmentStatus.CONFIRMED, EnrolmentStatus.CONFIRMED, EnrolmentStatus.PENDING]
    )
    figures = advisory_indicators(offer=offer)
    assert (figures.direct, figures.indirect) == (1, 60)

    adviser = get_user_model().objects.get(username="doradca@szkolenia.test")
    client.force_login(adviser)
    page = client.get(reverse("courses:my_advisory")).content.decode()
    assert page.count('class="card group-card"') == 2  # the two cases assigned to her

    call_command("load_demo_data", verbosity=0)
    assert AdvisoryRequest.objects.filter(offer=offer).count() == 3
