"""Partners' exports: rendered at once when small, in a background task when large."""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import tablib
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from ..models import (
    AccessAction,
    ExportList,
    ExportLog,
    PartnerOrganisation,
    TraineeProfile,
)
from ..models import ExportFormat as ExportFormats
from ..replica import reports_on_replica
from ..reporting import partner_attendance, partner_enrolments
from ..resources import (
    AttendanceExportResource,
    EnrolmentExportResource,
)
from ..storage import private_storage
from .access import access_record

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from ..reporting import Chart

DEFAULT_SYNC_LIMIT = 500


@dataclass(frozen=True)
class ExportFormat:
    label: str | Promise
    extension: str
    content_type: str


FORMATS = {
    "xlsx": ExportFormat(
        ExportFormats.XLSX.label,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv-semicolon": ExportFormat(
        ExportFormats.CSV_SEMICOLON.label, "csv", "text/csv; charset=utf-8"
    ),
    "csv": ExportFormat(ExportFormats.CSV.label, "csv", "text/csv; charset=utf-8"),
    "ods": ExportFormat(
        ExportFormats.ODS.label, "ods", "application/vnd.oasis.opendocument.spreadsheet"
    ),
}

LISTS = {
    "enrolments": (
        ExportList.ENROLMENTS.label,
        EnrolmentExportResource,
        partner_enrolments,
    ),
    "attendance": (
        ExportList.ATTENDANCE.label,
        AttendanceExportResource,
        partner_attendance,
    ),
}


def export_sync_limit() -> int:
    return getattr(settings, "PARTNER_EXPORT_SYNC_LIMIT", DEFAULT_SYNC_LIMIT)


TRAINEE_OF_ROW = {"enrolments": "trainee_id", "attendance": "enrolment__trainee_id"}


def export_record_access(*, log: ExportLog, path: str = "") -> None:
    """The access log's entry for a partner's export: everyone in its rows."""
    if log.organisation is None:
        return
    rows = export_rows(
        organisation=log.organisation, kind=log.kind, filters=log.filters
    )
    people = TraineeProfile.objects.filter(
        pk__in=rows.order_by().values(TRAINEE_OF_ROW[log.kind])
    )
    access_record(
        actor=log.user,
        action=AccessAction.EXPORT,
        what=_("Partner's export: %(list)s (%(format)s)")
        % {"list": log.get_kind_display(), "format": log.get_format_display()},
        trainees=people,
        path=path,
    )


def export_rows(
    *, organisation: PartnerOrganisation, kind: str, filters: dict[str, Any]
) -> "QuerySet[Any]":
    """The rows of one list in the organisation's scope."""
    return LISTS[kind][2](organisation=organisation, filters=filters)


def dataset_render(*, dataset: tablib.Dataset, fmt: str) -> bytes:
    """Bytes a clerk opens in Excel or LibreOffice: CSV with a BOM so Excel reads UTF-8."""
    if fmt == "xlsx":
        return dataset.export("xlsx")
    if fmt == "ods":
        return dataset.export("ods")
    delimiter = ";" if fmt == "csv-semicolon" else ","
    text = dataset.export("csv", delimiter=delimiter)
    return ("\ufeff" + text).encode("utf-8")


