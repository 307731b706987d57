"""Reads for the admin lists: everything a page of rows needs, in a constant number of queries."""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from ..extensions import COORDINATOR_TODO_HOOK, TodoGroup, TodoRow
from ..models import (
    HOLDING,
    Edition,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionSheet,
    SupportKind,
)
from ..selectors import ON_ATTENDANCE_LIST, enrolments_with_waitlist_position

Status = EnrolmentStatus

__all__ = [
    "coordinator_todo",
    "enrolments_for_listing",
    "enrolments_with_waitlist_position",
]


def enrolments_for_listing(*, enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Enrolments with the related rows the coordinator's list shows."""
    return enrolments_with_waitlist_position(
        enrolments=enrolments.select_related(
            "trainee__institution", "voivodeship", "edition__course"
        )
    )


# The coordinator's to-do on the admin home ---------------------------------------------

TODO_ROWS = 5
HOLD_WARNING = datetime.timedelta(hours=48)
STARTS_SOON = datetime.timedelta(days=14)


def _enrolments_url(**query) -> str:
    return f"{reverse('training_enrolments:index')}?{urlencode(query)}"


def _enrolment_rows(enrolments, note) -> list[TodoRow]:
    return [
        TodoRow(
            label=f"{e.trainee.full_name} · {e.edition.code}",
            url=reverse("training_enrolments:inspect", args=[e.pk]),
            note=note(e),
        )
        for e in enrolments[:TODO_ROWS]
    ]


def coordinator_todo(*, now: datetime.datetime | None = None) -> list[TodoGroup]:
    """What needs a coordinator now, most urgent first; empty groups are left out."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    groups: list[TodoGroup] = []
    pending = Enrolment.objects.filter(status=EnrolmentStatus.PENDING).select_related(
        "trainee", "edition"
    )
    no_declaration = Q(declaration="") & Q(declaration_on_paper=False)

    expiring = pending.filter(hold_until__lte=now + HOLD_WARNING).order_by("hold_until")
    if count := expiring.count():
        groups.append(
            TodoGroup(
                "holds_expiring",
                ngettext(
                    "%(count)s held place expires within 48 hours",
                    "%(count)s held places expire within 48 hours",
                    count,
                )
                % {"count": count},
                count,
                _enrolment_rows(
                    expiring,
                    lambda e: (
                        _("held until %(date)s")
                        % {
                            "date": date_format(
                                timezone.localtime(e.hold_until), "j E, H:i"
                            )
                        }
                    ),
                ),
                _enrolments_url(status=EnrolmentStatus.PENDING),
            )
        )
    approval = pending.exclude(no_declaration).order_by("declaration_received_at")
    if count := approval.count():
        groups.append(
            TodoGroup(
                "awaiting_approval",
                ngettext(
                    "%(count)s application waits for approval",
                    "%(count)s applications wait for approval",
                    count,
                )
                % {"count": count},
                count,
                _enrolment_rows(approval, lambda e: _("declaration received")),
                _enrolments_url(status=EnrolmentStatus.PENDING),
            )
        )
    declaration = pending.filter(no_declaration).order_by("created_at")
    if count := declaration.count():
        groups.append(
            TodoGroup(
                "awaiting_declaration",
                ngettext(
                    "%(count)s application waits for the signed declaration",
                    "%(count)s applications wait for the signed declaration",
                    count,
                )
                % {"count": count},
                count,
                _enrolment_rows(
                    declaration,
                    lambda e: (
                        _("applied %(date)s")
                        % {"date": date_format(timezone.localtime(e.created_at), "j E")}
                    ),
                ),
                _enrolments_url(status=EnrolmentStatus.PENDING),
            )
        )

    upcoming = Edition.objects.filter(end_date__gte=today).select_related("course")
    waiting = (
        upcoming.annotate(
            waiting=Count("enrolments", filter=Q(enrolments__status=Status.WAITLISTED))
        )
        .filter(waiting__gt=0)
        .order_by("start_date", "code")
    )
    if waiting_editions := list(waiting):
        people = sum(e.waiting for e in waiting_editions)
        groups.append(
            TodoGroup(
                "waiting_lists",
                ngettext(
                    "%(count)s person on waiting lists",
                    "%(count)s people on waiting lists",
                    people,
                )
                % {"count": people},
                people,
                [
                    TodoRow(
                        label=f"{e.code} · {e.course.title}",
                        url=_enrolments_url(edition=e.pk, status=Status.WAITLISTED),
                        note=ngettext(
                            "%(count)s waiting", "%(count)s waiting", e.waiting
                        )
                        % {"count": e.waiting},
                    )
                    for e in waiting_editions[:TODO_ROWS]
                ],
                _enrolments_url(status=Status.WAITLISTED),
            )
        )

    small = (
        upcoming.filter(
            start_date__gte=today,
            start_date__lte=today + STARTS_SOON,
            min_group_size__gt=0,
        )
        .annotate(held=Count("enrolments", filter=Q(enrolments__status__in=HOLDING)))
        .filter(held__lt=F("min_group_size"))
        .order_by("start_date", "code")
    )
    if small_editions := list(small):
        groups.append(
            TodoGroup(
                "under_minimum",
                ngettext(
                    "%(count)s group starts within 14 days below its minimum size",
                    "%(count)s groups start within 14 days below their minimum size",
                    len(small_editions),
                )
                % {"count": len(small_editions)},
                len(small_editions),
                [
                    TodoRow(
                        label=f"{e.code} · {date_format(e.start_date, 'j E')}",
                        url=_enrolments_url(edition=e.pk),
                        note=_("%(held)s of at least %(minimum)s")
                        % {"held": e.held, "minimum": e.min_group_size},
                    )
                    for e in small_editions[:TODO_ROWS]
                ],
            )
        )

    sheets = SessionSheet.objects.filter(session=OuterRef("pk"))
    unsigned = (
        Session.objects.filter(date__lt=today)
        .filter(~Exists(sheets))
        .filter(edition__enrolments__status__in=ON_ATTENDANCE_LIST)
        .distinct()
        .select_related("edition")
        .order_by("date", "start_time")
    )
    if count := unsigned.count():
        groups.append(
            TodoGroup(
                "sheets_missing",
                ngettext(
                    "%(count)s signed attendance list not uploaded",
                    "%(count)s signed attendance lists not uploaded",
                    count,
                )
                % {"count": count},
                count,
                [
                    TodoRow(
                        label=f"{s.edition.code} · {date_format(s.date, 'j E Y')}",
                        url=reverse("courses:session_sheet", args=[s.pk]),
                    )
                    for s in unsigned[:TODO_ROWS]
                ],
            )
        )

    # Working groups are not completed: their members attend meetings, no course.
    undecided = (
        Edition.objects.filter(end_date__lt=today)
        .exclude(course__kind=SupportKind.WORKING_GROUP)
        .annotate(
            undecided=Count("enrolments", filter=Q(enrolments__status=Status.CONFIRMED))
        )
        .filter(undecided__gt=0)
        .select_related("course")
        .order_by("end_date", "code")
    )
    if undecided_editions := list(undecided):
        groups.append(
            TodoGroup(
                "completion_undecided",
                ngettext(
                    "%(count)s finished group waits for the completion decision",
                    "%(count)s finished groups wait for the completion decision",
                    len(undecided_editions),
                )
                % {"count": len(undecided_editions)},
                len(undecided_editions),
                [
                    TodoRow(
                        label=f"{e.code} · {e.course.title}",
                        url=reverse("courses:group_completion", args=[e.pk]),
                        note=ngettext(
                            "%(count)s to decide", "%(count)s to decide", e.undecided
                        )
                        % {"count": e.undecided},
                    )
                    for e in undecided_editions[:TODO_ROWS]
                ],
            )
        )
    for provider in hooks.get_hooks(COORDINATOR_TODO_HOOK):
        groups.extend(provider())
    return groups
