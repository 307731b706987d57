"""The funder's participant record: validation of a period, fixes, and the export."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..errors import RuleError
from ..forms import ParticipantRecordForm
from ..models import Enrolment, Participation, Project, TraineeProfile
from ..monitoring.layouts import layout
from ..monitoring.rows import monitoring_rows
from ..services.monitoring import (
    monitoring_export,
    monitoring_filename,
    participant_record_save,
    participation_save,
)
from .base import PermittedMenuViewSet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(forms.Form):
    project = forms.ModelChoiceField(
        label=gettext_lazy("Project"), queryset=Project.objects.order_by("code")
    )
    date_from = forms.DateField(
        label=gettext_lazy("Support started from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Support started until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        field.label_from_instance = lambda project: f"{project.code} – {project.name}"  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class MonitoringView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Choose a project and a period; see what is missing per person; export."""

    model = Enrolment
    permission_required = "change"
    template_name = "courses/admin/monitoring.html"
    page_title = gettext_lazy("Participants for the monitoring system")
    header_icon = "list-ul"

    def get(self, request, *args, **kwargs):
        form = PeriodForm(request.GET or None)
        context = {"form": form}
        if form.is_valid():
            project = form.cleaned_data["project"]
            start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            if request.GET.get("pobierz") == "xlsx":
                try:
                    content, log = monitoring_export(
                        user=request.user, project=project, date_from=start, date_to=end
                    )
                except RuleError as error:
                    messages.error(request, str(error))
                else:
                    response = HttpResponse(content, content_type=XLSX)
                    name = monitoring_filename(project=project, log=log)
                    response["Content-Disposition"] = f'attachment; filename="{name}"'
                    return response
            rows = monitoring_rows(project=project, date_from=start, date_to=end)
            query = request.GET.copy()
            query["pobierz"] = "xlsx"
            context.update(
                project=project,
                layout=layout(project.monitoring_system),
                rows=rows,
                incomplete=[row for row in rows if row.problems],
                complete_count=sum(1 for row in rows if not row.problems),
                export_url=f"?{query.urlencode()}",
            )
        return self.render_to_response(self.get_context_data(**context))

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class FixView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """A page that corrects what the validation listed, then goes back to the list."""

    template_name = "courses/admin/monitoring_fix.html"
    permission_required = "change"
    header_icon = "edit"

    def back_url(self) -> str:
        back = self.request.GET.get("next", "")
        index = reverse("partner_monitoring:index")
        return back if back.startswith(index) else index

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("partner_monitoring:index"),
                "label": _("Participants for the monitoring system"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def render_forms(self, forms_: list, **extra):
        return self.render_to_response(
            self.get_context_data(forms=forms_, back_url=self.back_url(), **extra)
        )


class PersonForm(forms.ModelForm):
    class Meta:
        model = TraineeProfile
        fields = ["first_name", "last_name", "gender", "education", "phone", "pesel"]

    def validate_unique(self):
        try:
            self.instance.validate_unique(exclude=["user", "institution"])
        except forms.ValidationError as error:
            self._update_errors(error)


class RecordFixView(FixView):
    model = TraineeProfile

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.trainee = get_object_or_404(TraineeProfile, pk=kwargs["pk"])

    def get_page_title(self):
        return _("Participant data: %(name)s") % {"name": self.trainee.full_name}

    def _forms(self, data=None):
        record = getattr(self.trainee, "record", None)
        return (
            PersonForm(data, instance=self.trainee, prefix="person"),
            ParticipantRecordForm(data, instance=record),
        )

    def get(self, request, *args, **kwargs):
        return self.render_forms(list(self._forms()))

    def post(self, request, *args, **kwargs):
        person, record = self._forms(request.POST)
        if person.is_valid() and record.is_valid():
            try:
                participant_record_save(
                    trainee=self.trainee,
                    person={f: person.cleaned_data[f] for f in person.Meta.fields},
                    record={f: record.cleaned_data[f] for f in record.Meta.fields},
                )
            except RuleError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The participant's data is saved."))
                return redirect(self.back_url())
        return self.render_forms([person, record], invalid=True)


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["leaving_situation", "ended_as_planned"]


class ParticipationFixView(FixView):
    model = Enrolment

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.enrolment = get_object_or_404(
            Enrolment.objects.select_related("trainee", "edition"), pk=kwargs["pk"]
        )

    def get_page_title(self):
        return _("How the participation ended: %(enrolment)s") % {
            "enrolment": f"{self.enrolment.trainee.full_name}, {self.enrolment.edition.code}"
        }

    def _form(self, data=None):
        instance = getattr(self.enrolment, "participation", None)
        return ParticipationForm(data, instance=instance, prefix="participation")

    def get(self, request, *args, **kwargs):
        return self.render_forms([self._form()])

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if form.is_valid():
            participation_save(enrolment=self.enrolment, data=form.cleaned_data)
            messages.success(request, _("The participation's data is saved."))
            return redirect(self.back_url())
        return self.render_forms([form], invalid=True)


class MonitoringViewSet(PermittedMenuViewSet):
    name = "partner_monitoring"
    url_prefix = "partners/monitoring"
    icon = "list-ul"
    menu_label = gettext_lazy("Monitoring system (SL2014/CST2021)")
    menu_permissions = ("courses.change_enrolment",)

    def get_urlpatterns(self):
        return [
            path("", MonitoringView.as_view(), name="index"),
            path("person/<int:pk>/", RecordFixView.as_view(), name="record"),
            path(
                "participation/<int:pk>/",
                ParticipationFixView.as_view(),
                name="participation",
            ),
        ]
