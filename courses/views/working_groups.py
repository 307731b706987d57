"""Working groups of a call: the list, a group with its members and meetings, the fee
list of a meeting.

Who sees what: the coordinator (courses.manage_calls) every group and member; the
representative of a selected institution the groups it nominates to, and of their
members only the people it nominated; a group's facilitator (a trainer of its
edition) its members. Anyone else gets a 404. Lists of members are personal data:
each view of one is in the access log.
"""

from decimal import Decimal

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..errors import RuleError
from ..http import AuthenticatedHttpRequest
from ..models import AccessAction, EnrolmentStatus
from ..models.recruitment import Call
from ..models.working_groups import GroupMeeting, WorkingGroup
from ..selectors import ON_ATTENDANCE_LIST
from ..services.access import access_record
from ..services.working_groups import (
    group_meeting_book,
    group_members,
    group_nominate,
    groups_for,
    meeting_fee_list,
    nominating_applications,
    working_group_course,
    working_group_create,
)
from ..working_group_forms import GroupCreateForm, MeetingForm, NominationForm
from ..working_groups_pdf import render_fee_list_pdf

MANAGE = "courses.manage_calls"
LIVE_MEMBER = Q(
    edition__enrolments__status__in=[EnrolmentStatus.PENDING, *ON_ATTENDANCE_LIST],
    edition__enrolments__nomination__isnull=False,
)


def _field_error(form, error: RuleError) -> None:
    form.add_error(error.code if error.code in form.fields else None, error.message)


def _with_counts(groups):
    return groups.annotate(members=Count("edition__enrolments", filter=LIVE_MEMBER))


