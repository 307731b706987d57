"""The trainee's pages: profile, enrolment, "Moje szkolenia". Rules live in services."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..calendar import personal_calendar
from ..errors import EnrolmentError
from ..forms import InstitutionForm, ParticipantRecordForm, TraineeForm
from ..http import AuthenticatedHttpRequest
from ..links import public_url
from ..models import (
    LIVE,
    CalendarFeed,
    ClauseAcknowledgement,
    Edition,
    Enrolment,
    EnrolmentStatus,
    InformationClause,
    Session,
    SupportKind,
    TraineeProfile,
)
from ..prepared import Prepared, statement_cursor
from ..seat_cache import cached_editions_with_seats, share_with_anonymous
from ..selectors import (
    course_public_url,
    editions_eligibility,
    enrolment_links,
    enrolments_with_waitlist_position,
    waitlist_position,
)
from ..services import enrolment_create, enrolment_withdraw
from ..services.communication import (
    calendar_feed_renew,
    calendar_feed_revoke,
    feed_sessions,
)
from ..services.monitoring import participant_record_update
from ..services.privacy import clause_acknowledge
from ..services.profiles import institution_change_pending, trainee_profile_save

# One profile per user: no ORDER BY to compile or sort (what first() adds). Read on
# every enrolment: compiled once per process.
_profile_of = Prepared(
    lambda user_id: TraineeProfile.objects.select_related("institution").filter(
        user_id=user_id
    )[:1],
    "user_id",
)


def _trainee(user: User) -> TraineeProfile | None:
    found = _profile_of(user_id=user.pk)
    return found[0] if found else None


# The edition an enrolment asks for: trainings only (advisory and coaching are asked
# for with their own form, members of working groups are nominated).
_edition_to_enrol = Prepared(
    lambda pk: Edition.objects.select_related("project", "course").filter(
        pk=pk, is_published=True, course__kind=SupportKind.TRAINING
    )[:1],
    "pk",
)


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainee = _trainee(request.user)
    institution = trainee.institution if trainee else None
    person_form = TraineeForm(request.POST or None, instance=trainee)
    institution_form = InstitutionForm(request.POST or None, instance=institution)
    if (
        request.method == "POST"
        and person_form.is_valid()
        and institution_form.is_valid()
    ):
        saved = trainee_profile_save(
            user=request.user,
            person={f: person_form.cleaned_data[f] for f in person_form.Meta.fields},
            institution=institution_form.cleaned_data,
        )
        if saved.institution_change is None:
            messages.success(request, _("Your profile is saved."))
        else:
            # Said as it is: the person's data are saved, the institution's are not yet.
            messages.warning(
                request,
                _(
                    "Your personal data are saved. The institution “%(name)s” is shared "
                    "with other trainees, so your changes to its data are sent to a "
                    "coordinator: until they confirm them, it keeps its current data."
                )
                % {"name": saved.profile.institution.name},
            )
        return redirect(_next_url(request, "courses:my_enrolments"))
    return render(
        request,
        "courses/profile.html",
        {
            "person_form": person_form,
            "institution_form": institution_form,
            "pending_change": institution_change_pending(trainee=trainee),
            "has_profile": trainee is not None,
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def participant_record(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The funder's participant record, answered once, on a page of its own."""
    trainee = _trainee(request.user)
    if trainee is None:
        return redirect(f"{reverse('courses:profile')}?next={quote(request.path)}")
    record = getattr(trainee, "record", None)
    form = ParticipantRecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        participant_record_update(
            trainee=trainee, record={f: form.cleaned_data[f] for f in form.Meta.fields}
        )
        messages.success(
            request, _("Your answers for the monitoring system are saved.")
        )
        return redirect(_next_url(request, "courses:profile"))
    return render(
        request,
        "courses/participant_record.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


def _enrolment_message(enrolment: Enrolment) -> str:
    if enrolment.status == EnrolmentStatus.CONFIRMED:
        return _("You are enrolled in %(edition)s.") % {"edition": enrolment.edition}
    if enrolment.status == EnrolmentStatus.PENDING:
        return _(
            "Your application for %(edition)s is received. Your place is held until "
            "%(date)s: send the signed declaration."
        ) % {
            "edition": enrolment.edition,
            "date": timezone.localtime(enrolment.hold_until).strftime("%d.%m.%Y"),
        }
    return _(
        "The edition is full: you are number %(position)s on the waiting list."
    ) % {"position": waitlist_position(enrolment=enrolment)}


_CLAUSE_SHOWN_SQL: str | None = None


def _clause_shown(request: HttpRequest, *, edition: Edition):
    """The clause version the enrol button was shown with, else the current one.

    One query either way: the version shown when the form names one of this project's
    (or the platform's), else the newest of the project's, else of the platform's.
    Its text is built once per process (the ORM's would be compiled on every
    enrolment); the clause comes back with its id, project and version, all the
    acknowledgement needs (the rest loads if asked for).
    """
    global _CLAUSE_SHOWN_SQL
    if _CLAUSE_SHOWN_SQL is None:
        table = connection.ops.quote_name(InformationClause._meta.db_table)
        _CLAUSE_SHOWN_SQL = f"""SELECT id, project_id, version FROM {table}
WHERE project_id = %s OR project_id IS NULL
ORDER BY CASE WHEN id = %s THEN 0 ELSE 1 END,
    CASE WHEN project_id IS NULL THEN 1 ELSE 0 END, version DESC
LIMIT 1"""
    shown = request.POST.get("clause", "")
    with statement_cursor() as cursor:
        cursor.execute(
            _CLAUSE_SHOWN_SQL,
            [
                edition.project_id,
                int(shown) if shown.isdigit() and len(shown) < 10 else None,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return InformationClause.from_db(
        connection.alias, ["id", "project_id", "version"], list(row)
    )


@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    wants_json = "application/json" in request.headers.get("Accept", "")
    found = _edition_to_enrol(pk=pk)
    if not found:
        raise Http404
    edition = found[0]
    if not request.user.is_authenticated:
        if wants_json:
            return JsonResponse({"error": _("Log in to enrol.")}, status=401)
        return redirect(
            f"{reverse('account_login')}?next={quote(_next_url(request, '/'))}"
        )
    trainee = _trainee(request.user)
    if trainee is None:
        if wants_json:
            return JsonResponse(
                {"error": _("Complete your profile first.")}, status=409
            )
        messages.info(
            request,
            _("Complete your profile first: it decides which projects you may join."),
        )
        return redirect(
            f"{reverse('courses:profile')}?next={quote(_next_url(request, ''))}"
        )
    try:
        enrolment = enrolment_create(
            trainee=trainee, edition=edition, actor=request.user
        )
    except EnrolmentError as error:
        if wants_json:
            return JsonResponse({"error": str(error), "code": error.code}, status=409)
        messages.error(request, str(error))
        return redirect(_next_url(request, "courses:my_enrolments"))
    clause_acknowledge(
        user=request.user,
        clause=_clause_shown(request, edition=edition),
        how=ClauseAcknowledgement.How.ENROLMENT,
    )
    if wants_json:
        return JsonResponse(
            {"id": enrolment.pk, "status": enrolment.status}, status=201
        )
    level = (
        messages.INFO
        if enrolment.status == EnrolmentStatus.WAITLISTED
        else messages.SUCCESS
    )
    messages.add_message(request, level, _enrolment_message(enrolment))
    return redirect("courses:my_enrolments")


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdrawal hands the seat on at once: a page says so first, then one POST."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("edition__course"),
        pk=pk,
        trainee__user=request.user,
    )
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        if enrolment.status not in LIVE:
            messages.info(
                request,
                _("This enrolment is already %(status)s.")
                % {"status": enrolment.get_status_display()},
            )
            return redirect("courses:my_enrolments")
        return render(
            request, "courses/withdraw_confirm.html", {"enrolment": enrolment}
        )
    try:
        enrolment_withdraw(
            enrolment=enrolment,
            actor=request.user,
            reason=_("Withdrawn by the trainee."),
        )
    except EnrolmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You have withdrawn from %(edition)s.") % {"edition": enrolment.edition},
        )
    return redirect("courses:my_enrolments")


@login_required
def my_enrolments(request: AuthenticatedHttpRequest) -> HttpResponse:
    trainee = _trainee(request.user)
    if trainee is None:
        return render(request, "courses/my_enrolments.html", {"trainee": None})
    enrolments = list(
        enrolments_with_waitlist_position(
            enrolments=Enrolment.objects.filter(trainee=trainee)
            .select_related("edition__course", "edition__project")
            .order_by("-created_at")
        )
    )
    today = timezone.localdate()
    links = enrolment_links(enrolments=enrolments, user=request.user)
    for enrolment in enrolments:
        enrolment.position = enrolment.waitlist_position
        enrolment.links = links.get(enrolment.pk, [])
        enrolment.can_withdraw = enrolment.status in (
            EnrolmentStatus.PENDING,
            EnrolmentStatus.CONFIRMED,
            EnrolmentStatus.WAITLISTED,
        ) and not enrolment.edition.has_started(today)
    live = [
        e
        for e in enrolments
        if e.status in (EnrolmentStatus.CONFIRMED, EnrolmentStatus.PENDING)
    ]
    sessions = (
        Session.objects.filter(edition__in=[e.edition for e in live], date__gte=today)
        .select_related("edition__course")
        .order_by("date", "start_time")[:10]
    )
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        public_url(reverse("courses:calendar_feed", args=[feed.token])) if feed else ""
    )
    return render(
        request,
        "courses/my_enrolments.html",
        {
            "trainee": trainee,
            "enrolments": enrolments,
            "sessions": sessions,
            "feed_url": feed_url,
            "has_coaching": any(
                e.edition.course.kind == SupportKind.COACHING for e in enrolments
            ),
            "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
        },
    )


