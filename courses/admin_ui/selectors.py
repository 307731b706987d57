"""Reads for the admin lists: everything a page of rows needs, in a constant number of queries."""

from django.db.models import QuerySet

from ..models import Enrolment
from ..selectors import enrolments_with_waitlist_position

__all__ = ["enrolments_for_listing", "enrolments_with_waitlist_position"]


def enrolments_for_listing(*, enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Enrolments with the related rows the coordinator's list shows."""
    return enrolments_with_waitlist_position(
        enrolments=enrolments.select_related(
            "trainee__institution", "voivodeship", "edition__course"
        )
    )
