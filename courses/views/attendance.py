"""Trainers' and coordinators' pages: "Moje grupy", attendance lists, completion."""

from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.models import Site

from ..attendance_pdf import render_attendance_list_pdf
from ..errors import EnrolmentError
from ..forms import GroupMessageForm
from ..http import AuthenticatedHttpRequest
from ..models import (
    AccessAction,
    Edition,
    Enrolment,
    EnrolmentStatus,
    MessageAudience,
    Session,
    SessionSheet,
    SupportKind,
)
from ..selectors import (
    ON_ATTENDANCE_LIST,
    attendance_roster,
    edition_links,
    edition_sessions_marked,
    edition_trainees,
    editions_managed_by,
    keeps_attendance,
)
from ..services.access import access_record
from ..services.attendance import (
    Completion,
    attendance_mark,
    completion_compute,
    edition_complete,
    enrolment_complete,
    required_attendance,
    session_attach_sheet,
)
from ..services.communication import group_message_send, message_recipients
from .scans import download_name, scan_download, scan_upload


def _keeps_attendance(view):
    """Signed in, and a trainer or coordinator; anyone else is refused outright."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not keeps_attendance(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _edition_for(request: HttpRequest, pk: int) -> Edition:
    """One of the user's editions; another trainer's is a 404."""
    return get_object_or_404(editions_managed_by(user=request.user), pk=pk)


def _session_for(request: HttpRequest, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("edition__course", "edition__project"),
        pk=pk,
        edition__in=editions_managed_by(user=request.user),
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@_keeps_attendance
def my_groups(request: HttpRequest) -> HttpResponse:
    # Advisory and coaching cases are kept in "Moje doradztwo" and "Moje coachingi";
    # working groups are kept here, their meeting days are sessions.
    trainings = (
        editions_managed_by(user=request.user)
        .filter(course__kind__in=[SupportKind.TRAINING, SupportKind.WORKING_GROUP])
        .select_related("working_group")
    )
    editions = trainings.annotate(
        trainees=Count(
            "enrolments",
            filter=Q(enrolments__status__in=ON_ATTENDANCE_LIST),
            distinct=True,
        ),
        undecided=Count(
            "enrolments",
            filter=Q(enrolments__status=EnrolmentStatus.CONFIRMED),
            distinct=True,
        ),
        session_count=Count("sessions", distinct=True),
    )
    # What needs the trainer now comes first: started groups not yet decided.
    today = timezone.localdate()
    groups: dict[str, list[Edition]] = {"current": [], "upcoming": [], "finished": []}
    for edition in editions:
        if edition.start_date > today:
            groups["upcoming"].append(edition)
        elif edition.undecided or edition.end_date >= today:
            groups["current"].append(edition)
        else:
            groups["finished"].append(edition)
    groups["upcoming"].reverse()
    return render(
        request,
        "courses/attendance/my_groups.html",
        {**groups, "has_groups": any(groups.values())},
    )


@_keeps_attendance
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition_for(request, pk)
    trainees = Enrolment.objects.filter(
        edition=edition, status__in=ON_ATTENDANCE_LIST
    ).count()
    return render(
        request,
        "courses/attendance/edition.html",
        {
            "edition": edition,
            "sessions": edition_sessions_marked(edition=edition),
            "trainees": trainees,
            "links": edition_links(edition=edition, user=request.user),
        },
    )


def _counts(rows) -> dict:
    return {
        "present": sum(1 for row in rows if row.present),
        "marked": sum(1 for row in rows if row.present is not None),
        "total": len(rows),
    }


@_keeps_attendance
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    if request.method == "POST":
        return _mark(request, session)
    rows = attendance_roster(session=session)
    return render(
        request,
        "courses/attendance/session.html",
        {
            "session": session,
            "edition": session.edition,
            "rows": rows,
            "counts": _counts(rows),
        },
    )


def _mark(request: HttpRequest, session: Session) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("trainee"),
        pk=request.POST.get("enrolment") or 0,
        edition_id=session.edition_id,
    )
    present = request.POST.get("present") == "1"
    try:
        attendance_mark(
            enrolment=enrolment, session=session, present=present, actor=request.user
        )
    except EnrolmentError as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error)}, status=409)
        messages.error(request, str(error))
        return redirect(reverse("courses:session_attendance", args=[session.pk]))
    name = enrolment.trainee.full_name
    if present:
        message = _("Marked present: %(name)s.") % {"name": name}
    else:
        message = _("Marked absent: %(name)s.") % {"name": name}
    if _wants_json(request):
        return JsonResponse(
            {
                "present": present,
                "message": message,
                "counts": _counts(attendance_roster(session=session)),
            }
        )
    messages.success(request, message)
    url = reverse("courses:session_attendance", args=[session.pk])
    return redirect(f"{url}#trainee-{enrolment.pk}")


@_keeps_attendance
def session_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    pdf = render_attendance_list_pdf(
        session=session, site=Site.find_for_request(request)
    )
    name = download_name(
        "lista-obecnosci",
        session.edition.code,
        session.date.strftime("%Y-%m-%d"),
        suffix="pdf",
    )
    access_record(
        actor=request.user,
        action=AccessAction.DOWNLOAD,
        what=_("Attendance list PDF: %(edition)s, %(date)s")
        % {"edition": session.edition.code, "date": session.date.isoformat()},
        trainees=_listed(session),
        path=request.path,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _listed(session: Session) -> list[int]:
    """The trainees whose names (and signatures) a session's attendance list holds."""
    return list(
        Enrolment.objects.filter(
            edition_id=session.edition_id, status__in=ON_ATTENDANCE_LIST
        ).values_list("trainee_id", flat=True)
    )


