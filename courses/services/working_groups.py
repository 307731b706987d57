"""Working groups of a call: set up, nominate members, book meetings, list the fees.

Members are enrolments in the group's edition, made by `enrolment_create`: the seats
are the group's target size and the edition lock makes a nomination beyond it fail
as a whole (with the person and their account, if made for it). Attendance is marked
per meeting day with `attendance_mark`, as for every session.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..call_notifications import nomination_email_on_commit
from ..errors import RuleError
from ..models import (
    Attendance,
    Course,
    DeliveryMode,
    Edition,
    Enrolment,
    EnrolmentStatus,
    Gender,
    Institution,
    InstitutionType,
    Position,
    Session,
    SupportKind,
    TraineeProfile,
)
from ..models.recruitment import ApplicationStatus, Call, CallApplication
from ..models.working_groups import (
    COUNTY_KINDS,
    KIND_DEFAULTS,
    GroupMeeting,
    GroupMeetingDay,
    Nomination,
    Sector,
    WorkingGroup,
)
from ..selectors import ON_ATTENDANCE_LIST
from .actors import Actor, actor_user
from .enrolment import enrolment_create
from .locking import locking_transaction

MANAGE = "courses.manage_calls"


class GroupError(RuleError):
    """A rule of working groups said no."""


def working_group_create(
    *,
    call: Call,
    kind: str,
    name: str,
    course: Course,
    starts_on: date,
    ends_on: date,
    application: CallApplication | None = None,
    target_size: int | None = None,
    meeting_days: int | None = None,
) -> WorkingGroup:
    """A group of the call, its edition unlisted: members come only by nomination."""
    if kind not in KIND_DEFAULTS:
        raise GroupError(_("Choose the kind of group."), code="kind")
    default_size, default_days, _outside = KIND_DEFAULTS[kind]
    target_size = target_size or default_size
    meeting_days = meeting_days or default_days
    if course.kind != SupportKind.WORKING_GROUP:
        raise GroupError(_("Choose a module of kind working group."), code="course")
    if kind in COUNTY_KINDS:
        if application is None or application.call_id != call.pk:
            raise GroupError(
                _("A county group belongs to a county selected in this call."),
                code="application",
            )
        if application.status != ApplicationStatus.SELECTED:
            raise GroupError(
                _("%(authority)s was not selected in the call.")
                % {"authority": application.authority},
                code="application",
            )
    elif application is not None:
        raise GroupError(
            _("A regional group takes nominations from every selected institution."),
            code="application",
        )
    if meeting_days not in (1, 2):
        raise GroupError(_("A meeting lasts 1 or 2 days."), code="meeting_days")
    if ends_on < starts_on:
        raise GroupError(_("The group must end after it starts."), code="ends_on")
    now = timezone.now()
    with transaction.atomic():
        edition = Edition(
            course=course,
            project=call.project,
            code=f"{call.code}-{kind[:8]}-{Edition.objects.count() + 1}"[:60],
            start_date=starts_on,
            end_date=ends_on,
            delivery_mode=DeliveryMode.ON_SITE,
            capacity=target_size,
            # Nominations until the group ends, and for a month after it is set up
            # at least; the coordinator changes the window on the edition.
            enrolment_opens=now - timedelta(minutes=1),
            enrolment_closes=max(
                timezone.make_aware(datetime.combine(ends_on, time(23, 59))),
                now + timedelta(days=30),
            ),
            # Published for the nominations; the catalogue and the enrol view list and
            # take trainings only, so nobody enrols in a group by themselves.
            is_published=True,
        )
        try:
            edition.full_clean()
        except ValidationError as error:
            raise GroupError(" ".join(error.messages), code="starts_on") from error
        edition.save()
        group = WorkingGroup.objects.create(
            call=call,
            edition=edition,
            kind=kind,
            name=name.strip(),
            application=application,
            target_size=target_size,
            meeting_days=meeting_days,
        )
    return group


def working_group_course(*, call: Call) -> Course:
    """The module the call's working groups are editions of (made once per call)."""
    course, _created = Course.objects.get_or_create(
        code=f"{call.code}-grupy-robocze"[:60],
        defaults={
            "title": _("Working groups: %(call)s") % {"call": call.title},
            "hours": 0,
            "kind": SupportKind.WORKING_GROUP,
        },
    )
    return course


# Who nominates -------------------------------------------------------------------------


def nominating_applications(*, group: WorkingGroup, user) -> list[CallApplication]:
    """The selected applications through which this user nominates to the group."""
    if not user.is_authenticated:
        return []
    selected = CallApplication.objects.filter(
        call_id=group.call_id,
        representative=user,
        status=ApplicationStatus.SELECTED,
        call__results_published_at__isnull=False,
    )
    if group.application_id is not None:
        selected = selected.filter(pk=group.application_id)
    return list(selected)


