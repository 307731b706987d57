"""The demo of seed 002's working groups: the three kinds, members, a paid meeting."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.models import GroupKind, Nomination, WorkingGroup
from courses.models.recruitment import ApplicationStatus, Call
from courses.services.working_groups import meeting_fee_list
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_calls_working_groups(demo_data, client):
    call = Call.objects.get(code="kooperacja-lubuskie")
    assert call.results_published_at is not None
    selected = call.applications.filter(status=ApplicationStatus.SELECTED)
    assert selected.filter(kind="county").count() == 3
    assert selected.filter(kind="urban_rural").count() == 5
    groups = WorkingGroup.objects.filter(call=call)
    kinds = sorted(groups.values_list("kind", "target_size", "meeting_days"))
    assert kinds == sorted(
        [(GroupKind.COUNTY_REFLECTIVE, 7, 2)] * 3
        + [(GroupKind.COUNTY_DECISION_MAKERS, 15, 1)] * 3
        + [(GroupKind.REGIONAL_REFLECTIVE, 20, 1)]
    )
    reflective = groups.filter(kind=GroupKind.COUNTY_REFLECTIVE).order_by("pk").first()
    members = Nomination.objects.filter(group=reflective)
    assert members.count() == 7
    assert len(set(members.values_list("sector", flat=True))) >= 5  # several sectors
    meeting = reflective.meetings.get()
    assert meeting.outside_working_hours and meeting.days.count() == 2
    fees = meeting_fee_list(meeting=meeting)
    assert fees.unmarked == []
    assert str(fees.total) == "825.00"  # 5 x 150 + 1 x 75 + 0

    regional = groups.get(kind=GroupKind.REGIONAL_REFLECTIVE)
    assert Nomination.objects.filter(group=regional).count() == 3

    client.force_login(UserFactory(email="koordynator@szkolenia.test"))
    page = client.get(reverse("courses:working_group", args=[reflective.pk]))
    assert "Lista wynagrodzeń (PDF)" in page.content.decode()
    pdf = client.get(reverse("courses:meeting_fee_list", args=[meeting.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    call_command("load_demo_data", verbosity=0)  # twice: nothing doubles
    assert WorkingGroup.objects.filter(call=call).count() == 7
    assert Nomination.objects.count() == 13
