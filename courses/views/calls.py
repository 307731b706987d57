"""A call for counties and municipalities: the public page, the application, the
applicant's results, and the coordinator's ranking (courses.manage_calls).
"""

from urllib.parse import quote

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..call_forms import CallApplicationForm, ManualPointsForm
from ..errors import RuleError
from ..http import AuthenticatedHttpRequest
from ..models.recruitment import Call, CallApplication
from ..services.recruitment import (
    application_set_manual_points,
    call_application_submit,
    call_publish_results,
    call_ranking,
    call_select,
)
from ..services.working_groups import groups_for

MANAGE = "courses.manage_calls"


def _calls():
    return Call.objects.filter(is_published=True).select_related(
        "project", "voivodeship"
    )


def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "courses/calls/call_list.html",
        {"calls": _calls().order_by("-deadline")},
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(_calls(), pk=pk)
    mine = (
        call.applications.filter(representative=request.user)
        if request.user.is_authenticated
        else CallApplication.objects.none()
    )
    return render(
        request,
        "courses/calls/call.html",
        {
            "call": call,
            "open": call.is_open(),
            "places": call.places.all(),
            "criteria": call.criteria.all(),
            "mine": mine,
            "manages": request.user.has_perm(MANAGE),
            # The selected institutions nominate their people to the working groups.
            "nominates": any(
                group.call_id == call.pk for group in groups_for(user=request.user)
            ),
        },
    )


def call_apply(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(_calls(), pk=pk)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={quote(request.path)}")
    form = CallApplicationForm(request.POST or None, request.FILES or None, call=call)
    is_open = call.is_open()
    if is_open and request.method == "POST" and form.is_valid():
        try:
            call_application_submit(
                call=call, form=form.application(), representative=request.user
            )
        except RuleError as error:
            field = error.code if error.code in form.fields else None
            form.add_error(field, str(error.message))
        else:
            messages.success(
                request,
                _(
                    "The application is submitted. Every applicant is told the result "
                    "and its reason after the deadline."
                ),
            )
            return redirect("courses:call", pk=call.pk)
    return render(
        request,
        "courses/calls/apply.html",
        {"call": call, "form": form, "open": is_open},
    )


def _manager(request: HttpRequest) -> None:
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied


@login_required
def call_ranking_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    call = get_object_or_404(Call.objects.select_related("project"), pk=pk)
    ranking = call_ranking(call=call)
    if request.GET.get("pobierz") == "xlsx":
        return _ranking_xlsx(call=call, ranking=ranking)
    criteria = list(call.criteria.all())
    rows = []
    for row in ranking:
        answers = {a.criterion_id: a for a in row.application.answers.all()}
        rows.append(
            {
                "row": row,
                "answers": [answers.get(c.pk) for c in criteria],
                "form": ManualPointsForm(
                    prefix=f"a{row.application.pk}",
                    initial={
                        "points": row.application.manual_points,
                        "reason": row.application.manual_reason,
                    },
                ),
            }
        )
    return render(
        request,
        "courses/calls/ranking.html",
        {
            "call": call,
            "criteria": criteria,
            "rows": rows,
            "closed": timezone.now() >= call.deadline,
        },
    )


@login_required
@require_POST
def call_manual_points(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    application = get_object_or_404(CallApplication, pk=pk)
    form = ManualPointsForm(request.POST, prefix=f"a{application.pk}")
    if not form.is_valid():
        messages.error(request, _("Give the points as a number from -100 to 100."))
    else:
        try:
            application_set_manual_points(
                application=application,
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except RuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Manual points saved: %(authority)s.")
                % {"authority": application.authority},
            )
    return redirect("courses:call_ranking", pk=application.call_id)


@login_required
@require_POST
def call_select_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    call = get_object_or_404(Call, pk=pk)
    try:
        call_select(
            call=call, diversity="diversity" in request.POST, actor=request.user
        )
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Selected. Check the results, then send them."))
    return redirect("courses:call_ranking", pk=call.pk)


@login_required
@require_POST
def call_publish_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    call = get_object_or_404(Call, pk=pk)
    try:
        count = call_publish_results(call=call, actor=request.user)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The results are sent to %(count)s applicants.") % {"count": count},
        )
    return redirect("courses:call_ranking", pk=call.pk)


def _ranking_xlsx(*, call: Call, ranking) -> HttpResponse:
    criteria = list(call.criteria.all())
    sheet = tablib.Dataset(title=str(_("Ranking"))[:31])
    sheet.headers = [
        str(_("Place")),
        str(_("County or municipality")),
        str(_("Kind")),
        str(_("Applying institution")),
        *[c.name for c in criteria],
        str(_("Manual points")),
        str(_("Justification")),
        str(_("Total")),
        str(_("Submitted")),
        str(_("Result")),
        str(_("Reason")),
    ]
    for row in ranking:
        application = row.application
        answers = {a.criterion_id: a for a in application.answers.all()}
        values: list[object] = []
        for criterion in criteria:
            answer = answers.get(criterion.pk)
            if answer is None:
                values.append("")
            elif answer.yes is None:
                values.append(float(answer.number or 0))
            else:
                values.append(str(_("yes")) if answer.yes else str(_("no")))
        sheet.append(
            [
                row.position,
                application.authority,
                application.get_kind_display(),
                application.institution,
                *values,
                float(application.manual_points),
                application.manual_reason,
                float(row.total),
                timezone.localtime(application.submitted_at).replace(tzinfo=None),
                application.get_status_display(),
                application.result_reason,
            ]
        )
    response = HttpResponse(
        sheet.export("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="ranking-{call.code}.xlsx"'
    return response
