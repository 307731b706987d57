"""Reads for partners and the funder: scoped lists and indicator counts."""

from datetime import date

from .models import Attendance, Enrolment, PartnerOrganisation

FILTER_KEYS = ("project", "course", "edition", "status", "date_from", "date_to")


def partner_organisations_of(*, user):
    """The organisations whose staff the user is, by name."""
    if not user.is_authenticated:
        return PartnerOrganisation.objects.none()
    return PartnerOrganisation.objects.filter(staff=user).order_by("name")


def _scope(queryset, *, organisation: PartnerOrganisation, prefix: str, filters: dict):
    """Only the organisation's projects in its voivodeships, then the chosen filters."""
    edition = f"{prefix}edition__"
    queryset = queryset.filter(
        **{
            f"{edition}project__in": organisation.projects.all(),
            f"{prefix}voivodeship__in": organisation.voivodeships.all(),
        }
    )
    lookups = {
        "project": f"{edition}project_id",
        "course": f"{edition}course_id",
        "edition": f"{edition}id",
        "status": f"{prefix}status",
        "date_from": f"{edition}start_date__gte",
        "date_to": f"{edition}start_date__lte",
    }
    for key, lookup in lookups.items():
        value = filters.get(key)
        if value in (None, ""):
            continue
        if key.startswith("date_"):
            value = date.fromisoformat(value)
        queryset = queryset.filter(**{lookup: value})
    return queryset


def partner_enrolments(*, organisation: PartnerOrganisation, filters: dict):
    """Enrolments a partner may export, with everything a row needs in one query."""
    rows = Enrolment.objects.select_related(
        "trainee__user",
        "trainee__institution",
        "voivodeship",
        "edition__project",
        "edition__course",
    )
    return _scope(rows, organisation=organisation, prefix="", filters=filters).order_by(
        "edition__start_date", "edition__code", "trainee__last_name", "pk"
    )


def partner_attendance(*, organisation: PartnerOrganisation, filters: dict):
    """Attendance marks of the enrolments a partner may export."""
    rows = Attendance.objects.select_related(
        "enrolment__trainee__institution",
        "enrolment__voivodeship",
        "session__edition__project",
        "session__edition__course",
    )
    return _scope(
        rows, organisation=organisation, prefix="enrolment__", filters=filters
    ).order_by(
        "session__date",
        "session__start_time",
        "enrolment__trainee__last_name",
        "pk",
    )
