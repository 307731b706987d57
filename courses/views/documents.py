"""Documents of an enrolment: application PDF, signed declaration, calendar file."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from ..calendar import edition_calendar
from ..documents import render_application_pdf
from ..http import AuthenticatedHttpRequest
from ..models import AccessAction, Edition, Enrolment, EnrolmentStatus
from ..services import enrolment_attach_declaration
from ..services.access import access_record
from .scans import download_name, scan_download, scan_upload

COORDINATOR_PERMISSION = "courses.change_enrolment"


def _enrolment_for(request: AuthenticatedHttpRequest, pk: int) -> Enrolment:
    """The enrolment if it is the user's own, or any for a coordinator; else 404."""
    enrolments = Enrolment.objects.select_related(
        "trainee__user", "edition__course", "edition__project"
    )
    if not request.user.has_perm(COORDINATOR_PERMISSION):
        enrolments = enrolments.filter(trainee__user=request.user)
    return get_object_or_404(enrolments, pk=pk)


@login_required
def application_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_for(request, pk)
    pdf = render_application_pdf(
        enrolment=enrolment, site=Site.find_for_request(request)
    )
    access_record(
        actor=request.user,
        action=AccessAction.DOWNLOAD,
        what=_("Application form PDF: %(edition)s")
        % {"edition": enrolment.edition.code},
        trainees=[enrolment.trainee_id],
        path=request.path,
    )
    name = download_name(
        "formularz", enrolment.edition.code, enrolment.trainee.last_name, suffix="pdf"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def declaration_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("edition__course", "edition__project"),
        pk=pk,
        trainee__user=request.user,
    )
    can_upload = enrolment.status in (
        EnrolmentStatus.PENDING,
        EnrolmentStatus.CONFIRMED,
    )
    return scan_upload(
        request,
        label=gettext_lazy("Scan or photo of the signed declaration"),
        attach=partial(enrolment_attach_declaration, enrolment=enrolment),
        done=_("Thank you: your signed declaration for %(edition)s is received.")
        % {"edition": enrolment.edition},
        next_url=reverse("courses:my_enrolments"),
        template="courses/declaration_upload.html",
        context={"enrolment": enrolment, "can_upload": can_upload},
    )


@login_required
def declaration_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    enrolment = _enrolment_for(request, pk)
    if not enrolment.declaration:
        raise Http404
    access_record(
        actor=request.user,
        action=AccessAction.DOWNLOAD,
        what=_("Signed declaration scan: %(edition)s")
        % {"edition": enrolment.edition.code},
        trainees=[enrolment.trainee_id],
        path=request.path,
    )
    return scan_download(
        enrolment.declaration,
        "oswiadczenie",
        enrolment.edition.code,
        enrolment.trainee.last_name,
    )


def edition_ics(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(
        Edition.objects.select_related("course", "project"), pk=pk, is_published=True
    )
    response = HttpResponse(
        edition_calendar(edition=edition), content_type="text/calendar; charset=utf-8"
    )
    name = download_name(edition.code, suffix="ics")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