@login_required
def call_groups(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(
        Call.objects.select_related("project", "voivodeship"), pk=pk
    )
    manages = request.user.has_perm(MANAGE)
    if manages:
        groups = _with_counts(call.working_groups.select_related("application"))
    else:
        mine = [g.pk for g in groups_for(user=request.user) if g.call_id == call.pk]
        if not mine:
            raise Http404
        groups = _with_counts(
            WorkingGroup.objects.filter(pk__in=mine).select_related("application")
        )
    form = GroupCreateForm(request.POST or None, call=call) if manages else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = working_group_create(
                call=call,
                kind=data["kind"],
                name=data["name"],
                course=working_group_course(call=call),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                application=data["application"],
                target_size=data["target_size"],
            )
        except RuleError as error:
            _field_error(form, error)
        else:
            messages.success(
                request, _("The group %(name)s is set up.") % {"name": group.name}
            )
            return redirect("courses:working_group", pk=group.pk)
    return render(
        request,
        "courses/working_groups/call_groups.html",
        {
            "call": call,
            "groups": groups.order_by("kind", "name"),
            "manages": manages,
            "form": form,
        },
    )


def _group_for(request: AuthenticatedHttpRequest, pk: int):
    group = get_object_or_404(
        WorkingGroup.objects.select_related(
            "call__project", "call__voivodeship", "application", "edition"
        ),
        pk=pk,
    )
    user = request.user
    manages = user.has_perm(MANAGE)
    facilitates = group.edition.trainers.filter(user=user).exists()
    nominating = nominating_applications(group=group, user=user)
    if not (manages or facilitates or nominating):
        raise Http404
    return group, manages, facilitates, nominating


@login_required
def group_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group, manages, facilitates, nominating = _group_for(request, pk)
    may_nominate = manages or bool(nominating)
    nominate_form = NominationForm(
        request.POST if "nominate" in request.POST else None, prefix="n"
    )
    meeting_form = MeetingForm(
        request.POST if "meeting" in request.POST else None, group=group, prefix="m"
    )
    if request.method == "POST":
        if "nominate" in request.POST and not may_nominate:
            raise PermissionDenied
        if "nominate" in request.POST and nominate_form.is_valid():
            try:
                nomination = group_nominate(
                    group=group,
                    nominee=nominate_form.nominee(),
                    sector=nominate_form.cleaned_data["sector"],
                    actor=request.user,
                )
            except RuleError as error:
                _field_error(nominate_form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is nominated to the group.")
                    % {"name": nomination.enrolment.trainee.full_name},
                )
                return redirect("courses:working_group", pk=group.pk)
        elif "meeting" in request.POST:
            if not manages:
                raise PermissionDenied
            if meeting_form.is_valid():
                data = meeting_form.cleaned_data
                try:
                    meeting = group_meeting_book(
                        group=group,
                        days=meeting_form.days(),
                        place=data["place"],
                        outside_working_hours=data["outside_working_hours"],
                        fee_per_member=data["fee_per_member"] or Decimal(0),
                        actor=request.user,
                    )
                except RuleError as error:
                    _field_error(meeting_form, error)
                else:
                    messages.success(
                        request,
                        _("Meeting %(number)s is booked.") % {"number": meeting.number},
                    )
                    return redirect("courses:working_group", pk=group.pk)
    members = group_members(group=group)
    if not (manages or facilitates):
        members = members.filter(application__in=nominating)
    members = list(members)
    if members:
        access_record(
            actor=request.user,
            action=AccessAction.VIEW,
            what=_("Members of the working group %(name)s") % {"name": group.name},
            trainees=[m.enrolment.trainee_id for m in members],
            path=request.path,
        )
    taken = group_members(group=group).count()
    meetings = group.meetings.prefetch_related("days__session")
    return render(
        request,
        "courses/working_groups/group.html",
        {
            "group": group,
            "call": group.call,
            "members": members,
            "taken": taken,
            "full": taken >= group.target_size,
            "meetings": meetings,
            "manages": manages,
            "facilitates": facilitates,
            "may_nominate": may_nominate,
            "nominate_form": nominate_form,
            "meeting_form": meeting_form,
            "sectors": sorted({m.get_sector_display() for m in members}),
        },
    )


@login_required
def meeting_fee_list_download(
    request: AuthenticatedHttpRequest, pk: int, format: str
) -> HttpResponse:
    if format not in ("pdf", "xlsx"):
        raise Http404
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    meeting = get_object_or_404(
        GroupMeeting.objects.select_related("group__call__project", "group__edition"),
        pk=pk,
    )
    if not meeting.outside_working_hours:
        messages.error(
            request,
            _("Meeting %(number)s is in working hours: it pays no fee.")
            % {"number": meeting.number},
        )
        return redirect("courses:working_group", pk=meeting.group_id)
    fees = meeting_fee_list(meeting=meeting)
    if fees.unmarked:
        messages.error(
            request,
            _("Mark the attendance of every day first; not marked yet: %(people)s.")
            % {"people": "; ".join(fees.unmarked)},
        )
        return redirect("courses:working_group", pk=meeting.group_id)
    access_record(
        actor=request.user,
        action=AccessAction.DOWNLOAD,
        what=_("Fee list of meeting %(number)s of %(group)s")
        % {"number": meeting.number, "group": meeting.group.name},
        trainees=[row.enrolment.trainee_id for row in fees.rows],
        path=request.path,
    )
    name = f"wynagrodzenia-{meeting.group.edition.code}-{meeting.number}"
    if format == "pdf":
        response = HttpResponse(
            render_fee_list_pdf(fees=fees), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return _fee_list_xlsx(fees=fees, name=name)


def _fee_list_xlsx(*, fees, name: str) -> HttpResponse:
    sheet = tablib.Dataset(title=str(_("Fee list"))[:31])
    sheet.headers = [
        str(_("No.")),
        str(_("Last name")),
        str(_("First name")),
        str(_("Institution")),
        str(_("Sector")),
        str(_("Days present")),
        str(_("Days of the meeting")),
        str(_("Amount (PLN)")),
    ]
    for number, row in enumerate(fees.rows, start=1):
        trainee = row.enrolment.trainee
        sheet.append(
            [
                number,
                trainee.last_name,
                trainee.first_name,
                trainee.institution.name,
                row.sector,
                row.days_present,
                len(fees.days),
                float(row.amount),
            ]
        )
    sheet.append(["", "", "", "", "", "", str(_("Total")), float(fees.total)])
    response = HttpResponse(
        sheet.export("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
