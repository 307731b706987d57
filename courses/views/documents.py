"""Documents of an enrolment: application PDF, signed declaration, calendar file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from ..calendar import edition_calendar
from ..documents import render_application_pdf
from ..errors import EnrolmentError
from ..forms import ScanUploadForm
from ..models import Edition, Enrolment, EnrolmentStatus
from ..services import enrolment_attach_declaration

COORDINATOR_PERMISSION = "courses.change_enrolment"


def _enrolment_for(request: HttpRequest, pk: int) -> Enrolment:
    """The enrolment if it is the user's own, or any for a coordinator; else 404."""
    enrolments = Enrolment.objects.select_related(
        "trainee__user", "edition__course", "edition__project"
    )
    if not request.user.has_perm(COORDINATOR_PERMISSION):
        enrolments = enrolments.filter(trainee__user=request.user)
    return get_object_or_404(enrolments, pk=pk)


def _filename(*parts: str, suffix: str) -> str:
    return "-".join(slugify(part) for part in parts if part) + f".{suffix}"


@login_required
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment_for(request, pk)
    pdf = render_application_pdf(
        enrolment=enrolment, site=Site.find_for_request(request)
    )
    name = _filename(
        "formularz", enrolment.edition.code, enrolment.trainee.last_name, suffix="pdf"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def declaration_upload(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("edition__course", "edition__project"),
        pk=pk,
        trainee__user=request.user,
    )
    form = ScanUploadForm(
        request.POST or None,
        request.FILES or None,
        label=gettext_lazy("Scan or photo of the signed declaration"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_attach_declaration(
                enrolment=enrolment, file=form.cleaned_data["file"], actor=request.user
            )
        except EnrolmentError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _("Thank you: your signed declaration for %(edition)s is received.")
                % {"edition": enrolment.edition},
            )
            return redirect("courses:my_enrolments")
    can_upload = enrolment.status in (
        EnrolmentStatus.PENDING,
        EnrolmentStatus.CONFIRMED,
    )
    return render(
        request,
        "courses/declaration_upload.html",
        {"enrolment": enrolment, "form": form, "can_upload": can_upload},
    )


@login_required
def declaration_file(request: HttpRequest, pk: int) -> FileResponse:
    enrolment = _enrolment_for(request, pk)
    if not enrolment.declaration:
        raise Http404
    suffix = enrolment.declaration.name.rsplit(".", 1)[-1]
    name = _filename(
        "oswiadczenie",
        enrolment.edition.code,
        enrolment.trainee.last_name,
        suffix=suffix,
    )
    response = FileResponse(
        enrolment.declaration.open("rb"), as_attachment=True, filename=name
    )
    response["Cache-Control"] = "private, no-store"
    return response


def edition_ics(request: HttpRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(
        Edition.objects.select_related("course", "project"), pk=pk, is_published=True
    )
    response = HttpResponse(
        edition_calendar(edition=edition), content_type="text/calendar; charset=utf-8"
    )
    name = _filename(edition.code, suffix="ics")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
