"""Reads for partners and the funder: scoped lists and indicator counts."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from wagtail import hooks

from .collation import polish
from .extensions import INDICATOR_CHARTS_HOOK, INDICATOR_SERIES_HOOK, IndicatorSeries
from .models import (
    AdvisoryMeeting,
    AdvisoryOffer,
    AdvisoryRequest,
    Attendance,
    Course,
    Edition,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Gender,
    InstitutionType,
    MonitoringSystem,
    PartnerOrganisation,
    Position,
    Project,
    Voivodeship,
)
from .replica import reports_on_replica
from .selectors import quota_fill

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
        "edition__start_date",
        "edition__code",
        polish("trainee__last_name"),
        polish("trainee__first_name"),
        "pk",
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
        polish("enrolment__trainee__last_name"),
        polish("enrolment__trainee__first_name"),
        "pk",
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    target: int | None = None

    @property
    def has_target(self) -> bool:
        """A target of None or 0 is no target: nothing to be a per cent of."""
        return bool(self.target)

    @property
    def share(self) -> float | None:
        """Per cent of the target, for the label: 3 of 1,140 is 0.3, not 0.
        None without a target (not 0%: there is nothing to measure against)."""
        return 100 * self.value / self.target if self.target else None

    def percent_of(self, largest: int) -> int:
        base = self.target or largest
        return min(round(100 * self.value / base), 100) if base else 0


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]
    with_target: bool = False
    is_series: bool = False  # counts per month, drawn as columns

    @property
    def largest(self) -> int:
        return max([bar.value for bar in self.bars] + [1])

    def rows(self) -> list[tuple[Bar, int]]:
        return [(bar, bar.percent_of(self.largest)) for bar in self.bars]

    def columns(self) -> dict:
        """Geometry of an SVG column chart: 100 units high, columns 10 wide."""
        columns = [
            {
                "bar": bar,
                "x": 5 + 15 * i,
                "y": 100 - percent,
                "height": percent,
                "label_x": 10 + 15 * i,
                # "2026-11" -> "11/26": fits under a column; the table has it in full.
                "short": f"{bar.label[5:]}/{bar.label[2:4]}",
            }
            for i, (bar, percent) in enumerate(self.rows())
        ]
        # At least a year wide, so that one month is a column, not a wall.
        return {"width": 15 * max(len(columns), 12) + 5, "columns": columns}


def _participants():
    """Participations that count: a person is a participant from their first attended
    session (a pending or waiting application is not)."""
    attended = Attendance.objects.filter(enrolment=OuterRef("pk"), present=True)
    return Enrolment.objects.filter(Exists(attended))


def _pools_chart() -> Chart:
    bars: list[Bar] = []
    for project in Project.objects.prefetch_related("quotas"):
        fills = quota_fill(project=project)
        persons = _participants().filter(edition__project=project)
        bars.extend(
            Bar(
                str(fill.quota.name),
                persons.filter(quota=fill.quota).values("trainee").distinct().count(),
                fill.quota.size,
            )
            for fill in fills
        )
        total = persons.values("trainee").distinct().count()
        # No target of the project and no pool sizes: no target (None), not 0.
        target = project.target_participants or sum(f.quota.size for f in fills) or None
        bars.append(
            Bar(str(_("%(project)s – all") % {"project": project.code}), total, target)
        )
    return Chart(
        "pools", str(_("Participants per quota pool against the target")), bars, True
    )


def _breakdown(*, key: str, title: str, field: str, labels: dict) -> Chart:
    counts = (
        _participants()
        .values(field)
        .annotate(persons=Count("trainee", distinct=True))
        .order_by("-persons", field)
    )
    bars = [
        Bar(str(labels.get(row[field], row[field] or "–")), row["persons"])
        for row in counts
    ]
    return Chart(key, title, bars)


def _monthly(dates) -> dict[str, int]:
    counts: dict[str, int] = {}
    for month in dates:
        if month is not None:
            label = f"{month:%Y-%m}"
            counts[label] = counts.get(label, 0) + 1
    return counts


def _over_time() -> list[Chart]:
    """Enrolments and completions per month, then the series plug-ins add."""
    enrolled = _monthly(Enrolment.objects.values_list("created_at__date", flat=True))
    completed = _monthly(
        EnrolmentEvent.objects.filter(to_status=EnrolmentStatus.COMPLETED).values_list(
            "created_at__date", flat=True
        )
    )
    series = [
        IndicatorSeries("enrolments", _("Enrolments per month"), enrolled),
        IndicatorSeries("completions", _("Completions per month"), completed),
    ]
    for provider in hooks.get_hooks(INDICATOR_SERIES_HOOK):
        series.extend(provider())
    return [
        Chart(
            item.key,
            str(item.title),
            [Bar(month, n) for month, n in sorted(item.months.items())],
            is_series=True,
        )
        for item in series
    ]


@dataclass(frozen=True)
class AdvisoryIndicators:
    """The four figures an advisory offer reports, counted from the records."""

    direct: int
    indirect: int
    staff: int
    volunteers: int


def advisory_indicators(*, offer: AdvisoryOffer) -> AdvisoryIndicators:
    """Direct recipients: distinct persons present at a meeting (the person who asked,
    by their profile; other group members by name and institution). Indirect: what
    the requests with a held meeting entered."""
    present = Attendance.objects.filter(
        present=True, enrolment__advisory_request__offer=offer
    )
    askers = set(present.values_list("enrolment__trainee_id", flat=True).distinct())
    requests = AdvisoryRequest.objects.filter(offer=offer)
    groups = dict(requests.values_list("enrolment__edition_id", "participants"))
    others: set[tuple[str, str]] = set()
    meetings = AdvisoryMeeting.objects.filter(session__edition_id__in=groups)
    for edition_id, attendees in meetings.values_list(
        "session__edition_id", "attendees"
    ):
        where = {p["name"]: p["institution"] for p in groups[edition_id]}
        others.update(
            (name.strip().casefold(), where.get(name, "").strip().casefold())
            for name in attendees
        )
    held = requests.filter(
        Q(enrolment__attendances__present=True)
        | Q(enrolment__edition__sessions__advisory_meeting__participants_present__gt=0)
    ).distinct()
    indirect = sum(held.values_list("indirect_recipients", flat=True))
    return AdvisoryIndicators(
        direct=len(askers) + len(others),
        indirect=indirect,
        staff=offer.staff_engaged,
        volunteers=offer.volunteers_engaged,
    )


def _advisory_chart() -> Chart | None:
    bars: list[Bar] = []
    for offer in AdvisoryOffer.objects.select_related("project").order_by("pk"):
        figures = advisory_indicators(offer=offer)
        label = offer.code
        bars += [
            Bar(
                str(_("%(offer)s – direct recipients") % {"offer": label}),
                figures.direct,
                offer.target_recipients or None,
            ),
            Bar(
                str(_("%(offer)s – indirect recipients") % {"offer": label}),
                figures.indirect,
            ),
            Bar(str(_("%(offer)s – staff") % {"offer": label}), figures.staff),
            Bar(
                str(_("%(offer)s – volunteers") % {"offer": label}), figures.volunteers
            ),
        ]
    if not bars:
        return None
    return Chart("advisory", str(_("Advisory and coaching")), bars, True)


@reports_on_replica()
def indicators() -> list[Chart]:
    """Every chart of the funder's dashboard, counted from the rows now."""
    voivodeships = dict(Voivodeship.objects.values_list("pk", "name"))
    charts = [
        _pools_chart(),
        _breakdown(
            key="gender",
            title=str(_("Participants by gender")),
            field="trainee__gender",
            labels=dict(Gender.choices),
        ),
        _breakdown(
            key="institution_type",
            title=str(_("Participants by institution type")),
            field="trainee__institution__type",
            labels=dict(InstitutionType.choices),
        ),
        _breakdown(
            key="position",
            title=str(_("Participants by position")),
            field="trainee__position",
            labels=dict(Position.choices),
        ),
        _breakdown(
            key="voivodeship",
            title=str(_("Participants by voivodeship")),
            field="voivodeship",
            labels=voivodeships,
        ),
        *_plugged_in_charts(),
        *_over_time(),
    ]
    advisory = _advisory_chart()
    return [*charts, advisory] if advisory else charts


