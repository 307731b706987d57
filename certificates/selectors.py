"""Reads: whose certificates, which enrolments still wait for one, what the public sees."""

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from courses.models import Edition, Enrolment, EnrolmentStatus, Project

from .models import Certificate


def enrolments_awaiting_certificate(
    *, project: Project, edition: Edition | None = None
) -> QuerySet[Enrolment]:
    """Completed enrolments without a valid certificate, oldest first."""
    valid = Certificate.objects.filter(
        enrolment=OuterRef("pk"), revoked_at__isnull=True
    )
    enrolments = Enrolment.objects.filter(
        edition__project=project, status=EnrolmentStatus.COMPLETED
    )
    if edition is not None:
        enrolments = enrolments.filter(edition=edition)
    return enrolments.filter(~Exists(valid)).order_by("pk")


def valid_certificates_of(*, user: User) -> QuerySet[Certificate]:
    """The user's own certificates that are still valid."""
    return Certificate.objects.filter(
        enrolment__trainee__user=user, revoked_at__isnull=True
    )


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with this verification code, or None; codes are compared as typed."""
    return (
        Certificate.objects.select_related("replaced_by").filter(code=code).first()
        if code
        else None
    )


def certificate_by_number_and_code(*, number: str, code: str) -> Certificate | None:
    """The certificate only when both match, so neither half can be probed alone."""
    certificate = certificate_by_code(code=code)
    if certificate is None or certificate.number != number:
        return None
    return certificate


def _mask_word(word: str) -> str:
    if len(word) <= 2:
        return word[0] + "*" * (len(word) - 1)
    return word[0] + "*" * (len(word) - 2) + word[-1]


def masked_name(*, name: str) -> str:
    """The first name in full, every other part masked: "Małgorzata L*********a"."""
    first, *rest = name.split()
    return " ".join([first, *(_mask_word(word) for word in rest)])


def editions_for_issuance(*, project: Project) -> QuerySet[Edition]:
    """The project's editions with their completed trainees and valid certificates."""
    return (
        project.editions.select_related("course")
        .annotate(
            completed=Count(
                "enrolments",
                filter=Q(enrolments__status=EnrolmentStatus.COMPLETED),
                distinct=True,
            ),
            certified=Count(
                "enrolments__certificates",
                filter=Q(enrolments__certificates__revoked_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("start_date", "code")
    )


def valid_certificates_of_edition(*, edition: Edition) -> QuerySet[Certificate]:
    return Certificate.objects.filter(
        enrolment__edition=edition, revoked_at__isnull=True
    ).order_by("sequence")


def valid_certificates_of_enrolments(
    *, enrolments: list[Enrolment]
) -> dict[int, list[Certificate]]:
    """The valid certificates of completed enrolments, by enrolment pk: one query."""
    completed = [e.pk for e in enrolments if e.status == EnrolmentStatus.COMPLETED]
    found: dict[int, list[Certificate]] = {}
    if not completed:
        return found
    rows = (
        Certificate.objects.filter(enrolment_id__in=completed, revoked_at__isnull=True)
        .only("pk", "enrolment_id", "number", "issued_on", "code")
        .order_by("pk")
    )
    for certificate in rows:
        found.setdefault(certificate.enrolment_id, []).append(certificate)
    return found


def certificates_per_month() -> dict[str, int]:
    """Valid certificates by month of issue: "2026-11" -> 12."""
    rows = (
        Certificate.objects.filter(revoked_at__isnull=True)
        .annotate(month=TruncMonth("issued_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return {f"{row['month']:%Y-%m}": row["n"] for row in rows}


def editions_ready_for_certificates() -> list[tuple[Edition, int]]:
    """Editions with completed trainees still without a valid certificate, and how many."""
    valid = Certificate.objects.filter(
        enrolment=OuterRef("pk"), revoked_at__isnull=True
    )
    waiting = (
        Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)
        .filter(~Exists(valid))
        .values("edition_id")
        .annotate(n=Count("pk"))
    )
    counts = {row["edition_id"]: row["n"] for row in waiting}
    editions = list(
        Edition.objects.filter(pk__in=counts)
        .select_related("course")
        .order_by("end_date", "code")
    )
    return [(edition, counts[edition.pk]) for edition in editions]