@_keeps_attendance
def session_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    sheet = SessionSheet.objects.filter(session=session).first()
    return scan_upload(
        request,
        label=gettext_lazy("Scan or photo of the signed attendance list"),
        attach=partial(session_attach_sheet, session=session),
        done=_("The signed attendance list is saved."),
        next_url=reverse("courses:group", args=[session.edition_id]),
        template="courses/attendance/sheet_upload.html",
        context={"session": session, "edition": session.edition, "sheet": sheet},
    )


@_keeps_attendance
def session_sheet_file(request: HttpRequest, pk: int) -> FileResponse:
    session = _session_for(request, pk)
    sheet = SessionSheet.objects.filter(session=session).first()
    if sheet is None:
        raise Http404
    access_record(
        actor=request.user,
        action=AccessAction.DOWNLOAD,
        what=_("Signed attendance list scan: %(edition)s, %(date)s")
        % {"edition": session.edition.code, "date": session.date.isoformat()},
        trainees=_listed(session),
        path=request.path,
    )
    return scan_download(
        sheet.scan,
        "lista-obecnosci-podpisana",
        session.edition.code,
        session.date.strftime("%Y-%m-%d"),
    )


@_keeps_attendance
def edition_completion(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition_for(request, pk)
    rows = _completion_rows(edition)
    return render(
        request,
        "courses/attendance/completion.html",
        {
            "edition": edition,
            "rows": rows,
            "required": required_attendance(edition=edition),
            "undecided": sum(
                1 for e, _r in rows if e.status == EnrolmentStatus.CONFIRMED
            ),
        },
    )


def _completion_rows(edition: Edition) -> list[tuple[Enrolment, Completion]]:
    rows = []
    for enrolment in edition_trainees(edition_id=edition.pk):
        enrolment.edition = edition
        rows.append((enrolment, completion_compute(enrolment=enrolment)))
    return rows


@_keeps_attendance
def edition_completion_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    edition = _edition_for(request, pk)
    if request.method != "POST" or (
        request.POST.get("all") and request.POST.get("confirm") != "yes"
    ):
        # "Confirm all" decides for everyone at once and cannot be undone: say for
        # whom and how first, and decide only on the second, explicit POST.
        undecided = [
            (enrolment, result)
            for enrolment, result in _completion_rows(edition)
            if enrolment.status == EnrolmentStatus.CONFIRMED
        ]
        return render(
            request,
            "courses/attendance/completion_confirm.html",
            {
                "edition": edition,
                "passed": [e for e, r in undecided if r.passed],
                "failed": [(e, r) for e, r in undecided if not r.passed],
                "undecided": len(undecided),
            },
        )
    try:
        if request.POST.get("all"):
            done = edition_complete(edition=edition, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "Completion decided for %(count)s trainee.",
                    "Completion decided for %(count)s trainees.",
                    len(done),
                )
                % {"count": len(done)},
            )
        else:
            enrolment = get_object_or_404(
                Enrolment.objects.select_related("trainee"),
                pk=request.POST.get("enrolment") or 0,
                edition=edition,
            )
            enrolment = enrolment_complete(enrolment=enrolment, actor=request.user)
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {
                    "name": enrolment.trainee.full_name,
                    "status": enrolment.get_status_display(),
                },
            )
    except EnrolmentError as error:
        messages.error(request, str(error))
    return redirect("courses:group_completion", pk=edition.pk)


@_keeps_attendance
def edition_contacts(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's contact list: the trainer's people, and only theirs."""
    edition = _edition_for(request, pk)
    rows = edition_trainees(edition_id=edition.pk)
    return render(
        request,
        "courses/attendance/contacts.html",
        {"edition": edition, "rows": rows},
    )


@_keeps_attendance
def edition_message(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A message to the whole group, sent to each person and kept in the log."""
    edition = _edition_for(request, pk)
    form = GroupMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = group_message_send(
                edition=edition,
                audience=MessageAudience.GROUP,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                sender=request.user,
            )
        except EnrolmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "The message is sent to %(count)s person.",
                    "The message is sent to %(count)s people.",
                    len(sent.recipients),
                )
                % {"count": len(sent.recipients)},
            )
            return redirect("courses:group_message", pk=edition.pk)
    return render(
        request,
        "courses/attendance/message.html",
        {
            "edition": edition,
            "form": form,
            "recipients": len(
                message_recipients(edition=edition, audience=MessageAudience.GROUP)
            ),
            "sent": edition.messages.select_related("sender")[:20],
        },
    )