def export_render(
    *,
    organisation: PartnerOrganisation,
    kind: str,
    fmt: str,
    filters: dict[str, Any],
    on_progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """Render one list; returns the file and its number of rows."""
    resource_class = LISTS[kind][1]
    rows = export_rows(organisation=organisation, kind=kind, filters=filters)
    resource = resource_class(
        with_pesel=organisation.may_see_pesel,
        on_progress=on_progress,
        for_csv=fmt.startswith("csv"),
    )
    with reports_on_replica():
        dataset = resource.export(queryset=rows)
    dataset.title = str(LISTS[kind][0])[:31]  # the sheet's name, not "Tablib Dataset"
    return dataset_render(dataset=dataset, fmt=fmt), dataset.height


# Polish whatever the interface language: these names end up in a clerk's folder.
FILE_NAMES = {"enrolments": "lista-zgloszen", "attendance": "lista-obecnosci"}


def local_stamp(moment=None) -> str:
    """Date and time in the site's time zone, for file names: 2026-12-01_16-30."""
    return f"{timezone.localtime(moment):%Y-%m-%d_%H-%M}"


def export_filename(*, log: ExportLog) -> str:
    extension = FORMATS[log.format].extension
    name = FILE_NAMES.get(log.kind, log.kind)
    return f"{name}-{local_stamp(log.created_at)}.{extension}"


def export_log_create(
    *,
    user: "User",
    organisation: PartnerOrganisation,
    kind: str,
    fmt: str,
    filters: dict[str, Any],
) -> ExportLog:
    return ExportLog.objects.create(
        user=user, organisation=organisation, kind=kind, format=fmt, filters=filters
    )


def export_now(
    *,
    user: "User",
    organisation: PartnerOrganisation,
    kind: str,
    fmt: str,
    filters: dict[str, Any],
) -> tuple[bytes, ExportLog]:
    """A small export: rendered in the request and logged with its row count."""
    content, count = export_render(
        organisation=organisation, kind=kind, fmt=fmt, filters=filters
    )
    log = export_log_create(
        user=user, organisation=organisation, kind=kind, fmt=fmt, filters=filters
    )
    log.row_count = count
    log.finished_at = timezone.now()
    log.save(update_fields=["row_count", "finished_at"])
    export_record_access(log=log)
    return content, log


def export_queue(
    *,
    user: "User",
    organisation: PartnerOrganisation,
    kind: str,
    fmt: str,
    filters: dict[str, Any],
) -> ExportLog:
    """A large export: logged now, built by a task once the log is committed."""
    log = export_log_create(
        user=user, organisation=organisation, kind=kind, fmt=fmt, filters=filters
    )
    transaction.on_commit(lambda: export_build.enqueue(log_id=log.pk))
    return log


def export_group(*, log_id: int) -> str:
    return f"export-{log_id}"


def _announce(*, log_id: int, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(
            export_group(log_id=log_id), {"type": "export.progress", **message}
        )


@task()
def export_build(*, log_id: int) -> None:
    """Build a queued export into private storage, telling the requester how far it is."""
    log = ExportLog.objects.select_related("organisation").get(pk=log_id)
    if log.organisation is None:
        return  # the organisation was removed while the export waited: no scope
    with reports_on_replica():
        total = export_rows(
            organisation=log.organisation, kind=log.kind, filters=log.filters
        ).count()

    def progress(done: int) -> None:
        _announce(log_id=log_id, message={"done": done, "total": total})

    content, count = export_render(
        organisation=log.organisation,
        kind=log.kind,
        fmt=log.format,
        filters=log.filters,
        on_progress=progress,
    )
    name = f"exports/{log.pk}-{uuid.uuid4().hex}.{FORMATS[log.format].extension}"
    log.file = private_storage().save(name, ContentFile(content))
    log.row_count = count
    log.finished_at = timezone.now()
    log.save(update_fields=["file", "row_count", "finished_at"])
    export_record_access(log=log)
    _announce(log_id=log_id, message={"done": count, "total": count, "ready": True})


def indicators_workbook(*, charts: Iterable["Chart"]) -> bytes:
    """The dashboard's tables as one XLSX workbook, a sheet per chart."""
    book = tablib.Databook()
    for chart in charts:
        sheet = tablib.Dataset(title=chart.title[:31])
        sheet.headers = [str(_("Category")), str(_("Value")), str(_("Target"))]
        for bar in chart.bars:
            target: int | str | None
            if bar.has_target:
                target = bar.target
            elif chart.with_target:  # as on the dashboard: said, not 0
                target = str(_("no target set"))
            else:
                target = ""
            sheet.append([bar.label, bar.value, target])
        book.add_sheet(sheet)
    return book.export("xlsx")