def may_nominate(*, group: WorkingGroup, user) -> bool:
    return user.has_perm(MANAGE) or bool(
        nominating_applications(group=group, user=user)
    )


def groups_for(*, user) -> "list[WorkingGroup]":
    """The groups a representative of a selected institution nominates to."""
    if not user.is_authenticated:
        return []
    selected = CallApplication.objects.filter(
        representative=user,
        status=ApplicationStatus.SELECTED,
        call__results_published_at__isnull=False,
    )
    return list(
        WorkingGroup.objects.filter(
            Q(application__in=selected)
            | Q(application__isnull=True, call__applications__in=selected)
        )
        .select_related("call", "application", "edition")
        .distinct()
    )


# Nominating ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Nominee:
    """The person nominated, as the nominating institution gives them."""

    email: str
    first_name: str
    last_name: str
    gender: str
    institution: str
    institution_type: str = InstitutionType.OTHER
    position: str = Position.OTHER
    phone: str = ""


def _nominee_problems(nominee: Nominee) -> dict[str, str]:
    problems = {}
    if "@" not in nominee.email or len(nominee.email.strip()) < 3:
        problems["email"] = _("Give the nominee's e-mail address.")
    if not nominee.first_name.strip() or not nominee.last_name.strip():
        problems["first_name"] = _("Give the nominee's first and last name.")
    if nominee.gender not in Gender.values:
        problems["gender"] = _("Choose the nominee's gender.")
    if not nominee.institution.strip():
        problems["institution"] = _("Give the nominee's institution.")
    if nominee.institution_type not in InstitutionType.values:
        problems["institution_type"] = _("Choose the type of the institution.")
    if nominee.position not in Position.values:
        problems["position"] = _("Choose the nominee's position.")
    return problems


