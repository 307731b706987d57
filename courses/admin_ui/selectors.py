"""Reads for the admin lists: everything a page of rows needs, in a constant number of queries."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ..models import Enrolment, EnrolmentStatus


def enrolments_with_waitlist_position(*, enrolments):
    """Annotate `waitlist_position` (1 = first in line, None when not waiting).

    The same order as courses.selectors.waitlist_position, as a subquery per row
    instead of a query per row.
    """
    ahead = (
        Enrolment.objects.filter(
            edition_id=OuterRef("edition_id"), status=EnrolmentStatus.WAITLISTED
        )
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("edition_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return enrolments.annotate(
        waitlist_position=Case(
            When(
                status=EnrolmentStatus.WAITLISTED,
                then=Coalesce(Subquery(ahead), Value(0)) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def enrolments_for_listing(*, enrolments):
    """Enrolments with the related rows the coordinator's list shows."""
    return enrolments_with_waitlist_position(
        enrolments=enrolments.select_related(
            "trainee__institution", "voivodeship", "edition__course"
        )
    )
