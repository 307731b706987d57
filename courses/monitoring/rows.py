"""One row per participation in the funder's layout, and what is missing in it.

A person is a participant from their first attended session: an application that is
pending, waiting or never attended is not a row. The project's start of participation
is the person's first attended session in the project; the support's start and end
are the first and last attended session of the participation; the end is known once
the participation has ended (completed, not completed or withdrawn).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from stdnum.pl import pesel as stdnum_pesel

from ..models import (
    Answer,
    Enrolment,
    EnrolmentStatus,
    LabourStatus,
    ParticipantRecord,
    Participation,
    Project,
    TraineeProfile,
)
from .layouts import Column, Layout, layout

ENDED = [
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
    EnrolmentStatus.WITHDRAWN,
]
PRESENT = Q(attendances__present=True)
PERSON_FIELDS = {"phone", "email", "first_name", "last_name", "gender", "education"}
PARTICIPATION_FIELDS = {"leaving_situation", "ended_as_planned"}
IN_POLAND = "polska"
# python-stdnum says F or M; the platform, as the funder, K or M.
PESEL_GENDER = {"F": "K", "M": "M"}


def trainee_pesel(trainee: TraineeProfile) -> str:
    """The clear PESEL of a trainee: the one place the funder's export reads it."""
    return trainee.pesel or ""


def age_at(*, birth: datetime.date | None, day: datetime.date | None) -> int | None:
    """Age in full years on a day."""
    if birth is None or day is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def birth_date_of(
    *, pesel: str, record: ParticipantRecord | None
) -> datetime.date | None:
    """From PESEL when it is valid, else the date of birth the person gave."""
    if pesel and stdnum_pesel.is_valid(pesel):
        return stdnum_pesel.get_birth_date(pesel)
    return record.birth_date if record else None


@dataclass(frozen=True)
class Problem:
    """Something missing or inconsistent, in Polish, with the page that fixes it."""

    message: str
    url: str


@dataclass
class Row:
    enrolment: Enrolment
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    @property
    def trainee(self) -> TraineeProfile:
        return self.enrolment.trainee


def participations(
    *,
    project: Project,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Enrolment]:
    """The project's participations whose support started in the period."""
    rows = (
        Enrolment.objects.filter(edition__project=project)
        .annotate(
            support_start=Min("attendances__session__date", filter=PRESENT),
            support_last=Max("attendances__session__date", filter=PRESENT),
        )
        .filter(support_start__isnull=False)
    )
    if date_from:
        rows = rows.filter(support_start__gte=date_from)
    if date_to:
        rows = rows.filter(support_start__lte=date_to)
    return rows.select_related(
        "trainee__user",
        "trainee__institution",
        "trainee__record__home_voivodeship",
        "edition__course",
        "participation",
    ).order_by("trainee__last_name", "trainee__first_name", "trainee_id", "pk")


def _person_spans(*, project: Project, trainee_ids: list[int]) -> dict[int, tuple]:
    """Per person: the first attended session in the project, and the end of their
    participation once none of their enrolments in it is still running."""
    spans: dict[int, tuple] = {}
    enrolments = (
        Enrolment.objects.filter(edition__project=project, trainee_id__in=trainee_ids)
        .annotate(
            first=Min("attendances__session__date", filter=PRESENT),
            last=Max("attendances__session__date", filter=PRESENT),
        )
        .values_list("trainee_id", "status", "first", "last")
    )
    for trainee_id, status, first, last in enrolments:
        start, end, running = spans.get(trainee_id, (None, None, False))
        if first is not None:
            start = first if start is None else min(start, first)
            if status in ENDED:
                end = last if end is None else max(end, last)
        if status not in ENDED and status in (
            EnrolmentStatus.PENDING,
            EnrolmentStatus.CONFIRMED,
        ):
            running = True
        spans[trainee_id] = (start, end, running)
    return spans


def _record(trainee: TraineeProfile) -> ParticipantRecord | None:
    try:
        return trainee.record
    except ParticipantRecord.DoesNotExist:
        return None


def _participation(enrolment: Enrolment) -> Participation | None:
    try:
        return enrolment.participation
    except Participation.DoesNotExist:
        return None


def _sl2014_minority(record: ParticipantRecord) -> str:
    """SL2014 asks one question for minority, migrant and foreign origin."""
    answers = [record.minority, record.foreign_origin, record.third_country]
    if Answer.YES in answers:
        return Answer.YES
    if "" in answers:
        return ""
    if Answer.REFUSED in answers:
        return Answer.REFUSED
    return Answer.NO