def _trainee_for(*, nominee: Nominee, group: WorkingGroup) -> TraineeProfile:
    """The nominee's profile: theirs if they have one (left as they keep it), else new."""
    email = nominee.email.strip().lower()
    users = get_user_model().objects
    user = users.filter(email__iexact=email).first()
    if user is None:
        user = users.create(
            username=email,
            email=email,
            first_name=nominee.first_name.strip(),
            last_name=nominee.last_name.strip(),
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    profile = TraineeProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    authority = group.application.authority if group.application else ""
    institution = Institution.objects.filter(
        name=nominee.institution.strip(), voivodeship=group.call.voivodeship
    ).first() or Institution.objects.create(
        name=nominee.institution.strip(),
        type=nominee.institution_type,
        voivodeship=group.call.voivodeship,
        county=authority or group.call.voivodeship.name,
        municipality=authority or group.call.voivodeship.name,
    )
    profile = TraineeProfile(
        user=user,
        first_name=nominee.first_name.strip(),
        last_name=nominee.last_name.strip(),
        gender=nominee.gender,
        position=nominee.position,
        institution=institution,
        phone=nominee.phone.strip(),
    )
    profile.full_clean()
    profile.save()
    return profile


def group_nominate(
    *, group: WorkingGroup, nominee: Nominee, sector: str, actor: User
) -> Nomination:
    """Nominate one person to the group, or nothing (beyond the target size: nothing)."""
    group = WorkingGroup.objects.select_related(
        "call__voivodeship", "application", "edition__project"
    ).get(pk=group.pk)
    applications = nominating_applications(group=group, user=actor)
    if not applications and not actor.has_perm(MANAGE):
        raise GroupError(
            _(
                "Only the coordinator and the institutions selected in the call for "
                "this group nominate its members."
            ),
            code="forbidden",
        )
    problems = _nominee_problems(nominee)
    if sector not in Sector.values:
        problems.setdefault("sector", _("Choose the sector of the institution."))
    if problems:
        field, message = next(iter(problems.items()))
        raise GroupError(message, code=field)
    with transaction.atomic():
        trainee = _trainee_for(nominee=nominee, group=group)
        enrolment = enrolment_create(
            trainee=trainee, edition=group.edition, actor=actor
        )
        if Nomination.objects.filter(enrolment=enrolment).exists():
            raise GroupError(
                _("%(name)s is already a member of this group.")
                % {"name": trainee.full_name},
                code="email",
            )
        if enrolment.status == EnrolmentStatus.WAITLISTED:
            raise GroupError(
                _(
                    "The group has its %(size)s members: nominate no more, or ask the "
                    "coordinator to withdraw someone first."
                )
                % {"size": group.target_size},
                code="full",
            )
        nomination = Nomination.objects.create(
            group=group,
            enrolment=enrolment,
            sector=sector,
            application=applications[0] if applications else None,
            nominated_by=actor_user(actor),
        )
        nomination_email_on_commit(nomination=nomination)
    return nomination


def group_members(*, group: WorkingGroup):
    """The group's live nominations with their people, in Polish name order."""
    return (
        Nomination.objects.filter(
            group=group,
            enrolment__status__in=[EnrolmentStatus.PENDING, *ON_ATTENDANCE_LIST],
        )
        .select_related(
            "enrolment__trainee__institution", "application", "nominated_by"
        )
        .order_by("enrolment__trainee__last_name", "enrolment__trainee__first_name")
    )


# Meetings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingDay:
    on: date
    start_time: time
    end_time: time


def group_meeting_book(
    *,
    group: WorkingGroup,
    days: Sequence[MeetingDay],
    place: str,
    outside_working_hours: bool,
    fee_per_member: Decimal = Decimal(0),
    actor: Actor = None,
) -> GroupMeeting:
    """A meeting of the group's 1 or 2 days; each day is a session with its attendance."""
    if len(days) != group.meeting_days:
        raise GroupError(
            _("A meeting of this group lasts %(days)s day(s): give each of them.")
            % {"days": group.meeting_days},
            code="days",
        )
    dates = [day.on for day in days]
    if len(set(dates)) != len(dates) or dates != sorted(dates):
        raise GroupError(
            _("Give the days of the meeting in order, each on another date."),
            code="days",
        )
    if len(dates) == 2 and dates[1] - dates[0] != timedelta(days=1):
        raise GroupError(
            _("The two days of a meeting follow one another."), code="days"
        )
    if any(day.end_time <= day.start_time for day in days):
        raise GroupError(_("Each day must end after it starts."), code="days")
    if fee_per_member < 0:
        raise GroupError(_("The fee cannot be negative."), code="fee_per_member")
    if fee_per_member and not outside_working_hours:
        raise GroupError(
            _("A fee is paid only for meetings outside working hours."),
            code="fee_per_member",
        )
    with locking_transaction():
        edition = Edition.objects.select_for_update().get(pk=group.edition_id)
        number = (group.meetings.aggregate(n=Max("number"))["n"] or 0) + 1
        meeting = GroupMeeting.objects.create(
            group=group,
            number=number,
            outside_working_hours=outside_working_hours,
            fee_per_member=fee_per_member,
        )
        for day in days:
            session = Session(
                edition=edition,
                date=day.on,
                start_time=day.start_time,
                end_time=day.end_time,
                place=place.strip(),
                topic=_("Meeting %(number)s of %(group)s")
                % {"number": number, "group": group.name},
            )
            try:
                session.full_clean()
            except ValidationError as error:
                raise GroupError(" ".join(error.messages), code="days") from error
            session.save()
            GroupMeetingDay.objects.create(meeting=meeting, session=session)
        first, last = min(dates), max(dates)
        if first < edition.start_date or last > edition.end_date:
            edition.start_date = min(first, edition.start_date)
            edition.end_date = max(last, edition.end_date)
            edition.save(update_fields=["start_date", "end_date"])
    return meeting


# The fee list -----------------------------------------------------------------------------


@dataclass
class FeeRow:
    enrolment: Enrolment
    sector: str
    days_present: int
    amount: Decimal


@dataclass
class FeeList:
    meeting: GroupMeeting
    days: list[Session]
    rows: list[FeeRow]
    unmarked: list[str]  # "Jan Kowalski (12.03.2020)" for each mark still missing

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))

    @property
    def paid(self) -> list[FeeRow]:
        return [row for row in self.rows if row.amount]


CENT = Decimal("0.01")


def meeting_fee_list(*, meeting: GroupMeeting) -> FeeList:
    """Each member's fee for the meeting: the fee times the share of its days present.

    A member present on both days of a two-day meeting gets the whole fee, on one of
    them half of it; absent, nothing. Days not yet marked are listed in `unmarked`.
    """
    days = [
        day.session
        for day in meeting.days.select_related("session").order_by(
            "session__date", "session__start_time"
        )
    ]
    members = list(
        group_members(group=meeting.group).exclude(
            enrolment__status=EnrolmentStatus.PENDING
        )
    )
    marks = {
        (enrolment_id, session_id): present
        for enrolment_id, session_id, present in Attendance.objects.filter(
            session__in=days
        ).values_list("enrolment_id", "session_id", "present")
    }
    rows, unmarked = [], []
    for nomination in members:
        enrolment = nomination.enrolment
        present = 0
        for day in days:
            mark = marks.get((enrolment.pk, day.pk))
            if mark is None:
                unmarked.append(
                    f"{enrolment.trainee.full_name} "
                    f"({date_format(day.date, 'SHORT_DATE_FORMAT')})"
                )
            present += bool(mark)
        amount = (
            (meeting.fee_per_member * present / len(days)).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
            if days and meeting.outside_working_hours
            else Decimal(0)
        )
        rows.append(
            FeeRow(
                enrolment=enrolment,
                sector=nomination.get_sector_display(),
                days_present=present,
                amount=amount,
            )
        )
    return FeeList(meeting=meeting, days=days, rows=rows, unmarked=unmarked)
