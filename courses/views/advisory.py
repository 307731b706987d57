"""Advisory and coaching pages: the offer, the request, "Moje doradztwo", the cases.

Who sees a case: the coordinator (courses.manage_advisory) and the adviser it is
assigned to; anyone else gets a 404, as for another trainer's group.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..advisory_forms import (
    AdvisoryRequestForm,
    AssignForm,
    BookForm,
    CoordinatorRequestForm,
    RecordForm,
)
from ..errors import RuleError
from ..http import AuthenticatedHttpRequest
from ..models import (
    AdvisoryMeeting,
    AdvisoryOffer,
    AdvisoryRequest,
    EnrolmentStatus,
    RequestChannel,
    Session,
    SupportKind,
    TraineeProfile,
)
from ..services.advisory import (
    advisory_assign,
    advisory_meeting_book,
    advisory_meeting_record,
    advisory_request_create,
)
from ..services.attendance import completion_compute, enrolment_complete

MANAGE = "courses.manage_advisory"


def _offers() -> QuerySet[AdvisoryOffer]:
    return AdvisoryOffer.objects.filter(is_published=True).select_related(
        "project", "course"
    )


def _cases_of(user) -> QuerySet[AdvisoryRequest]:
    cases = AdvisoryRequest.objects.select_related(
        "offer",
        "adviser",
        "enrolment__trainee__institution__voivodeship",
        "enrolment__edition",
    )
    if user.has_perm(MANAGE):
        return cases
    if not user.has_perm("courses.view_advisoryrequest"):
        return cases.none()
    return cases.filter(adviser__user=user)


def _field_error(form, error: RuleError) -> None:
    form.add_error(error.code if error.code in form.fields else None, error.message)


def offer_list(request: HttpRequest, kind: str = SupportKind.ADVISORY) -> HttpResponse:
    return render(
        request,
        "courses/advisory/offer_list.html",
        {
            "offers": _offers().filter(course__kind=kind).order_by("-ends_on", "title"),
            "coaching": kind == SupportKind.COACHING,
        },
    )


def coaching_offer_list(request: HttpRequest) -> HttpResponse:
    return offer_list(request, kind=SupportKind.COACHING)


def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(_offers(), pk=pk)
    return render(
        request,
        "courses/advisory/offer.html",
        {
            "offer": offer,
            "rules": offer.project.eligibility_rules.prefetch_related("voivodeships"),
            "open": offer.is_open(),
        },
    )


def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(_offers(), pk=pk)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={quote(request.path)}")
    trainee = TraineeProfile.objects.filter(user=request.user).first()
    if trainee is None:
        messages.info(
            request,
            _("Complete your profile first: it decides which projects you may join."),
        )
        return redirect(f"{reverse('courses:profile')}?next={quote(request.path)}")
    form = AdvisoryRequestForm(request.POST or None, offer=offer)
    if offer.is_open() and request.method == "POST" and form.is_valid():
        try:
            advisory_request_create(
                offer=offer, trainee=trainee, details=form.details(), actor=request.user
            )
        except RuleError as error:
            _field_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your request is received. Download the pre-filled form, sign the "
                    "declaration and send its scan: the coordinator then books your "
                    "meeting with an adviser."
                ),
            )
            return redirect("courses:my_enrolments")
    return render(
        request,
        "courses/advisory/request_form.html",
        {"offer": offer, "form": form, "open": offer.is_open(), "trainee": trainee},
    )


@login_required
def my_advisory(
    request: AuthenticatedHttpRequest, kind: str = SupportKind.ADVISORY
) -> HttpResponse:
    """The adviser's cases ("Moje doradztwo") or the coach's ("Moje coachingi")."""
    manages = request.user.has_perm(MANAGE)
    if not request.user.has_perm("courses.view_advisoryrequest"):
        raise PermissionDenied
    cases = list(
        _cases_of(request.user).filter(offer__course__kind=kind).order_by("-created_at")
    )
    return render(
        request,
        "courses/advisory/my_advisory.html",
        {
            "open_cases": [c for c in cases if c.enrolment.status in _LIVE],
            "closed_cases": [c for c in cases if c.enrolment.status not in _LIVE],
            "manages": manages,
            "offers": _offers().filter(course__kind=kind) if manages else [],
            "coaching": kind == SupportKind.COACHING,
        },
    )


@login_required
def my_coaching(request: AuthenticatedHttpRequest) -> HttpResponse:
    return my_advisory(request, kind=SupportKind.COACHING)


@login_required
def my_coaching_sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A trainee's own coaching ("Moje sesje coachingowe"): sessions, hours, presence."""
    trainee = TraineeProfile.objects.filter(user=request.user).first()
    cases = (
        AdvisoryRequest.objects.filter(
            enrolment__trainee=trainee, offer__course__kind=SupportKind.COACHING
        )
        .select_related("offer", "adviser", "enrolment__edition")
        .order_by("-created_at")
        if trainee
        else AdvisoryRequest.objects.none()
    )
    rows = []
    for case in cases:
        marks = dict(case.enrolment.attendances.values_list("session_id", "present"))
        sessions = list(case.enrolment.edition.sessions.order_by("date", "start_time"))
        attended = [s for s in sessions if marks.get(s.pk)]
        minutes = sum(
            (s.end_time.hour * 60 + s.end_time.minute)
            - (s.start_time.hour * 60 + s.start_time.minute)
            for s in attended
        )
        rows.append(
            {
                "case": case,
                "sessions": [(s, marks.get(s.pk)) for s in sessions],
                "hours_attended": round(minutes / 60, 2),
            }
        )
    return render(
        request,
        "courses/advisory/my_coaching_sessions.html",
        {"rows": rows, "trainee": trainee},
    )