def row_values(
    *, enrolment: Enrolment, person_span: tuple, system: str
) -> dict[str, Any]:
    """Every field of the record as the platform holds it (keys, dates, numbers)."""
    trainee = enrolment.trainee
    record = _record(trainee) or ParticipantRecord(trainee=trainee)
    participation = _participation(enrolment) or Participation(enrolment=enrolment)
    pesel = trainee_pesel(trainee)
    project_start, project_end, running = person_span
    ended = enrolment.status in ENDED
    support_start = enrolment.support_start  # type: ignore[attr-defined]
    support_end = enrolment.support_last if ended else None  # type: ignore[attr-defined]
    minority = record.minority
    return {
        "country": record.country,
        "participant_kind": "individual",
        "institution_name": "",
        "first_name": trainee.first_name,
        "last_name": trainee.last_name,
        "pesel": "" if record.no_pesel else pesel,
        "no_pesel": "true" if record.no_pesel else "false",
        "citizenship": record.citizenship,
        "gender": trainee.gender,
        "age": age_at(
            birth=birth_date_of(pesel=pesel, record=record), day=project_start
        ),
        "education": trainee.education,
        "home_voivodeship": record.home_voivodeship.name
        if record.home_voivodeship
        else "",
        "home_county": record.home_county,
        "home_municipality": record.home_municipality,
        "home_town": record.home_town,
        "home_street": record.home_street,
        "home_building": record.home_building,
        "home_flat": record.home_flat,
        "home_postcode": record.home_postcode,
        "degurba": record.degurba,
        "phone": trainee.phone,
        "email": trainee.user.email,
        "project_start": project_start,
        "project_end": None if running else project_end,
        "labour_status": record.labour_status,
        "labour_detail": record.labour_detail,
        "occupation": record.occupation,
        "employer": trainee.institution.name,
        "leaving_situation": participation.leaving_situation,
        "youth_results": "",
        "ended_as_planned": participation.ended_as_planned,
        "support_type": enrolment.edition.course.kind,
        "support_start": support_start,
        "support_end": support_end,
        "business_start": "",
        "business_amount": "",
        "business_pkd": "",
        "minority_migrant": _sl2014_minority(record),
        "minority": minority,
        "foreign_origin": record.foreign_origin,
        "third_country": record.third_country,
        "homeless": record.homeless,
        "disability": record.disability,
        "household_jobless": record.household_jobless,
        "household_children": record.household_children,
        "single_adult_household": record.single_adult_household,
        "other_disadvantage": record.other_disadvantage,
        # Not columns: what the conditions of the layout read.
        "_ended": ended,
        "_has_pesel": not record.no_pesel,
        "_pesel": pesel,
        "_record": record,
    }


def _required(column: Column, values: dict[str, Any]) -> bool:
    conditions: dict[str, Callable[[], bool]] = {
        "always": lambda: True,
        "with_pesel": lambda: values["_has_pesel"],
        "in_poland": lambda: (values["country"] or "").strip().lower() == IN_POLAND,
        "on_exit": lambda: values["_ended"],
        "employed": lambda: values["labour_status"] == LabourStatus.EMPLOYED,
        "household_jobless": lambda: values["household_jobless"] == Answer.YES,
    }
    return bool(column.required) and conditions[column.required]()


def _fix_url(key: str, enrolment: Enrolment) -> str:
    if key in PARTICIPATION_FIELDS:
        return reverse("partner_monitoring:participation", args=[enrolment.pk])
    if key == "support_type":
        return reverse("training_courses:edit", args=[enrolment.edition.course_id])
    return reverse("partner_monitoring:record", args=[enrolment.trainee_id])


def row_problems(
    *, enrolment: Enrolment, values: dict[str, Any], layout: Layout
) -> list[Problem]:
    """What the funder's system would refuse, in Polish, each with where to fix it."""
    problems: list[Problem] = []

    def add(key: str, message: str) -> None:
        problems.append(Problem(message, _fix_url(key, enrolment)))

    for column in layout.columns:
        value = values.get(column.key)
        if _required(column, values) and value in ("", None):
            if column.key == "age":
                add(
                    "age",
                    _(
                        "%(field)s: give a valid PESEL or, without PESEL, the date of birth."
                    )
                    % {"field": column.header},
                )
            else:
                add(column.key, _("Missing: %(field)s.") % {"field": column.header})
        elif column.refusal is False and value == Answer.REFUSED:
            add(
                column.key,
                _("%(field)s: %(system)s does not accept a refusal to answer here.")
                % {"field": column.header, "system": layout.name},
            )
    pesel, record = values["_pesel"], values["_record"]
    if values["_has_pesel"] and pesel:
        if not stdnum_pesel.is_valid(pesel):
            add("pesel", _("PESEL: the number is not valid."))
        elif (
            values["gender"]
            and PESEL_GENDER[stdnum_pesel.get_gender(pesel)] != values["gender"]
        ):
            add("pesel", _("PESEL and gender do not agree: check both."))
        elif record.birth_date and record.birth_date != stdnum_pesel.get_birth_date(
            pesel
        ):
            add("pesel", _("PESEL and date of birth do not agree: check both."))
    if not values["_has_pesel"] and pesel:
        add("pesel", _("The person is marked as having no PESEL, yet one is saved."))
    if values["labour_status"] and values["labour_status"] != LabourStatus.EMPLOYED:
        if values["labour_detail"]:
            add(
                "labour_detail",
                _("Where the person works is given, yet their status is not employed."),
            )
    if values["household_jobless"] == Answer.NO and values["household_children"] in (
        Answer.YES,
    ):
        add(
            "household_children",
            _("Dependent children are marked, but not a household where nobody works."),
        )
    return problems


def monitoring_rows(
    *,
    project: Project,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[Row]:
    """The project's rows for the period in its system's layout, with their problems."""
    chosen = layout(project.monitoring_system)
    enrolments = list(
        participations(project=project, date_from=date_from, date_to=date_to)
    )
    spans = _person_spans(
        project=project, trainee_ids=sorted({e.trainee_id for e in enrolments})
    )
    rows = []
    for enrolment in enrolments:
        values = row_values(
            enrolment=enrolment,
            person_span=spans[enrolment.trainee_id],
            system=chosen.system,
        )
        rows.append(
            Row(
                enrolment,
                values,
                row_problems(enrolment=enrolment, values=values, layout=chosen),
            )
        )
    return rows


def row_cells(*, row: Row, layout: Layout) -> list[Any]:
    """The row in the layout's column order, in the funder's words."""
    cells: list[Any] = []
    for column in layout.columns:
        value = row.values.get(column.key)
        if value is None:
            cells.append("")
        elif isinstance(value, str):
            cells.append(layout.word(column, value))
        else:
            cells.append(value)
    return cells
