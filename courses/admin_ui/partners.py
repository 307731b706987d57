"""Admin screens of the "Partners and reports" menu: partners, export log, import, indicators."""

import re
import uuid

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from ..imports import import_max_bytes
from ..models import Enrolment, ExportLog, PartnerOrganisation, TraineeProfile
from ..reporting import export_filters_text, indicators
from ..services.exports import indicators_workbook, local_stamp
from ..services.import_templates import FILE_NAMES as TEMPLATE_NAMES
from ..services.import_templates import import_template
from ..services.imports import CHOICES, COLUMNS, KINDS, import_run
from ..storage import private_storage
from .base import SinglePageViewSet
from .monitoring import MonitoringViewSet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "courses_import_file"
STORED_NAME = re.compile(r"^imports/[0-9a-f]{32}\.upload$")


class PartnerOrganisationViewSet(ModelViewSet):
    model = PartnerOrganisation
    name = "partner_organisations"
    url_prefix = "partners/organisations"
    icon = "group"
    menu_label = gettext_lazy("Partner organisations")
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["name"]
    list_display = ["name", "kind", "may_see_pesel"]
    list_filter = ["kind", "may_see_pesel"]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("projects", widget=forms.CheckboxSelectMultiple),
        FieldPanel("voivodeships", widget=forms.CheckboxSelectMultiple),
        FieldPanel("staff"),
        FieldPanel("may_see_pesel"),
    ]


class ExportLogViewSet(ModelViewSet):
    """Who exported what: read-only, for coordinators."""

    model = ExportLog
    name = "partner_exports"
    url_prefix = "partners/exports"
    icon = "download"
    menu_label = gettext_lazy("Export log")
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    list_display = [
        Column("created_at", label=gettext_lazy("When"), sort_key="created_at"),
        "user",
        "organisation",
        "kind",
        "format",
        "row_count",
        Column(
            "filters",
            label=gettext_lazy("Filters"),
            accessor=lambda log: export_filters_text(filters=log.filters),
        ),
    ]
    list_filter = ["organisation", "format", "kind"]
    form_fields: list[
        str
    ] = []  # nobody edits the log; coordinators only have view permission


class CoordinatorView(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=list(KINDS.items()),
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "XLSX, or CSV saved by Excel (UTF-8 or Windows-1250, commas or semicolons)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > import_max_bytes():
            raise forms.ValidationError(_("The file is too large."))
        return upload


class ImportView(CoordinatorView, FormView):
    """Upload, preview (a dry run), then commit the same stored file."""

    model = TraineeProfile
    permission_required = "add"
    form_class = ImportForm
    template_name = "courses/admin/import.html"
    page_title = gettext_lazy("Import")
    header_icon = "upload"

    def get(self, request, *args, **kwargs):
        template = request.GET.get("wzor", "")
        if template in KINDS:
            return _xlsx(import_template(kind=template), TEMPLATE_NAMES[template])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["choice_labels"] = CHOICES
        context["columns"] = [
            (label, [(str(c.label), c.required) for c in COLUMNS[key]], key)
            for key, label in KINDS.items()
        ]
        return context

    def form_valid(self, form):
        content = form.cleaned_data["file"].read()
        kind = form.cleaned_data["kind"]
        result = import_run(
            kind=kind, content=content, actor=self.request.user, commit=False
        )
        stored = ""
        storage = private_storage()
        previous = self.request.session.pop(SESSION_KEY, "")
        if STORED_NAME.match(previous) and storage.exists(previous):
            storage.delete(previous)  # an abandoned preview: only the newest counts
        if not result.errors:
            name = f"imports/{uuid.uuid4().hex}.upload"
            stored = storage.save(name, ContentFile(content))
            self.request.session[SESSION_KEY] = stored
        return self.render_to_response(
            self.get_context_data(form=form, result=result, kind=kind, stored=stored)
        )

    def _choices(self) -> dict[int, str]:
        """The coordinator's choice for each row in conflict: `choice-<row>` fields."""
        choices = {}
        for name, value in self.request.POST.items():
            number = name.removeprefix("choice-")
            if name.startswith("choice-") and number.isdigit() and value in CHOICES:
                choices[int(number)] = value
        return choices

    def post(self, request, *args, **kwargs):
        if "confirm" not in request.POST:
            return super().post(request, *args, **kwargs)
        stored = request.session.pop(SESSION_KEY, "")
        kind = request.POST.get("kind", "")
        storage = private_storage()
        if (
            stored != request.POST.get("stored")
            or not STORED_NAME.match(stored)
            or kind not in KINDS
            or not storage.exists(stored)
        ):
            messages.error(request, _("Upload the file again: its preview expired."))
            return redirect("partner_import:index")
        with storage.open(stored, "rb") as handle:
            content = handle.read()
        choices = self._choices()
        result = import_run(
            kind=kind,
            content=content,
            actor=request.user,
            commit=True,
            choices=choices,
        )
        if result.unresolved and len(result.errors) == len(result.unresolved):
            # Only choices are missing: the same file, previewed again, asks for them.
            request.session[SESSION_KEY] = stored
            return self.render_to_response(
                self.get_context_data(
                    form=self.get_form_class()(),
                    result=result,
                    kind=kind,
                    stored=stored,
                )
            )
        storage.delete(stored)
        if result.errors:
            return self.render_to_response(
                self.get_context_data(form=self.get_form_class()(), result=result)
            )
        messages.success(
            request,
            _(
                "Imported: %(new)s new rows, %(unchanged)s unchanged, %(updated)s "
                "updated, %(kept)s skipped as you chose."
            )
            % {
                "new": len(result.rows)
                - result.count("unchanged")
                - result.count("updated")
                - result.count("kept"),
                "unchanged": result.count("unchanged"),
                "updated": result.count("updated"),
                "kept": result.count("kept"),
            },
        )
        return redirect("partner_import:index")


class IndicatorsView(CoordinatorView, TemplateView):
    """Participants against the targets and the counts over time, drawn on the server."""

    model = Enrolment
    any_permission_required = ["view", "change"]
    template_name = "courses/admin/indicators.html"
    page_title = gettext_lazy("Indicators")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        download = request.GET.get("pobierz")
        if download == "wskazniki":
            return _xlsx(
                indicators_workbook(charts=indicators()),
                f"wskazniki-{local_stamp()}.xlsx",
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["charts"] = indicators()
        return context


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImportViewSet(SinglePageViewSet):
    name = "partner_import"
    url_prefix = "partners/import"
    icon = "upload"
    menu_label = gettext_lazy("Import")
    view_class = ImportView
    menu_permissions = ("courses.add_traineeprofile",)


class IndicatorsViewSet(SinglePageViewSet):
    name = "partner_indicators"
    url_prefix = "partners/indicators"
    icon = "table"
    menu_label = gettext_lazy("Indicators")
    view_class = IndicatorsView
    menu_permissions = ("courses.view_enrolment", "courses.change_enrolment")


class PartnersViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Partners and reports")
    menu_icon = "table"
    menu_order = 205
    items = (
        IndicatorsViewSet,
        MonitoringViewSet,
        ImportViewSet,
        PartnerOrganisationViewSet,
        ExportLogViewSet,
    )