def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One edition: its dates, sessions, place and trainers, with live seats."""
    edition = get_object_or_404(
        Edition.objects.select_related("course", "project").prefetch_related(
            "trainers"
        ),
        pk=pk,
        is_published=True,
    )
    now = timezone.now()
    edition.open_now = edition.enrolment_is_open(now)
    edition.mine = (
        Enrolment.objects.filter(
            trainee__user=request.user, edition=edition, status__in=LIVE
        ).first()
        if request.user.is_authenticated
        else None
    )
    editions_eligibility(editions=[edition], user=request.user)
    response = render(
        request,
        "courses/edition_detail.html",
        {
            "edition": edition,
            "editions": cached_editions_with_seats(editions=[edition]),
            "editions_heading": _("Seats"),
            "sessions": edition.sessions.all(),
            "course_url": course_public_url(course=edition.course, request=request),
            "now": now,
        },
    )
    if not request.user.is_authenticated:
        share_with_anonymous(response, editions=[edition], now=now)
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private subscription: whoever has the URL reads it, so it can be revoked."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"), token=token, user__is_active=True
    )
    body = personal_calendar(
        sessions=feed_sessions(user=feed.user), name=_("My training (ROPS)")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def calendar_feed_manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        calendar_feed_revoke(user=request.user)
        messages.success(
            request, _("The calendar link is switched off: it no longer works.")
        )
    else:
        had = CalendarFeed.objects.filter(user=request.user).exists()
        calendar_feed_renew(user=request.user)
        messages.success(
            request,
            _("A new calendar link is ready; the old one no longer works.")
            if had
            else _("Your calendar link is ready: add it to your calendar."),
        )
    return redirect(reverse("courses:my_enrolments") + "#calendar-heading")