def _plugged_in_charts() -> list[Chart]:
    """Charts the plug-ins add (courses_indicator_charts), with their targets."""
    charts = []
    for provider in hooks.get_hooks(INDICATOR_CHARTS_HOOK):
        for item in provider():
            with_target = any(bar.target is not None for bar in item.bars)
            charts.append(
                Chart(
                    item.key,
                    str(item.title),
                    [Bar(str(b.label), b.value, b.target) for b in item.bars],
                    with_target,
                )
            )
    return charts


def export_filters_text(*, filters: dict) -> str:
    """An export's filters as a coordinator reads them: names, not ids."""
    names: dict[str, tuple[str, Any, str]] = {
        "project": (_("Project"), Project, "code"),
        "course": (_("Course"), Course, "title"),
        "edition": (_("Edition"), Edition, "code"),
    }
    parts = []
    for key, value in filters.items():
        if key in names:
            label, model, field = names[key]
            found = model.objects.filter(pk=value).values_list(field, flat=True).first()
            parts.append(f"{label}: {found or value}")
        elif key == "status":
            parts.append(f"{_('Status')}: {EnrolmentStatus(value).label}")
        elif key == "left_out":
            label = _("Left out, incomplete")
            parts.append(f"{label}: {value}")
        elif key == "system":
            label = _("Monitoring system")
            parts.append(f"{label}: {MonitoringSystem(value).label}")
        elif key == "date_from":
            parts.append(f"{_('Starting from')}: {value}")
        elif key == "date_to":
            parts.append(f"{_('Starting until')}: {value}")
    return "; ".join(parts) or str(_("All"))
