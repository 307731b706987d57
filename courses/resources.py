"""Lists partners export, with Polish headers; import columns coordinators load."""

import re

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from .models import Attendance, Enrolment

PROGRESS_EVERY = 200
# A cell a spreadsheet would run as a formula; "+48 600 100 200" stays a phone number.
FORMULA = re.compile(r"^(?:[=@\t\r]|[+-](?![\d\s]*$))")


def spreadsheet_safe(value):
    """Text people typed, made inert for Excel: no formula runs when a clerk opens it."""
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value


def _yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


class SafeResource(resources.ModelResource):
    """Every cell passes through spreadsheet_safe."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))


class ScopedResource(SafeResource):
    """Drops the PESEL column unless the partner may see it; can report progress."""

    def __init__(self, *, with_pesel: bool = False, on_progress=None, **kwargs):
        super().__init__(**kwargs)
        self.with_pesel = with_pesel
        self.on_progress = on_progress
        self.exported = 0

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # A background export reports every few hundred rows how far it got.
        self.exported += 1
        if self.on_progress and self.exported % PROGRESS_EVERY == 0:
            self.on_progress(self.exported)
        return super().export_resource(instance, selected_fields, **kwargs)

    def get_export_fields(self, selected_fields=None):
        export_fields = super().get_export_fields(selected_fields)
        if self.with_pesel:
            return export_fields
        return [field for field in export_fields if field.attribute != "pesel"]


class EnrolmentExportResource(ScopedResource):
    """The enrolment list: one row per enrolment."""

    last_name = fields.Field("trainee__last_name", _("Last name"))
    first_name = fields.Field("trainee__first_name", _("First name"))
    pesel = fields.Field("pesel", _("PESEL"))
    email = fields.Field("trainee__user__email", _("E-mail"))
    phone = fields.Field("trainee__phone", _("Phone"))
    gender = fields.Field("gender", _("Gender"))
    position = fields.Field("position", _("Position"))
    institution = fields.Field("trainee__institution__name", _("Institution"))
    institution_type = fields.Field("institution_type", _("Institution type"))
    county = fields.Field("trainee__institution__county", _("County"))
    municipality = fields.Field("trainee__institution__municipality", _("Municipality"))
    voivodeship = fields.Field("voivodeship__name", _("Voivodeship"))
    project = fields.Field("edition__project__code", _("Project"))
    course = fields.Field("edition__course__title", _("Course"))
    edition = fields.Field("edition__code", _("Edition"))
    start_date = fields.Field("edition__start_date", _("Start date"))
    end_date = fields.Field("edition__end_date", _("End date"))
    status = fields.Field("status", _("Status"))
    applied = fields.Field("created_at", _("Applied"))

    class Meta:
        model = Enrolment
        fields = export_order = (
            "last_name",
            "first_name",
            "pesel",
            "email",
            "phone",
            "gender",
            "position",
            "institution",
            "institution_type",
            "voivodeship",
            "county",
            "municipality",
            "project",
            "course",
            "edition",
            "start_date",
            "end_date",
            "status",
            "applied",
        )

    def dehydrate_pesel(self, enrolment):
        return enrolment.trainee.pesel

    def dehydrate_gender(self, enrolment):
        return enrolment.trainee.get_gender_display()

    def dehydrate_position(self, enrolment):
        return enrolment.trainee.get_position_display()

    def dehydrate_institution_type(self, enrolment):
        return enrolment.trainee.institution.get_type_display()

    def dehydrate_status(self, enrolment):
        return enrolment.get_status_display()

    def dehydrate_start_date(self, enrolment):
        return enrolment.edition.start_date.isoformat()

    def dehydrate_end_date(self, enrolment):
        return enrolment.edition.end_date.isoformat()

    def dehydrate_applied(self, enrolment):
        return enrolment.created_at.date().isoformat()


class AttendanceExportResource(ScopedResource):
    """The attendance list: one row per trainee and session."""

    last_name = fields.Field("enrolment__trainee__last_name", _("Last name"))
    first_name = fields.Field("enrolment__trainee__first_name", _("First name"))
    pesel = fields.Field("pesel", _("PESEL"))
    institution = fields.Field(
        "enrolment__trainee__institution__name", _("Institution")
    )
    voivodeship = fields.Field("enrolment__voivodeship__name", _("Voivodeship"))
    project = fields.Field("session__edition__project__code", _("Project"))
    course = fields.Field("session__edition__course__title", _("Course"))
    edition = fields.Field("session__edition__code", _("Edition"))
    date = fields.Field("session__date", _("Session date"))
    hours = fields.Field("hours", _("Hours"))
    present = fields.Field("present", _("Present"))

    class Meta:
        model = Attendance
        fields = export_order = (
            "last_name",
            "first_name",
            "pesel",
            "institution",
            "voivodeship",
            "project",
            "course",
            "edition",
            "date",
            "hours",
            "present",
        )

    def dehydrate_pesel(self, attendance):
        return attendance.enrolment.trainee.pesel

    def dehydrate_date(self, attendance):
        return attendance.session.date.isoformat()

    def dehydrate_hours(self, attendance):
        session = attendance.session
        return f"{session.start_time:%H:%M}–{session.end_time:%H:%M}"

    def dehydrate_present(self, attendance):
        return _yes_no(attendance.present)
