"""Rules added with the race tests, checked one at a time (both databases)."""

import datetime
from datetime import time as clock
from decimal import Decimal

import pytest
from django.utils import timezone

from courses import roles
from courses.models.recruitment import ApplicationStatus, CallApplication
from courses.services.advisory import (
    AdvisoryError,
    advisory_assign,
    advisory_meeting_book,
)
from courses.services.recruitment import (
    CallError,
    application_set_manual_points,
    call_publish_results,
    call_select,
)
from tests.courses.test_advisory import ask, make_offer
from tests.courses.test_recruitment import GMINA, apply, close, make_call
from tests.factories import TrainerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _book(request, start, end, on):
    return advisory_meeting_book(
        request=request, on=on, start_time=start, end_time=end, place="", actor=None
    )


def test_an_adviser_is_not_booked_twice_in_one_hour():
    offer = make_offer(requires_approval=False)
    adviser = TrainerProfileFactory(
        name="Anna Wójcik", user=UserFactory(role=roles.ADVISER)
    )
    first, second = ask(offer), ask(offer)
    for request in (first, second):
        advisory_assign(request=request, adviser=adviser, actor=None)
    on = timezone.localdate() + 2 * DAY
    _book(first, clock(10), clock(12), on)

    with pytest.raises(AdvisoryError) as refused:
        _book(second, clock(11, 30), clock(13), on)
    assert refused.value.code == "start_time"
    assert "Anna Wójcik ma już spotkanie" in str(refused.value)
    assert "10:00–12:00" in str(refused.value)

    # Back to back is not a clash, nor another day.
    _book(second, clock(12), clock(13), on)
    _book(second, clock(10), clock(12), on + DAY)


def test_manual_points_after_a_selection_void_it_until_selected_again():
    call = make_call(counties=0, gminas=1)
    apply(call, "Gmina Sława", kind=GMINA, families=600)
    late = apply(call, "Gmina Iłowa", kind=GMINA, families=100)
    close(call)
    call_select(call=call, diversity=False, actor=None)
    assert CallApplication.objects.get(pk=late.pk).status == (
        ApplicationStatus.NOT_SELECTED
    )

    application_set_manual_points(
        application=late, points=Decimal(5), reason="Koszyk usług", actor=None
    )
    assert set(CallApplication.objects.values_list("status", flat=True)) == {
        ApplicationStatus.SUBMITTED
    }
    with pytest.raises(CallError) as refused:
        call_publish_results(call=call, actor=None)
    assert refused.value.code == "undecided"

    call_select(call=call, diversity=False, actor=None)
    late.refresh_from_db()
    assert late.status == ApplicationStatus.SELECTED
    assert "Koszyk usług" in late.result_reason


def test_the_same_points_again_keep_the_selection():
    call = make_call(counties=0, gminas=1)
    only = apply(call, "Gmina Sława", kind=GMINA)
    close(call)
    call_select(call=call, diversity=False, actor=None)
    application_set_manual_points(
        application=only, points=Decimal(0), reason="", actor=None
    )
    only.refresh_from_db()
    assert only.status == ApplicationStatus.SELECTED
