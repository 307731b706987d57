"""The person's own data (who accessed it, consents) and the public privacy page."""

import datetime

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import ConsentsForm
from ..http import AuthenticatedHttpRequest
from ..models import (
    ConsentHow,
    ErasureRequest,
    InformationClause,
    Project,
    TraineeProfile,
)
from ..services.access import access_events_of
from ..services.erasure import erasure_preview, erasure_request
from ..services.portability import personal_data_zip
from ..services.privacy import (
    clause_current,
    consent_answers,
    consents_current,
    consents_record,
    consents_to_reask,
)


def _consents_form(request, data=None) -> ConsentsForm:
    return ConsentsForm(
        data,
        texts=consents_current(),
        answers=consent_answers(user=request.user),
    )


@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainee = TraineeProfile.objects.filter(user=request.user).first()
    events = None
    if trainee is not None:
        events = Paginator(access_events_of(trainee=trainee), 25).get_page(
            request.GET.get("strona")
        )
    return render(
        request,
        "courses/my_data.html",
        {
            "trainee": trainee,
            "events": events,
            "consents_form": _consents_form(request),
            "reask": consents_to_reask(user=request.user),
            "kept": erasure_preview(trainee=trainee),
            "today": timezone.localdate(),
        },
    )


@login_required
def my_data_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own copy: a ZIP with dane.json, dane.pdf and their files."""
    content = personal_data_zip(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    name = f"moje-dane-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def erasure(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for erasure: what goes at once and what is kept until when, then confirm."""
    trainee = TraineeProfile.objects.filter(user=request.user).first()
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "1":
            done = erasure_request(user=request.user)
            logout(request)
            request.session["erasure_request"] = done.pk
            return redirect("courses:erasure_done")
        error = _("Tick the box to confirm that you ask for erasure.")
    return render(
        request,
        "courses/erasure.html",
        {
            "trainee": trainee,
            "kept": erasure_preview(trainee=trainee),
            "error": error,
        },
    )


def erasure_done(request: HttpRequest) -> HttpResponse:
    """After the request (signed out): what was erased and what is kept until when."""
    pk = request.session.get("erasure_request")
    done = ErasureRequest.objects.filter(pk=pk).first() if pk else None
    if done is None:
        return redirect("courses:privacy")
    kept = [
        {
            **item,
            "until": datetime.date.fromisoformat(item["until"])
            if item["until"]
            else None,
        }
        for item in done.kept
    ]
    return render(
        request, "courses/erasure_done.html", {"request_done": done, "kept": kept}
    )


@login_required
@require_POST
def consents_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = _consents_form(request, request.POST)
    if not form.is_valid():  # checkboxes cannot be invalid; kept for safety
        messages.error(request, _("Your consents could not be saved: try again."))
        return redirect("courses:my_data")
    reasked = {text.pk for text in consents_to_reask(user=request.user)}
    decisions = form.decisions()
    how = ConsentHow.REASKED if reasked & set(decisions) else ConsentHow.ACCOUNT
    changed = consents_record(user=request.user, decisions=decisions, how=how)
    if changed:
        messages.success(request, _("Your consents are saved."))
    else:
        messages.info(request, _("Nothing changed in your consents."))
    return redirect(reverse("courses:my_data") + "#zgody")


def privacy(request: HttpRequest) -> HttpResponse:
    """Public: the platform's clause, every project's current clause, the cookies."""
    projects = [
        (project, clause_current(project=project))
        for project in Project.objects.filter(information_clauses__isnull=False)
        .distinct()
        .order_by("code")
    ]
    return render(
        request,
        "courses/privacy.html",
        {
            "clause": clause_current(project=None),
            "projects": projects,
            "consent_texts": consents_current(),
        },
    )


def privacy_clause(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: one version of a clause (what a person was shown stays readable)."""
    clause = get_object_or_404(
        InformationClause.objects.select_related("project"), pk=pk
    )
    newer = InformationClause.objects.filter(
        project=clause.project, version__gt=clause.version
    ).exists()
    return render(
        request, "courses/privacy_clause.html", {"clause": clause, "newer": newer}
    )