_LIVE = (EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED)


def _case_for(request: HttpRequest, pk: int) -> AdvisoryRequest:
    return get_object_or_404(_cases_of(request.user), pk=pk)


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    manages = request.user.has_perm(MANAGE)
    edition = case.enrolment.edition
    coaching = case.offer.course.kind == SupportKind.COACHING
    assign_form = AssignForm(
        request.POST if "assign" in request.POST else None,
        initial={"adviser": case.adviser_id},
        coaching=coaching,
    )
    book_form = BookForm(request.POST if "book" in request.POST else None)
    if "assign" in request.POST and not manages:
        raise PermissionDenied
    if request.method == "POST":
        if "assign" in request.POST and assign_form.is_valid():
            try:
                advisory_assign(
                    request=case,
                    adviser=assign_form.cleaned_data["adviser"],
                    actor=request.user,
                )
            except RuleError as error:
                _field_error(assign_form, error)
            else:
                messages.success(
                    request,
                    _("The coach is assigned.")
                    if coaching
                    else _("The adviser is assigned."),
                )
                return redirect("courses:advisory_case", pk=case.pk)
        elif "book" in request.POST and book_form.is_valid():
            data = book_form.cleaned_data
            try:
                advisory_meeting_book(
                    request=case,
                    on=data["date"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    place=data["place"],
                    actor=request.user,
                )
            except RuleError as error:
                _field_error(book_form, error)
            else:
                messages.success(request, _("The meeting is booked."))
                return redirect("courses:advisory_case", pk=case.pk)
    sessions = list(edition.sessions.order_by("date", "start_time"))
    records = {
        m.session_id: m for m in AdvisoryMeeting.objects.filter(session__in=sessions)
    }
    marks = dict(case.enrolment.attendances.values_list("session_id", "present"))
    meetings = [
        (session, records.get(session.pk), marks.get(session.pk))
        for session in sessions
    ]
    return render(
        request,
        "courses/advisory/case.html",
        {
            "case": case,
            "edition": edition,
            "meetings": meetings,
            "manages": manages,
            "assign_form": assign_form,
            "book_form": book_form,
            "completion": completion_compute(enrolment=case.enrolment)
            if sessions
            else None,
        },
    )


@login_required
def meeting_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("edition"), pk=pk)
    case = get_object_or_404(
        _cases_of(request.user), enrolment__edition=session.edition
    )
    record = AdvisoryMeeting.objects.filter(session=session).first()
    initial = {"mode": case.mode, "topics": case.topics, "requester_present": True}
    if record:
        present = case.enrolment.attendances.filter(session=session).values_list(
            "present", flat=True
        )
        initial = {
            "mode": record.mode,
            "topics": record.topics,
            "note": record.note,
            "attendees": record.attendees,
            "requester_present": bool(present and present[0]),
        }
    form = RecordForm(request.POST or None, request=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            advisory_meeting_record(
                session=session,
                mode=data["mode"],
                topics=data["topics"],
                note=data["note"],
                requester_present=data["requester_present"],
                attendees=data.get("attendees", []),
                actor=request.user,
            )
        except RuleError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("The meeting's record is saved."))
            return redirect("courses:advisory_case", pk=case.pk)
    return render(
        request,
        "courses/advisory/meeting_record.html",
        {"case": case, "session": session, "form": form},
    )


@login_required
@require_POST
def case_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    try:
        enrolment = enrolment_complete(enrolment=case.enrolment, actor=request.user)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        if enrolment.status != EnrolmentStatus.COMPLETED:
            messages.warning(
                request,
                _("Not completed: %(reason)s")
                % {"reason": " ".join(completion_compute(enrolment=enrolment).reasons)},
            )
        elif case.offer.course.kind == SupportKind.COACHING:
            messages.success(request, _("The coaching is completed."))
        else:
            messages.success(request, _("The advice is completed."))
    return redirect("courses:advisory_case", pk=case.pk)


@login_required
def coordinator_request_create(
    request: AuthenticatedHttpRequest, pk: int
) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    offer = get_object_or_404(_offers(), pk=pk)
    form = CoordinatorRequestForm(
        request.POST or None, offer=offer, initial={"channel": RequestChannel.PHONE}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = advisory_request_create(
                offer=offer,
                trainee=form.cleaned_data["trainee"],
                details=form.details(),
                actor=request.user,
                channel=form.cleaned_data["channel"],
            )
        except RuleError as error:
            _field_error(form, error)
        else:
            messages.success(request, _("The request is entered."))
            return redirect("courses:advisory_case", pk=case.pk)
    return render(
        request,
        "courses/advisory/request_form.html",
        {"offer": offer, "form": form, "open": offer.is_open(), "coordinator": True},
    )
