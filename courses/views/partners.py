"""Partners' staff: "Eksport danych" – their lists, in their scope, in their format.

A page on the site rather than an admin screen: a partner's clerk only ever needs
this one form, reached from the site menu on any phone, with nothing else to learn.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from ..content_language import mark_content_choices
from ..http import AuthenticatedHttpRequest
from ..models import (
    Course,
    Edition,
    EnrolmentStatus,
    ExportLog,
    PartnerOrganisation,
    Project,
)
from ..reporting import partner_organisations_of
from ..services.exports import (
    FORMATS,
    LISTS,
    export_filename,
    export_now,
    export_queue,
    export_rows,
    export_sync_limit,
)
from ..storage import private_storage


class ExportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=PartnerOrganisation.objects.none(),
        empty_label=None,
    )
    kind = forms.ChoiceField(
        label=_("List"),
        choices=[(key, label) for key, (label, *_rest) in LISTS.items()],
        widget=forms.RadioSelect,
        initial="enrolments",
    )
    format = forms.ChoiceField(
        label=_("File format"),
        choices=[(key, fmt.label) for key, fmt in FORMATS.items()],
        widget=forms.RadioSelect,
        initial="xlsx",
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    edition = forms.ModelChoiceField(
        label=_("Edition"),
        queryset=Edition.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *EnrolmentStatus.choices],
        required=False,
    )
    date_from = forms.DateField(
        label=_("Starting from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Starting until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        mark_content_choices(self)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk
        projects = Project.objects.filter(partner_organisations__in=organisations)
        self.fields["project"].queryset = projects.distinct()
        self.fields["edition"].queryset = (
            Edition.objects.filter(project__in=projects)
            .select_related("course")
            .distinct()
            .order_by("-start_date", "code")
        )
        self.fields["course"].queryset = Course.objects.filter(
            editions__project__in=projects
        ).distinct()

    def filters(self) -> dict:
        """The chosen filters as JSON: ids, a status code and ISO dates."""
        data = self.cleaned_data
        chosen = {
            "project": data["project"] and data["project"].pk,
            "course": data["course"] and data["course"].pk,
            "edition": data["edition"] and data["edition"].pk,
            "status": data["status"],
            "date_from": data["date_from"] and data["date_from"].isoformat(),
            "date_to": data["date_to"] and data["date_to"].isoformat(),
        }
        return {key: value for key, value in chosen.items() if value}


def _organisations(request: HttpRequest):
    organisations = partner_organisations_of(user=request.user)
    if not organisations:
        raise PermissionDenied
    return organisations


@login_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    form = ExportForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        arguments = {
            "user": request.user,
            "organisation": organisation,
            "kind": form.cleaned_data["kind"],
            "fmt": form.cleaned_data["format"],
            "filters": form.filters(),
        }
        rows = export_rows(
            organisation=organisation,
            kind=arguments["kind"],
            filters=arguments["filters"],
        )
        if rows.count() > export_sync_limit():
            log = export_queue(**arguments)
            return redirect("courses:partner_export_status", pk=log.pk)
        content, log = export_now(**arguments)
        response = HttpResponse(content, content_type=FORMATS[log.format].content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{export_filename(log=log)}"'
        )
        return response
    recent = ExportLog.objects.filter(user_id=request.user.pk).select_related(
        "organisation"
    )[:5]
    return render(
        request,
        "courses/partners/export.html",
        {
            "form": form,
            "organisations": list(organisations),
            "recent": recent,
            "sync_limit": export_sync_limit(),
        },
    )


def _own_log(request: HttpRequest, pk: int) -> ExportLog:
    """The user's own export; anyone else's is a 404."""
    return get_object_or_404(ExportLog, pk=pk, user_id=request.user.pk)


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    log = _own_log(request, pk)
    return render(request, "courses/partners/export_status.html", {"log": log})


@login_required
def export_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    log = _own_log(request, pk)
    if not log.file:
        raise Http404
    storage = private_storage()
    if not storage.exists(log.file):
        return redirect("courses:partner_export")
    return FileResponse(
        storage.open(log.file, "rb"),
        as_attachment=True,
        filename=export_filename(log=log),
        content_type=FORMATS[log.format].content_type,
    )
