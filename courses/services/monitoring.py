"""Writes of the funder's participant record, and the logged export of a period."""

import datetime
from typing import TYPE_CHECKING, Any

import tablib
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import RuleError
from ..models import (
    AccessAction,
    Enrolment,
    ExportFormat,
    ExportList,
    ExportLog,
    ParticipantRecord,
    Participation,
    Project,
    TraineeProfile,
)
from ..monitoring.layouts import layout
from ..monitoring.rows import monitoring_rows, row_cells
from ..resources import spreadsheet_safe
from .access import access_record

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class MonitoringError(RuleError):
    """The export would send the funder an incomplete or inconsistent record."""


def participant_record_apply(
    *, trainee: TraineeProfile, record: dict[str, Any]
) -> ParticipantRecord:
    """Set and save the person's record; call inside the caller's transaction."""
    instance = ParticipantRecord.objects.filter(
        trainee=trainee
    ).first() or ParticipantRecord(trainee=trainee)
    for name, value in record.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def participant_record_update(
    *, trainee: TraineeProfile, record: dict[str, Any]
) -> ParticipantRecord:
    """The trainee's own answers: all of them or none."""
    with transaction.atomic():
        return participant_record_apply(trainee=trainee, record=record)


def participant_record_save(
    *, trainee: TraineeProfile, person: dict[str, Any], record: dict[str, Any]
) -> ParticipantRecord:
    """A coordinator's fix of a person's data: the profile's fields and the record,
    both or neither."""
    with transaction.atomic():
        for name, value in person.items():
            setattr(trainee, name, value)
        trainee.full_clean(exclude=["user", "institution"])
        trainee.save()
        return participant_record_apply(trainee=trainee, record=record)


def participation_save(*, enrolment: Enrolment, data: dict[str, Any]) -> Participation:
    with transaction.atomic():
        instance = Participation.objects.filter(
            enrolment=enrolment
        ).first() or Participation(enrolment=enrolment)
        for name, value in data.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
    return instance


def monitoring_filename(*, project: Project, log: ExportLog) -> str:
    stamp = timezone.localtime(log.created_at)
    code = "".join(ch if ch.isalnum() else "-" for ch in project.code)
    return f"uczestnicy-{project.monitoring_system}-{code}-{stamp:%Y%m%d-%H%M}.xlsx"


def monitoring_export(
    *,
    user: "User",
    project: Project,
    date_from: datetime.date | None,
    date_to: datetime.date | None,
) -> tuple[bytes, ExportLog]:
    """The complete participations of a period in the project's system's layout, logged.

    A participation with anything missing or inconsistent is left out of the file
    (the log counts it) until the coordinator fixes what the list shows: the
    funder's system never receives a partial record. With nothing complete, no file.
    """
    chosen = layout(project.monitoring_system)
    rows = monitoring_rows(project=project, date_from=date_from, date_to=date_to)
    complete = [row for row in rows if not row.problems]
    left_out = len(rows) - len(complete)
    if rows and not complete:
        raise MonitoringError(
            _(
                "Not exported: every one of the %(total)s participations misses data "
                "the funder requires. Fix what the list shows, then export again."
            )
            % {"total": len(rows)}
        )
    dataset = tablib.Dataset(title=chosen.system.upper())
    dataset.headers = [column.header for column in chosen.columns]
    for row in complete:
        dataset.append([spreadsheet_safe(c) for c in row_cells(row=row, layout=chosen)])
    content = dataset.export("xlsx")
    log = ExportLog.objects.create(
        user=user,
        organisation=None,
        kind=ExportList.MONITORING,
        format=ExportFormat.XLSX,
        filters={
            "project": project.pk,
            "system": project.monitoring_system,
            **({"date_from": date_from.isoformat()} if date_from else {}),
            **({"date_to": date_to.isoformat()} if date_to else {}),
            **({"left_out": left_out} if left_out else {}),
        },
        row_count=len(complete),
        finished_at=timezone.now(),
    )
    # The file holds every exported person's record: each of them sees this export.
    access_record(
        actor=user,
        action=AccessAction.EXPORT,
        what=_("Monitoring system export: %(project)s (%(system)s)")
        % {"project": project.code, "system": project.monitoring_system.upper()},
        trainees=[row.enrolment.trainee_id for row in complete],
    )
    return content, log
