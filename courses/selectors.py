"""Reads: seats, waiting lists, quota fill. Always counted from the enrolment rows."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .models import HOLDING, LIVE, Edition, Enrolment, EnrolmentStatus, Project, Quota


@dataclass(frozen=True)
class Seats:
    capacity: int
    taken: int
    waiting: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)


def edition_seats(*, edition: Edition) -> Seats:
    counts = Enrolment.objects.filter(edition=edition).aggregate(
        taken=Count("id", filter=Q(status__in=HOLDING)),
        waiting=Count("id", filter=Q(status=EnrolmentStatus.WAITLISTED)),
    )
    return Seats(
        capacity=edition.capacity, taken=counts["taken"], waiting=counts["waiting"]
    )


def editions_with_seats(*, editions) -> list[tuple[Edition, Seats]]:
    """Editions annotated with their seats in one query."""
    rows = editions.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=HOLDING)),
        waiting=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)
        ),
    )
    return [
        (e, Seats(capacity=e.capacity, taken=e.taken, waiting=e.waiting)) for e in rows
    ]


def waitlist_position(*, enrolment: Enrolment) -> int | None:
    """1 for the first in line; None when the enrolment is not waiting."""
    if enrolment.status != EnrolmentStatus.WAITLISTED:
        return None
    ahead = Enrolment.objects.filter(
        edition_id=enrolment.edition_id, status=EnrolmentStatus.WAITLISTED
    ).filter(
        Q(created_at__lt=enrolment.created_at)
        | Q(created_at=enrolment.created_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class QuotaFill:
    quota: Quota
    used: int
    waiting: int

    @property
    def left(self) -> int:
        return max(self.quota.size - self.used, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.used / self.quota.size) if self.quota.size else 0


def quota_fill(*, project: Project) -> list[QuotaFill]:
    """Used places (distinct persons) and waiting persons per quota of a project."""
    quotas = project.quotas.annotate(
        used=Count(
            "enrolments__trainee",
            filter=Q(enrolments__status__in=HOLDING),
            distinct=True,
        ),
        waiting=Count(
            "enrolments__trainee",
            filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED),
            distinct=True,
        ),
    ).prefetch_related("voivodeships")
    return [QuotaFill(quota=q, used=q.used, waiting=q.waiting) for q in quotas]


def course_editions(*, course, user) -> list[tuple[Edition, Seats]]:
    """Upcoming published editions of a course with seats, and the user's own enrolment."""
    now = timezone.now()
    editions = (
        Edition.objects.filter(
            course=course, is_published=True, end_date__gte=timezone.localdate()
        )
        .select_related("project")
        .order_by("start_date", "code")
    )
    rows = editions_with_seats(editions=editions)
    mine = {}
    if user.is_authenticated:
        own = Enrolment.objects.filter(
            trainee__user=user, edition__in=[e for e, _ in rows], status__in=LIVE
        )
        mine = {enrolment.edition_id: enrolment for enrolment in own}
    for edition, _ in rows:
        edition.mine = mine.get(edition.pk)
        edition.open_now = edition.enrolment_is_open(now)
    return rows
